// @openvpp/runtime/bankrun: solana-bankrun 0.4's API over the OpenVPP runtime.
import type {
  AccountInfo,
  Blockhash,
  Commitment,
  Keypair,
  Message,
  PublicKey,
  Transaction,
  TransactionSignature,
  VersionedTransaction,
} from '@solana/web3.js';
import type { Runtime } from './index';

export type AccountInfoBytes = AccountInfo<Uint8Array>;

export declare class Clock {
  constructor(
    slot: bigint,
    epochStartTimestamp: bigint,
    epoch: bigint,
    leaderScheduleEpoch: bigint,
    unixTimestamp: bigint,
  );
  readonly slot: bigint;
  readonly epochStartTimestamp: bigint;
  readonly epoch: bigint;
  readonly leaderScheduleEpoch: bigint;
  readonly unixTimestamp: bigint;
}

export declare class Rent {
  constructor(lamportsPerByteYear: bigint, exemptionThreshold: number, burnPercent: number);
  static default(): Rent;
  static free(): Rent;
  static withSlotsPerEpoch(slotsPerEpoch: bigint): Rent;
  readonly lamportsPerByteYear: bigint;
  readonly exemptionThreshold: number;
  readonly burnPercent: number;
  calculateBurn(rentCollected: bigint): [bigint, bigint];
  minimumBalance(dataLen: bigint): bigint;
  isExempt(balance: bigint, dataLen: bigint): boolean;
  due(balance: bigint, dataLen: bigint, yearsElapsed: number): bigint | null;
  dueAmount(dataLen: bigint, yearsElapsed: number): bigint;
}

export declare class TransactionReturnData {
  readonly programId: PublicKey;
  readonly data: Uint8Array;
}

export declare class BanksTransactionMeta {
  readonly logMessages: string[];
  readonly returnData: TransactionReturnData | null;
  readonly computeUnitsConsumed: bigint;
}

export declare class BanksTransactionResultWithMeta {
  /** The transaction error's message, null on success. */
  readonly result: string | null;
  /** Null when the transaction was rejected before execution. */
  readonly meta: BanksTransactionMeta | null;
}

export declare class TransactionStatus {
  readonly slot: bigint;
  readonly confirmations: bigint | null;
  readonly err: string | null;
  readonly confirmationStatus: string | null;
}

export declare class BanksClient {
  getAccount(address: PublicKey, commitment?: Commitment): Promise<AccountInfoBytes | null>;
  sendTransaction(tx: Transaction | VersionedTransaction): Promise<void>;
  /** Throws `Failed to process transaction: transport transaction error: <error>` on failure. */
  processTransaction(tx: Transaction | VersionedTransaction): Promise<BanksTransactionMeta>;
  tryProcessTransaction(tx: Transaction | VersionedTransaction): Promise<BanksTransactionResultWithMeta>;
  simulateTransaction(
    tx: Transaction | VersionedTransaction,
    commitment?: Commitment,
  ): Promise<BanksTransactionResultWithMeta>;
  getTransactionStatus(signature: TransactionSignature): Promise<TransactionStatus | null>;
  getTransactionStatuses(signatures: TransactionSignature[]): Promise<(TransactionStatus | null)[]>;
  getSlot(commitment?: Commitment): Promise<bigint>;
  getBlockHeight(commitment?: Commitment): Promise<bigint>;
  getRent(): Promise<Rent>;
  getClock(): Promise<Clock>;
  getBalance(address: PublicKey, commitment?: Commitment): Promise<bigint>;
  getLatestBlockhash(commitment?: Commitment): Promise<[Blockhash, bigint] | null>;
  getFeeForMessage(msg: Message, commitment?: Commitment): Promise<bigint | null>;
}

export declare class ProgramTestContext {
  /** The underlying `@openvpp/runtime` Runtime (OpenVPP programs, helpers). */
  readonly runtime: Runtime;
  readonly banksClient: BanksClient;
  readonly payer: Keypair;
  /** The blockhash registered when the context started (or at the last warp). */
  readonly lastBlockhash: string;
  setAccount(address: PublicKey, account: AccountInfoBytes): void;
  setClock(clock: Clock): void;
  setRent(rent: Rent): void;
  warpToSlot(slot: bigint): void;
  /** Frees the bank now instead of at garbage collection (not in bankrun). */
  close(): void;
}

export interface AddedProgram {
  name: string;
  programId: PublicKey;
}

export interface AddedAccount {
  address: PublicKey;
  info: AccountInfoBytes;
}

/**
 * Starts a bank with the OpenVPP programs (native) and SPL Token, Token-2022, ATA, Memo (SBF),
 * `programs` loaded from `<name>.so` (BPF_OUT_DIR, SBF_OUT_DIR, tests/fixtures, cwd) and
 * `accounts` written.
 */
export declare function start(
  programs: AddedProgram[],
  accounts: AddedAccount[],
  computeMaxUnits?: bigint,
  transactionAccountLockLimit?: bigint,
  deactivateFeatures?: PublicKey[],
): Promise<ProgramTestContext>;

/**
 * Starts a bank for the Anchor workspace at `path`: `[programs.localnet]` from
 * `target/deploy/<name>.so` (OpenVPP programs natively), `[[test.genesis]]`, `extraPrograms`.
 */
export declare function startAnchor(
  path: string,
  extraPrograms: AddedProgram[],
  accounts: AddedAccount[],
  computeMaxUnits?: bigint,
  transactionAccountLockLimit?: bigint,
  deactivateFeatures?: PublicKey[],
): Promise<ProgramTestContext>;
