import idl from '../../idl/ovpp_payments.json';
import { ProgramError, programErrors } from '../common/errors';

/**
 * Payments program error names: the IDL's `errors[].name` (codes 6000+). Plain `string`, as a JSON
 * import types them anyway, so the published declarations never inline the IDL.
 */
export type PaymentsErrorName = string;

const payments = programErrors<PaymentsErrorName>('ovpp_payments', idl.errors);

/** Numeric code of every payments error, e.g. `PaymentsErrorCode.StaleOraclePrice`. */
export const PaymentsErrorCode = payments.codes;
export type PaymentsProgramError = ProgramError<PaymentsErrorName>;
/** Typed payments error from a failed send, if any. */
export const parsePaymentsError = payments.parse;
/** True when `error` is a payments error (optionally the named one). */
export const isPaymentsError = payments.is;
