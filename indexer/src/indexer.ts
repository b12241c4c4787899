// The indexer: for each OpenVPP program, the signatures after its cursor (getSignaturesForAddress,
// paged back with `before` down to `until: cursor`), replayed oldest first: getTransaction, the
// OpenVPP events in its logs, stored with the program's new cursor in one SQLite transaction.
// A restart resumes from the cursors; re-ingesting a transaction adds nothing.
import { HOOK_PROGRAM_ID, PAYMENTS_PROGRAM_ID, REGISTRY_PROGRAM_ID, ROUTING_PROGRAM_ID } from '@openvpp/sdk/web3';

import { decodeLogs, eventParsers } from './decode';
import { IndexerConfigError, IndexerDataError } from './errors';
import { type Commitment, JsonRpc, type SignatureInfo } from './rpc';
import { type Cursor, type IndexedEvent, Store } from './store';

/** The OpenVPP program ids (base58) the indexer follows. */
export interface ProgramIds {
  registry: string;
  routing: string;
  payments: string;
  hook: string;
}

/** The deployed OpenVPP program ids, from the SDK. */
export const OPENVPP_PROGRAM_IDS: ProgramIds = {
  registry: REGISTRY_PROGRAM_ID.toBase58(),
  routing: ROUTING_PROGRAM_ID.toBase58(),
  payments: PAYMENTS_PROGRAM_ID.toBase58(),
  hook: HOOK_PROGRAM_ID.toBase58(),
};

export interface IndexerOptions {
  /** The node's JSON-RPC URL (http or https). */
  rpcUrl: string;
  /** The SQLite file (created when missing); `:memory:` for a store that lives with the indexer. */
  database: string;
  /** Signatures per getSignaturesForAddress page (1..1000; default 1000). */
  pageSize?: number;
  /** `confirmed` (default) or `finalized`. */
  commitment?: Commitment;
  /** Other program ids (a deployment at other addresses). */
  programs?: Partial<ProgramIds>;
}

export interface SyncResult {
  /** Chain transactions ingested (each moved a cursor). */
  transactions: number;
  /** Events that were new to the store. */
  events: number;
}

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

export class Indexer {
  readonly programs: ProgramIds;
  private readonly rpc: JsonRpc;
  private readonly store: Store;
  private readonly pageSize: number;
  private readonly commitment: Commitment;
  private readonly parsers: ReturnType<typeof eventParsers>;
  private running: Promise<SyncResult> | null = null;

  constructor(opts: IndexerOptions) {
    let url: URL;
    try {
      url = new URL(opts.rpcUrl);
    } catch {
      throw new IndexerConfigError(`rpcUrl is not a URL: ${JSON.stringify(opts.rpcUrl)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new IndexerConfigError(`rpcUrl must be http or https, not ${url.protocol}`);
    }
    const pageSize = opts.pageSize ?? 1000;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new IndexerConfigError(`pageSize must be an integer in 1..1000, not ${pageSize}`);
    }
    const commitment = opts.commitment ?? 'confirmed';
    if (commitment !== 'confirmed' && commitment !== 'finalized') {
      throw new IndexerConfigError(`commitment must be confirmed or finalized, not ${String(commitment)}`);
    }
    if (typeof opts.database !== 'string' || opts.database === '') {
      throw new IndexerConfigError('database must be a file path (or :memory:)');
    }
    const programs = { ...OPENVPP_PROGRAM_IDS, ...opts.programs };
    for (const [k, v] of Object.entries(programs)) {
      if (typeof v !== 'string' || !BASE58.test(v))
        throw new IndexerConfigError(`programs.${k} is not a base58 address`);
    }
    this.programs = programs;
    this.pageSize = pageSize;
    this.commitment = commitment;
    this.rpc = new JsonRpc(url.toString());
    this.parsers = eventParsers(programs);
    this.store = new Store(opts.database);
  }

  /**
   * Catches every program up from its cursor to the node's newest transaction at the
   * indexer's commitment. Concurrent calls share one run.
   */
  syncOnce(): Promise<SyncResult> {
    this.running ??= this.sync().finally(() => (this.running = null));
    return this.running;
  }

  /** A program's cursor (the newest of its transactions in the store), or null before any. */
  cursor(program: string): Cursor | null {
    return this.store.cursor(program);
  }

  /** Stored events, oldest slot first. */
  events(filter: { program?: string; name?: string } = {}): IndexedEvent[] {
    return this.store.events(filter);
  }

  close(): void {
    this.store.close();
  }

  private async sync(): Promise<SyncResult> {
    const total: SyncResult = { transactions: 0, events: 0 };
    for (const program of Object.values(this.programs)) {
      const pending = await this.signaturesAfter(program, this.store.cursor(program)?.signature);
      for (const s of pending) {
        total.events += await this.ingest(program, s);
        total.transactions++;
      }
    }
    return total;
  }

  /** The program's signatures after `until` (all when undefined), oldest first. */
  private async signaturesAfter(program: string, until: string | undefined): Promise<SignatureInfo[]> {
    const out: SignatureInfo[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await this.rpc.getSignaturesForAddress(program, {
        limit: this.pageSize,
        before,
        until,
        commitment: this.commitment,
      });
      if (!Array.isArray(page)) throw new IndexerDataError('getSignaturesForAddress: the result is not a list');
      out.push(...page);
      if (page.length < this.pageSize) break;
      before = page[page.length - 1].signature;
    }
    return out.reverse();
  }

  private async ingest(program: string, s: SignatureInfo): Promise<number> {
    // A failed transaction's changes (and so its events) did not happen: only the cursor moves.
    if (s.err !== null && s.err !== undefined) return this.store.ingest(program, s.signature, s.slot, []);
    const tx = await this.rpc.getTransaction(s.signature, this.commitment);
    if (!tx || !tx.meta) {
      throw new IndexerDataError(`getTransaction: ${s.signature} was listed but the node does not return it`);
    }
    const events = tx.meta.err ? [] : decodeLogs(tx.meta.logMessages ?? [], this.parsers);
    return this.store.ingest(program, s.signature, tx.slot, events);
  }
}
