// What the write routes share: their route options and OpenAPI operation (a JSON body, the API
// key, the transaction signature or an error), the service key that signs, and sending with
// program refusals mapped to named HTTP errors.
import type { Keypair } from '@solana/web3.js';
import type { FastifyInstance } from 'fastify';

import { SendFailedError, type Backend } from '../backend';
import { apiKeySecurity, documented, fastifyResponses, jsonBody, writeResponses } from '../components';
import { HttpError, refusal } from '../errors';

const response = fastifyResponses(writeResponses);

/** Fastify options of a write route: `body` validated, the write responses, behind the API key. */
export const writeRoute = (app: FastifyInstance, body: object) => ({
  schema: { body, response },
  onRequest: app.requireApiKey,
});

/** The OpenAPI operation of a write route. */
export const writeOperation = (summary: string, body: object) => ({
  summary,
  security: apiKeySecurity,
  requestBody: jsonBody(body),
  responses: documented(writeResponses),
});

/** The service key for `role`, or 503 NotConfigured when the service was started without it. */
export const signer = (key: Keypair | undefined, role: string) => {
  if (!key) {
    throw new HttpError(503, 'NotConfigured', `this service has no ${role} key: start it with --${role}-keypair`);
  }
  return key;
};

/** Sends a transaction; a refused one becomes its `refusal` (422, or 404 for a missing account). */
export const send = async (backend: Backend, ixs: Parameters<Backend['send']>[0], signers: Keypair[]) => {
  try {
    return await backend.send(ixs, signers);
  } catch (e) {
    if (e instanceof SendFailedError) throw refusal(e);
    throw e;
  }
};
