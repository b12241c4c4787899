// Development-only JSON-RPC methods ("cheatcodes", as surfpool's `surfnet_*`) that let a client
// drive the localnet like the embedded runtime: set the clock's time, write a Switchboard feed,
// read the clock the next transaction executes with. Each write goes through the node's
// recorded runtime methods, so the ledger keeps it. Refused (-32601) when the node is started
// with `cheatcodes: false`.
import { PublicKey } from '@solana/web3.js';

import type { LocalnetNode } from './node';
import { invalidParams } from './rpc-error';

type Handler = (node: LocalnetNode, params: unknown[]) => unknown;

function address(v: unknown): PublicKey {
  try {
    if (typeof v !== 'string') throw new Error();
    return new PublicKey(v);
  } catch {
    throw invalidParams('Invalid params: expected a base-58 public key string');
  }
}

/** A non-negative integer given as a number or a decimal string (u64/i128 values overflow JSON numbers). */
function integer(v: unknown, name: string): bigint {
  if ((typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v))) {
    return BigInt(v);
  }
  throw invalidParams(`Invalid params: ${name} must be an integer (a number or a decimal string)`);
}

const clockJson = (node: LocalnetNode) => {
  const c = node.clock();
  return {
    slot: Number(c.slot),
    epochStartTimestamp: c.epochStartTimestamp,
    epoch: Number(c.epoch),
    leaderScheduleEpoch: Number(c.leaderScheduleEpoch),
    unixTimestamp: c.unixTimestamp,
  };
};

export const cheatcodes: Record<string, Handler> = {
  /** `[]` -> the clock (slot, epoch, unixTimestamp) the next transaction executes with. */
  openvpp_getClock(node) {
    return clockJson(node);
  },
  /** `[unixTimestamp]` -> the new clock. */
  openvpp_setUnixTimestamp(node, p) {
    const ts = integer(p[0], 'unixTimestamp');
    if (ts < 0n || ts > 253_402_300_799n) throw invalidParams('Invalid params: unixTimestamp out of range');
    node.setUnixTimestamp(Number(ts));
    return clockJson(node);
  },
  /**
   * `[address, { value, stdDev, numSamples, slot }]` (value and stdDev: 18-decimal integers as
   * strings) -> null. Writes a Switchboard on-demand pull-feed account.
   */
  openvpp_setSwitchboardFeed(node, p) {
    const feed = address(p[0]);
    const r = p[1] as { value?: unknown; stdDev?: unknown; numSamples?: unknown; slot?: unknown } | undefined;
    if (!r || typeof r !== 'object') throw invalidParams('Invalid params: expected a feed result object');
    const numSamples = Number(integer(r.numSamples, 'numSamples'));
    if (numSamples < 0 || numSamples > 255) throw invalidParams('Invalid params: numSamples out of range');
    node.rt.setSwitchboardFeed(feed, {
      value: integer(r.value, 'value'),
      stdDev: integer(r.stdDev, 'stdDev'),
      numSamples,
      slot: integer(r.slot ?? node.slot, 'slot'),
    });
    return null;
  },
};
