// The indexer: for each OpenVPP program, the signatures after its cursor (getSignaturesForAddress,
// paged back with `before` down to `until: cursor`); the programs' lists merged into one, oldest
// slot first, each transaction applied once (getTransaction: its OpenVPP events, the derived
// tables and its token movements) with the cursors of every program that listed it, in one
// database transaction. A restart resumes from the cursors; re-ingesting adds nothing.
// Live mode (`start`) subscribes to each program's logs over the node's WebSocket as a trigger
// for the same catch-up, with a periodic catch-up and reconnects, and announces what each commit
// added (`reading`, `dr_reward`, `enrollment`).
import { EventEmitter } from 'node:events';

import { PublicKey } from '@solana/web3.js';
import {
  HOOK_PROGRAM_ID,
  PAYMENTS_PROGRAM_ID,
  REGISTRY_PROGRAM_ID,
  ROUTING_PROGRAM_ID,
  type AccountReader,
  fetchDevice,
} from '@openvpp/sdk/web3';

import { decodeLogs, eventParsers } from './decode';
import { type StoreConfig, checkStoreConfig } from './db/open';
import { IndexerConfigError, IndexerDataError } from './errors';
import { LiveFeed, type LiveOptions } from './live';
import { Queries } from './queries';
import { type ReconcileOptions, type ReconcileReport, reconcile } from './reconcile';
import { type Commitment, JsonRpc, type SignatureInfo } from './rpc';
import { type ChainTx, type Cursor, type IndexedEvent, type LiveEvent, Store } from './store';

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
  /** The node's PubSub URL (ws or wss; default: the RPC URL's port + 1, as Solana clients assume). */
  wsUrl?: string;
  /** Where the index lives. */
  store: StoreConfig;
  /** Signatures per getSignaturesForAddress page (1..1000; default 1000). */
  pageSize?: number;
  /** `confirmed` (default) or `finalized`. */
  commitment?: Commitment;
  /** Other program ids (a deployment at other addresses). */
  programs?: Partial<ProgramIds>;
  /** The USDE mint, when its PaymentsInitialized event is not on this node (found from that event otherwise). */
  usdeMint?: string;
  /** Live mode: periodic catch-up and reconnect timing. */
  live?: LiveOptions;
}

export interface SyncResult {
  /** Chain transactions ingested or re-seen (each moved at least one cursor). */
  transactions: number;
  /** Events that were new to the store. */
  events: number;
}

/** What the indexer emits (after the database commit). */
export interface IndexerEvents {
  reading: [Extract<LiveEvent, { type: 'reading' }>];
  dr_reward: [Extract<LiveEvent, { type: 'dr_reward' }>];
  enrollment: [Extract<LiveEvent, { type: 'enrollment' }>];
  /** A catch-up finished (live mode and syncOnce). */
  synced: [SyncResult];
  /** A catch-up or the subscription failed; live mode retries. */
  syncError: [Error];
  /** The logs subscriptions are (re)established. */
  connected: [];
  disconnected: [];
}

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

function checkUrl(what: string, value: unknown, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new IndexerConfigError(`${what} is not a URL: ${JSON.stringify(value)}`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new IndexerConfigError(
      `${what} must be ${protocols.map((p) => p.slice(0, -1)).join(' or ')}, not ${url.protocol}`,
    );
  }
  return url;
}

/** Solana clients' convention: PubSub on the RPC port + 1, ws(s) for http(s). */
export function defaultWsUrl(rpcUrl: string): string {
  const url = new URL(rpcUrl);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (url.port) url.port = String(port + 1);
  return url.toString();
}

export class Indexer extends EventEmitter<IndexerEvents> {
  readonly programs: ProgramIds;
  readonly rpcUrl: string;
  readonly wsUrl: string;
  /** Resolves once the store is open and migrated. */
  readonly ready: Promise<void>;
  private readonly rpc: JsonRpc;
  private store_: Store | null = null;
  private queries_: Queries | null = null;
  private readonly pageSize: number;
  private readonly commitment: Commitment;
  private readonly parsers: ReturnType<typeof eventParsers>;
  private readonly liveOptions: LiveOptions;
  private running: Promise<SyncResult> | null = null;
  private again = false;
  private live: LiveFeed | null = null;

