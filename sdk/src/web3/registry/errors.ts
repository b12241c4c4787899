import * as generated from '../../generated/registry/errors';
import { ProgramError, generatedErrors, programErrors } from '../common/errors';

/**
 * Registry program error names: the generated client's error names (codes 6000+), as plain `string`.
 */
export type RegistryErrorName = string;

const registry = programErrors<RegistryErrorName>(
  'ovpp_registry',
  generatedErrors(generated, 'OVPP_REGISTRY_ERROR__', generated.getOvppRegistryErrorMessage),
);

/** Numeric code of every registry error, e.g. `RegistryErrorCode.Unauthorized === 6000`. */
export const RegistryErrorCode = registry.codes;

/** A registry program error decoded from a failed transaction. */
export type RegistryProgramError = ProgramError<RegistryErrorName>;

/** Looks a custom error code up; `undefined` when it is not a registry error. */
export const registryErrorFromCode = registry.fromCode;

/** Typed registry error from a failed send (runtime error/outcome or web3.js error), if any. */
export const parseRegistryError = registry.parse;

/** True when `error` is a registry error (optionally the named one). */
export const isRegistryError = registry.is;
