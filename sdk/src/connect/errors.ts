import type { ResolveFailure } from '../web3/routing/accounts';

/** Why `connectRoute` refused or failed. */
export type ConnectFailure =
  /** The device has no usable route (`resolveFailure` says why). */
  | 'NoRoute'
  /** The route's endpoint is not a URL this client can connect to. */
  | 'InvalidEndpoint'
  /** The credentials the protocol needs were not given (nothing was sent). */
  | 'MissingCredentials'
  /** The CA chain (and host name) verified, but the server's SPKI SHA-256 is none of the route's pins. */
  | 'PinMismatch'
  /** The TLS handshake failed: untrusted or expired chain, host name mismatch, client certificate refused... */
  | 'TlsFailed'
  /** Nothing answered at the endpoint (connection refused, unreachable host, reset before TLS). */
  | 'Unreachable'
  /** The server refused the device's credentials (HTTP 401, OAuth `invalid_client`, 2030.5 403 without a certificate). */
  | 'Unauthorized'
  /** The credentials are valid but lack a permission (HTTP 403 with a reason, e.g. a missing OAuth scope). */
  | 'Forbidden'
  /** The OCPP CSMS did not select the `ocpp2.0.1` WebSocket subprotocol. */
  | 'SubprotocolRejected'
  /** The first exchange was answered with a refusal (OCPP CALLERROR or a `Rejected` BootNotification). */
  | 'Rejected'
  /** The connect or first exchange took longer than `timeoutMs`. */
  | 'Timeout'
  /** A response exceeded `maxResponseBytes`. */
  | 'TooLarge'
  /** The server answered, but not with what the protocol's first exchange requires. */
  | 'BadResponse';

/** A failed `connectRoute`: `reason` is stable, `message` is for humans (never holds credentials). */
export class ConnectError extends Error {
  readonly reason: ConnectFailure;
  /** With `NoRoute`: what `resolveRoute` said. */
  readonly resolveFailure?: ResolveFailure;
  /** The HTTP status when the failure came with one. */
  readonly status?: number;

  constructor(
    reason: ConnectFailure,
    message: string,
    extra: { resolveFailure?: ResolveFailure; status?: number; cause?: unknown } = {},
  ) {
    super(`${reason}: ${message}`, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'ConnectError';
    this.reason = reason;
    if (extra.resolveFailure) this.resolveFailure = extra.resolveFailure;
    if (extra.status !== undefined) this.status = extra.status;
  }
}

export const isConnectError = (e: unknown): e is ConnectError => e instanceof ConnectError;
