import type {
  Keypair,
  PublicKey,
  Signer,
  Transaction,
  TransactionInstruction,
  VersionedTransaction,
} from '@solana/web3.js';

export interface TransactionFailure {
  /** `TransactionError` variant, e.g. `InstructionError`, `AlreadyProcessed`. */
  kind: string;
  instructionIndex?: number | null;
  /** `Custom(code)`: Anchor program errors are 6000+, framework errors 100-5000. */
  customCode?: number | null;
  message: string;
}

export interface TransactionOutcome {
  signature: string;
  logs: string[];
  /**
   * @deprecated Read `logs`: natively hosted programs' `msg!` output is there as `Program log:`
   * lines, where a validator prints it. This is the messages of those lines.
   */
  programOutput: string[];
  computeUnitsConsumed: bigint;
  returnData: Buffer | null;
  /** The program that set `returnData`. */
  returnProgramId: PublicKey | null;
  err: TransactionFailure | null;
  /** False when the transaction was rejected before execution (blockhash, duplicate, signature). */
  executed: boolean;
}

export interface StartOptions {
  /** SBF programs loaded from `.so` files next to the native OpenVPP programs (metered). */
  sbfPrograms?: { programId: PublicKey | string; path: string }[];
  /** Compute unit limit per transaction. */
  computeMaxUnits?: bigint | number;
  /** Maximum number of accounts one transaction may lock. */
  transactionAccountLockLimit?: bigint | number;
  /** Features to deactivate. */
  deactivateFeatures?: (PublicKey | string)[];
}

export interface RuntimeAccount {
  lamports: bigint;
  data: Buffer;
  owner: PublicKey;
  executable: boolean;
  rentEpoch: bigint;
}

export interface RuntimeClock {
  slot: bigint;
  epochStartTimestamp: number;
  epoch: bigint;
  leaderScheduleEpoch: bigint;
  unixTimestamp: number;
}

export interface AccountInfoLike {
  lamports: number;
  data: Buffer;
  owner: PublicKey;
  executable: boolean;
  rentEpoch: number;
}

export declare class TransactionFailedError extends Error {
  constructor(outcome: TransactionOutcome);
  readonly outcome: TransactionOutcome;
  readonly kind: string;
  readonly instructionIndex?: number;
  readonly customCode?: number;
  readonly logs: string[];
}

export declare class Runtime {
  /** Boots a fresh bank with every OpenVPP program and the SPL programs (plus `options`). */
  static start(options?: StartOptions): Runtime;
  /** The natively hosted OpenVPP programs by name (without starting a bank). */
  static nativePrograms(): Record<string, PublicKey>;
  /** Funded fee payer. */
  readonly payer: Keypair;
  /** Natively hosted OpenVPP programs by name. */
  readonly programs: Record<string, PublicKey>;
  /**
   * Frees the bank (its worker thread, accounts db) now instead of at garbage collection. The
   * accounts db and its temporary directories are dropped in the background right after.
   */
  close(): void;
  /**
   * Waits (at most `timeoutMs`, default 10 s) until every closed runtime's bank is dropped and
   * its temporary directories removed. Done automatically when the process exits.
   */
  static waitForClosed(timeoutMs?: number): void;
  /**
   * How many writes this bank has taken (transactions, airdrops, account, feed and clock writes,
   * deployments): a state version. Two equal readings mean nothing was written in between.
   */
  readonly writes: number;
  latestBlockhash(): string;
  expireBlockhash(): string;
  sendTransaction(tx: Transaction | VersionedTransaction): TransactionOutcome;
  simulateTransaction(tx: Transaction | VersionedTransaction): TransactionOutcome;
  processInstructions(
    ixs: TransactionInstruction[],
    signers?: Signer[],
    opts?: { payer?: Keypair },
  ): TransactionOutcome;
  tryInstructions(ixs: TransactionInstruction[], signers?: Signer[], opts?: { payer?: Keypair }): TransactionOutcome;
  getAccount(address: PublicKey | string): RuntimeAccount | null;
  getAccountInfo(address: PublicKey): Promise<AccountInfoLike | null>;
  setAccount(
    address: PublicKey | string,
    account: {
      lamports: bigint | number;
      data: Uint8Array;
      owner: PublicKey | string;
      executable?: boolean;
      rentEpoch?: bigint | number;
    },
  ): void;
  /** Writes a real Switchboard on-demand pull-feed account (layout, discriminator, owner). */
  setSwitchboardFeed(
    address: PublicKey | string,
    result: { value: bigint; stdDev: bigint; numSamples: number; slot: bigint | number },
  ): void;
  airdrop(address: PublicKey | string, lamports: bigint | number): TransactionOutcome;
  getBalance(address: PublicKey | string): bigint;
  getClock(): RuntimeClock;
  setClock(clock: RuntimeClock): void;
  setUnixTimestamp(unixTimestamp: number | bigint): void;
  warpToSlot(slot: bigint | number): void;
  minimumBalanceForRentExemption(dataLen: number): bigint;
  /**
   * Deploys an SBF program from a `.so` file at `programId` (BPF loader v2, as bankrun does);
   * it then runs in the SBF VM, metered, and can CPI into the native programs and back.
   */
  addProgramFromFile(programId: PublicKey | string, soPath: string): void;
  /** The napi object (lower-level calls used by `@openvpp/runtime/bankrun`). */
  readonly inner: unknown;
}

/**
 * `Runtime.tryInstructions` over anything with the runtime's `payer`, `latestBlockhash`,
 * `expireBlockhash` and `sendTransaction` (a runtime-shaped wrapper that sends elsewhere).
 */
/**
 * Wire bytes of a legacy or versioned web3.js transaction from any copy of web3.js (told apart by
 * `version`, not `instanceof`); a legacy one is serialized without re-verifying its signatures and,
 * unless `requireAllSignatures` is false, must carry all of them.
 */
export declare function serializeTransaction(
  tx: Transaction | VersionedTransaction,
  requireAllSignatures?: boolean,
): Buffer;

export declare function tryInstructionsWith(
  runtime: Pick<Runtime, 'payer' | 'latestBlockhash' | 'expireBlockhash' | 'sendTransaction'>,
  ixs: TransactionInstruction[],
  signers?: Signer[],
  opts?: { payer?: Keypair },
): TransactionOutcome;
