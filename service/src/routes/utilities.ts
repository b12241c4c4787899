// The utility's views: GET /v1/utilities/{utility} (home), /enrollments (the queue), /revenue,
// /tariffs, /dr-events, /devices; and GET /v1/programs/{program}. The utility partner's
// authority (a session with role `utility`) or the operator reads them; a program's public
// view any signed-in viewer.
import { PublicKey } from '@solana/web3.js';
import type { FastifyPluginAsync } from 'fastify';

import { fetchDevice, fetchDrEvent, fetchTariffRevision } from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import { programAt, tariffView, utilityAt } from '../chain';
import {
  amount,
  appReadErrors,
  appSecurity,
  day,
  documented,
  nullable,
  fastifyResponses,
  limit,
  offsetCursor,
  paginated,
  pubkey,
  obj,
  int,
  wh,
} from '../components';
import { dayOf, dayRange, pageLimit, pageOf } from '../paging';
import type { AppQueries } from '../queries';

const str = { type: 'string' } as const;

const ENROLLMENT_STATUSES = ['requested', 'approved', 'rejected', 'revoked'] as const;
const DEVICE_STATUSES = ['active', 'suspended', 'revoked'] as const;

const program = obj({
  program: pubkey,
  utility: pubkey,
  programId: int,
  kind: str,
  name: str,
  open: { type: 'boolean' },
  enrolled: int,
  createdAt: int,
});
const home = obj({
  utility: pubkey,
  name: str,
  today: obj({ revenue: amount, exportPaid: amount, rewardsPaid: amount, readings: int }),
  escrow: obj({ balance: amount, owed: amount, withdrawPending: amount }),
  programs: { type: 'array', items: program },
  devicesByStatus: obj({ active: int, suspended: int, revoked: int }),
});
const enrollmentItem = obj({
  enrollment: pubkey,
  program: pubkey,
  device: pubkey,
  status: { type: 'string', enum: ENROLLMENT_STATUSES },
  owner: nullable(pubkey),
  updatedAt: int,
});
const revenueDay = obj({
  day,
  revenue: amount,
  exportCredit: amount,
  exportPaid: amount,
  rewardsPaid: amount,
  readings: int,
  importWh: wh,
  exportWh: wh,
});
const interval = obj({ startMinute: int, importPrice: amount, exportPrice: amount });
const tariffItem = obj({
  tariff: pubkey,
  tariffId: int,
  revision: int,
  effectiveFrom: int,
  intervalSecs: int,
  settlementWindowSecs: int,
  intervals: { type: 'array', items: interval },
  exportCap: obj({ maxCredit: amount, periodSecs: int }),
  revisions: { type: 'array', items: obj({ revision: int, effectiveFrom: int, publishedAt: int }) },
  escrow: obj({ balance: amount, owed: amount, withdrawPending: amount, withdrawReadyAt: int }),
});
const payout = obj({
  device: pubkey,
  owner: pubkey,
  flexWh: int,
  amount,
  signature: str,
  slot: int,
  blockTime: nullable(int),
});
const drEvent = obj({
  payouts: { type: 'array', items: payout },
  event: pubkey,
  eventId: int,
  start: int,
  end: int,
  rewardPerKwh: amount,
  budget: amount,
  paid: amount,
  participants: int,
  closed: { type: 'boolean' },
});
const deviceItem = obj({
  device: pubkey,
  kind: str,
  status: { type: 'string', enum: DEVICE_STATUSES },
  owner: nullable(pubkey),
});

const utilityParam = { name: 'utility', in: 'path', required: true, schema: pubkey };
const pageParams = [
  { name: 'limit', in: 'query', required: false, schema: limit },
  { name: 'cursor', in: 'query', required: false, schema: offsetCursor },
];
const errors = appReadErrors(['UnknownUtility']);
const r = (description: string, schema: object, notFound = errors) => ({ '200': { description, schema }, ...notFound });
const homeResponses = r('utility home: today, escrow, programs, devices by status', home);
const enrollmentsResponses = r('enrollments in its programs, newest first', paginated(enrollmentItem));
const revenueResponses = r('revenue per UTC day', obj({ days: { type: 'array', items: revenueDay } }));
const tariffsResponses = r(
  'tariffs: latest intervals, revisions, escrow',
  obj({ items: { type: 'array', items: tariffItem } }),
);
const drResponses = r(
  'DR events with participants, paid and budget',
  obj({ items: { type: 'array', items: drEvent } }),
);
const devicesResponses = r('devices enrolled in its programs', paginated(deviceItem));
const programResponses = r('a utility program', program, appReadErrors(['UnknownProgram']));

