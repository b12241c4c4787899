// The localnet node's state machine: the embedded runtime (every OpenVPP program and the SPL
// programs), a slot clock, an account cache and address index (the runtime has no "list
// accounts", so every address a transaction names is remembered), the signature index, and
// the durable ledger. RPC and PubSub handlers (rpc.ts, pubsub.ts) only call into this class.
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';

import { Runtime, type RuntimeClock, type TransactionOutcome, serializeTransaction } from '@openvpp/runtime';
import { Transaction, VersionedTransaction } from '@solana/web3.js';
import bs58 from 'bs58';

import { decodeTokenAccount, tokenKind, uiTokenAmount, type AccountState, type UiTokenAmount } from './accounts';
import { LedgeredRuntime } from './ledgered-runtime';
import { Ledger, type TornTail, type WalRecord } from './ledger';
import { RpcCode, RpcError, invalidParams } from './rpc-error';
import { isCommitted, txErrorJson, type TxErrorJson } from './tx-error';

/** A validator keeps a blockhash usable for 150 blocks. */
export const MAX_PROCESSING_AGE = 150;
export const LAMPORTS_PER_SIGNATURE = 5000;
const COMPUTE_BUDGET = 'ComputeBudget111111111111111111111111111111';
const LOOKUP_TABLE_META_SIZE = 56;
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: UiTokenAmount;
}

/** What the node keeps per processed transaction (the `getTransaction` material). */
export interface StoredTx {
  signature: string;
  slot: number;
  blockTime: number;
  /** Wire bytes (base64); null for faucet airdrops. */
  tx: string | null;
  version: 'legacy' | 0;
  err: TxErrorJson | null;
  fee: number;
  accountKeys: string[];
  writable: boolean[];
  signers: number;
  loadedAddresses: { writable: string[]; readonly: string[] };
  preBalances: number[];
  postBalances: number[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  logs: string[];
  returnData: { programId: string; data: [string, 'base64'] } | null;
  computeUnitsConsumed: number;
  /** Compute-unit price (micro-lamports) set by the transaction, 0 if none. */
  priorityFee: number;
}

/** An account as written to the ledger: [address, lamports, owner, executable, rentEpoch, data (base64)]. */
type AccountRow = [string, string, string, boolean, string, string];

/** One WAL record: a transaction (or a direct write to the runtime: tx null) and what it wrote. */
export interface TxRecord extends WalRecord {
  slot: number;
  unixTimestamp: number;
  tx: StoredTx | null;
  accounts: AccountRow[];
}

interface SnapshotState {
  header: { seq: number; slot: number; unixTimestamp: number };
  chunks: ({ accounts: AccountRow[] } | { txs: StoredTx[] })[];
}

/** A closed (deleted) account. */
const EMPTY: AccountState = {
  lamports: 0n,
  data: Buffer.alloc(0),
  owner: '11111111111111111111111111111111',
  executable: false,
  rentEpoch: 0n,
};

const toRow = (address: string, a: AccountState): AccountRow => [
  address,
  a.lamports.toString(),
  a.owner,
  a.executable,
  a.rentEpoch.toString(),
  a.data.toString('base64'),
];
const fromRow = (r: AccountRow): AccountState => ({
  lamports: BigInt(r[1]),
  owner: r[2],
  executable: r[3],
  rentEpoch: BigInt(r[4]),
  data: Buffer.from(r[5], 'base64'),
});

export interface NodeOptions {
  /** Ledger directory; without one the node keeps everything in memory. */
  ledgerDir?: string;
  /** Slot duration in milliseconds (400 as on mainnet). */
  slotMs?: number;
  /** Take a snapshot after this many WAL records (default 5,000). */
  snapshotEvery?: number;
  /** Serve the development `openvpp_*` JSON-RPC cheatcodes (default true). */
  cheatcodes?: boolean;
}

export interface SendOptions {
  skipPreflight?: boolean;
}

/** What a committed transaction changed, for PubSub. */
export interface TxEvent {
  /** Null for a direct account write (setAccount on the embedded runtime). */
  tx: StoredTx | null;
  accounts: [string, AccountState][];
}

export class LocalnetNode extends EventEmitter {
  /** The bank. Only the node writes to it; everyone else writes through `rt`. */
  private readonly bank: Runtime;
  /**
   * The runtime API over this node: reads go to the bank, every write goes through the node
   * (executed, indexed and fsynced to the ledger before the call returns).
   */
  readonly rt: LedgeredRuntime;
  slot = 1;
  private bankSlot = -1;
  private unixTimestamp = Math.floor(Date.now() / 1000);
  private readonly accounts = new Map<string, AccountState | null>();
  /** Every address a transaction or airdrop named (getProgramAccounts scans these). */
  private readonly seen = new Set<string>();
  /** Addresses whose state the ledger must carry. */
  private readonly written = new Set<string>();
  readonly txs = new Map<string, StoredTx>();
  /** Signatures whose record is fsynced: only these are reported. */
  private readonly durable = new Set<string>();
  private readonly byAddress = new Map<string, string[]>();
  private readonly blockhashSlots = new Map<string, number>();
  private readonly rentCache = new Map<number, bigint>();
  private readonly ledger: Ledger<TxRecord, SnapshotState> | null;
  private readonly snapshotEvery: number;
  private timer: NodeJS.Timeout | null = null;
  /** Resolves once start-up work (a snapshot after a WAL replay) is done. */
  readonly ready: Promise<void>;
  readonly genesisHash: string;
  readonly identity: string;
  readonly epochSchedule: { slotsPerEpoch: number; warmup: boolean; firstNormalEpoch: number; firstNormalSlot: number };
  transactionCount = 0;
  /** Whether the `openvpp_*` cheatcodes are served. */
  readonly cheatcodes: boolean;
  /** How long restoring the ledger took (ms) and what it held. */
  readonly restoreStats: {
    ms: number;
    records: number;
    accounts: number;
    truncatedBytes: number;
    tornTail: TornTail | null;
  } = { ms: 0, records: 0, accounts: 0, truncatedBytes: 0, tornTail: null };

