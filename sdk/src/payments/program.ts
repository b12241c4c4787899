import { BorshCoder, type Idl } from '@coral-xyz/anchor';

import idlJson from '../../idl/ovpp_payments.json';

/** The payments IDL as generated from the program (never edited by hand). */
export const PAYMENTS_IDL = idlJson as unknown as Idl;
export const paymentsCoder = new BorshCoder(PAYMENTS_IDL);
