// A Runtime-shaped client of a JSON-RPC node (`openvpp localnet`), so the world builders and
// the demo run unchanged over RPC: synchronous like the embedded runtime (see sync-rpc.ts).
// Transactions are sent with preflight off and read back with getTransaction, so a failure
// returns an outcome like the runtime's (err.customCode, logs). The clock and Switchboard
// feed writes use the localnet's development cheatcodes (`openvpp_*`).
import type {
  AccountInfoLike,
  Runtime,
  RuntimeAccount,
  RuntimeClock,
  TransactionFailure,
  TransactionOutcome,
} from '@openvpp/runtime';
import {
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  Transaction,
  VersionedTransaction,
  type Signer,
  type TransactionInstruction,
} from '@solana/web3.js';

import { SyncRpc } from './sync-rpc';

/** What the world builders and the demo use of the embedded runtime. */
export type RuntimeLike = Pick<
  Runtime,
  | 'payer'
  | 'close'
  | 'latestBlockhash'
  | 'sendTransaction'
  | 'processInstructions'
  | 'tryInstructions'
  | 'getAccount'
  | 'getAccountInfo'
  | 'setSwitchboardFeed'
  | 'airdrop'
  | 'getBalance'
  | 'getClock'
  | 'setUnixTimestamp'
  | 'minimumBalanceForRentExemption'
>;

/** Thrown by `processInstructions` when the transaction failed (as the runtime's TransactionFailedError). */
export class RpcTransactionFailedError extends Error {
  readonly kind: string;
  readonly instructionIndex?: number;
  readonly customCode?: number;
  readonly logs: string[];
  constructor(readonly outcome: TransactionOutcome) {
    super(`transaction ${outcome.signature} failed: ${outcome.err?.message}\n${outcome.logs.join('\n')}`);
    this.name = 'TransactionFailedError';
    this.kind = outcome.err?.kind ?? 'Unknown';
    this.instructionIndex = outcome.err?.instructionIndex ?? undefined;
    this.customCode = outcome.err?.customCode ?? undefined;
    this.logs = outcome.logs;
  }
}

interface RpcTx {
  meta: { err: unknown; logMessages?: string[] | null; computeUnitsConsumed?: number } | null;
}

function failure(err: unknown): TransactionFailure | null {
  if (err === null || err === undefined) return null;
  if (typeof err === 'string') return { kind: err, message: err };
  const [kind, value] = Object.entries(err as Record<string, unknown>)[0] ?? ['Unknown', null];
  if (kind === 'InstructionError' && Array.isArray(value)) {
    const [index, inner] = value as [number, unknown];
    const custom =
      inner && typeof inner === 'object' && 'Custom' in inner ? Number((inner as { Custom: number }).Custom) : null;
    return {
      kind,
      instructionIndex: index,
      customCode: custom,
      message:
        custom !== null
          ? `Error processing Instruction ${index}: custom program error: 0x${custom.toString(16)}`
          : `Error processing Instruction ${index}: ${JSON.stringify(inner)}`,
    };
  }
  return { kind, message: JSON.stringify(err) };
}

/**
 * The embedded runtime's API over JSON-RPC. Each call blocks its thread until the node answers,
 * so the node must run in another process or thread (not an in-process `startLocalnet`).
 */
export class RpcRuntime implements RuntimeLike {
  private constructor(
    private readonly rpc: SyncRpc,
    readonly payer: Keypair,
  ) {}

  /**
   * Connects to `url`; `payer` (default: a new keypair) gets `payerSol` SOL from the node's
   * faucet when its balance is lower.
   */
  static connect(url: string, opts: { payer?: Keypair; payerSol?: number } = {}): RpcRuntime {
    const rt = new RpcRuntime(new SyncRpc(url), opts.payer ?? Keypair.generate());
    const want = BigInt(opts.payerSol ?? 10_000) * BigInt(LAMPORTS_PER_SOL);
    const have = rt.getBalance(rt.payer.publicKey);
    if (have < want) rt.airdrop(rt.payer.publicKey, want - have);
    return rt;
  }

  /** A raw JSON-RPC call (synchronous). */
  call<T = unknown>(method: string, params: unknown[] = []): T {
    return this.rpc.call<T>(method, params);
  }

  close(): void {
    this.rpc.close();
  }

  latestBlockhash(): string {
    return this.call<{ value: { blockhash: string } }>('getLatestBlockhash', [{ commitment: 'confirmed' }]).value
      .blockhash;
  }