  constructor(opts: NodeOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.bank = Runtime.start();
    this.rt = new LedgeredRuntime(this, this.bank);
    this.snapshotEvery = opts.snapshotEvery ?? 5_000;
    this.cheatcodes = opts.cheatcodes !== false;
    const es = this.bank.getAccount('SysvarEpochSchedu1e111111111111111111111111')!.data;
    this.epochSchedule = {
      slotsPerEpoch: Number(es.readBigUInt64LE(0)),
      warmup: es[16] === 1,
      firstNormalEpoch: Number(es.readBigUInt64LE(17)),
      firstNormalSlot: Number(es.readBigUInt64LE(25)),
    };
    this.slot = Number(this.bank.getClock().slot);
    if (opts.ledgerDir) {
      const t0 = performance.now();
      let opened;
      try {
        opened = Ledger.open<TxRecord, SnapshotState>(opts.ledgerDir);
      } catch (e) {
        // A corrupt or other-format ledger: nothing was changed; free the bank and refuse.
        this.bank.close();
        throw e;
      }
      const { ledger, restored } = opened;
      this.ledger = ledger;
      this.genesisHash = bs58.encode(Buffer.from(restored.meta.genesisHash, 'hex'));
      this.identity = bs58.encode(Buffer.from(restored.meta.identity, 'hex'));
      this.restore(restored.snapshot?.state ?? null, restored.records);
      this.restoreStats.ms = performance.now() - t0;
      this.restoreStats.records = restored.records.length;
      this.restoreStats.truncatedBytes = restored.truncatedBytes;
      this.restoreStats.tornTail = restored.tornTail;
    } else {
      this.ledger = null;
      this.genesisHash = bs58.encode(crypto.randomBytes(32));
      this.identity = bs58.encode(crypto.randomBytes(32));
    }
    this.syncClock();
    // Fold a replayed WAL into a fresh snapshot, so the next start is quick and records cut
    // off after a gap can never be confused with new ones.
    this.ready = this.restoreStats.records > 0 ? this.snapshot() : Promise.resolve();
    if (opts.slotMs !== 0) {
      this.timer = setInterval(() => this.tick(), opts.slotMs ?? 400);
      this.timer.unref();
    }
  }

