// Bills: GET /v1/owners/{owner}/bills (per month), /bills/{period} (the statement: every
// settled interval with its band, energy, price and amount, export credits and payouts, DR
// rewards, fees, each with its transaction signature), /bills/{period}/csv and /pdf.
import type { FastifyPluginAsync } from 'fastify';

import { statementCsv, statementPdf } from '../bills';
import {
  amount,
  appReadErrors,
  appSecurity,
  documented,
  nullable,
  fastifyResponses,
  period,
  pubkey,
  wh,
  obj,
} from '../components';
import { periodBounds } from '../paging';
import type { AppQueries } from '../queries';

const billSummary = obj({
  period,
  billed: amount,
  exportCredit: amount,
  exportPaid: amount,
  rewards: amount,
  net: amount,
});
const line = obj(
  {
    kind: { type: 'string', enum: ['import', 'export_credit', 'export_paid', 'dr_reward', 'fee'] },
    device: nullable(pubkey),
    signature: { type: 'string' },
    slot: { type: 'integer' },
    blockTime: nullable({ type: 'integer' }),
    intervalStart: nullable({ type: 'integer' }),
    bandStartMinute: nullable({ type: 'integer' }),
    importWh: nullable(wh),
    exportWh: nullable(wh),
    price: nullable(amount),
    amount,
  },
  ['kind', 'device', 'signature', 'slot', 'blockTime', 'amount'],
);
export const statement = obj({
  owner: pubkey,
  period,
  from: { type: 'integer', minimum: 0 },
  to: { type: 'integer', minimum: 0 },
  lines: { type: 'array', items: line },
  totals: obj({ billed: amount, exportCredit: amount, exportPaid: amount, rewards: amount, fees: amount, net: amount }),
  exportOwedAtEnd: amount,
});

const errors = appReadErrors();
const listResponses = {
  '200': {
    description: 'bills per month, newest first',
    schema: obj({ items: { type: 'array', items: billSummary } }),
  },
  ...errors,
};
const statementResponses = { '200': { description: 'the statement', schema: statement }, ...errors };
const ownerParam = { name: 'owner', in: 'path', required: true, schema: pubkey };
const periodParam = { name: 'period', in: 'path', required: true, schema: period };
const fileDoc = (type: string, description: string) => ({
  '200': {
    description,
    content: { [type]: { schema: { type: 'string', ...(type === 'application/pdf' && { format: 'binary' }) } } },
  },
  ...Object.fromEntries(
    Object.entries(errors).map(([status, { description: d, schema }]) => [
      status,
      { description: d, content: { 'application/json': { schema } } },
    ]),
  ),
});

const get = (summary: string, parameters: object[], responses: object) => ({
  get: { summary, tags: ['app'], security: appSecurity, parameters, responses },
});
export const billsPaths = {
  '/v1/owners/{owner}/bills': get('bills per month', [ownerParam], documented(listResponses)),
  '/v1/owners/{owner}/bills/{period}': get(
    "one month's statement, each line with its transaction signature",
    [ownerParam, periodParam],
    documented(statementResponses),
  ),
  '/v1/owners/{owner}/bills/{period}/csv': get(
    'the statement as CSV',
    [ownerParam, periodParam],
    fileDoc('text/csv', 'the statement, RFC 4180 CSV'),
  ),
  '/v1/owners/{owner}/bills/{period}/pdf': get(
    'the statement as PDF',
    [ownerParam, periodParam],
    fileDoc('application/pdf', 'the statement, PDF'),
  ),
};

export interface BillsOptions {
  queries: AppQueries;
}

type P = { owner: string; period: string };
const periodParams = obj({ owner: pubkey, period });
/** Error schemas only: the 200 of the downloads is not JSON. */
const errorsOnly = Object.fromEntries(Object.entries(fastifyResponses(errors)));

export const bills: FastifyPluginAsync<BillsOptions> = async (app, { queries }) => {
  const onRequest = app.requireViewer;
  const statementOf = async (req: Parameters<typeof app.access.owner>[0], { owner, period: p }: P) => {
    periodBounds(p);
    await app.access.owner(req, owner);
    return queries.statement(owner, p);
  };

  app.get<{ Params: { owner: string } }>(
    '/v1/owners/:owner/bills',
    { onRequest, schema: { params: obj({ owner: pubkey }), response: fastifyResponses(listResponses) } },
    async (req) => {
      await app.access.owner(req, req.params.owner);
      return queries.bills(req.params.owner);
    },
  );

  app.get<{ Params: P }>(
    '/v1/owners/:owner/bills/:period',
    { onRequest, schema: { params: periodParams, response: fastifyResponses(statementResponses) } },
    async (req) => statementOf(req, req.params),
  );

  app.get<{ Params: P }>(
    '/v1/owners/:owner/bills/:period/csv',
    { onRequest, schema: { params: periodParams, response: errorsOnly } },
    async (req, reply) => {
      const s = await statementOf(req, req.params);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="openvpp-${s.period}-${s.owner}.csv"`)
        .send(statementCsv(s));
    },
  );

  app.get<{ Params: P }>(
    '/v1/owners/:owner/bills/:period/pdf',
    { onRequest, schema: { params: periodParams, response: errorsOnly } },
    async (req, reply) => {
      const s = await statementOf(req, req.params);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="openvpp-${s.period}-${s.owner}.pdf"`)
        .send(await statementPdf(s));
    },
  );
};
