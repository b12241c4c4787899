// What the app needs to know about the cluster before it builds a transaction: GET /v1/network
// (the USDC and USDE mints and token programs from the payments config, the four OpenVPP program
// ids, the cluster clock — the app's "today" is the chain's day, not the browser's) and
// GET /v1/programs (the utility programs an owner may enroll in, by name, from the index).
import { TOKEN_2022_PROGRAM_ID } from '@solana/spl-token';
import type { FastifyPluginAsync } from 'fastify';

import {
  HOOK_PROGRAM_ID,
  PAYMENTS_PROGRAM_ID,
  REGISTRY_PROGRAM_ID,
  ROUTING_PROGRAM_ID,
  fetchPaymentsConfig,
  findUsdeMintPda,
} from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import {
  appReadErrors,
  appSecurity,
  day,
  documented,
  fastifyResponses,
  limit,
  nullable,
  offsetCursor,
  paginated,
  pubkey,
  obj,
  int,
} from '../components';
import { dayOf, pageLimit, pageOf } from '../paging';
import type { AppQueries } from '../queries';

const network = obj({
  usdcMint: { ...nullable(pubkey), description: 'null: payments are not initialized on this cluster' },
  usdcTokenProgram: nullable(pubkey),
  usdeMint: pubkey,
  usdeTokenProgram: pubkey,
  programs: obj({ registry: pubkey, routing: pubkey, payments: pubkey, hook: pubkey }),
  clock: obj({
    unixTimestamp: { ...int, description: "the cluster's unix time (seconds)" },
    day: { ...day, description: "the cluster clock's UTC day: what the app calls today" },
  }),
});
const programItem = obj({
  program: pubkey,
  utility: pubkey,
  utilityName: nullable({ type: 'string' }),
  programId: int,
  kind: { type: 'string' },
  name: { type: 'string' },
  open: { type: 'boolean' },
});

/** An app read's errors, less 403 and 404 (nothing here is anyone's own, nothing is looked up by key). */
const { '403': _notYours, '404': _notFound, ...listErrors } = appReadErrors();
const networkResponses = {
  '200': { description: 'mints, program ids and the cluster clock', schema: network },
  ...listErrors,
};
const programsResponses = {
  '200': { description: 'utility programs by utility and name', schema: paginated(programItem) },
  ...listErrors,
};

export const networkPaths = {
  '/v1/network': {
    get: {
      summary: 'the cluster: USDC / USDE mints and token programs, OpenVPP program ids, the clock',
      tags: ['app'],
      security: appSecurity,
      responses: documented(networkResponses),
    },
  },
  '/v1/programs': {
    get: {
      summary: 'utility programs (open ones by default) an owner may enroll in, by utility and name',
      tags: ['app'],
      security: appSecurity,
      parameters: [
        { name: 'limit', in: 'query', required: false, schema: limit },
        { name: 'cursor', in: 'query', required: false, schema: offsetCursor },
        {
          name: 'all',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['true', 'false'], description: 'true: closed programs too' },
        },
      ],
      responses: documented(programsResponses),
    },
  },
};

export interface NetworkOptions {
  backend: Backend;
  queries: AppQueries;
}

export const networkRoutes: FastifyPluginAsync<NetworkOptions> = async (app, { backend, queries }) => {
  const onRequest = app.requireViewer;

  app.get('/v1/network', { onRequest, schema: { response: fastifyResponses(networkResponses) } }, async () => {
    const [config, now] = await Promise.all([fetchPaymentsConfig(backend.reader), backend.now()]);
    const unixTimestamp = Number(now);
    return {
      // Without a payments config (a cluster with the registry and routing only) there is no USDC.
      usdcMint: config?.usdcMint.toBase58() ?? null,
      usdcTokenProgram: config?.usdcTokenProgram.toBase58() ?? null,
      usdeMint: (config?.usdeMint ?? findUsdeMintPda()[0]).toBase58(),
      usdeTokenProgram: TOKEN_2022_PROGRAM_ID.toBase58(),
      programs: {
        registry: REGISTRY_PROGRAM_ID.toBase58(),
        routing: ROUTING_PROGRAM_ID.toBase58(),
        payments: PAYMENTS_PROGRAM_ID.toBase58(),
        hook: HOOK_PROGRAM_ID.toBase58(),
      },
      clock: { unixTimestamp, day: dayOf(unixTimestamp) },
    };
  });

  app.get<{ Querystring: { limit?: string; cursor?: string; all?: 'true' | 'false' } }>(
    '/v1/programs',
    {
      onRequest,
      schema: {
        querystring: obj(
          {
            limit,
            cursor: offsetCursor,
            all: { type: 'string', enum: ['true', 'false'] },
          },
          [],
        ),
        response: fastifyResponses(programsResponses),
      },
    },
    async (req) => {
      const rows = await queries.programs(req.query.all === 'true' ? {} : { open: true });
      // Kinds as the program view spells them (`tariff`), whatever case the index keeps.
      const items = rows.map((p) => ({ ...p, kind: p.kind.charAt(0).toLowerCase() + p.kind.slice(1) }));
      return pageOf(items, pageLimit(req.query.limit), req.query.cursor);
    },
  );
};