  private restore(snapshot: SnapshotState | null, records: TxRecord[]) {
    const finalState = new Map<string, AccountState>();
    const addTx = (tx: StoredTx) => {
      this.indexTx(tx);
      this.durable.add(tx.signature);
    };
    if (snapshot) {
      this.slot = Math.max(this.slot, snapshot.header.slot);
      this.unixTimestamp = Math.max(this.unixTimestamp, snapshot.header.unixTimestamp);
      for (const chunk of snapshot.chunks) {
        if ('accounts' in chunk) for (const row of chunk.accounts) finalState.set(row[0], fromRow(row));
        else for (const tx of chunk.txs) addTx(tx);
      }
    }
    for (const rec of records) {
      this.slot = Math.max(this.slot, rec.slot);
      this.unixTimestamp = Math.max(this.unixTimestamp, rec.unixTimestamp ?? 0);
      for (const row of rec.accounts) finalState.set(row[0], fromRow(row));
      if (rec.tx) addTx(rec.tx);
    }
    for (const [address, a] of finalState) {
      this.bank.setAccount(address, a);
      this.accounts.set(address, a);
      this.written.add(address);
      this.seen.add(address);
    }
    this.restoreStats.accounts = finalState.size;
    // Resume after the last slot anything was recorded in.
    if (snapshot || records.length) this.slot += 1;
  }

  private tick() {
    this.slot += 1;
    this.unixTimestamp = Math.max(this.unixTimestamp, Math.floor(Date.now() / 1000));
    this.emit('slot', this.slot);
  }

  /** Pushes the node's slot and time into the bank's clock sysvar (only before executing). */
  private syncClock() {
    if (this.bankSlot === this.slot) return;
    const clock = this.bank.getClock();
    const epoch = this.epochOf(this.slot).epoch;
    this.bank.setClock({
      ...clock,
      slot: BigInt(this.slot),
      epoch: BigInt(epoch),
      leaderScheduleEpoch: BigInt(epoch + 1),
      unixTimestamp: this.unixTimestamp,
    });
    this.bankSlot = this.slot;
  }

  /** The clock the next transaction executes with (the node's slot and time). */
  clock(): RuntimeClock {
    const epoch = this.epochOf(this.slot).epoch;
    return {
      ...this.bank.getClock(),
      slot: BigInt(this.slot),
      epoch: BigInt(epoch),
      leaderScheduleEpoch: BigInt(epoch + 1),
      unixTimestamp: this.unixTimestamp,
    };
  }

  /**
   * Development cheatcode: the bank's time is `unixTimestamp` from now on (recorded in the
   * ledger); it advances with wall time again once wall time passes it.
   */
  setUnixTimestamp(unixTimestamp: number) {
    this.setClock({ ...this.clock(), unixTimestamp });
  }

  /** Epoch, index in it and its length for `slot` (warmup epochs double from 32 slots). */
  epochOf(slot: number) {
    const s = this.epochSchedule;
    if (s.warmup && slot < s.firstNormalSlot) {
      let epoch = 0;
      let len = 32;
      let start = 0;
      while (slot >= start + len) {
        start += len;
        len *= 2;
        epoch += 1;
      }
      return { epoch, slotIndex: slot - start, slotsInEpoch: len };
    }
    const since = slot - (s.warmup ? s.firstNormalSlot : 0);
    return {
      epoch: (s.warmup ? s.firstNormalEpoch : 0) + Math.floor(since / s.slotsPerEpoch),
      slotIndex: since % s.slotsPerEpoch,
      slotsInEpoch: s.slotsPerEpoch,
    };
  }

  // ---------------------------------------------------------------- accounts

  /** Current state of `address` (null when it does not exist). */
  getAccount(address: string): AccountState | null {
    if (address.startsWith('Sysvar')) {
      this.syncClock();
      return this.readRuntime(address);
    }
    if (this.accounts.has(address)) return this.accounts.get(address)!;
    const a = this.readRuntime(address);
    this.accounts.set(address, a);
    return a;
  }

  private readRuntime(address: string): AccountState | null {
    const a = this.bank.getAccount(address);
    if (!a || (a.lamports === 0n && a.data.length === 0)) return null;
    return {
      lamports: a.lamports,
      data: a.data,
      owner: a.owner.toBase58(),
      executable: a.executable,
      rentEpoch: a.rentEpoch,
    };
  }

