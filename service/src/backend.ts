// Where the service reads and writes: the embedded in-process runtime (default) or a Solana
// RPC endpoint. Both expose an account reader and a signer-aware sender.
import { Connection, Keypair, Transaction, TransactionInstruction, sendAndConfirmTransaction } from '@solana/web3.js';

import type { Runtime } from '@openvpp/runtime';
import type { AccountReader } from '@openvpp/sdk';

export interface Backend {
  reader: AccountReader;
  /** Fee payer for service-sent transactions. */
  payer: Keypair;
  send(ixs: TransactionInstruction[], signers: Keypair[]): Promise<{ signature: string; logs: string[] }>;
  /** Cluster unix time (seconds). */
  now(): Promise<bigint>;
}

/** A transaction the cluster refused, with its logs and custom error code. */
export class SendFailedError extends Error {
  constructor(
    message: string,
    readonly customCode: number | undefined,
    readonly logs: string[],
  ) {
    super(message);
    this.name = 'SendFailedError';
  }
}

export function runtimeBackend(rt: Runtime): Backend {
  return {
    reader: rt,
    payer: rt.payer,
    async send(ixs, signers) {
      const out = rt.tryInstructions(ixs, signers);
      if (out.err) throw new SendFailedError(out.err.message, out.err.customCode ?? undefined, out.logs);
      return { signature: out.signature, logs: out.logs };
    },
    async now() {
      return BigInt(rt.getClock().unixTimestamp);
    },
  };
}

export function rpcBackend(connection: Connection, payer: Keypair): Backend {
  return {
    reader: connection,
    payer,
    async send(ixs, signers) {
      const tx = new Transaction().add(...ixs);
      try {
        const signature = await sendAndConfirmTransaction(connection, tx, [payer, ...signers], {
          commitment: 'confirmed',
        });
        return { signature, logs: [] };
      } catch (e) {
        const err = e as { message: string; logs?: string[] };
        const hex = /custom program error: 0x([0-9a-f]+)/i.exec(err.message);
        throw new SendFailedError(err.message, hex ? parseInt(hex[1], 16) : undefined, err.logs ?? []);
      }
    },
    async now() {
      const slot = await connection.getSlot('confirmed');
      return BigInt((await connection.getBlockTime(slot)) ?? Math.floor(Date.now() / 1000));
    },
  };
}
