// Where the service reads and writes: the embedded in-process runtime (default) or a Solana
// RPC endpoint. Both expose a cached, batched account reader, the cluster clock and a
// signer-aware sender.
//
// Read cache (what keeps the resolver fast without ever serving a revoked route):
// - embedded runtime: the bank changes only through writes (transactions, airdrops, account,
//   feed and clock writes), each of which bumps the runtime's `writes` count, and its clock does
//   not move on its own. The cache remembers the count it was filled at and empties itself when a
//   read finds another one, whoever wrote (the service, a test, the localnet node's RPC clients).
//   The cache is therefore exact: a read never returns a state older than the last write. The
//   clock is read once per write count.
// - RPC: entries live at most `cacheTtlMs` (default 400 ms, one slot), and every transaction the
//   service sends empties the cache. A write made by someone else is seen within one slot.
import {
  Connection,
  Keypair,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
  Transaction,
  TransactionInstruction,
  VersionedTransaction,
  sendAndConfirmTransaction,
} from '@solana/web3.js';

import type { Runtime } from '@openvpp/runtime';
import type { AccountReader } from '@openvpp/sdk/web3';

/** An account as read: its data and owner. */
export interface AccountData {
  data: Buffer;
  owner: PublicKey;
}

/**
 * One account read, shared by every request until the cache is invalidated. `memo` keeps values
 * derived from this version of the account (decoded records, response bodies).
 */
export class CachedAccount {
  private derived?: Map<string, unknown>;
  constructor(
    readonly address: PublicKey,
    readonly account: AccountData | null,
  ) {}

  memo<T>(key: string, derive: (account: AccountData) => T): T | null {
    if (!this.account) return null;
    this.derived ??= new Map();
    if (this.derived.has(key)) return this.derived.get(key) as T;
    const value = derive(this.account);
    this.derived.set(key, value);
    return value;
  }
}

export interface Backend {
  /** Cached reader for the SDK's `fetchX` helpers (same cache as `accounts`). */
  reader: AccountReader;
  /** Fee payer for service-sent transactions. */
  payer: Keypair;
  send(ixs: TransactionInstruction[], signers: Keypair[]): Promise<{ signature: string; logs: string[] }>;
  /** Cluster unix time (seconds): the clock is read at most once per cache generation / slot. */
  now(): Promise<bigint>;
  /** Several accounts in one batch (one `getMultipleAccounts` on RPC), cache first. */
  accounts(addresses: PublicKey[]): Promise<CachedAccount[]>;
  /** Empties the read cache. */
  invalidate(): void;
  /** A recent blockhash for transactions signed elsewhere (the relayer's clients). */
  latestBlockhash(): Promise<{ blockhash: string; lastValidBlockHeight: number }>;
  /** Sends a fully signed transaction; `SendFailedError` when the cluster refuses it. */
  sendTransaction(tx: VersionedTransaction): Promise<{ signature: string; logs: string[] }>;
}

/** A transaction the cluster refused, with its logs and custom error code. */
export class SendFailedError extends Error {
  constructor(
    message: string,
    readonly customCode: number | undefined,
    readonly logs: string[],
  ) {
    super(message);
    this.name = 'SendFailedError';
  }
}

/** The cluster could not be read (RPC down, timeout): HTTP 503. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

/** base58 of a key, computed once per `PublicKey` object (the resolver reuses its memoised keys). */
const base58Of = new WeakMap<PublicKey, string>();
export function base58(key: PublicKey): string {
  let s = base58Of.get(key);
  if (s === undefined) {
    s = key.toBase58();
    base58Of.set(key, s);
  }
  return s;
}

/**
 * Bounded address -> account cache with an optional TTL and state version: it empties itself when
 * `version()` has moved since it was filled. `generation` moves on every emptying, so a load that
 * raced a write is not stored (see `set`).
 */
class ReadCache {
  private entries = new Map<string, { at: number; value: CachedAccount }>();
  private clock?: { at: number; value: bigint };
  private seen?: number;
  generation = 0;
  constructor(
    private readonly ttlMs: number,
    private readonly version?: () => number,
    private readonly maxEntries = 50_000,
  ) {}

  /** Empties the cache if the state moved since it was filled; the current generation. */
  sync(): number {
    if (this.version) {
      const v = this.version();
      if (v !== this.seen) {
        this.clear();
        this.seen = v;
      }
    }
    return this.generation;
  }

  get(key: string, now: number): CachedAccount | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now - e.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Stores `value`, loaded in `generation`, unless the cache was emptied since. */
  set(key: string, value: CachedAccount, now: number, generation: number) {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      // Oldest first (Map keeps insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { at: now, value });
  }

  getClock(now: number): bigint | undefined {
    return this.clock && now - this.clock.at <= this.ttlMs ? this.clock.value : undefined;
  }

  setClock(value: bigint, now: number, generation: number) {
    if (generation === this.generation) this.clock = { at: now, value };
  }

  clear() {
    this.entries.clear();
    this.clock = undefined;
    this.generation++;
  }
}

