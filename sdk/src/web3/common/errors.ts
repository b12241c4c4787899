export { ClientError, type ClientErrorReason } from '../../errors';

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

/**
 * A program's errors as the generated client declares them: its `<PREFIX>_ERROR__<NAME>` code
 * constants (the name in the program's PascalCase) with the generated message of each.
 */
export function generatedErrors(
  errorModule: Record<string, unknown>,
  prefix: string,
  message: (code: never) => string,
): { code: number; name: string; msg: string }[] {
  const pascal = (snake: string) =>
    snake
      .toLowerCase()
      .split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
  return Object.entries(errorModule)
    .filter((entry): entry is [string, number] => entry[0].startsWith(prefix) && typeof entry[1] === 'number')
    .map(([key, code]) => ({ code, name: pascal(key.slice(prefix.length)), msg: message(code as never) }));
}

/** Typed error helpers for one program, from its errors (see `generatedErrors`). */
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
