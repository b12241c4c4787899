import idl from '../../idl/ovpp_registry.json';
import { ClientError, ProgramError, programErrors } from '../common/errors';

/**
 * Registry program error names: the IDL's `errors[].name` (codes 6000+). Plain `string`, as a JSON
 * import types them anyway, so the published declarations never inline the IDL.
 */
export type RegistryErrorName = string;

const registry = programErrors<RegistryErrorName>('ovpp_registry', idl.errors);

/** Numeric code of every registry error, e.g. `RegistryErrorCode.Unauthorized === 6000`. */
export const RegistryErrorCode = registry.codes;

/** A registry program error decoded from a failed transaction. */
export type RegistryProgramError = ProgramError<RegistryErrorName>;

/** The SDK's one client-side error (`ClientError`), under the registry's older name. */
export const RegistryClientError = ClientError;
export type RegistryClientError = ClientError;

/** Looks a custom error code up; `undefined` when it is not a registry error. */
export const registryErrorFromCode = registry.fromCode;

/** Typed registry error from a failed send (runtime error/outcome or web3.js error), if any. */
export const parseRegistryError = registry.parse;

/** True when `error` is a registry error (optionally the named one). */
export const isRegistryError = registry.is;
