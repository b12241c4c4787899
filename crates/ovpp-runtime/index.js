'use strict';
// @openvpp/runtime: a LiteSVM/bankrun-shaped wrapper over the napi-rs addon that hosts the
// natively compiled OpenVPP programs inside a real Solana bank (solana-program-test), next to
// the SBF builds of SPL Token, Token-2022, ATA and Memo.
const path = require('path');
const { Keypair, PublicKey, Transaction } = require('@solana/web3.js');

const addonPath = process.env.OVPP_RUNTIME_ADDON || path.join(__dirname, 'ovpp_runtime.node');
let native;
function loadNative() {
  if (!native) {
    try {
      native = require(addonPath);
    } catch (e) {
      throw new Error(
        `@openvpp/runtime: cannot load ${addonPath} (${e.message}). Build it with \`npm run build:runtime\`.`,
      );
    }
    // A closed runtime drops its bank in the background; let that finish before the process
    // exits so the bank's temporary directories are removed.
    process.once('exit', () => native.waitForClosedRuntimes(10_000));
  }
  return native;
}

/** A transaction that executed and failed, with everything needed to explain why. */
class TransactionFailedError extends Error {
  constructor(outcome) {
    const detail = outcome.programOutput.length ? `\n  ${outcome.programOutput.join('\n  ')}` : '';
    super(`transaction failed: ${outcome.err.message}${detail}`);
    this.name = 'TransactionFailedError';
    this.outcome = outcome;
    this.kind = outcome.err.kind;
    this.instructionIndex = outcome.err.instructionIndex ?? undefined;
    this.customCode = outcome.err.customCode ?? undefined;
    this.logs = outcome.logs;
  }
}

function toBase58(address) {
  return typeof address === 'string' ? address : address.toBase58();
}

/**
 * Wire bytes of a web3.js transaction, legacy or versioned, from any copy of web3.js (an
 * application and its dependencies may each have one, so `instanceof` cannot tell them apart:
 * a VersionedTransaction has a `version`, a legacy Transaction has none).
 */
function serialize(tx, requireAllSignatures = true) {
  if ('version' in tx) return Buffer.from(tx.serialize());
  // The bank verifies every signature; skipping web3.js's JS re-verification saves ~2 ms per tx.
  return Buffer.from(tx.serialize({ requireAllSignatures, verifySignatures: false }));
}

function wrapOutcome(raw) {
  return {
    signature: raw.signature,
    logs: raw.logs,
    programOutput: raw.programOutput,
    computeUnitsConsumed: raw.computeUnitsConsumed,
    returnData: raw.returnData ?? null,
    returnProgramId: raw.returnProgramId ? new PublicKey(raw.returnProgramId) : null,
    err: raw.err ?? null,
    executed: raw.executed,
  };
}

function startOptions(options = {}) {
  const big = (v) => (v === undefined || v === null ? undefined : BigInt(v));
  return {
    sbfPrograms: (options.sbfPrograms ?? []).map((p) => ({
      programId: toBase58(p.programId),
      path: path.resolve(p.path),
    })),
    computeMaxUnits: big(options.computeMaxUnits),
    transactionAccountLockLimit: big(options.transactionAccountLockLimit),
    deactivateFeatures: (options.deactivateFeatures ?? []).map(toBase58),
  };
}

/**
 * `tryInstructions` over anything with the runtime's `payer`, `latestBlockhash`,
 * `expireBlockhash` and `sendTransaction`: builds and signs a legacy transaction, re-signing it
 * on a fresh blockhash when an identical one was already processed. For runtime-shaped
 * wrappers (the localnet node's ledgered runtime) that send through something else.
 */
function tryInstructionsWith(runtime, instructions, signers = [], opts = {}) {
  const feePayer = opts.payer ?? runtime.payer;
  for (;;) {
    const tx = new Transaction({ feePayer: feePayer.publicKey, recentBlockhash: runtime.latestBlockhash() });
    tx.add(...instructions);
    const unique = new Map();
    for (const s of [feePayer, ...signers]) unique.set(s.publicKey.toBase58(), s);
    tx.sign(...unique.values());
    const outcome = runtime.sendTransaction(tx);
    if (outcome.err && (outcome.err.kind === 'AlreadyProcessed' || outcome.err.kind === 'BlockhashNotFound')) {
      runtime.expireBlockhash();
      continue;
    }
    return outcome;
  }
}

class Runtime {
  #writes = 0;

  /** Boots a fresh bank with every OpenVPP program and the SPL programs. */
  static start(options) {
    const native = loadNative().NativeRuntime;
    return new Runtime(options ? native.startWith(startOptions(options)) : native.start());
  }

  constructor(inner) {
    this.inner = inner;
    this.payer = Keypair.fromSecretKey(Uint8Array.from(inner.payerSecretKey()));
    this.programs = Object.fromEntries(inner.programs().map((p) => [p.name, new PublicKey(p.programId)]));
  }

