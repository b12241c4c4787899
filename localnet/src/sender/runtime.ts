// The Sender over a runtime: the embedded in-process runtime (`RuntimeSender.start()`), or a
// localnet node's ledgered runtime (`ledgeredSender(node)`: every write recorded to its WAL).
import { Runtime, type StartOptions } from '@openvpp/runtime';
import type { Sender, SenderAccount, SenderClock, SendOutcome } from '@openvpp/sdk';
import type { PublicKey, Signer, TransactionInstruction } from '@solana/web3.js';

import type { LedgeredRuntime } from '../node/ledgered-runtime';
import type { LocalnetNode } from '../node/node';

/** What `RuntimeSender` uses of a runtime (`Runtime` and `LedgeredRuntime` both fit). */
export type SenderRuntime = Pick<
  Runtime,
  | 'payer'
  | 'close'
  | 'latestBlockhash'
  | 'processInstructions'
  | 'tryInstructions'
  | 'getAccount'
  | 'getAccountInfo'
  | 'setSwitchboardFeed'
  | 'airdrop'
  | 'getClock'
  | 'setUnixTimestamp'
  | 'minimumBalanceForRentExemption'
>;

export class RuntimeSender<R extends SenderRuntime = Runtime> implements Sender {
  constructor(readonly runtime: R) {}

  /** A Sender over a fresh embedded runtime (closed by `close`). */
  static start(options?: StartOptions): RuntimeSender {
    return new RuntimeSender(Runtime.start(options));
  }

  get payer(): Signer {
    return this.runtime.payer;
  }

  async trySend(instructions: TransactionInstruction[], signers: Signer[] = []): Promise<SendOutcome> {
    return this.runtime.tryInstructions(instructions, signers);
  }

  async send(instructions: TransactionInstruction[], signers: Signer[] = []): Promise<SendOutcome> {
    return this.runtime.processInstructions(instructions, signers);
  }

  async getAccount(address: PublicKey): Promise<SenderAccount | null> {
    return this.runtime.getAccount(address);
  }

  getAccountInfo(address: PublicKey) {
    return this.runtime.getAccountInfo(address);
  }

  async airdrop(address: PublicKey, lamports: bigint): Promise<void> {
    this.runtime.airdrop(address, lamports);
  }

  async minimumBalanceForRentExemption(dataLength: number): Promise<bigint> {
    return this.runtime.minimumBalanceForRentExemption(dataLength);
  }

  async latestBlockhash(): Promise<string> {
    return this.runtime.latestBlockhash();
  }

  async getClock(): Promise<SenderClock> {
    return this.runtime.getClock();
  }

  async setUnixTimestamp(unixTimestamp: number | bigint): Promise<void> {
    this.runtime.setUnixTimestamp(unixTimestamp);
  }

  async setSwitchboardFeed(
    address: PublicKey,
    result: { value: bigint; stdDev: bigint; numSamples: number; slot: bigint },
  ): Promise<void> {
    this.runtime.setSwitchboardFeed(address, result);
  }

  close(): void {
    this.runtime.close();
  }
}

/** A Sender over a localnet node in this process: every write goes through the node's ledger. */
export function ledgeredSender(node: LocalnetNode): RuntimeSender<LedgeredRuntime> {
  return new RuntimeSender(node.rt);
}
