// A world is built as a plan: the transactions to send, in order, and what they create. One
// plan runs over any `Sender` (`apply`: the embedded runtime, a localnet node, JSON-RPC) or,
// synchronously, over a runtime-shaped object (`applySync`: the embedded runtime or a node's
// ledgered runtime, for synchronous tests and CLI commands).
import type { Runtime } from '@openvpp/runtime';
import type { Sender } from '@openvpp/sdk';
import { SystemProgram, type Keypair, type PublicKey, type Signer, type TransactionInstruction } from '@solana/web3.js';

/** One step of a plan. */
export type Step =
  /** A transaction: `instructions` signed by the payer and `signers`. */
  | { instructions: TransactionInstruction[]; signers?: Signer[] }
  /**
   * A transaction creating the rent-exempt account `account` (`space` bytes owned by
   * `programId`, signed by it) followed by `instructions`.
   */
  | { account: Keypair; space: number; programId: PublicKey; instructions: TransactionInstruction[] }
  /** Lamports for `to` from the payer. */
  | { airdrop: PublicKey; lamports: bigint }
  /** Progress: called once every step before it was sent. */
  | { report: () => void };

/** Steps to send, and what they create once sent. */
export interface Plan<T> {
  steps: Step[];
  value: T;
}

/** What `applySync` needs of a runtime. */
export type SyncRuntime = Pick<Runtime, 'payer' | 'processInstructions' | 'airdrop' | 'minimumBalanceForRentExemption'>;

function transaction(
  step: Extract<Step, { instructions: TransactionInstruction[] }>,
  payer: PublicKey,
  rent: bigint,
): { instructions: TransactionInstruction[]; signers: Signer[] } {
  if (!('account' in step)) return { instructions: step.instructions, signers: step.signers ?? [] };
  const create = SystemProgram.createAccount({
    fromPubkey: payer,
    newAccountPubkey: step.account.publicKey,
    space: step.space,
    lamports: Number(rent),
    programId: step.programId,
  });
  return { instructions: [create, ...step.instructions], signers: [step.account] };
}

/** Sends `plan` through `sender` (each transaction must succeed); resolves with its value. */
export async function apply<T>(sender: Sender, plan: Plan<T>): Promise<T> {
  for (const step of plan.steps) {
    if ('report' in step) step.report();
    else if ('airdrop' in step) await sender.airdrop(step.airdrop, step.lamports);
    else {
      const rent = 'account' in step ? await sender.minimumBalanceForRentExemption(step.space) : 0n;
      const { instructions, signers } = transaction(step, sender.payer.publicKey, rent);
      await sender.send(instructions, signers);
    }
  }
  return plan.value;
}

/** `apply` on a synchronous runtime. */
export function applySync<T>(rt: SyncRuntime, plan: Plan<T>): T {
  for (const step of plan.steps) {
    if ('report' in step) step.report();
    else if ('airdrop' in step) rt.airdrop(step.airdrop, step.lamports);
    else {
      const rent = 'account' in step ? rt.minimumBalanceForRentExemption(step.space) : 0n;
      const { instructions, signers } = transaction(step, rt.payer.publicKey, rent);
      rt.processInstructions(instructions, signers);
    }
  }
  return plan.value;
}
