import * as generated from '../../generated/routing/errors';
import { ProgramError, generatedErrors, programErrors } from '../common/errors';

/**
 * Routing program error names: the generated client's error names (codes 6000+), as plain `string`.
 */
export type RoutingErrorName = string;

const routing = programErrors<RoutingErrorName>(
  'ovpp_routing',
  generatedErrors(generated, 'OVPP_ROUTING_ERROR__', generated.getOvppRoutingErrorMessage),
);

export const RoutingErrorCode = routing.codes;
export type RoutingProgramError = ProgramError<RoutingErrorName>;
/** Typed routing error from a failed send, if any. */
export const parseRoutingError = routing.parse;
/** True when `error` is a routing error (optionally the named one). */
export const isRoutingError = routing.is;