  /** The natively hosted OpenVPP programs by name (without starting a bank). */
  static nativePrograms() {
    return Object.fromEntries(
      loadNative()
        .nativePrograms()
        .map((p) => [p.name, new PublicKey(p.programId)]),
    );
  }

  /**
   * Frees the bank (its worker thread, accounts db) now instead of at garbage collection. The
   * accounts db and its temporary directories are dropped in the background right after.
   */
  close() {
    this.inner.close();
  }

  /**
   * Waits (at most `timeoutMs`) until every closed runtime's bank is dropped and its temporary
   * directories removed. Done automatically when the process exits.
   */
  static waitForClosed(timeoutMs = 10_000) {
    loadNative().waitForClosedRuntimes(timeoutMs);
  }

  /**
   * How many writes this bank has taken (transactions, airdrops, account, feed and clock writes,
   * deployments): a state version. Two equal readings mean nothing was written in between.
   */
  get writes() {
    return this.#writes;
  }

  latestBlockhash() {
    return this.inner.latestBlockhash();
  }

  /** Waits for a new blockhash so an identical transaction can be sent again. */
  expireBlockhash() {
    return this.inner.expireBlockhash();
  }

  /** Executes a signed transaction; never throws for a failed execution (see `err`). */
  sendTransaction(tx) {
    this.#writes++;
    return wrapOutcome(this.inner.sendTransaction(serialize(tx)));
  }

  /** Executes without committing. */
  simulateTransaction(tx) {
    return wrapOutcome(this.inner.simulateTransaction(serialize(tx, false)));
  }

  /**
   * Builds, signs (payer + `signers`) and sends a legacy transaction. Throws
   * `TransactionFailedError` on failure. An identical transaction already processed is
   * re-signed on a fresh blockhash, as a client retry would be.
   */
  processInstructions(instructions, signers = [], opts = {}) {
    const outcome = this.tryInstructions(instructions, signers, opts);
    if (outcome.err) throw new TransactionFailedError(outcome);
    return outcome;
  }

  /** Like `processInstructions` but returns the failed outcome instead of throwing. */
  tryInstructions(instructions, signers = [], opts = {}) {
    return tryInstructionsWith(this, instructions, signers, opts);
  }

  /** Raw account, or null when it does not exist. */
  getAccount(address) {
    const a = this.inner.getAccount(toBase58(address));
    if (!a) return null;
    return {
      lamports: a.lamports,
      data: a.data,
      owner: new PublicKey(a.owner),
      executable: a.executable,
      rentEpoch: a.rentEpoch,
    };
  }

  /** Connection-compatible read, so SDK `fetchX(runtime, ...)` works like `fetchX(connection, ...)`. */
  async getAccountInfo(address) {
    const a = this.getAccount(address);
    if (!a) return null;
    return { ...a, lamports: Number(a.lamports), rentEpoch: Number(a.rentEpoch) };
  }

  setAccount(address, account) {
    this.#writes++;
    this.inner.setAccount(toBase58(address), {
      lamports: BigInt(account.lamports),
      data: Buffer.from(account.data),
      owner: toBase58(account.owner),
      executable: account.executable ?? false,
      rentEpoch: BigInt(account.rentEpoch ?? 0),
    });
  }

  /** Writes a real Switchboard on-demand pull-feed account carrying `result` (18 decimals). */
  setSwitchboardFeed(address, result) {
    this.#writes++;
    this.inner.setSwitchboardFeed(toBase58(address), {
      value: BigInt(result.value),
      stdDev: BigInt(result.stdDev),
      numSamples: result.numSamples,
      slot: BigInt(result.slot),
    });
  }

  airdrop(address, lamports) {
    this.#writes++;
    const outcome = wrapOutcome(this.inner.airdrop(toBase58(address), BigInt(lamports)));
    if (outcome.err) throw new TransactionFailedError(outcome);
    return outcome;
  }

  getBalance(address) {
    return this.getAccount(address)?.lamports ?? 0n;
  }

  getClock() {
    return this.inner.getClock();
  }

  setClock(clock) {
    this.#writes++;
    this.inner.setClock(clock);
  }

  /** Sets only the unix timestamp of the clock sysvar. */
  setUnixTimestamp(unixTimestamp) {
    this.setClock({ ...this.getClock(), unixTimestamp: Number(unixTimestamp) });
  }

  warpToSlot(slot) {
    this.#writes++;
    this.inner.warpToSlot(BigInt(slot));
  }

  minimumBalanceForRentExemption(dataLen) {
    return this.inner.minimumBalanceForRentExemption(dataLen);
  }

  /**
   * Deploys an SBF program from a `.so` file at `programId` (BPF loader v2, as bankrun does);
   * it then runs in the SBF VM, metered, and can CPI into the native programs and back.
   */
  addProgramFromFile(programId, soPath) {
    this.#writes++;
    this.inner.addProgramFromFile(toBase58(programId), path.resolve(soPath));
  }
}

module.exports = { Runtime, TransactionFailedError, tryInstructionsWith, serializeTransaction: serialize };