function cachedBackend(
  cache: ReadCache,
  load: (addresses: PublicKey[]) => Promise<(AccountData | null)[]>,
  loadClock: () => Promise<bigint>,
): Pick<Backend, 'accounts' | 'now' | 'reader' | 'invalidate'> {
  const accounts = async (addresses: PublicKey[]) => {
    const generation = cache.sync();
    const t = performance.now();
    const out: CachedAccount[] = new Array(addresses.length);
    let missing: number[] | undefined;
    for (let i = 0; i < addresses.length; i++) {
      const hit = cache.get(base58(addresses[i]), t);
      if (hit) out[i] = hit;
      else (missing ??= []).push(i);
    }
    if (missing) {
      let loaded: (AccountData | null)[];
      try {
        loaded = await load(missing.map((i) => addresses[i]));
      } catch (e) {
        throw new BackendUnavailableError(`cannot read accounts: ${(e as Error).message}`);
      }
      const at = performance.now();
      missing.forEach((i, j) => {
        const value = new CachedAccount(addresses[i], loaded[j]);
        cache.set(base58(addresses[i]), value, at, generation);
        out[i] = value;
      });
    }
    return out;
  };
  return {
    accounts,
    reader: {
      async getAccountInfo(address: PublicKey) {
        return (await accounts([address]))[0].account;
      },
    },
    async now() {
      const generation = cache.sync();
      const t = performance.now();
      const cached = cache.getClock(t);
      if (cached !== undefined) return cached;
      let value: bigint;
      try {
        value = await loadClock();
      } catch (e) {
        throw new BackendUnavailableError(`cannot read the clock: ${(e as Error).message}`);
      }
      cache.setClock(value, t, generation);
      return value;
    },
    invalidate: () => cache.clear(),
  };
}

export function runtimeBackend(rt: Runtime): Backend {
  const cache = new ReadCache(Number.POSITIVE_INFINITY, () => rt.writes);
  const base = cachedBackend(
    cache,
    async (addresses) => addresses.map((a) => rt.getAccount(a)),
    async () => BigInt(rt.getClock().unixTimestamp),
  );
  return {
    ...base,
    payer: rt.payer,
    async send(ixs, signers) {
      const out = rt.tryInstructions(ixs, signers);
      if (out.err) throw new SendFailedError(out.err.message, out.err.customCode ?? undefined, out.logs);
      return { signature: out.signature, logs: out.logs };
    },
    async latestBlockhash() {
      // The embedded bank keeps a blockhash valid for 150 slots, as a validator does.
      return { blockhash: rt.latestBlockhash(), lastValidBlockHeight: Number(rt.getClock().slot) + 150 };
    },
    async sendTransaction(tx) {
      const out = rt.sendTransaction(tx);
      if (out.err) throw new SendFailedError(out.err.message, out.err.customCode ?? undefined, out.logs);
      return { signature: out.signature, logs: out.logs };
    },
  };
}
/** `Clock` sysvar: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp (i64 at 32). */
const CLOCK_UNIX_TIMESTAMP_OFFSET = 32;

export function rpcBackend(connection: Connection, payer: Keypair, opts: { cacheTtlMs?: number } = {}): Backend {
  const cache = new ReadCache(opts.cacheTtlMs ?? 400);
  const base = cachedBackend(
    cache,
    (addresses) => connection.getMultipleAccountsInfo(addresses, 'confirmed'),
    async () => {
      const clock = await connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY, 'confirmed');
      if (!clock) throw new Error('no clock sysvar');
      return clock.data.readBigInt64LE(CLOCK_UNIX_TIMESTAMP_OFFSET);
    },
  );
  return {
    ...base,
    payer,
    async send(ixs, signers) {
      const tx = new Transaction().add(...ixs);
      try {
        const signature = await sendAndConfirmTransaction(connection, tx, [payer, ...signers], {
          commitment: 'confirmed',
        });
        return { signature, logs: [] };
      } catch (e) {
        const err = e as { message: string; logs?: string[] };
        const hex = /custom program error: 0x([0-9a-f]+)/i.exec(err.message);
        throw new SendFailedError(err.message, hex ? parseInt(hex[1], 16) : undefined, err.logs ?? []);
      } finally {
        base.invalidate();
      }
    },
    async latestBlockhash() {
      try {
        return await connection.getLatestBlockhash('confirmed');
      } catch (e) {
        throw new BackendUnavailableError(`cannot read a blockhash: ${(e as Error).message}`);
      }
    },
    async sendTransaction(tx) {
      try {
        const signature = await connection.sendRawTransaction(tx.serialize(), { preflightCommitment: 'confirmed' });
        const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash('confirmed');
        const res = await connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, 'confirmed');
        if (res.value.err) throw new SendFailedError(JSON.stringify(res.value.err), undefined, []);
        return { signature, logs: [] };
      } catch (e) {
        if (e instanceof SendFailedError) throw e;
        const err = e as { message: string; logs?: string[] };
        const hex = /custom program error: 0x([0-9a-f]+)/i.exec(err.message);
        throw new SendFailedError(err.message, hex ? parseInt(hex[1], 16) : undefined, err.logs ?? []);
      } finally {
        base.invalidate();
      }
    },
  };
}
