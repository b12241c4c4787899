import idl from '../../idl/ovpp_registry.json';

/** Registry program error names, from the IDL (codes 6000+). */
export type RegistryErrorName = (typeof idl.errors)[number]['name'];

const BY_CODE = new Map<number, { name: RegistryErrorName; msg: string }>(
  idl.errors.map((e) => [e.code, { name: e.name as RegistryErrorName, msg: e.msg }]),
);

/** Numeric code of every registry error, e.g. `RegistryErrorCode.Unauthorized === 6000`. */
export const RegistryErrorCode = Object.fromEntries(idl.errors.map((e) => [e.name, e.code])) as {
  [K in RegistryErrorName]: number;
};

/** A registry program error decoded from a failed transaction. */
export class RegistryProgramError extends Error {
  constructor(
    readonly code: number,
    readonly errorName: RegistryErrorName,
    message: string,
    readonly logs: string[] = [],
  ) {
    super(`${errorName} (${code}): ${message}`);
    this.name = 'RegistryProgramError';
  }
}

/** A client-side validation error, thrown before anything is sent. */
export class RegistryClientError extends Error {
  constructor(
    readonly reason:
      | 'InvalidName'
      | 'InvalidPartnerName'
      | 'InvalidFingerprint'
      | 'InvalidCertificate'
      | 'TooManyCaFingerprints'
      | 'InvalidCapabilities',
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = 'RegistryClientError';
  }
}

/** Looks a custom error code up; `undefined` when it is not a registry error. */
export function registryErrorFromCode(code: number, logs: string[] = []): RegistryProgramError | undefined {
  const e = BY_CODE.get(code);
  return e && new RegistryProgramError(code, e.name, e.msg, logs);
}

/**
 * Extracts a typed registry error from anything a send can throw or return: a runtime
 * `TransactionFailedError`, a runtime outcome `{ err: { customCode } }`, or a web3.js
 * `SendTransactionError` whose logs carry `custom program error: 0x....`.
 */
export function parseRegistryError(error: unknown): RegistryProgramError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as {
    customCode?: number;
    err?: { customCode?: number | null } | null;
    logs?: string[];
    transactionLogs?: string[];
    message?: string;
  };
  const logs = e.logs ?? e.transactionLogs ?? [];
  const code = e.customCode ?? e.err?.customCode ?? undefined;
  if (typeof code === 'number') return registryErrorFromCode(code, logs);
  const hex = /custom program error: 0x([0-9a-f]+)/i.exec([e.message ?? '', ...logs].join('\n'));
  return hex ? registryErrorFromCode(parseInt(hex[1], 16), logs) : undefined;
}

export function isRegistryError(error: unknown, name?: RegistryErrorName): error is RegistryProgramError {
  const parsed = error instanceof RegistryProgramError ? error : parseRegistryError(error);
  return !!parsed && (name === undefined || parsed.errorName === name);
}
