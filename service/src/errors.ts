// Errors the API returns: every failure a caller can cause has a name, an HTTP status and a
// sentence saying what to do. Program refusals keep the program's error name and code.
import { PublicKey } from '@solana/web3.js';

import {
  HOOK_PROGRAM_ID,
  PAYMENTS_PROGRAM_ID,
  REGISTRY_PROGRAM_ID,
  ROUTING_PROGRAM_ID,
  parseHookError,
  parsePaymentsError,
  parseRegistryError,
  parseRoutingError,
  type ProgramError,
} from '@openvpp/sdk/web3';

import type { SendFailedError } from './backend';
import { FRAMEWORK_ERRORS } from './framework-errors';

/** An error response: `{ error, message, code? }` with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

export const notFound = (what: string, hint: string) => new HttpError(404, 'NotFound', `${what} not found: ${hint}`);

/** Anchor errors meaning "no such account here": the request names an account that does not exist. */
const MISSING_ACCOUNT = new Set([
  'AccountNotInitialized',
  'AccountDiscriminatorNotFound',
  'AccountOwnedByWrongProgram',
]);

const SYSTEM_PROGRAM = '11111111111111111111111111111111';

/** Each OpenVPP program's error decoder, by program id: a custom code means something only to its program. */
const PROGRAM_ERRORS = new Map<string, (e: unknown) => ProgramError | undefined>([
  [REGISTRY_PROGRAM_ID.toBase58(), parseRegistryError],
  [ROUTING_PROGRAM_ID.toBase58(), parseRoutingError],
  [PAYMENTS_PROGRAM_ID.toBase58(), parsePaymentsError],
  [HOOK_PROGRAM_ID.toBase58(), parseHookError],
]);

/**
 * The program that raised the error, from the transaction logs: the first `Program X failed`
 * line. A failure inside a CPI is logged by the callee first, then by every caller up the stack
 * with the same code, so the last such line names the outermost caller, not the thrower.
 */
export function failedProgram(logs: string[]): string | undefined {
  for (const line of logs) {
    const m = /^Program (\w+) failed/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** The account Anchor blamed (`AnchorError caused by account: x.`), if any. */
function blamedAccount(logs: string[]): string | undefined {
  for (const line of logs) {
    const m = /AnchorError caused by account: (\w+)\./.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * A refused transaction as an HTTP error: 422 with the program's error name, code and message
 * for program rules; 404 when the request names an account that does not exist; never a bare
 * "custom program error".
 */
export function refusal(e: SendFailedError): HttpError {
  const { customCode: code, logs } = e;
  const program = failedProgram(logs);
  if (code !== undefined && code >= 6000) {
    // Only the program that raised the code can name it (codes 6000+ overlap between programs);
    // with no failing program in the logs, nothing is guessed.
    const typed = program === undefined ? undefined : PROGRAM_ERRORS.get(program)?.(e);
    if (typed) {
      return new HttpError(
        422,
        typed.errorName,
        `refused by ${typed.program}: ${typed.message.replace(/^[^:]+: [^:]+: /, '')}`,
        code,
      );
    }
  }
  const framework = code !== undefined && code < 6000 && program !== SYSTEM_PROGRAM && FRAMEWORK_ERRORS.get(code);
  if (framework) {
    const { name, message } = framework;
    const account = blamedAccount(logs);
    if (MISSING_ACCOUNT.has(name)) {
      return new HttpError(
        404,
        'AccountNotFound',
        `no ${account ? `\`${account}\` ` : ''}account exists for the keys in this request (${name}): ` +
          'check the program, device or subject keys (account addresses, as returned by the registry)',
        code,
      );
    }
    return new HttpError(
      422,
      name,
      `refused by the program${account ? ` (account \`${account}\`)` : ''}: ${message}`,
      code,
    );
  }
  if (program === SYSTEM_PROGRAM && code === 0) {
    return new HttpError(
      422,
      'AlreadyExists',
      'an account this request creates already exists (e.g. the same attestation was already recorded)',
      code,
    );
  }
  return new HttpError(
    422,
    'TransactionFailed',
    `the cluster refused the transaction (${e.message.replace(/custom program error: 0x[0-9a-f]+/i, 'a program error')})`,
    code,
  );
}

const validKeys = new Set<string>();
/**
 * The ajv `solana-pubkey` format: the canonical base58 encoding of exactly 32 bytes. Valid keys
 * are remembered (up to 100,000) so hot lookups skip the decode.
 */
export function isPublicKey(s: string): boolean {
  if (validKeys.has(s)) return true;
  if (s.length < 32 || s.length > 44) return false;
  let ok = false;
  try {
    ok = new PublicKey(s).toBase58() === s;
  } catch {
    ok = false;
  }
  if (ok) {
    if (validKeys.size >= 100_000) validKeys.clear();
    validKeys.add(s);
  }
  return ok;
}
