/** Why the SDK refused an input before anything was sent (see `ClientError`). */
export type ClientErrorReason =
  // registry
  | 'InvalidName'
  | 'InvalidPartnerName'
  | 'InvalidHandle'
  | 'InvalidFingerprint'
  | 'InvalidCertificate'
  | 'TooManyCaFingerprints'
  | 'InvalidCapabilities'
  // routing
  | 'InvalidProgramName'
  | 'InvalidEndpoint'
  | 'InvalidCertPins'
  // payments
  | 'InvalidAmount'
  | 'InvalidReading'
  | 'MissingInput'
  // reading accounts
  | 'UnknownVariant'
  | 'WrongAccountOwner'
  | 'WrongAccountType'
  | 'AccountNotFound';

/**
 * The one client-side error of the SDK: an input it refuses before anything is sent, or an
 * account it cannot read as asked. `reason` names the problem; the message says what to do.
 * (`RegistryClientError` and `RoutingClientError` are this class under older names.)
 */
export class ClientError extends Error {
  constructor(
    readonly reason: ClientErrorReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = 'ClientError';
  }
}

/** A program error decoded from a failed transaction. */
export class ProgramError<Name extends string = string> extends Error {
  constructor(
    readonly program: string,
    readonly code: number,
    readonly errorName: Name,
    message: string,
    readonly logs: string[] = [],
  ) {
    super(`${program}: ${errorName} (${code}): ${message}`);
    this.name = 'ProgramError';
  }
}

/** Pulls `Custom(code)` and logs out of anything a send can throw or return. */
export function customCodeOf(error: unknown): { code?: number; logs: string[] } {
  if (!error || typeof error !== 'object') return { logs: [] };
  const e = error as {
    customCode?: number;
    err?: { customCode?: number | null } | null;
    logs?: string[];
    transactionLogs?: string[];
    message?: string;
  };
  const logs = e.logs ?? e.transactionLogs ?? [];
  const code = e.customCode ?? e.err?.customCode ?? undefined;
  if (typeof code === 'number') return { code, logs };
  const hex = /custom program error: 0x([0-9a-f]+)/i.exec([e.message ?? '', ...logs].join('\n'));
  return { code: hex ? parseInt(hex[1], 16) : undefined, logs };
}

/** Typed error helpers for one program, built from its IDL's `errors`. */
export function programErrors<Name extends string>(
  program: string,
  errors: readonly { code: number; name: string; msg?: string }[],
) {
  const byCode = new Map(errors.map((e) => [e.code, e]));
  const codes = Object.fromEntries(errors.map((e) => [e.name, e.code])) as { [K in Name]: number };
  const fromCode = (code: number, logs: string[] = []): ProgramError<Name> | undefined => {
    const e = byCode.get(code);
    return e && new ProgramError<Name>(program, code, e.name as Name, e.msg ?? e.name, logs);
  };
  /**
   * Extracts a typed error from a runtime `TransactionFailedError`, a runtime outcome, or a
   * web3.js `SendTransactionError` whose logs carry `custom program error: 0x...`.
   */
  const parse = (error: unknown): ProgramError<Name> | undefined => {
    if (error instanceof ProgramError) return error.program === program ? error : undefined;
    const { code, logs } = customCodeOf(error);
    return code === undefined ? undefined : fromCode(code, logs);
  };
  const is = (error: unknown, name?: Name): boolean => {
    const parsed = parse(error);
    return !!parsed && (name === undefined || parsed.errorName === name);
  };
  return { codes, fromCode, parse, is };
}
