import idl from '../../idl/ovpp_routing.json';
import { ClientError, ProgramError, programErrors } from '../common/errors';

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

/** The SDK's one client-side error (`ClientError`), under the routing module's older name. */
export const RoutingClientError = ClientError;
export type RoutingClientError = ClientError;