  /** Addresses to scan for getProgramAccounts / getTokenAccountsByOwner. */
  knownAddresses(): Iterable<string> {
    return this.seen;
  }

  mintDecimals = (mint: string): number | null => {
    const m = this.getAccount(mint);
    if (!m || tokenKind(m) !== 'mint') return null;
    return m.data[44];
  };

  minimumBalanceForRentExemption(len: number): bigint {
    let v = this.rentCache.get(len);
    if (v === undefined) {
      v = this.bank.minimumBalanceForRentExemption(len);
      this.rentCache.set(len, v);
    }
    return v;
  }

  // ---------------------------------------------------------------- blockhashes

  latestBlockhash(): { blockhash: string; lastValidBlockHeight: number } {
    let blockhash = this.bank.latestBlockhash();
    // One blockhash per slot at most, as on a validator: the bank registers blockhashes only
    // while it works, so after an idle stretch its latest one is from an old slot.
    const seenAt = this.blockhashSlots.get(blockhash);
    if (seenAt !== undefined && seenAt < this.slot) blockhash = this.bank.expireBlockhash();
    let slot = this.blockhashSlots.get(blockhash);
    if (slot === undefined) {
      slot = this.slot;
      this.blockhashSlots.set(blockhash, slot);
      if (this.blockhashSlots.size > 4096) {
        for (const [h, s] of this.blockhashSlots) {
          if (s + MAX_PROCESSING_AGE < this.slot) this.blockhashSlots.delete(h);
          else break;
        }
      }
    }
    return { blockhash, lastValidBlockHeight: slot + MAX_PROCESSING_AGE };
  }

  /** Whether the bank still accepts `blockhash` (checked by a fee-payer-only simulation). */
  isBlockhashValid(blockhash: string): boolean {
    const slot = this.blockhashSlots.get(blockhash);
    if (slot === undefined || slot + MAX_PROCESSING_AGE < this.slot) return false;
    const payer = this.bank.payer.publicKey.toBytes();
    // A legacy message with the payer as only account and no instructions.
    const message = Buffer.concat([
      Buffer.from([1, 0, 0, 1]),
      payer,
      Buffer.from(bs58.decode(blockhash)),
      Buffer.from([0]),
    ]);
    const wire = Buffer.concat([Buffer.from([1]), Buffer.alloc(64), message]);
    const out = this.bank.simulateTransaction(VersionedTransaction.deserialize(wire));
    return out.err?.kind !== 'BlockhashNotFound';
  }

  // ---------------------------------------------------------------- transactions

  /** Decodes wire bytes; throws the validator's -32602 for bad input. */
  decode(bytes: Buffer): VersionedTransaction {
    if (bytes.length > 1232) {
      throw invalidParams(
        `base64 encoded solana_transaction::versioned::VersionedTransaction too large: ${bytes.length} bytes (max: encoded/raw 1644/1232)`,
      );
    }
    let tx: VersionedTransaction;
    try {
      tx = VersionedTransaction.deserialize(bytes);
    } catch (e) {
      throw invalidParams(
        `failed to deserialize solana_transaction::versioned::VersionedTransaction: ${(e as Error).message}`,
      );
    }
    if (tx.signatures.length !== tx.message.header.numRequiredSignatures) {
      throw new RpcError(RpcCode.TransactionSignatureLenMismatch, 'Transaction signature length mismatch');
    }
    return tx;
  }

  private readonly signerKeys = new Map<string, crypto.KeyObject>();

  /** Ed25519 verification of every signature (node:crypto; signer keys are cached). */
  verifySignatures(tx: VersionedTransaction): boolean {
    const message = Buffer.from(tx.message.serialize());
    const keys = tx.message.staticAccountKeys;
    return tx.signatures.every((sig, i) => {
      const id = keys[i].toBase58();
      let key = this.signerKeys.get(id);
      if (!key) {
        key = crypto.createPublicKey({
          key: Buffer.concat([ED25519_SPKI, keys[i].toBuffer()]),
          format: 'der',
          type: 'spki',
        });
        if (this.signerKeys.size >= 10_000) this.signerKeys.clear();
        this.signerKeys.set(id, key);
      }
      return crypto.verify(null, message, key, Buffer.from(sig));
    });
  }

