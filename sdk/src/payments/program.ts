import type { PublicKey, TransactionInstruction } from '@solana/web3.js';

import { BorshCoder, buildInstruction, type Idl } from '../common/anchor';

import idlJson from '../../idl/ovpp_payments.json';

/** The payments IDL as generated from the program (never edited by hand). */
export const PAYMENTS_IDL = idlJson as unknown as Idl;
export const paymentsCoder = new BorshCoder(PAYMENTS_IDL);

/**
 * One payments instruction from the IDL (account order and flags from the IDL). An optional
 * account (`Option<...>` in the program) left out, or given as `null`, is passed as the
 * program id, read-only: Anchor's encoding of `None`.
 */
export const paymentsInstruction = (
  programId: PublicKey,
  name: string,
  accounts: Record<string, PublicKey | null | undefined>,
  args: Record<string, unknown> = {},
): TransactionInstruction => {
  const def = PAYMENTS_IDL.instructions.find((i) => i.name === name);
  const omitted = new Set<string>();
  const filled: Record<string, PublicKey> = {};
  for (const a of def?.accounts ?? []) {
    if (!('name' in a) || 'accounts' in a) continue;
    const given = accounts[a.name];
    if (given) filled[a.name] = given;
    else if ((a as { optional?: boolean }).optional) {
      filled[a.name] = programId;
      omitted.add(a.name);
    }
  }
  const ix = buildInstruction(PAYMENTS_IDL, paymentsCoder, programId, name, { ...filled }, args);
  def?.accounts.forEach((a, i) => {
    if ('name' in a && omitted.has(a.name)) ix.keys[i] = { pubkey: programId, isSigner: false, isWritable: false };
  });
  return ix;
};
