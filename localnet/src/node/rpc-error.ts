// JSON-RPC 2.0 errors with the codes and messages an Agave validator uses, and a serializer that
// writes u64 values (bigint) as exact JSON numbers, as the validator does (e.g. rentEpoch
// 18446744073709551615).

/** Standard JSON-RPC codes and the Agave server codes this node can return. */
export const RpcCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** `sendTransaction` preflight simulation failed; `data` is the simulation result. */
  SendTransactionPreflightFailure: -32002,
  TransactionSignatureVerificationFailure: -32003,
  TransactionSignatureLenMismatch: -32013,
  UnsupportedTransactionVersion: -32015,
  MinContextSlotNotReached: -32016,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export const invalidParams = (message: string) => new RpcError(RpcCode.InvalidParams, message);

const BIG = '\u0000big:';

/** `JSON.stringify` that writes bigints as plain JSON numbers (exact u64). */
export function stringify(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${BIG}${v.toString()}` : v));
  return text.includes('\\u0000big:') ? text.replace(/"\\u0000big:(-?\d+)"/g, '$1') : text;
}