const get = (summary: string, parameters: object[], responses: object) => ({
  get: { summary, tags: ['app'], security: appSecurity, parameters, responses },
});
export const utilitiesPaths = {
  '/v1/utilities/{utility}': get('utility home', [utilityParam], documented(homeResponses)),
  '/v1/utilities/{utility}/enrollments': get(
    'the enrollment queue (filter by status)',
    [
      utilityParam,
      ...pageParams,
      { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ENROLLMENT_STATUSES } },
    ],
    documented(enrollmentsResponses),
  ),
  '/v1/utilities/{utility}/revenue': get(
    'revenue, export paid and rewards per UTC day (at most 366 days)',
    [
      utilityParam,
      { name: 'from', in: 'query', required: false, schema: day },
      { name: 'to', in: 'query', required: false, schema: day },
    ],
    documented(revenueResponses),
  ),
  '/v1/utilities/{utility}/tariffs': get('tariffs and their revisions', [utilityParam], documented(tariffsResponses)),
  '/v1/utilities/{utility}/dr-events': get('DR events and their payouts', [utilityParam], documented(drResponses)),
  '/v1/utilities/{utility}/devices': get(
    'devices enrolled in its programs (filter by status)',
    [
      utilityParam,
      ...pageParams,
      { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: DEVICE_STATUSES } },
    ],
    documented(devicesResponses),
  ),
  '/v1/programs/{program}': get(
    'a utility program',
    [{ name: 'program', in: 'path', required: true, schema: pubkey }],
    documented(programResponses),
  ),
};

export interface UtilitiesOptions {
  backend: Backend;
  queries: AppQueries;
}

const programView = (p: Awaited<ReturnType<typeof programAt>>) => ({
  program: p.address.toBase58(),
  utility: p.utility.toBase58(),
  programId: p.programId,
  kind: p.kind,
  name: p.name,
  open: p.open,
  enrolled: p.enrolled,
  createdAt: Number(p.createdAt),
});

const utilityParams = obj({ utility: pubkey });
const q = (properties: Record<string, object>) => obj(properties, []);

