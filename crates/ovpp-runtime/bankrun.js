'use strict';
// @openvpp/runtime/bankrun: the solana-bankrun 0.4 API (`start`, `startAnchor`,
// `ProgramTestContext`, `BanksClient`, `Clock`, `Rent`, ...) over the OpenVPP runtime, so a
// bankrun suite runs unchanged by changing its import. The OpenVPP programs (native) and SPL
// Token, Token-2022, ATA and Memo (SBF) are always present; other programs are loaded from
// their `.so` files and run in the SBF VM, metered, like bankrun does.
const fs = require('fs');
const path = require('path');
const { PublicKey } = require('@solana/web3.js');
const { Runtime, serializeTransaction: serialize } = require('./index');

/** Bytes of account overhead the rent formula adds to the data length. */
const ACCOUNT_STORAGE_OVERHEAD = 128n;
const DEFAULT_LAMPORTS_PER_BYTE_YEAR = 3480n;
const DEFAULT_EXEMPTION_THRESHOLD = 2.0;
const DEFAULT_BURN_PERCENT = 50;
const SECONDS_PER_YEAR = 365.242199 * 24 * 60 * 60;

/** Network time, as the clock sysvar holds it (all fields bigint). */
class Clock {
  constructor(slot, epochStartTimestamp, epoch, leaderScheduleEpoch, unixTimestamp) {
    this.slot = BigInt(slot);
    this.epochStartTimestamp = BigInt(epochStartTimestamp);
    this.epoch = BigInt(epoch);
    this.leaderScheduleEpoch = BigInt(leaderScheduleEpoch);
    this.unixTimestamp = BigInt(unixTimestamp);
  }
}

/** Rent parameters and the rent formulas of `solana-rent`. */
class Rent {
  constructor(lamportsPerByteYear, exemptionThreshold, burnPercent) {
    this.lamportsPerByteYear = BigInt(lamportsPerByteYear);
    this.exemptionThreshold = Number(exemptionThreshold);
    this.burnPercent = Number(burnPercent);
  }

  static default() {
    return new Rent(DEFAULT_LAMPORTS_PER_BYTE_YEAR, DEFAULT_EXEMPTION_THRESHOLD, DEFAULT_BURN_PERCENT);
  }

  static free() {
    return new Rent(0n, 1.0, DEFAULT_BURN_PERCENT);
  }

  static withSlotsPerEpoch(slotsPerEpoch) {
    const ratio = Number(slotsPerEpoch) / 432_000 / 365.25;
    const exemptionThreshold = DEFAULT_EXEMPTION_THRESHOLD * ratio;
    const lamportsPerByteYear = BigInt(Math.trunc(Number(DEFAULT_LAMPORTS_PER_BYTE_YEAR) / ratio));
    return new Rent(lamportsPerByteYear, exemptionThreshold, DEFAULT_BURN_PERCENT);
  }

  /** [burned, distributed to validators]. */
  calculateBurn(rentCollected) {
    const collected = BigInt(rentCollected);
    const burned = (collected * BigInt(this.burnPercent)) / 100n;
    return [burned, collected - burned];
  }

  /** Lamports an account with `dataLen` bytes needs to be rent exempt. */
  minimumBalance(dataLen) {
    const bytes = ACCOUNT_STORAGE_OVERHEAD + BigInt(dataLen);
    // u64 -> f64, times the threshold, truncated back to u64, as solana-rent computes it.
    return BigInt(Math.trunc(Number(bytes * this.lamportsPerByteYear) * this.exemptionThreshold));
  }

  isExempt(balance, dataLen) {
    return BigInt(balance) >= this.minimumBalance(dataLen);
  }

  dueAmount(dataLen, yearsElapsed) {
    const bytes = ACCOUNT_STORAGE_OVERHEAD + BigInt(dataLen);
    return BigInt(Math.trunc(Number(bytes * this.lamportsPerByteYear) * Number(yearsElapsed)));
  }

  /** Rent due, or null when the balance is exempt. */
  due(balance, dataLen, yearsElapsed) {
    return this.isExempt(balance, dataLen) ? null : this.dueAmount(dataLen, yearsElapsed);
  }

  static get secondsPerYear() {
    return SECONDS_PER_YEAR;
  }
}

class TransactionReturnData {
  constructor(programId, data) {
    this.programId = programId;
    this.data = data;
  }
}

/** Logs, return data and compute units of an executed transaction. */
class BanksTransactionMeta {
  constructor(outcome) {
    this.logMessages = outcome.logs;
    this.returnData =
      outcome.returnData && outcome.returnData.length
        ? new TransactionReturnData(new PublicKey(outcome.returnProgramId), Uint8Array.from(outcome.returnData))
        : null;
    this.computeUnitsConsumed = BigInt(outcome.computeUnitsConsumed);
  }
}

/** `result` is the error message (null on success); `meta` is null when nothing executed. */
class BanksTransactionResultWithMeta {
  constructor(result, meta) {
    this.result = result;
    this.meta = meta;
  }
}

