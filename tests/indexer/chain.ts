// What the chain holds, found without the indexer: every OpenVPP event of every successful
// transaction the four programs list, through the SDK's parsers; the suites compare the index
// with it.
import { expect } from 'chai';

import { OPENVPP_PROGRAM_IDS } from '@openvpp/indexer';
import { parsePaymentsEvents, parseRegistryEvents, parseRoutingEvents } from '@openvpp/sdk/web3';
import { jsonRpc as rpc } from '@openvpp/testing';

export { rpc };

export interface ChainEvent {
  signature: string;
  name: string;
}

export interface Chain {
  events: ChainEvent[];
  signatures: Set<string>;
  /** (program, signature) listings: what an indexer from scratch ingests. */
  listings: number;
}

/**
 * Every OpenVPP event on the node, found without the indexer: the union of the four programs'
 * signatures (one page of up to 1000 each), each successful transaction's logs through the
 * SDK's three parsers.
 */
export async function chainEvents(url: string): Promise<Chain> {
  const signatures = new Set<string>();
  let listings = 0;
  for (const program of Object.values(OPENVPP_PROGRAM_IDS)) {
    const page = await rpc<{ signature: string }[]>(url, 'getSignaturesForAddress', [
      program,
      { limit: 1000, commitment: 'confirmed' },
    ]);
    expect(page.length).to.be.below(1000);
    for (const s of page) signatures.add(s.signature);
    listings += page.length;
  }
  const events: ChainEvent[] = [];
  for (const signature of signatures) {
    const tx = await rpc<{ meta: { err: unknown; logMessages: string[] } }>(url, 'getTransaction', [
      signature,
      { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 },
    ]);
    if (tx.meta.err) continue;
    const logs = tx.meta.logMessages;
    for (const e of [...parseRegistryEvents(logs), ...parseRoutingEvents(logs), ...parsePaymentsEvents(logs)]) {
      events.push({ signature, name: e.name });
    }
  }
  return { events, signatures, listings };
}

/** `signature name` lines, sorted: the same multiset of events on both sides. */
export const keyed = (events: { signature: string; name: string }[]) =>
  events.map((e) => `${e.signature} ${e.name}`).sort();