/** Enrollment status as the API spells it (`requested`), whatever case the index keeps. */
const statusOf = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export const utilities: FastifyPluginAsync<UtilitiesOptions> = async (app, { backend, queries }) => {
  const onRequest = app.requireViewer;
  /** Access check, then the partner (404 UnknownUtility). */
  const utilityFor = async (req: Parameters<typeof app.access.utility>[0], utility: string) => {
    await app.access.utility(req, utility);
    return utilityAt(backend, utility);
  };
  /** Devices enrolled (any status) in the utility's programs, as the chain has them now. */
  const devicesOf = async (utility: string) => {
    const seen = new Set<string>();
    const out = [];
    for (const c of await queries.utilityCustomers(utility)) {
      if (seen.has(c.device)) continue;
      seen.add(c.device);
      const dev = await fetchDevice(backend.reader, { address: new PublicKey(c.device) });
      if (dev) out.push(dev);
    }
    return out;
  };

  app.get<{ Params: { utility: string } }>(
    '/v1/utilities/:utility',
    { onRequest, schema: { params: utilityParams, response: fastifyResponses(homeResponses) } },
    async (req) => {
      const { utility } = req.params;
      const partner = await utilityFor(req, utility);
      const today = dayOf(await backend.now());
      const [row, devices] = await Promise.all([queries.utilityHome(utility, today), devicesOf(utility)]);
      let balance = 0n;
      let owed = 0n;
      let withdrawPending = 0n;
      const deviceKeys = devices.map((d) => d.address.toBase58());
      for (const t of row.tariffs) {
        const v = await tariffView(backend, t.tariff, deviceKeys);
        if (!v) continue;
        balance += v.balance;
        owed += v.owed;
        withdrawPending += v.tariff.withdrawAmount;
      }
      const programViews = [];
      for (const p of row.programs) programViews.push(programView(await programAt(backend, p.program)));
      const devicesByStatus = { active: 0, suspended: 0, revoked: 0 };
      for (const d of devices) devicesByStatus[d.status]++;
      return {
        utility,
        name: partner.name,
        today: row.today,
        escrow: { balance: balance.toString(), owed: owed.toString(), withdrawPending: withdrawPending.toString() },
        programs: programViews,
        devicesByStatus,
      };
    },
  );

  app.get<{ Params: { utility: string }; Querystring: { limit?: string; cursor?: string; status?: string } }>(
    '/v1/utilities/:utility/enrollments',
    {
      onRequest,
      schema: {
        params: utilityParams,
        querystring: q({ limit, cursor: offsetCursor, status: { type: 'string', enum: ENROLLMENT_STATUSES } }),
        response: fastifyResponses(enrollmentsResponses),
      },
    },
    async (req) => {
      const { utility } = req.params;
      await utilityFor(req, utility);
      const all = (await queries.utilityCustomers(utility))
        .map((c) => ({
          enrollment: c.enrollment,
          program: c.program,
          device: c.device,
          status: statusOf(c.status),
          owner: c.owner,
          updatedAt: c.updatedAt,
        }))
        .filter((c) => !req.query.status || c.status === req.query.status)
        .sort((x, y) => y.updatedAt - x.updatedAt);
      return pageOf(all, pageLimit(req.query.limit), req.query.cursor);
    },
  );

  app.get<{ Params: { utility: string }; Querystring: { from?: string; to?: string } }>(
    '/v1/utilities/:utility/revenue',
    {
      onRequest,
      schema: {
        params: utilityParams,
        querystring: q({ from: day, to: day }),
        response: fastifyResponses(revenueResponses),
      },
    },
    async (req) => {
      const { utility } = req.params;
      await utilityFor(req, utility);
      const { from, to } = dayRange(req.query, dayOf(await backend.now()));
      return queries.utilityRevenue(utility, from, to);
    },
  );

  app.get<{ Params: { utility: string } }>(
    '/v1/utilities/:utility/tariffs',
    { onRequest, schema: { params: utilityParams, response: fastifyResponses(tariffsResponses) } },
    async (req) => {
      const { utility } = req.params;
      await utilityFor(req, utility);
      const today = dayOf(await backend.now());
      const [row, devices] = await Promise.all([queries.utilityHome(utility, today), devicesOf(utility)]);
      const items = [];
      for (const r of row.tariffs) {
        const v = await tariffView(
          backend,
          r.tariff,
          devices.map((d) => d.address.toBase58()),
        );
        if (!v) continue;
        const t = v.tariff;
        const revisions = [];
        /** The export credit cap of the newest revision (what a new revision starts from). */
        let exportCap = { maxCredit: '0', periodSecs: 0 };
        for (let n = 1; n <= t.revision; n++) {
          const rev = await fetchTariffRevision(backend.reader, { tariff: t.address, revision: n });
          if (!rev) continue;
          revisions.push({
            revision: n,
            effectiveFrom: Number(rev.effectiveFrom),
            publishedAt: Number(rev.publishedAt),
          });
          exportCap = { maxCredit: rev.exportCap.maxCredit.toString(), periodSecs: rev.exportCap.periodSecs };
        }
        items.push({
          tariff: r.tariff,
          tariffId: t.tariffId,
          revision: t.revision,
          effectiveFrom: Number(t.effectiveFrom),
          intervalSecs: t.intervalSecs,
          settlementWindowSecs: t.settlementWindowSecs,
          intervals: t.intervals.map((i) => ({
            startMinute: i.startMinute,
            importPrice: i.importPrice.toString(),
            exportPrice: i.exportPrice.toString(),
          })),
          exportCap,
          revisions,
          escrow: {
            balance: v.balance.toString(),
            owed: v.owed.toString(),
            withdrawPending: t.withdrawAmount.toString(),
            withdrawReadyAt: Number(t.withdrawReadyAt),
          },
        });
      }
      return { items };
    },
  );

  app.get<{ Params: { utility: string } }>(
    '/v1/utilities/:utility/dr-events',
    { onRequest, schema: { params: utilityParams, response: fastifyResponses(drResponses) } },
    async (req) => {
      const { utility } = req.params;
      await utilityFor(req, utility);
      const items = [];
      for (const row of await queries.drEvents(utility)) {
        // The account is current (paid, participants); it is gone once closed: keep the indexer's.
        const e = await fetchDrEvent(backend.reader, { address: new PublicKey(row.event) });
        const base = {
          event: row.event,
          eventId: row.eventId,
          start: row.start,
          end: row.end,
          rewardPerKwh: row.rewardPerKwh,
          budget: row.budget,
          paid: row.paid,
          participants: row.participants,
          closed: row.closed,
          payouts: row.payouts,
        };
        items.push(e ? { ...base, paid: e.paid.toString(), participants: e.participants, closed: e.closed } : base);
      }
      return { items };
    },
  );

  app.get<{ Params: { utility: string }; Querystring: { limit?: string; cursor?: string; status?: string } }>(
    '/v1/utilities/:utility/devices',
    {
      onRequest,
      schema: {
        params: utilityParams,
        querystring: q({ limit, cursor: offsetCursor, status: { type: 'string', enum: DEVICE_STATUSES } }),
        response: fastifyResponses(devicesResponses),
      },
    },
    async (req) => {
      const { utility } = req.params;
      await utilityFor(req, utility);
      const all = (await devicesOf(utility))
        .filter((d) => !req.query.status || d.status === req.query.status)
        .map((d) => ({
          device: d.address.toBase58(),
          kind: d.deviceType,
          status: d.status,
          owner: d.owner.equals(PublicKey.default) ? null : d.owner.toBase58(),
        }));
      return pageOf(all, pageLimit(req.query.limit), req.query.cursor);
    },
  );

  app.get<{ Params: { program: string } }>(
    '/v1/programs/:program',
    { onRequest, schema: { params: obj({ program: pubkey }), response: fastifyResponses(programResponses) } },
    async (req) => programView(await programAt(backend, req.params.program)),
  );
};
