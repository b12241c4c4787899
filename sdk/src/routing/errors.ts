import idl from '../../idl/ovpp_routing.json';
import { ProgramError, programErrors } from '../common/errors';

/**
 * Routing program error names: the IDL's `errors[].name` (codes 6000+). Plain `string`, as a JSON
 * import types them anyway, so the published declarations never inline the IDL.
 */
export type RoutingErrorName = string;

const routing = programErrors<RoutingErrorName>('ovpp_routing', idl.errors);

export const RoutingErrorCode = routing.codes;
export type RoutingProgramError = ProgramError<RoutingErrorName>;
/** Typed routing error from a failed send, if any. */
export const parseRoutingError = routing.parse;
/** True when `error` is a routing error (optionally the named one). */
export const isRoutingError = routing.is;

/** A client-side validation error, thrown before anything is sent. */
export class RoutingClientError extends Error {
  constructor(
    readonly reason: 'InvalidProgramName' | 'InvalidEndpoint' | 'InvalidCertPins',
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = 'RoutingClientError';
  }
}
