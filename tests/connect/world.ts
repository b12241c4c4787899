// The connect tests' world (@openvpp/testing) and their assertion on refused connections.
import { expect } from 'chai';

import { ConnectError } from '../../sdk/src/connect';

export { type ConnectWorld, connectWorld, publishRoute } from '@openvpp/testing';

/** Awaits `p` and asserts it fails with a `ConnectError` of `reason`; returns the error. */
export async function refused(p: Promise<unknown>, reason: string): Promise<ConnectError> {
  try {
    await p;
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(ConnectError);
    expect((e as ConnectError).reason, (e as Error).message).to.equal(reason);
    return e as ConnectError;
  }
  throw new Error(`expected ConnectError ${reason}, but it connected`);
}
