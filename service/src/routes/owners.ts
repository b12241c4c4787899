// The owner's views: GET /v1/owners/{owner} (home), /devices, /energy, /history, and
// GET /v1/devices/{device}/history. Current state (balances, devices, meters, enrollments,
// routes, attestations, mandates) from the chain; today's totals, energy and history from the
// indexer. Owners read their own; a utility its customers'; the operator everything.
import type { FastifyPluginAsync } from 'fastify';

import type { Backend } from '../backend';
import { balances, deviceAt, deviceView, holderOf } from '../chain';
import {
  amount,
  appReadErrors,
  appSecurity,
  cursor,
  day,
  documented,
  nullable,
  fastifyResponses,
  limit,
  offsetCursor,
  paginated,
  pubkey,
  unixSeconds,
  wh,
  obj,
} from '../components';
import { dayOf, dayRange, pageLimit, pageOf } from '../paging';
import type { AppQueries } from '../queries';

const dayTotals = obj({
  importWh: wh,
  exportWh: wh,
  billed: amount,
  exportCredit: amount,
  exportPaid: amount,
  rewards: amount,
});
const home = obj({
  owner: pubkey,
  day,
  today: dayTotals,
  exportOwed: amount,
  balances: obj({ usde: amount, kwh: amount, co2: amount }),
  devices: { type: 'integer', minimum: 0 },
});
const attestation = obj({
  status: { type: 'string', enum: ['valid', 'expired', 'revoked', 'none'] },
  expiresAt: nullable(unixSeconds),
});
const route = obj(
  {
    protocol: { type: 'string' },
    endpoint: { type: 'string' },
    version: { type: 'integer' },
    expiresAt: { type: 'integer' },
    attestation,
  },
  ['protocol', 'endpoint', 'version', 'expiresAt'],
);
const enrollment = obj(
  {
    enrollment: pubkey,
    program: pubkey,
    programName: { type: 'string' },
    utility: { type: 'string' },
    status: { type: 'string', enum: ['requested', 'approved', 'rejected', 'revoked'] },
    route,
  },
  ['enrollment', 'program', 'programName', 'utility', 'status'],
);
const mandate = obj({
  mandate: pubkey,
  utility: pubkey,
  maxPerPeriod: amount,
  periodSecs: { type: 'integer' },
  maxTotal: amount,
  spentTotal: amount,
  revoked: { type: 'boolean' },
});
const meter = obj({
  totalImportWh: wh,
  totalExportWh: wh,
  totalPaid: amount,
  totalExportCredit: amount,
  totalExportPaid: amount,
});
export const deviceItem = obj(
  {
    device: pubkey,
    kind: { type: 'string' },
    status: { type: 'string', enum: ['active', 'suspended', 'revoked'] },
    lfdi: { type: 'string' },
    name: { type: 'string' },
    meter,
    enrollments: { type: 'array', items: enrollment },
    mandates: { type: 'array', items: mandate },
  },
  ['device', 'kind', 'status', 'lfdi', 'enrollments', 'mandates'],
);
const band = obj({
  bandStartMinute: { type: 'integer' },
  importWh: wh,
  exportWh: wh,
  billed: amount,
  exportCredit: amount,
});
const energy = obj({ days: { type: 'array', items: obj({ day, bands: { type: 'array', items: band } }) } });
export const historyItem = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    signature: { type: 'string' },
    slot: { type: 'integer' },
    blockTime: nullable({ type: 'integer' }),
    device: nullable(pubkey),
    amount: nullable(amount),
    importWh: nullable(wh),
    exportWh: nullable(wh),
  },
  required: ['kind', 'signature', 'slot', 'blockTime'],
  additionalProperties: true,
} as const;

const ownerParam = { name: 'owner', in: 'path', required: true, schema: pubkey };
const deviceParam = { name: 'device', in: 'path', required: true, schema: pubkey };
const pageParams = [
  { name: 'limit', in: 'query', required: false, schema: limit },
  { name: 'cursor', in: 'query', required: false, schema: cursor },
];
const params = (properties: Record<string, object>) => obj(properties);
const query = (properties: Record<string, object>) => obj(properties, []);

const homeResponses = { '200': { description: "the owner's home", schema: home }, ...appReadErrors() };
const devicesResponses = {
  '200': { description: 'devices the owner holds now', schema: paginated(deviceItem) },
  ...appReadErrors(),
};
const energyResponses = {
  '200': { description: 'energy per day and time-of-use band', schema: energy },
  ...appReadErrors(),
};
const historyResponses = {
  '200': { description: 'history, newest first', schema: paginated(historyItem) },
  ...appReadErrors(['UnknownDevice']),
};

