// The fee-payer relayer: GET /v1/relay (fee payer, a recent blockhash, the limits and the owner
// actions it pays for) and POST /v1/relay { transaction } (base64 wire transaction) -> { signature }.
// A session is required: the relayer pays only for the signed-in owner's own actions.
import type { FastifyPluginAsync } from 'fastify';

import { SendFailedError, type Backend } from '../backend';
import {
  appSecurity,
  common,
  documented,
  errorResponse,
  fastifyResponses,
  jsonBody,
  pubkey,
  obj,
  int,
} from '../components';
import { HttpError, refusal } from '../errors';
import { fetchPaymentsConfig } from '@openvpp/sdk/web3';

import { RelayRateLimitedError, Relayer, rentExempt } from '../relayer';

const info = obj({
  feePayer: pubkey,
  blockhash: { type: 'string' },
  lastValidBlockHeight: int,
  limits: obj({
    perOwnerPerMinute: int,
    globalPerMinute: int,
    spendCapLamports: int,
    spendWindowSecs: int,
    maxComputeUnitPrice: int,
    spentLamports: int,
    rentPerOwnerPerDay: int,
    rentSpentLamports: { ...int, description: "rent deposits the relayer paid for the session's owner today" },
  }),
  actions: {
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'owner actions the relayer pays for, by program id',
  },
});
const body = obj({
  transaction: {
    type: 'string',
    minLength: 4,
    maxLength: 1700,
    pattern: '^[A-Za-z0-9+/]+={0,2}$',
    description: 'base64 wire transaction (legacy or v0), signed by the owner',
  },
});
const auth = errorResponse('no, malformed or expired session token', [
  'Unauthorized',
  'InvalidToken',
  'SessionExpired',
]);
const infoResponses = {
  '200': { description: 'relayer parameters', schema: info },
  '400': errorResponse('the URL is malformed', ['InvalidInput']),
  '401': auth,
  ...common,
};
const postResponses = {
  '200': { description: 'sent', schema: obj({ signature: { type: 'string' } }) },
  '400': errorResponse('not a transaction the relayer accepts (says why)', [
    'InvalidInput',
    'InvalidJson',
    'EmptyBody',
    'InvalidTransaction',
    'RelayNotOwnerAction',
    'RelayMissingSignature',
  ]),
  '401': auth,
  '403': errorResponse("another owner's transaction, or no owner session", [
    'RelaySignerMismatch',
    'RelaySessionRequired',
  ]),
  '404': errorResponse('an account named in the transaction does not exist', ['AccountNotFound']),
  '413': errorResponse('request body too large', ['PayloadTooLarge']),
  '415': errorResponse('the body must be application/json', ['UnsupportedMediaType']),
  '422': errorResponse('refused by the cluster or a program: its error name, code and message'),
  '429': errorResponse('over a rate limit or the spend cap', ['RelayRateLimited', 'RelaySpendCapReached']),
  ...common,
};

export const relayPaths = {
  '/v1/relay': {
    get: {
      summary: 'the relayer: fee payer, recent blockhash, limits, accepted owner actions',
      tags: ['app'],
      security: appSecurity,
      responses: documented(infoResponses),
    },
    post: {
      summary: "relay an owner's transaction: the service pays its fee (owner actions of OpenVPP only, limited)",
      tags: ['app'],
      security: appSecurity,
      requestBody: jsonBody(body),
      responses: documented(postResponses),
    },
  },
};

export interface RelayOptions {
  backend: Backend;
  relayer: Relayer;
}

export const relay: FastifyPluginAsync<RelayOptions> = async (app, { backend, relayer }) => {
  const onRequest = app.requireViewer;
  /** Whether the relayer knows the USDC mint (owners may create their own USDC account). */
  let usdcKnown = false;

  app.get('/v1/relay', { onRequest, schema: { response: fastifyResponses(infoResponses) } }, async (req) => {
    const { blockhash, lastValidBlockHeight } = await backend.latestBlockhash();
    return {
      feePayer: relayer.feePayer.publicKey.toBase58(),
      blockhash,
      lastValidBlockHeight,
      limits: {
        ...relayer.limits,
        spentLamports: relayer.spentInWindow(),
        rentSpentLamports: relayer.rentSpent(app.access.address(req) ?? ''),
      },
      actions: Relayer.allowlist(),
    };
  });

  app.post<{ Body: { transaction: string } }>(
    '/v1/relay',
    { onRequest, schema: { body, response: fastifyResponses(postResponses) } },
    async (req, reply) => {
      const owner = app.access.address(req);
      if (owner === null) {
        throw new HttpError(
          403,
          'RelaySessionRequired',
          'the relayer pays for signed-in owners only: use a session token',
        );
      }
      if (!usdcKnown) {
        const config = await fetchPaymentsConfig(backend.reader).catch(() => null);
        if (config) relayer.setUsdc({ mint: config.usdcMint, tokenProgram: config.usdcTokenProgram });
        usdcKnown = !!config;
      }
      const checked = relayer.check(req.body.transaction, owner);
      // Rent deposits: only for accounts that do not exist yet (an idempotent creation of an
      // existing token account costs nothing), reserved now and settled once they exist.
      const before = checked.rent.length ? await backend.accounts(checked.rent.map((r) => r.account)) : [];
      const toCreate = checked.rent.filter((_, i) => before[i].account === null);
      const reserved = toCreate.reduce((n, r) => n + r.bound, 0);
      try {
        relayer.admit(owner, checked.fee, reserved);
      } catch (e) {
        if (e instanceof RelayRateLimitedError) void reply.header('retry-after', String(e.retryAfter));
        throw e;
      }
      if (checked.sponsored) checked.tx.sign([relayer.feePayer]);
      let sent;
      try {
        sent = await backend.sendTransaction(checked.tx);
      } catch (e) {
        relayer.settleRent(owner, reserved, 0);
        if (e instanceof SendFailedError) throw refusal(e);
        throw e;
      }
      if (reserved > 0) {
        backend.invalidate();
        const after = await backend.accounts(toCreate.map((r) => r.account)).catch(() => null);
        const actual = after
          ? after.reduce((n, a) => n + (a.account ? rentExempt(a.account.data.length) : 0), 0)
          : reserved;
        relayer.settleRent(owner, reserved, actual);
      }
      return { signature: sent.signature };
    },
  );
};