class TransactionStatus {
  constructor(raw) {
    this.slot = raw.slot;
    this.confirmations = raw.confirmations ?? null;
    this.err = raw.err ?? null;
    this.confirmationStatus = raw.confirmationStatus ?? null;
  }
}

/** A napi outcome with its optional fields as null. */
function plain(raw) {
  return {
    ...raw,
    returnData: raw.returnData ?? null,
    returnProgramId: raw.returnProgramId ?? null,
    err: raw.err ?? null,
  };
}

function accountInfoBytes(raw) {
  return {
    executable: raw.executable,
    owner: new PublicKey(raw.owner),
    lamports: Number(raw.lamports),
    data: Uint8Array.from(raw.data),
    rentEpoch: Number(raw.rentEpoch),
  };
}

/** An Error like bankrun's for a failed `processTransaction` (plus the logs, when executed). */
function processError(outcome) {
  const err = new Error(`Failed to process transaction: transport transaction error: ${outcome.err.message}`);
  err.code = 'GenericFailure';
  if (outcome.executed) err.logs = outcome.logs;
  return err;
}

/**
 * The client for the bank. Commitment arguments are accepted and ignored: there is one bank,
 * and every processed transaction is final.
 */
class BanksClient {
  constructor(runtime) {
    this.runtime = runtime;
    this.inner = runtime.inner;
  }

  _wrap(outcome) {
    const meta = outcome.executed ? new BanksTransactionMeta(outcome) : null;
    return new BanksTransactionResultWithMeta(outcome.err ? outcome.err.message : null, meta);
  }

  _process(tx) {
    return plain(this.inner.sendTransaction(serialize(tx)));
  }

  async getAccount(address, _commitment) {
    const raw = this.inner.getAccount(address.toBase58());
    return raw ? accountInfoBytes(raw) : null;
  }

  async sendTransaction(tx) {
    this._process(tx);
  }

  async processTransaction(tx) {
    const outcome = this._process(tx);
    if (outcome.err) throw processError(outcome);
    return new BanksTransactionMeta(outcome);
  }

  async tryProcessTransaction(tx) {
    return this._wrap(this._process(tx));
  }

  async simulateTransaction(tx, _commitment) {
    return this._wrap(plain(this.inner.simulateTransaction(serialize(tx))));
  }

  async getTransactionStatus(signature) {
    const raw = this.inner.transactionStatus(signature);
    return raw ? new TransactionStatus(raw) : null;
  }

  async getTransactionStatuses(signatures) {
    return Promise.all(signatures.map((s) => this.getTransactionStatus(s)));
  }

  /** The clock's slot (`warpToSlot` moves it; see the README). */
  async getSlot(_commitment) {
    return this.inner.getClock().slot;
  }

  async getBlockHeight(_commitment) {
    return this.inner.blockHeight();
  }

  async getRent() {
    const r = this.inner.getRent();
    return new Rent(r.lamportsPerByteYear, r.exemptionThreshold, r.burnPercent);
  }

  async getClock() {
    const c = this.inner.getClock();
    return new Clock(c.slot, c.epochStartTimestamp, c.epoch, c.leaderScheduleEpoch, c.unixTimestamp);
  }

  async getBalance(address, _commitment) {
    const raw = this.inner.getAccount(address.toBase58());
    return raw ? raw.lamports : 0n;
  }

  async getLatestBlockhash(_commitment) {
    const info = this.inner.latestBlockhashInfo();
    return [info.blockhash, info.lastValidBlockHeight];
  }

  async getFeeForMessage(msg, _commitment) {
    return this.inner.feeForMessage(Buffer.from(msg.serialize()));
  }
}

/** What `start` returns: the client, a funded payer, and direct control of the bank. */
class ProgramTestContext {
  constructor(runtime) {
    /** The underlying `@openvpp/runtime` Runtime (OpenVPP programs, helpers). */
    this.runtime = runtime;
    this.banksClient = new BanksClient(runtime);
    this.payer = runtime.payer;
    this._lastBlockhash = runtime.inner.latestBlockhash();
  }

  /** The blockhash registered when the context started (or at the last warp). */
  get lastBlockhash() {
    return this._lastBlockhash;
  }

  setAccount(address, account) {
    this.runtime.setAccount(address, {
      lamports: BigInt(account.lamports),
      data: account.data,
      owner: account.owner,
      executable: account.executable ?? false,
      rentEpoch: BigInt(account.rentEpoch ?? 0),
    });
  }

  setClock(clock) {
    this.runtime.setClock({
      slot: BigInt(clock.slot),
      epochStartTimestamp: Number(clock.epochStartTimestamp),
      epoch: BigInt(clock.epoch),
      leaderScheduleEpoch: BigInt(clock.leaderScheduleEpoch),
      unixTimestamp: Number(clock.unixTimestamp),
    });
  }

  setRent(rent) {
    this.runtime.inner.setRent(BigInt(rent.lamportsPerByteYear), rent.exemptionThreshold, rent.burnPercent);
  }

  /** Moves the clock's slot forward (programs see it) and registers a new blockhash. */
  warpToSlot(slot) {
    this.runtime.warpToSlot(BigInt(slot));
    this._lastBlockhash = this.runtime.inner.latestBlockhash();
  }

