import type { PublicKey, TransactionInstruction } from '@solana/web3.js';

import { BorshCoder, buildInstruction, type Idl } from '../common/anchor';

import idlJson from '../../idl/ovpp_payments.json';

/** The payments IDL as generated from the program (never edited by hand). */
export const PAYMENTS_IDL = idlJson as unknown as Idl;
export const paymentsCoder = new BorshCoder(PAYMENTS_IDL);

/** One payments instruction from the IDL (account order and flags from the IDL). */
export const paymentsInstruction = (
  programId: PublicKey,
  name: string,
  accounts: Record<string, PublicKey>,
  args: Record<string, unknown> = {},
): TransactionInstruction => buildInstruction(PAYMENTS_IDL, paymentsCoder, programId, name, accounts, args);
