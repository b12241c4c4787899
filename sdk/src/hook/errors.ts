import hookIdl from '../../idl/ovpp_hook.json';
import { ProgramError, programErrors } from '../common/errors';

/**
 * Hook program error names: the IDL's `errors[].name` (codes 6000+). Plain `string`, as a JSON
 * import types them anyway, so the published declarations never inline the IDL.
 */
export type HookErrorName = string;
const hook = programErrors<HookErrorName>('ovpp_hook', hookIdl.errors);
export const HookErrorCode = hook.codes;
export type HookProgramError = ProgramError<HookErrorName>;
/** Typed hook error (e.g. `RecipientNotParticipant`) from a failed unit-token transfer. */
export const parseHookError = hook.parse;
export const isHookError = hook.is;
