// @openvpp/sdk/connect (Node only): a device resolves its route on-chain and connects to the
// utility's endpoint through @openvpp/integration (TLS/WSS pinned to the route's SPKI pins, then
// the protocol's first exchange). Not part of the browser-safe root entry (it needs node:tls).
import type { PublicKey } from '@solana/web3.js';

import {
  type ConnectOptions,
  ConnectError,
  type EndpointResult,
  connectEndpoint as connectToEndpoint,
} from '@openvpp/integration/connect';

import type { AccountReader } from '../web3/common/kit';
import { findDevicePda } from '../web3/registry/pdas';
import { resolveRoute } from '../web3/routing/accounts';
import type { ConnectionParams, Protocol, Route } from '../web3/routing/types';

export {
  ConnectError,
  DEFAULT_BOOT_NOTIFICATION,
  isConnectError,
  spkiSha256,
  wsClientFrame,
  type ChainCertificate,
  type ConnectFailure,
  type ConnectOptions,
  type DeviceCredentials,
  type FirstExchange,
  type OcppFirst,
  type OpenAdrFirst,
  type Sep2First,
  type TlsInfo,
} from '@openvpp/integration/connect';

export interface ConnectRouteOptions extends ConnectOptions {
  /** Where routes are read: a web3.js `Connection`, the embedded `Runtime`, anything with `getAccountInfo`. */
  reader: AccountReader;
  /** The utility program account (routing). */
  program: PublicKey;
  /** The registry device account... */
  device?: PublicKey;
  /** ...or the device key (its device account is derived). */
  deviceKey?: PublicKey;
  /** Unix seconds for the expiry check (default: this machine's clock). */
  now?: bigint;
  programId?: PublicKey;
  registryProgramId?: PublicKey;
}

export interface ConnectResult extends EndpointResult {
  protocol: Protocol;
  /** The route connected through (absent for `connectEndpoint`). */
  route?: Route;
}

/**
 * Connects to already-resolved connection parameters (e.g. from a resolver service): pinned
 * TLS/WSS to `params.endpoint`, then the protocol's first exchange.
 */
export function connectEndpoint(params: ConnectionParams, opts: ConnectOptions = {}): Promise<ConnectResult> {
  return connectToEndpoint(params, opts);
}

/**
 * A device connects through its route: `resolveRoute` (approved enrollment, active device and
 * utility, live route), then pinned TLS/WSS to `route.endpoint` (the CA chain AND one of
 * `route.certPins` must match; a valid chain with a foreign key is `PinMismatch`), then the
 * protocol's first exchange (OpenADR 3 `GET /programs`, 2030.5 `GET /dcap`, OCPP BootNotification).
 * Throws `ConnectError` with a named `reason`.
 */
export async function connectRoute(opts: ConnectRouteOptions): Promise<ConnectResult> {
  const { reader, program, programId, registryProgramId } = opts;
  const device =
    opts.device ??
    (opts.deviceKey &&
      findDevicePda({ deviceKey: opts.deviceKey, ...(registryProgramId ? { programId: registryProgramId } : {}) })[0]);
  if (!device) throw new ConnectError('NoRoute', 'give the device account or the device key');
  const now = opts.now ?? BigInt(Math.floor(Date.now() / 1000));
  const resolved = await resolveRoute(reader, {
    program,
    device,
    now,
    ...(programId ? { programId } : {}),
    ...(registryProgramId ? { registryProgramId } : {}),
  });
  if (!resolved.ok) {
    throw new ConnectError('NoRoute', `device ${device.toBase58()} has no usable route: ${resolved.reason}`, {
      resolveFailure: resolved.reason,
    });
  }
  const result = await connectEndpoint(resolved.params, opts);
  return { ...result, route: resolved.route };
}
