// The indexer's named errors: bad options, a JSON-RPC error (with the node's code) or an
// unusable answer from the node.

/** An option given to the indexer is not usable (a URL, a program id, a page size). */
export class IndexerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexerConfigError';
  }
}

/**
 * The node answered a call with a JSON-RPC error (`code` is the node's), or with an HTTP
 * status other than 200 (`code` is then the HTTP status and `httpStatus` is set).
 */
export class IndexerRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data?: unknown,
    readonly httpStatus?: number,
  ) {
    super(`${method}: JSON-RPC ${code}: ${message}`);
    this.name = 'IndexerRpcError';
  }
}

/** The node's answer is not what the method returns (e.g. a listed transaction it cannot return). */
export class IndexerDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexerDataError';
  }
}

/** What a query refused, by name (the service answers these with 400s). */
export type QueryErrorCode =
  | 'InvalidPeriod'
  | 'InvalidDay'
  | 'InvalidRange'
  | 'RangeTooLarge'
  | 'InvalidCursor'
  | 'PageTooLarge'
  | 'InvalidLimit'
  | 'InvalidAddress'
  | 'InvalidLfdi'
  /** A compressed-device tree or leaf the index does not hold. */
  | 'NotFound';

/** A query's argument is not usable: `code` names what (a malformed period, an oversized page, ...). */
export class IndexerQueryError extends Error {
  constructor(
    readonly code: QueryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IndexerQueryError';
  }
}

/** The node could not be reached (connection refused, reset, timed out). */
export class IndexerUnreachableError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly cause: unknown,
  ) {
    super(`${method}: ${url} is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'IndexerUnreachableError';
  }
}
