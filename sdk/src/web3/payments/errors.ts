import * as generated from '../../generated/payments/errors';
import { ProgramError, generatedErrors, programErrors } from '../common/errors';

/**
 * Payments program error names: the generated client's error names (codes 6000+), as plain `string`.
 */
export type PaymentsErrorName = string;

const payments = programErrors<PaymentsErrorName>(
  'ovpp_payments',
  generatedErrors(generated, 'OVPP_PAYMENTS_ERROR__', generated.getOvppPaymentsErrorMessage),
);

/** Numeric code of every payments error, e.g. `PaymentsErrorCode.StaleOraclePrice`. */
export const PaymentsErrorCode = payments.codes;
export type PaymentsProgramError = ProgramError<PaymentsErrorName>;
/** Typed payments error from a failed send, if any. */
export const parsePaymentsError = payments.parse;
/** True when `error` is a payments error (optionally the named one). */
export const isPaymentsError = payments.is;