  /** Static keys, then addresses loaded from lookup tables (writable, then read-only). */
  resolveKeys(tx: VersionedTransaction) {
    const m = tx.message;
    const keys = m.staticAccountKeys.map((k) => k.toBase58());
    const loaded = { writable: [] as string[], readonly: [] as string[] };
    for (const l of m.addressTableLookups) {
      const table = this.getAccount(l.accountKey.toBase58());
      if (!table || table.data.length < LOOKUP_TABLE_META_SIZE) continue;
      const at = (i: number) =>
        bs58.encode(table.data.subarray(LOOKUP_TABLE_META_SIZE + i * 32, LOOKUP_TABLE_META_SIZE + i * 32 + 32));
      for (const i of l.writableIndexes) loaded.writable.push(at(i));
      for (const i of l.readonlyIndexes) loaded.readonly.push(at(i));
    }
    const all = [...keys, ...loaded.writable, ...loaded.readonly];
    const h = m.header;
    const nStatic = keys.length;
    const writable = all.map((_, i) => {
      if (i >= nStatic) return i < nStatic + loaded.writable.length;
      if (i < h.numRequiredSignatures) return i < h.numRequiredSignatures - h.numReadonlySignedAccounts;
      return i < nStatic - h.numReadonlyUnsignedAccounts;
    });
    return { keys: all, writable, loaded };
  }

  private tokenBalances(keys: string[], state: (AccountState | null)[]): TokenBalance[] {
    const out: TokenBalance[] = [];
    state.forEach((a, i) => {
      if (!a || tokenKind(a) !== 'account') return;
      const t = decodeTokenAccount(a.data);
      const decimals = this.mintDecimals(t.mint);
      if (decimals === null) return;
      out.push({
        accountIndex: i,
        mint: t.mint,
        owner: t.owner,
        programId: a.owner,
        uiTokenAmount: uiTokenAmount(t.amount, decimals),
      });
    });
    void keys;
    return out;
  }

  /** Simulates (preflight or `simulateTransaction`) with the node's clock. */
  simulate(tx: VersionedTransaction): TransactionOutcome {
    this.syncClock();
    return this.bank.simulateTransaction(tx);
  }

  /** A transaction's fee: 5,000 lamports per signature plus its priority fee. */
  fee(tx: VersionedTransaction): number {
    const { price, limit } = this.computeBudget(tx);
    const ixs = tx.message.compiledInstructions.length;
    const units = limit ?? Math.min(1_400_000, 200_000 * ixs);
    return tx.message.header.numRequiredSignatures * LAMPORTS_PER_SIGNATURE + Math.ceil((price * units) / 1e6);
  }

  private computeBudget(tx: VersionedTransaction): { price: number; limit: number | null } {
    const keys = tx.message.staticAccountKeys;
    let price = 0;
    let limit: number | null = null;
    for (const ix of tx.message.compiledInstructions) {
      if (keys[ix.programIdIndex]?.toBase58() !== COMPUTE_BUDGET) continue;
      const d = Buffer.from(ix.data);
      if (d[0] === 3 && d.length >= 9) price = Number(d.readBigUInt64LE(1));
      if (d[0] === 2 && d.length >= 5) limit = d.readUInt32LE(1);
    }
    return { price, limit };
  }

  /**
   * Verifies, preflights (unless skipped), executes and durably records a transaction.
   * Resolves with the signature once its record is fsynced.
   */
  async sendTransaction(bytes: Buffer, opts: SendOptions = {}): Promise<string> {
    const tx = this.decode(bytes);
    const signature = bs58.encode(tx.signatures[0]);
    if (!this.verifySignatures(tx)) {
      throw new RpcError(RpcCode.TransactionSignatureVerificationFailure, 'Transaction signature verification failure');
    }
    if (this.txs.has(signature)) {
      if (!opts.skipPreflight) throw preflightFailure(alreadyProcessed());
      await this.waitDurable(signature);
      return signature;
    }
    if (!opts.skipPreflight) {
      const sim = this.simulate(tx);
      if (sim.err) throw preflightFailure(sim);
    }
    const { record } = this.execute(tx, bytes, signature);
    if (!record) return signature; // dropped, as a validator drops a transaction that fails its checks
    await this.commit(record);
    return signature;
  }