export const ownersPaths = {
  '/v1/owners/{owner}': {
    get: {
      summary: "owner home: today's import/export and money, export owed, balances, device count",
      tags: ['app'],
      security: appSecurity,
      parameters: [ownerParam],
      responses: documented(homeResponses),
    },
  },
  '/v1/owners/{owner}/devices': {
    get: {
      summary: 'devices the owner holds: status, meter, enrollments with route and attestation, mandates',
      tags: ['app'],
      security: appSecurity,
      parameters: [
        ownerParam,
        { name: 'limit', in: 'query', required: false, schema: limit },
        { name: 'cursor', in: 'query', required: false, schema: offsetCursor },
      ],
      responses: documented(devicesResponses),
    },
  },
  '/v1/owners/{owner}/energy': {
    get: {
      summary: 'energy and money per UTC day and time-of-use band (at most 366 days)',
      tags: ['app'],
      security: appSecurity,
      parameters: [
        ownerParam,
        { name: 'from', in: 'query', required: false, schema: day },
        { name: 'to', in: 'query', required: false, schema: day },
      ],
      responses: documented(energyResponses),
    },
  },
  '/v1/owners/{owner}/history': {
    get: {
      summary: "the owner's history (readings, rewards, wraps, trades, mandates, transfers), newest first",
      tags: ['app'],
      security: appSecurity,
      parameters: [ownerParam, ...pageParams, { name: 'device', in: 'query', required: false, schema: pubkey }],
      responses: documented(historyResponses),
    },
  },
  '/v1/devices/{device}/history': {
    get: {
      summary: "one device's history, newest first",
      tags: ['app'],
      security: appSecurity,
      parameters: [deviceParam, ...pageParams],
      responses: documented(historyResponses),
    },
  },
};

export interface OwnersOptions {
  backend: Backend;
  queries: AppQueries;
}

type PageQuery = { limit?: string; cursor?: string };

export const owners: FastifyPluginAsync<OwnersOptions> = async (app, { backend, queries }) => {
  const onRequest = app.requireViewer;
  const today = async () => dayOf(await backend.now());

  app.get<{ Params: { owner: string } }>(
    '/v1/owners/:owner',
    { onRequest, schema: { params: params({ owner: pubkey }), response: fastifyResponses(homeResponses) } },
    async (req) => {
      const { owner } = req.params;
      await app.access.owner(req, owner);
      const d = await today();
      // Balances from the chain (current); the device count from the home row (not the full
      // device views, which cost several queries per device).
      const [row, bal] = await Promise.all([queries.ownerHome(owner, d), balances(backend, owner)]);
      return { owner, day: d, today: row.today, exportOwed: row.exportOwed, balances: bal, devices: row.devices };
    },
  );

  app.get<{ Params: { owner: string }; Querystring: PageQuery }>(
    '/v1/owners/:owner/devices',
    {
      onRequest,
      schema: {
        params: params({ owner: pubkey }),
        querystring: query({ limit, cursor: offsetCursor }),
        response: fastifyResponses(devicesResponses),
      },
    },
    async (req) => {
      const { owner } = req.params;
      await app.access.owner(req, owner);
      const rows = await queries.ownerDevices(owner);
      const page = pageOf(rows, pageLimit(req.query.limit), req.query.cursor);
      const items = [];
      for (const row of page.items) {
        const d = await deviceAt(backend, row.device).catch(() => null);
        // The indexer may be a slot behind a transfer: list only what the chain says is held.
        if (!d || holderOf(d) !== owner) continue;
        items.push(await deviceView(backend, d, owner, row.enrollments, row.name));
      }
      return { items, next: page.next };
    },
  );

  app.get<{ Params: { owner: string }; Querystring: { from?: string; to?: string } }>(
    '/v1/owners/:owner/energy',
    {
      onRequest,
      schema: {
        params: params({ owner: pubkey }),
        querystring: query({ from: day, to: day }),
        response: fastifyResponses(energyResponses),
      },
    },
    async (req) => {
      const { owner } = req.params;
      await app.access.owner(req, owner);
      const { from, to } = dayRange(req.query, await today());
      return queries.ownerEnergy(owner, from, to);
    },
  );

  app.get<{ Params: { owner: string }; Querystring: PageQuery & { device?: string } }>(
    '/v1/owners/:owner/history',
    {
      onRequest,
      schema: {
        params: params({ owner: pubkey }),
        querystring: query({ limit, cursor, device: pubkey }),
        response: fastifyResponses(historyResponses),
      },
    },
    async (req) => {
      const { owner } = req.params;
      await app.access.owner(req, owner);
      const { device } = req.query;
      return queries.history(
        { owner, ...(device && { device }) },
        { limit: pageLimit(req.query.limit), cursor: req.query.cursor },
      );
    },
  );

  app.get<{ Params: { device: string }; Querystring: PageQuery }>(
    '/v1/devices/:device/history',
    {
      onRequest,
      schema: {
        params: params({ device: pubkey }),
        querystring: query({ limit, cursor }),
        response: fastifyResponses(historyResponses),
      },
    },
    async (req) => {
      const { device } = req.params;
      const d = await deviceAt(backend, device);
      await app.access.device(req, device, holderOf(d));
      return queries.history({ device }, { limit: pageLimit(req.query.limit), cursor: req.query.cursor });
    },
  );
};
