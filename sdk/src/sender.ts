// The `Sender` seam: what world builders, the demo and the CLI need of a chain, and nothing
// more. Implementations (in @openvpp/localnet): the embedded runtime, the localnet node's
// ledgered runtime, and a JSON-RPC endpoint. Types only.
import type { PublicKey, Signer, TransactionInstruction } from '@solana/web3.js';

/** Why an executed transaction failed (as a validator reports it). */
export interface SendFailure {
  /** `TransactionError` variant, e.g. `InstructionError`, `BlockhashNotFound`. */
  kind: string;
  instructionIndex?: number | null;
  /** `Custom(code)`: Anchor program errors are 6000+; the SDK's `parse*Error` name them. */
  customCode?: number | null;
  message: string;
}

/** A sent transaction: its signature, its logs and, when it failed, why. */
export interface SendOutcome {
  signature: string;
  logs: string[];
  err: SendFailure | null;
}

/** An account as read. */
export interface SenderAccount {
  lamports: bigint;
  data: Buffer;
  owner: PublicKey;
  executable: boolean;
}

/** The clock the next transaction executes with. */
export interface SenderClock {
  slot: bigint;
  unixTimestamp: number;
}

export interface Sender {
  /** Pays for and signs every transaction sent. */
  readonly payer: Signer;
  /**
   * Sends `instructions` as one transaction signed by the payer and `signers`. Resolves with
   * the outcome, a failed execution included (`err` set).
   */
  trySend(instructions: TransactionInstruction[], signers?: Signer[]): Promise<SendOutcome>;
  /** As `trySend`, but a failed execution rejects with an error named `TransactionFailedError`. */
  send(instructions: TransactionInstruction[], signers?: Signer[]): Promise<SendOutcome>;
  /** The account at `address`, or null when it does not exist. */
  getAccount(address: PublicKey): Promise<SenderAccount | null>;
  /** Connection-shaped read, so the SDK's `fetchX(sender, ...)` work over any sender. */
  getAccountInfo(address: PublicKey): Promise<{ data: Buffer; owner: PublicKey } | null>;
  /** Lamports for `address` from the payer (a faucet on a local node). */
  airdrop(address: PublicKey, lamports: bigint): Promise<void>;
  minimumBalanceForRentExemption(dataLength: number): Promise<bigint>;
  latestBlockhash(): Promise<string>;
  getClock(): Promise<SenderClock>;
  /** Moves the clock (the embedded runtime, or a local node's development cheatcode). */
  setUnixTimestamp(unixTimestamp: number | bigint): Promise<void>;
  /** Writes a Switchboard on-demand pull feed carrying `result` (18 decimals); local chains only. */
  setSwitchboardFeed(
    address: PublicKey,
    result: { value: bigint; stdDev: bigint; numSamples: number; slot: bigint },
  ): Promise<void>;
  /** Frees what the sender holds (an embedded bank, a connection). */
  close(): void;
}