  /** Executes and indexes a transaction; returns its ledger record when it was committed. */
  private execute(
    tx: VersionedTransaction,
    bytes: Buffer,
    signature: string,
  ): { outcome: TransactionOutcome; record: TxRecord | null } {
    const { keys, writable, loaded } = this.resolveKeys(tx);
    const pre = keys.map((k) => this.getAccount(k));
    const preTokenBalances = this.tokenBalances(keys, pre);
    this.syncClock();
    const outcome = this.bank.sendTransaction(tx);
    if (!isCommitted(outcome.err) || this.txs.has(signature)) return { outcome, record: null };
    const post = keys.map((k, i) => (writable[i] ? this.readRuntime(k) : pre[i]));
    const changed: AccountRow[] = [];
    keys.forEach((k, i) => {
      this.seen.add(k);
      if (!writable[i]) return;
      this.accounts.set(k, post[i]);
      this.written.add(k);
      changed.push(toRow(k, post[i] ?? EMPTY));
    });
    const stored: StoredTx = {
      signature,
      slot: this.slot,
      blockTime: this.unixTimestamp,
      tx: bytes.toString('base64'),
      version: tx.version === 'legacy' ? 'legacy' : 0,
      err: outcome.err ? txErrorJson(outcome.err) : null,
      fee: this.fee(tx),
      accountKeys: keys,
      writable,
      signers: tx.message.header.numRequiredSignatures,
      loadedAddresses: loaded,
      preBalances: pre.map((a) => Number(a?.lamports ?? 0n)),
      postBalances: post.map((a) => Number(a?.lamports ?? 0n)),
      preTokenBalances,
      postTokenBalances: this.tokenBalances(keys, post),
      logs: outcome.logs,
      returnData: returnData(outcome),
      computeUnitsConsumed: Number(outcome.computeUnitsConsumed),
      priorityFee: this.computeBudget(tx).price,
    };
    this.indexTx(stored);
    return { outcome, record: this.record(stored, changed) };
  }

  private record(tx: StoredTx | null, accounts: AccountRow[]): TxRecord {
    return {
      seq: this.ledger?.nextSeq() ?? 0,
      slot: this.slot,
      unixTimestamp: this.unixTimestamp,
      tx,
      accounts,
    };
  }

  /**
   * Executes `tx` and, when the bank committed it, indexes it and appends it to the ledger
   * with an fsync before returning: the synchronous twin of `sendTransaction`'s execution,
   * for writes made through `rt` (world builders, `openvpp serve`'s backend, tests).
   */
  executeSync(tx: Transaction | VersionedTransaction): TransactionOutcome {
    const bytes = serializeTransaction(tx, false);
    const v = VersionedTransaction.deserialize(bytes);
    const { outcome, record } = this.execute(v, bytes, bs58.encode(v.signatures[0]));
    if (record) this.commitSync(record);
    return outcome;
  }

  /** A faucet transfer recorded (fsynced) before returning. */
  airdropSync(address: string, lamports: bigint): TransactionOutcome {
    const { outcome, record } = this.airdropRecord(address, lamports);
    this.commitSync(record);
    return outcome;
  }

  /** Applies `write` to the bank's account at `address` and records the account's new state. */
  writeAccount(address: string, write: (bank: Runtime) => void): void {
    write(this.bank);
    const a = this.readRuntime(address);
    this.accounts.set(address, a);
    this.seen.add(address);
    this.written.add(address);
    this.commitSync(this.record(null, [toRow(address, a ?? EMPTY)]));
  }

  /** Sets the bank's clock; the node's slot and time follow it (recorded). */
  setClock(clock: RuntimeClock): void {
    this.bank.setClock(clock);
    this.slot = Math.max(this.slot, Number(clock.slot));
    this.unixTimestamp = clock.unixTimestamp;
    this.bankSlot = Number(clock.slot);
    this.commitSync(this.record(null, []));
  }

  /** Warps the bank to `slot` (recorded). */
  warpToSlot(slot: bigint | number): void {
    this.bank.warpToSlot(slot);
    this.slot = Math.max(this.slot, Number(slot));
    this.bankSlot = Number(slot);
    this.commitSync(this.record(null, []));
  }