  constructor(opts: IndexerOptions) {
    super();
    const url = checkUrl('rpcUrl', opts.rpcUrl, ['http:', 'https:']);
    const wsUrl = opts.wsUrl ?? defaultWsUrl(url.toString());
    checkUrl('wsUrl', wsUrl, ['ws:', 'wss:']);
    const pageSize = opts.pageSize ?? 1000;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new IndexerConfigError(`pageSize must be an integer in 1..1000, not ${pageSize}`);
    }
    const commitment = opts.commitment ?? 'confirmed';
    if (commitment !== 'confirmed' && commitment !== 'finalized') {
      throw new IndexerConfigError(`commitment must be confirmed or finalized, not ${String(commitment)}`);
    }
    const store = checkStoreConfig(opts.store);
    const programs = { ...OPENVPP_PROGRAM_IDS, ...opts.programs };
    for (const [k, v] of Object.entries(programs)) {
      if (typeof v !== 'string' || !BASE58.test(v))
        throw new IndexerConfigError(`programs.${k} is not a base58 address`);
    }
    if (opts.usdeMint !== undefined && !BASE58.test(opts.usdeMint)) {
      throw new IndexerConfigError('usdeMint is not a base58 address');
    }
    this.programs = programs;
    this.rpcUrl = url.toString();
    this.wsUrl = wsUrl;
    this.pageSize = pageSize;
    this.commitment = commitment;
    this.liveOptions = opts.live ?? {};
    this.rpc = new JsonRpc(this.rpcUrl);
    this.parsers = eventParsers(programs);
    this.ready = Store.open(store, { usdeMint: opts.usdeMint }).then((s) => {
      this.store_ = s;
      this.queries_ = new Queries(s.db);
    });
    // A failed open surfaces on the first call that awaits `ready`.
    this.ready.catch(() => undefined);
  }

  /** Opens an indexer and its store (migrated to the newest schema). */
  static async open(opts: IndexerOptions): Promise<Indexer> {
    const indexer = new Indexer(opts);
    await indexer.ready;
    return indexer;
  }

  /** The app's queries over this indexer's store (after `ready`). */
  get queries(): Queries {
    if (!this.queries_)
      throw new IndexerConfigError('the store is not open yet: await indexer.ready (or Indexer.open)');
    return this.queries_;
  }

  /** The database dialect in use. */
  get dialect(): 'sqlite' | 'postgres' {
    return this.store.dialect;
  }

  private get store(): Store {
    if (!this.store_) throw new IndexerConfigError('the store is not open yet: await indexer.ready (or Indexer.open)');
    return this.store_;
  }

  /**
   * Catches every program up from its cursor to the node's newest transaction at the
   * indexer's commitment. Concurrent calls share one run.
   */
  syncOnce(): Promise<SyncResult> {
    this.running ??= this.ready.then(() => this.sync()).finally(() => (this.running = null));
    return this.running;
  }

  /**
   * Catches up now, and once more after the current run if one is under way (a trigger that
   * arrives mid-run is not lost).
   */
  async trigger(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    do {
      this.again = false;
      try {
        this.emit('synced', await this.syncOnce());
      } catch (e) {
        this.emit('syncError', e as Error);
        return;
      }
    } while (this.again);
  }

  /** Live mode: a catch-up now, then on every logs notification of a program, periodically, and after reconnects. */
  async start(): Promise<void> {
    await this.ready;
    if (this.live) return;
    this.live = new LiveFeed(this.wsUrl, Object.values(this.programs), this.commitment, this.liveOptions, {
      trigger: () => void this.trigger(),
      connected: () => this.emit('connected'),
      disconnected: () => this.emit('disconnected'),
      error: (e) => this.emit('syncError', e),
    });
    this.live.start();
    void this.trigger();
  }

  /** Leaves live mode (waits for a catch-up under way). */
  async stop(): Promise<void> {
    const live = this.live;
    this.live = null;
    live?.stop();
    await this.running?.catch(() => undefined);
  }

  /** A program's cursor (the newest of its transactions in the store), or null before any. */
  async cursor(program: string): Promise<Cursor | null> {
    await this.ready;
    return this.store.cursor(program);
  }

  /** Stored events, oldest first. */
  async events(filter: { program?: string; name?: string } = {}): Promise<IndexedEvent[]> {
    await this.ready;
    return this.store.events(filter);
  }

  /** Compares the index with the chain (see `reconcile`); syncs first unless told not to. */
  async reconcile(opts: ReconcileOptions & { sync?: boolean } = {}): Promise<ReconcileReport> {
    await this.ready;
    if (opts.sync !== false) await this.syncOnce();
    return reconcile(this.queries, this.reader(), new PublicKey(this.programs.payments), opts);
  }

  async close(): Promise<void> {
    await this.stop();
    await this.ready.catch(() => undefined);
    await this.store_?.close();
    this.store_ = null;
    this.queries_ = null;
  }

  /** The SDK's account reader over this indexer's JSON-RPC. */
  reader(): AccountReader {
    return {
      getAccountInfo: async (address: PublicKey) => {
        const info = await this.rpc.getAccountInfo(address.toBase58(), this.commitment);
        return info ? { data: Buffer.from(info.data[0], 'base64'), owner: new PublicKey(info.owner) } : null;
      },
    };
  }

  private async sync(): Promise<SyncResult> {
    const total: SyncResult = { transactions: 0, events: 0 };
    // Every program's pending list first, merged by slot: a transaction several programs list
    // is applied once, at its place in the chain.
    const lists: SignatureInfo[][] = [];
    const programs = Object.values(this.programs);
    for (const program of programs) {
      const cursor = await this.store.cursor(program);
      lists.push(await this.signaturesAfter(program, cursor?.signature));
    }
    for (const p of mergeLists(programs, lists)) {
      total.events += await this.ingest(p.programs, p.info);
      total.transactions++;
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

  private async ingest(programs: string[], s: SignatureInfo): Promise<number> {
    if (await this.store.has(s.signature)) {
      await this.store.moveCursors(programs, s.signature, s.slot);
      return 0;
    }
    const failed = s.err !== null && s.err !== undefined;
    let tx: ChainTx;
    if (failed) {
      // A failed transaction's changes (and so its events) did not happen: only the cursors move.
      tx = {
        signature: s.signature,
        slot: s.slot,
        blockTime: s.blockTime ?? null,
        failed,
        events: [],
        preTokenBalances: [],
        postTokenBalances: [],
      };
    } else {
      const got = await this.rpc.getTransaction(s.signature, this.commitment);
      if (!got || !got.meta) {
        throw new IndexerDataError(`getTransaction: ${s.signature} was listed but the node does not return it`);
      }
      const ok = !got.meta.err;
      const events = ok ? decodeLogs(got.meta.logMessages ?? [], this.parsers) : [];
      tx = {
        signature: s.signature,
        slot: got.slot,
        blockTime: got.blockTime ?? s.blockTime ?? null,
        failed: !ok,
        events,
        preTokenBalances: ok ? (got.meta.preTokenBalances ?? []) : [],
        postTokenBalances: ok ? (got.meta.postTokenBalances ?? []) : [],
        deviceKinds: await this.deviceKinds(events),
      };
    }
    const result = await this.store.ingest(programs, tx);
    for (const e of result.live) this.emit(e.type, e as never);
    return result.added;
  }

  /** The device types (immutable) of the devices registered by these events, from their accounts. */
  private async deviceKinds(events: { name: string; data: Record<string, unknown> }[]) {
    const out: Record<string, string | null> = {};
    for (const e of events) {
      if (e.name !== 'DeviceRegistered') continue;
      const device = e.data.device as PublicKey;
      const account = await fetchDevice(this.reader(), {
        address: device,
        programId: new PublicKey(this.programs.registry),
      });
      out[device.toBase58()] = account?.deviceType ?? null;
    }
    return out;
  }
}

/**
 * The programs' pending lists (each oldest first, in the chain's order) as one list: by slot,
 * and within a slot an order that keeps every program's own order (a transaction several
 * programs list comes after everything listed before it anywhere). Each transaction once, with
 * the programs that listed it.
 */
export function mergeLists(
  programs: string[],
  lists: SignatureInfo[][],
): { info: SignatureInfo; programs: string[] }[] {
  const listedBy = new Map<string, string[]>();
  const bySlot = new Map<number, string[][]>();
  const info = new Map<string, SignatureInfo>();
  lists.forEach((list, i) => {
    for (const s of list) {
      info.set(s.signature, s);
      listedBy.set(s.signature, [...(listedBy.get(s.signature) ?? []), programs[i]]);
      const perProgram = bySlot.get(s.slot) ?? lists.map(() => []);
      perProgram[i].push(s.signature);
      bySlot.set(s.slot, perProgram);
    }
  });
  const out: { info: SignatureInfo; programs: string[] }[] = [];
  for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) {
    const queues = bySlot.get(slot)!.map((q) => [...q]);
    const done = new Set<string>();
    for (;;) {
      for (const q of queues) while (q.length && done.has(q[0])) q.shift();
      const heads = queues.filter((q) => q.length > 0);
      if (heads.length === 0) break;
      // A head no other list has further back; the first program's when several qualify (one
      // always does: the earliest in the chain among the heads). If the lists disagree (they
      // should not), the first program's head.
      const free = heads.find((q) => queues.every((o) => o === q || o.indexOf(q[0]) <= 0)) ?? heads[0];
      const sig = free[0];
      done.add(sig);
      out.push({ info: info.get(sig)!, programs: listedBy.get(sig)! });
    }
  }
  return out;
}
