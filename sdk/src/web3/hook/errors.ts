import * as generated from '../../generated/hook/errors';
import { ProgramError, generatedErrors, programErrors } from '../common/errors';

/**
 * Hook program error names: the generated client's error names (codes 6000+), as plain `string`.
 */
export type HookErrorName = string;
const hook = programErrors<HookErrorName>(
  'ovpp_hook',
  generatedErrors(generated, 'OVPP_HOOK_ERROR__', generated.getOvppHookErrorMessage),
);
export const HookErrorCode = hook.codes;
export type HookProgramError = ProgramError<HookErrorName>;
/** Typed hook error (e.g. `RecipientNotParticipant`) from a failed unit-token transfer. */
export const parseHookError = hook.parse;
export const isHookError = hook.is;