  private indexTx(tx: StoredTx) {
    this.txs.set(tx.signature, tx);
    this.transactionCount += 1;
    for (const k of new Set(tx.accountKeys)) {
      let list = this.byAddress.get(k);
      if (!list) this.byAddress.set(k, (list = []));
      list.push(tx.signature);
    }
  }

  private readonly durableWaiters = new Map<string, (() => void)[]>();

  private waitDurable(signature: string): Promise<void> {
    if (this.durable.has(signature)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.durableWaiters.get(signature) ?? [];
      list.push(resolve);
      this.durableWaiters.set(signature, list);
    });
  }

  private async commit(record: TxRecord) {
    if (this.ledger) {
      await this.ledger.append(record);
      this.maybeSnapshot();
    }
    this.committed(record);
  }

  private commitSync(record: TxRecord) {
    if (this.ledger) {
      this.ledger.appendSync(record);
      this.maybeSnapshot();
    }
    this.committed(record);
  }

  private maybeSnapshot() {
    if (this.ledger && this.ledger.recordsSinceSnapshot >= this.snapshotEvery && !this.ledger.snapshotInProgress) {
      void this.snapshot().catch((e) => this.emit('error', e));
    }
  }

  private committed(record: TxRecord) {
    if (record.tx) {
      const sig = record.tx.signature;
      this.durable.add(sig);
      for (const w of this.durableWaiters.get(sig) ?? []) w();
      this.durableWaiters.delete(sig);
    }
    this.emit('transaction', {
      tx: record.tx,
      accounts: record.accounts.map((r) => [r[0], fromRow(r)] as [string, AccountState]),
    } satisfies TxEvent);
  }

  /** Writes a snapshot of every account the ledger carries and every transaction. */
  snapshot(): Promise<void> {
    if (!this.ledger) return Promise.resolve();
    const rows: AccountRow[] = [];
    for (const k of this.written) {
      const a = this.accounts.get(k);
      rows.push(
        toRow(
          k,
          a ?? {
            lamports: 0n,
            data: Buffer.alloc(0),
            owner: '11111111111111111111111111111111',
            executable: false,
            rentEpoch: 0n,
          },
        ),
      );
    }
    const chunks: SnapshotState['chunks'] = [];
    for (let i = 0; i < rows.length; i += 2_000) chunks.push({ accounts: rows.slice(i, i + 2_000) });
    const txs = [...this.txs.values()];
    for (let i = 0; i < txs.length; i += 2_000) chunks.push({ txs: txs.slice(i, i + 2_000) });
    return this.ledger.snapshot({ slot: this.slot, unixTimestamp: this.unixTimestamp }, chunks);
  }

  /** Faucet: a transfer from the runtime's funded payer, recorded like any transaction. */
  async requestAirdrop(address: string, lamports: bigint): Promise<string> {
    const faucet = this.getAccount(this.bank.payer.publicKey.toBase58())?.lamports ?? 0n;
    if (lamports + BigInt(LAMPORTS_PER_SIGNATURE) > faucet) {
      throw invalidParams(`Invalid params: the faucet holds ${faucet} lamports; cannot airdrop ${lamports}`);
    }
    const { outcome, record } = this.airdropRecord(address, lamports);
    await this.commit(record);
    return outcome.signature;
  }

  private airdropRecord(address: string, lamports: bigint): { outcome: TransactionOutcome; record: TxRecord } {
    this.syncClock();
    const payer = this.bank.payer.publicKey.toBase58();
    const pre = [this.getAccount(payer), this.getAccount(address)];
    const outcome = this.bank.airdrop(address, lamports);
    const keys = [payer, address, '11111111111111111111111111111111'];
    const post = [this.readRuntime(payer), this.readRuntime(address)];
    const changed: AccountRow[] = [];
    [payer, address].forEach((k, i) => {
      this.seen.add(k);
      this.written.add(k);
      this.accounts.set(k, post[i]);
      changed.push(toRow(k, post[i] ?? EMPTY));
    });
    const stored: StoredTx = {
      signature: outcome.signature,
      slot: this.slot,
      blockTime: this.unixTimestamp,
      tx: null,
      version: 'legacy',
      err: null,
      fee: LAMPORTS_PER_SIGNATURE,
      accountKeys: keys,
      writable: [true, true, false],
      signers: 1,
      loadedAddresses: { writable: [], readonly: [] },
      preBalances: [...pre.map((a) => Number(a?.lamports ?? 0n)), 1],
      postBalances: [...post.map((a) => Number(a?.lamports ?? 0n)), 1],
      preTokenBalances: [],
      postTokenBalances: [],
      logs: outcome.logs,
      returnData: null,
      computeUnitsConsumed: Number(outcome.computeUnitsConsumed),
      priorityFee: 0,
    };
    this.indexTx(stored);
    return { outcome, record: this.record(stored, changed) };
  }

