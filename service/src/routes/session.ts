// Wallet sign-in: GET /v1/auth/challenge?address= (the text to sign, single-use nonce, expiry)
// and POST /v1/auth/session { address, message, signature } (the session token). The role is
// `utility` when the address is the authority of an active utility partner in the registry.
import { PublicKey } from '@solana/web3.js';
import type { FastifyPluginAsync } from 'fastify';

import { fetchPartner } from '@openvpp/sdk/web3';

import type { Backend } from '../backend';
import { common, documented, errorResponse, fastifyResponses, jsonBody, pubkey, unixSeconds } from '../components';
import type { Role, Sessions } from '../sessions';

const challenge = {
  type: 'object',
  properties: {
    message: { type: 'string', description: 'SIWS-style text to sign (domain, address, nonce, issued, expiry)' },
    expiresAt: unixSeconds,
  },
  required: ['message', 'expiresAt'],
  additionalProperties: false,
} as const;

const session = {
  type: 'object',
  properties: {
    token: { type: 'string', description: 'session token: send as `Authorization: Bearer <token>`' },
    address: pubkey,
    role: { type: 'string', enum: ['owner', 'utility'] },
    utilities: { type: 'array', items: pubkey, description: 'partner accounts whose authority is address' },
    expiresAt: unixSeconds,
  },
  required: ['token', 'address', 'role', 'utilities', 'expiresAt'],
  additionalProperties: false,
} as const;

const sessionBody = {
  type: 'object',
  properties: {
    address: pubkey,
    message: { type: 'string', minLength: 1, maxLength: 2000 },
    signature: {
      type: 'string',
      pattern: '^[A-Za-z0-9+/]{86}==$',
      description: 'base64 of the 64-byte ed25519 signature over the message bytes (solana:signMessage)',
    },
  },
  required: ['address', 'message', 'signature'],
  additionalProperties: false,
} as const;

const badInput = errorResponse('invalid input (names the field and why)', [
  'InvalidInput',
  'InvalidPublicKey',
  'InvalidJson',
  'EmptyBody',
]);
const challengeResponses = {
  '200': { description: 'the challenge to sign', schema: challenge },
  '400': badInput,
  ...common,
};
const sessionResponses = {
  '200': { description: 'a session', schema: session },
  '400': badInput,
  '401': errorResponse('the challenge or its signature is not valid', [
    'ChallengeUnknown',
    'ChallengeExpired',
    'ChallengeMismatch',
    'InvalidSignature',
  ]),
  '413': errorResponse('request body too large', ['PayloadTooLarge']),
  '415': errorResponse('the body must be application/json', ['UnsupportedMediaType']),
  ...common,
};

const challengeQuery = {
  type: 'object',
  properties: { address: pubkey },
  required: ['address'],
  additionalProperties: false,
} as const;

export const sessionPaths = {
  '/v1/auth/challenge': {
    get: {
      summary: 'a sign-in challenge for a wallet address (single use, expires)',
      tags: ['app'],
      parameters: [{ name: 'address', in: 'query', required: true, schema: pubkey }],
      responses: documented(challengeResponses),
    },
  },
  '/v1/auth/session': {
    post: {
      summary: 'exchange a signed challenge for a session token',
      tags: ['app'],
      requestBody: jsonBody(sessionBody),
      responses: documented(sessionResponses),
    },
  },
};

export interface SessionRoutesOptions {
  backend: Backend;
  sessions: Sessions;
}

/** The role of `address`: `utility` with its partner when it is an active utility's authority. */
export async function roleOf(backend: Backend, address: string): Promise<{ role: Role; utilities: string[] }> {
  const partner = await fetchPartner(backend.reader, { authority: new PublicKey(address) });
  if (partner && partner.kind === 'utility' && partner.status === 'active') {
    return { role: 'utility', utilities: [partner.address.toBase58()] };
  }
  return { role: 'owner', utilities: [] };
}

export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = async (app, { backend, sessions }) => {
  app.get<{ Querystring: { address: string } }>(
    '/v1/auth/challenge',
    { schema: { querystring: challengeQuery, response: fastifyResponses(challengeResponses) } },
    async (req) => sessions.challenge(req.query.address, req.host),
  );

  app.post<{ Body: { address: string; message: string; signature: string } }>(
    '/v1/auth/session',
    { schema: { body: sessionBody, response: fastifyResponses(sessionResponses) } },
    async (req) => {
      const { address, message, signature } = req.body;
      sessions.consume(address, message, signature);
      const { role, utilities } = await roleOf(backend, address);
      const { token, claims } = sessions.issue(address, role, utilities);
      return { token, address, role, utilities, expiresAt: claims.exp };
    },
  );
};