  /** Frees the bank now instead of at garbage collection (not in bankrun). */
  close() {
    this.runtime.close();
  }
}

/** bankrun's search path for `<name>.so`: BPF_OUT_DIR, SBF_OUT_DIR, tests/fixtures, cwd. */
function findProgramFile(name, extraDirs = []) {
  const dirs = [
    ...extraDirs,
    process.env.BPF_OUT_DIR,
    process.env.SBF_OUT_DIR,
    path.join(process.cwd(), 'tests', 'fixtures'),
    process.cwd(),
  ].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.resolve(dir, `${name}.so`);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** Programs hosted natively (the OpenVPP programs): never loaded from a `.so`. */
function isNative(programId) {
  const id = programId.toBase58();
  return Object.values(Runtime.nativePrograms()).some((p) => p.toBase58() === id);
}

function boot(sbfPrograms, accounts, computeMaxUnits, transactionAccountLockLimit, deactivateFeatures) {
  const runtime = Runtime.start({
    sbfPrograms,
    computeMaxUnits: computeMaxUnits ?? undefined,
    transactionAccountLockLimit: transactionAccountLockLimit ?? undefined,
    deactivateFeatures: deactivateFeatures ?? [],
  });
  const context = new ProgramTestContext(runtime);
  for (const { address, info } of accounts ?? []) context.setAccount(address, info);
  return context;
}

function resolvePrograms(programs, extraDirs) {
  const out = [];
  for (const { name, programId } of programs ?? []) {
    if (isNative(programId)) continue;
    const file = findProgramFile(name, extraDirs);
    if (!file) throw new Error(`Program file data not available for ${name} (${programId.toBase58()})`);
    out.push({ programId, path: file });
  }
  return out;
}

/**
 * Starts a bank with the OpenVPP and SPL programs, `programs` loaded from `<name>.so` (searched
 * in BPF_OUT_DIR, SBF_OUT_DIR, tests/fixtures, the working directory) and `accounts` written.
 */
async function start(programs, accounts, computeMaxUnits, transactionAccountLockLimit, deactivateFeatures) {
  return boot(
    resolvePrograms(programs, []),
    accounts,
    computeMaxUnits,
    transactionAccountLockLimit,
    deactivateFeatures,
  );
}

/** `[programs.<cluster>]` entries and `[[test.genesis]]` programs of an Anchor.toml. */
function anchorPrograms(root) {
  const text = fs.readFileSync(path.join(root, 'Anchor.toml'), 'utf8');
  const programs = new Map();
  const genesis = [];
  let section = '';
  let entry = null;
  const unquote = (v) => v.trim().replace(/^["']|["']$/g, '');
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    let m;
    if ((m = /^\[\[(.+)\]\]$/.exec(line))) {
      section = m[1].trim();
      entry = {};
      if (section === 'test.genesis') genesis.push(entry);
    } else if ((m = /^\[(.+)\]$/.exec(line))) {
      section = m[1].trim();
      entry = null;
    } else if ((m = /^([\w-]+)\s*=\s*(.+)$/.exec(line))) {
      if (section === 'programs.localnet' && !programs.has(m[1])) programs.set(m[1], unquote(m[2]));
      else if (section === 'test.genesis' && entry) entry[m[1]] = unquote(m[2]);
    }
  }
  const deploy = path.join(root, 'target', 'deploy');
  const out = [...programs].map(([name, id]) => ({
    name,
    programId: new PublicKey(id),
    file: path.join(deploy, `${name}.so`),
  }));
  for (const g of genesis) {
    if (g.address && g.program) {
      out.push({ name: g.address, programId: new PublicKey(g.address), file: path.resolve(root, g.program) });
    }
  }
  return out;
}

/**
 * Starts a bank for the Anchor workspace at `root`: its `[programs.localnet]` programs from
 * `target/deploy/<name>.so` (the OpenVPP programs are hosted natively instead), its
 * `[[test.genesis]]` programs, and `extraPrograms` as in `start`.
 */
async function startAnchor(
  root,
  extraPrograms,
  accounts,
  computeMaxUnits,
  transactionAccountLockLimit,
  deactivateFeatures,
) {
  const sbfPrograms = [];
  for (const { name, programId, file } of anchorPrograms(root)) {
    if (isNative(programId)) continue;
    if (!fs.existsSync(file)) {
      throw new Error(`Program file data not available for ${name} (${programId.toBase58()}): ${file}`);
    }
    sbfPrograms.push({ programId, path: file });
  }
  sbfPrograms.push(...resolvePrograms(extraPrograms, [path.join(root, 'tests', 'fixtures')]));
  return boot(sbfPrograms, accounts, computeMaxUnits, transactionAccountLockLimit, deactivateFeatures);
}

module.exports = {
  start,
  startAnchor,
  ProgramTestContext,
  BanksClient,
  BanksTransactionMeta,
  BanksTransactionResultWithMeta,
  TransactionReturnData,
  TransactionStatus,
  Clock,
  Rent,
};
