import { BorshCoder, type Idl } from '../common/anchor';

import idlJson from '../../idl/ovpp_payments.json';

/** The payments IDL as generated from the program (never edited by hand). */
export const PAYMENTS_IDL = idlJson as unknown as Idl;
/** Anchor's coder over the IDL, for events only (the generated client has no event decoders). */
export const paymentsCoder = new BorshCoder(PAYMENTS_IDL);
