// The runtime API over a localnet node, by composition: reads go to the node's bank; every
// write (transactions, airdrops, account and clock writes) goes through the node, which
// executes, indexes and fsyncs it to the ledger before returning. What world builders,
// `openvpp serve --ledger` and tests use to write to a node in-process.
import {
  TransactionFailedError,
  tryInstructionsWith,
  type AccountInfoLike,
  type Runtime,
  type RuntimeAccount,
  type RuntimeClock,
  type TransactionOutcome,
} from '@openvpp/runtime';
import type {
  Keypair,
  PublicKey,
  Signer,
  Transaction,
  TransactionInstruction,
  VersionedTransaction,
} from '@solana/web3.js';

import type { LocalnetNode } from './node';

export class LedgeredRuntime implements Runtime {
  constructor(
    private readonly node: LocalnetNode,
    private readonly bank: Runtime,
  ) {}

  get payer(): Keypair {
    return this.bank.payer;
  }

  get programs(): Record<string, PublicKey> {
    return this.bank.programs;
  }

  get inner(): unknown {
    return this.bank.inner;
  }

  /** The bank's write count: every write, through this object or the node's RPC, reaches the bank. */
  get writes(): number {
    return this.bank.writes;
  }

  /** Frees the bank; `LocalnetNode.close` does this after flushing the ledger. */
  close(): void {
    this.bank.close();
  }

  latestBlockhash(): string {
    return this.bank.latestBlockhash();
  }

  expireBlockhash(): string {
    return this.bank.expireBlockhash();
  }

  sendTransaction(tx: Transaction | VersionedTransaction): TransactionOutcome {
    return this.node.executeSync(tx);
  }

  simulateTransaction(tx: Transaction | VersionedTransaction): TransactionOutcome {
    return this.bank.simulateTransaction(tx);
  }

  tryInstructions(ixs: TransactionInstruction[], signers?: Signer[], opts?: { payer?: Keypair }): TransactionOutcome {
    return tryInstructionsWith(this, ixs, signers, opts);
  }

  processInstructions(
    ixs: TransactionInstruction[],
    signers?: Signer[],
    opts?: { payer?: Keypair },
  ): TransactionOutcome {
    const outcome = this.tryInstructions(ixs, signers, opts);
    if (outcome.err) throw new TransactionFailedError(outcome);
    return outcome;
  }

  getAccount(address: PublicKey | string): RuntimeAccount | null {
    return this.bank.getAccount(address);
  }

  getAccountInfo(address: PublicKey): Promise<AccountInfoLike | null> {
    return this.bank.getAccountInfo(address);
  }

  getBalance(address: PublicKey | string): bigint {
    return this.bank.getBalance(address);
  }

  setAccount(address: PublicKey | string, account: Parameters<Runtime['setAccount']>[1]): void {
    this.node.writeAccount(String(address), (bank) => bank.setAccount(address, account));
  }

  setSwitchboardFeed(address: PublicKey | string, result: Parameters<Runtime['setSwitchboardFeed']>[1]): void {
    this.node.writeAccount(String(address), (bank) => bank.setSwitchboardFeed(address, result));
  }

  airdrop(address: PublicKey | string, lamports: bigint | number): TransactionOutcome {
    return this.node.airdropSync(String(address), BigInt(lamports));
  }

  getClock(): RuntimeClock {
    return this.bank.getClock();
  }

  setClock(clock: RuntimeClock): void {
    this.node.setClock(clock);
  }

  setUnixTimestamp(unixTimestamp: number | bigint): void {
    this.setClock({ ...this.getClock(), unixTimestamp: Number(unixTimestamp) });
  }

  warpToSlot(slot: bigint | number): void {
    this.node.warpToSlot(slot);
  }

  minimumBalanceForRentExemption(dataLen: number): bigint {
    return this.bank.minimumBalanceForRentExemption(dataLen);
  }

  /** Refused: a program deployed to the bank directly would not be in the ledger. */
  addProgramFromFile(): void {
    throw new Error('a localnet node cannot deploy programs from files (the ledger would not carry them)');
  }
}