  /** A transaction's status once durable (null when unknown or not yet fsynced). */
  status(signature: string): StoredTx | null {
    return this.durable.has(signature) ? (this.txs.get(signature) ?? null) : null;
  }

  /** Durable signatures naming `address`, newest first. */
  signaturesFor(address: string): StoredTx[] {
    const list = this.byAddress.get(address) ?? [];
    const out: StoredTx[] = [];
    for (let i = list.length - 1; i >= 0; i--) {
      const tx = this.status(list[i]);
      if (tx) out.push(tx);
    }
    return out;
  }

  /** Lowest priority fee per recent slot among transactions that lock one of `addresses` writable. */
  recentPrioritizationFees(addresses: string[]): { slot: number; prioritizationFee: number }[] {
    const bySlot = new Map<number, number>();
    const wanted = new Set(addresses);
    const scan = wanted.size ? [...wanted].flatMap((a) => this.byAddress.get(a) ?? []) : [...this.txs.keys()];
    for (const sig of scan) {
      const tx = this.txs.get(sig);
      if (!tx || tx.slot + MAX_PROCESSING_AGE < this.slot) continue;
      if (wanted.size && !tx.accountKeys.some((k, i) => tx.writable[i] && wanted.has(k))) continue;
      const prev = bySlot.get(tx.slot);
      bySlot.set(tx.slot, prev === undefined ? tx.priorityFee : Math.min(prev, tx.priorityFee));
    }
    return [...bySlot.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([slot, prioritizationFee]) => ({ slot, prioritizationFee }));
  }

  /** Stops the slot clock, flushes the ledger (with a final snapshot) and frees the bank. */
  async close({ snapshot = true }: { snapshot?: boolean } = {}) {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.ledger) {
      if (snapshot) await this.snapshot();
      await this.ledger.close();
    }
    this.bank.close();
  }

  get ledgerStats() {
    return { fsyncs: this.ledger?.fsyncs ?? 0, seq: this.ledger?.seq ?? 0 };
  }
}

function returnData(o: TransactionOutcome): StoredTx['returnData'] {
  if (!o.returnData || o.returnData.length === 0) return null;
  let programId = '';
  for (const line of o.logs) {
    const m = /^Program return: (\S+) /.exec(line);
    if (m) programId = m[1];
  }
  return { programId, data: [o.returnData.toString('base64'), 'base64'] };
}

function alreadyProcessed(): TransactionOutcome {
  return {
    signature: '',
    logs: [],
    programOutput: [],
    computeUnitsConsumed: 0n,
    returnProgramId: null,
    executed: false,
    returnData: null,
    err: { kind: 'AlreadyProcessed', message: 'This transaction has already been processed' },
  };
}

/** A simulation as the RPC's `RpcSimulateTransactionResult` (without `accounts`). */
export function simulationResult(sim: TransactionOutcome) {
  return {
    accounts: null as unknown[] | null,
    err: sim.err ? txErrorJson(sim.err) : null,
    innerInstructions: null,
    loadedAccountsDataSize: 0,
    logs: sim.logs,
    replacementBlockhash: null as unknown,
    returnData: returnData(sim),
    unitsConsumed: Number(sim.computeUnitsConsumed),
  };
}

/** The validator's -32002 preflight error, its data being the simulation result. */
export function preflightFailure(sim: TransactionOutcome): RpcError {
  return new RpcError(
    RpcCode.SendTransactionPreflightFailure,
    `Transaction simulation failed: ${sim.err!.message}`,
    simulationResult(sim),
  );
}