  sendTransaction(tx: Transaction | VersionedTransaction): TransactionOutcome {
    const bytes =
      tx instanceof VersionedTransaction
        ? Buffer.from(tx.serialize())
        : tx.serialize({ requireAllSignatures: false, verifySignatures: false });
    // With preflight off the node executes and commits before answering.
    const signature = this.call<string>('sendTransaction', [
      bytes.toString('base64'),
      { encoding: 'base64', skipPreflight: true },
    ]);
    const got = this.call<RpcTx | null>('getTransaction', [
      signature,
      { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 },
    ]);
    if (!got?.meta) {
      // Dropped before execution (blockhash, duplicate, account locks): the node has no record.
      return outcomeWithoutLogs(signature, {
        kind: 'NotExecuted',
        message: 'the node did not execute the transaction',
      });
    }
    const logs = got.meta.logMessages ?? [];
    return {
      signature,
      logs,
      programOutput: logs.filter((l) => l.startsWith('Program log: ')).map((l) => l.slice('Program log: '.length)),
      computeUnitsConsumed: BigInt(got.meta.computeUnitsConsumed ?? 0),
      returnData: null,
      returnProgramId: null,
      err: failure(got.meta.err),
      executed: true,
    };
  }

  tryInstructions(ixs: TransactionInstruction[], signers: Signer[] = [], opts: { payer?: Keypair } = {}) {
    const payer = opts.payer ?? this.payer;
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: this.latestBlockhash() }).add(...ixs);
    const all = [payer, ...signers.filter((s) => !s.publicKey.equals(payer.publicKey))];
    tx.sign(...all);
    return this.sendTransaction(tx);
  }

  processInstructions(ixs: TransactionInstruction[], signers: Signer[] = [], opts: { payer?: Keypair } = {}) {
    const outcome = this.tryInstructions(ixs, signers, opts);
    if (outcome.err) throw new RpcTransactionFailedError(outcome);
    return outcome;
  }

  getAccount(address: PublicKey | string): RuntimeAccount | null {
    const res = this.call<{
      value: { lamports: number; data: [string, string]; owner: string; executable: boolean; rentEpoch: number } | null;
    }>('getAccountInfo', [String(address), { encoding: 'base64', commitment: 'confirmed' }]);
    const v = res.value;
    if (!v) return null;
    return {
      lamports: BigInt(v.lamports),
      data: Buffer.from(v.data[0], 'base64'),
      owner: new PublicKey(v.owner),
      executable: v.executable,
      rentEpoch: BigInt(v.rentEpoch ?? 0),
    };
  }

  async getAccountInfo(address: PublicKey): Promise<AccountInfoLike | null> {
    const a = this.getAccount(address);
    return a && { ...a, lamports: Number(a.lamports), rentEpoch: Number(a.rentEpoch) };
  }

  getBalance(address: PublicKey | string): bigint {
    return BigInt(this.call<{ value: number }>('getBalance', [String(address), { commitment: 'confirmed' }]).value);
  }

  airdrop(address: PublicKey | string, lamports: bigint | number): TransactionOutcome {
    const signature = this.call<string>('requestAirdrop', [String(address), Number(lamports)]);
    return outcomeWithoutLogs(signature, null);
  }

  minimumBalanceForRentExemption(dataLen: number): bigint {
    return BigInt(this.call<number>('getMinimumBalanceForRentExemption', [dataLen]));
  }

  /** The clock the node's next transaction executes with (cheatcode `openvpp_getClock`). */
  getClock(): RuntimeClock {
    const c = this.call<{
      slot: number;
      epochStartTimestamp: number;
      epoch: number;
      leaderScheduleEpoch: number;
      unixTimestamp: number;
    }>('openvpp_getClock');
    return {
      slot: BigInt(c.slot),
      epochStartTimestamp: c.epochStartTimestamp,
      epoch: BigInt(c.epoch),
      leaderScheduleEpoch: BigInt(c.leaderScheduleEpoch),
      unixTimestamp: c.unixTimestamp,
    };
  }

  /** Cheatcode `openvpp_setUnixTimestamp`. */
  setUnixTimestamp(unixTimestamp: number | bigint): void {
    this.call('openvpp_setUnixTimestamp', [Number(unixTimestamp)]);
  }

  /** Cheatcode `openvpp_setSwitchboardFeed`. */
  setSwitchboardFeed(
    address: PublicKey | string,
    result: { value: bigint; stdDev: bigint; numSamples: number; slot: bigint | number },
  ): void {
    this.call('openvpp_setSwitchboardFeed', [
      String(address),
      {
        value: result.value.toString(),
        stdDev: result.stdDev.toString(),
        numSamples: result.numSamples,
        slot: result.slot.toString(),
      },
    ]);
  }
}

/** An outcome the node reports no logs for: a transaction it dropped (`err`), or a faucet airdrop. */
function outcomeWithoutLogs(signature: string, err: TransactionOutcome['err']): TransactionOutcome {
  return {
    signature,
    logs: [],
    programOutput: [],
    computeUnitsConsumed: 0n,
    returnData: null,
    returnProgramId: null,
    err,
    executed: err === null,
  };
}
