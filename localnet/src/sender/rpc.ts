// The Sender over a JSON-RPC node (`openvpp localnet`, or a validator): async fetch, nothing
// blocks. Transactions are sent with preflight off and read back with getTransaction, so a
// failed execution resolves with an outcome (err.customCode, logs) as on the embedded runtime.
// The clock and Switchboard feed writes use the localnet's development cheatcodes (`openvpp_*`).
import type { Sender, SenderAccount, SenderClock, SendFailure, SendOutcome } from '@openvpp/sdk';
import {
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  Transaction,
  type Signer,
  type TransactionInstruction,
} from '@solana/web3.js';

export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`JSON-RPC ${code}: ${message}`);
    this.name = 'JsonRpcError';
  }
}

/** Rejected by `send` when the transaction failed (named as the runtime's TransactionFailedError). */
export class RpcTransactionFailedError extends Error {
  readonly kind: string;
  readonly instructionIndex?: number;
  readonly customCode?: number;
  readonly logs: string[];
  constructor(readonly outcome: SendOutcome) {
    super(`transaction ${outcome.signature} failed: ${outcome.err?.message}\n${outcome.logs.join('\n')}`);
    this.name = 'TransactionFailedError';
    this.kind = outcome.err?.kind ?? 'Unknown';
    this.instructionIndex = outcome.err?.instructionIndex ?? undefined;
    this.customCode = outcome.err?.customCode ?? undefined;
    this.logs = outcome.logs;
  }
}

function failure(err: unknown): SendFailure | null {
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

export class RpcSender implements Sender {
  private id = 0;

  private constructor(
    readonly url: string,
    readonly payer: Keypair,
  ) {}

  /**
   * Connects to `url`; `payer` (default: a new keypair) gets `payerSol` SOL from the node's
   * faucet when its balance is lower.
   */
  static async connect(url: string, opts: { payer?: Keypair; payerSol?: number } = {}): Promise<RpcSender> {
    const sender = new RpcSender(url, opts.payer ?? Keypair.generate());
    const want = BigInt(opts.payerSol ?? 10_000) * BigInt(LAMPORTS_PER_SOL);
    const have = BigInt(
      (
        await sender.call<{ value: number }>('getBalance', [
          sender.payer.publicKey.toBase58(),
          { commitment: 'confirmed' },
        ])
      ).value,
    );
    if (have < want) await sender.airdrop(sender.payer.publicKey, want - have);
    return sender;
  }

  /** A JSON-RPC call; rejects with JsonRpcError on an error response. */
  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }),
      });
    } catch (e) {
      throw new Error(`${method} to ${this.url}: ${(e as Error).message}`);
    }
    const text = await res.text();
    let body: { result?: T; error?: { code: number; message: string; data?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${method}: HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    if (body.error) throw new JsonRpcError(body.error.code, body.error.message, body.error.data);
    return body.result as T;
  }

  close(): void {}

  async latestBlockhash(): Promise<string> {
    return (await this.call<{ value: { blockhash: string } }>('getLatestBlockhash', [{ commitment: 'confirmed' }]))
      .value.blockhash;
  }

  async trySend(instructions: TransactionInstruction[], signers: Signer[] = []): Promise<SendOutcome> {
    const tx = new Transaction({ feePayer: this.payer.publicKey, recentBlockhash: await this.latestBlockhash() });
    tx.add(...instructions);
    tx.sign(this.payer, ...signers.filter((s) => !s.publicKey.equals(this.payer.publicKey)));
    // With preflight off the node executes and commits before answering.
    const signature = await this.call<string>('sendTransaction', [
      tx.serialize({ requireAllSignatures: false, verifySignatures: false }).toString('base64'),
      { encoding: 'base64', skipPreflight: true },
    ]);
    const got = await this.call<{ meta: { err: unknown; logMessages?: string[] | null } | null } | null>(
      'getTransaction',
      [signature, { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 }],
    );
    // Dropped before execution (blockhash, duplicate, account locks): the node has no record.
    if (!got?.meta) {
      return { signature, logs: [], err: { kind: 'NotExecuted', message: 'the node did not execute the transaction' } };
    }
    return { signature, logs: got.meta.logMessages ?? [], err: failure(got.meta.err) };
  }

  async send(instructions: TransactionInstruction[], signers: Signer[] = []): Promise<SendOutcome> {
    const outcome = await this.trySend(instructions, signers);
    if (outcome.err) throw new RpcTransactionFailedError(outcome);
    return outcome;
  }

  async getAccount(address: PublicKey): Promise<SenderAccount | null> {
    const { value } = await this.call<{
      value: { lamports: number; data: [string, string]; owner: string; executable: boolean } | null;
    }>('getAccountInfo', [address.toBase58(), { encoding: 'base64', commitment: 'confirmed' }]);
    if (!value) return null;
    return {
      lamports: BigInt(value.lamports),
      data: Buffer.from(value.data[0], 'base64'),
      owner: new PublicKey(value.owner),
      executable: value.executable,
    };
  }

  getAccountInfo(address: PublicKey): Promise<SenderAccount | null> {
    return this.getAccount(address);
  }

  async airdrop(address: PublicKey, lamports: bigint): Promise<void> {
    await this.call<string>('requestAirdrop', [address.toBase58(), Number(lamports)]);
  }

  async minimumBalanceForRentExemption(dataLength: number): Promise<bigint> {
    return BigInt(await this.call<number>('getMinimumBalanceForRentExemption', [dataLength]));
  }

  /** The clock the node's next transaction executes with (cheatcode `openvpp_getClock`). */
  async getClock(): Promise<SenderClock> {
    const c = await this.call<{ slot: number; unixTimestamp: number }>('openvpp_getClock');
    return { slot: BigInt(c.slot), unixTimestamp: c.unixTimestamp };
  }

  /** Cheatcode `openvpp_setUnixTimestamp`. */
  async setUnixTimestamp(unixTimestamp: number | bigint): Promise<void> {
    await this.call('openvpp_setUnixTimestamp', [Number(unixTimestamp)]);
  }

  /** Cheatcode `openvpp_setSwitchboardFeed`. */
  async setSwitchboardFeed(
    address: PublicKey,
    result: { value: bigint; stdDev: bigint; numSamples: number; slot: bigint },
  ): Promise<void> {
    await this.call('openvpp_setSwitchboardFeed', [
      address.toBase58(),
      {
        value: result.value.toString(),
        stdDev: result.stdDev.toString(),
        numSamples: result.numSamples,
        slot: result.slot.toString(),
      },
    ]);
  }
}
