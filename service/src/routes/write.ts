// What the write routes share: the service key that signs, and sending with program refusals
// mapped to named HTTP errors.
import type { Keypair } from '@solana/web3.js';

import { SendFailedError, type Backend } from '../backend';
import { HttpError, refusal } from '../errors';

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
