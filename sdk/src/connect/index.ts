// @openvpp/sdk/connect (Node only): a device resolves its route on-chain and connects to the
// utility's endpoint over TLS/WSS pinned to the route's SPKI pins, then does the protocol's first
// exchange. Not part of the browser-safe root entry (it needs node:tls, node:https, node:crypto).
import type { PublicKey } from '@solana/web3.js';

import type { AccountReader } from '../web3/common/kit';
import { findDevicePda } from '../web3/registry/pdas';
import { resolveRoute } from '../web3/routing/accounts';
import type { ConnectionParams, Protocol, Route } from '../web3/routing/types';
import { ConnectError } from './errors';
import type { Limits } from './http';
import {
  type DeviceCredentials,
  type OcppFirst,
  type OpenAdrFirst,
  type Sep2First,
  ocppFirst,
  openAdrFirst,
  sep2First,
} from './protocols';
import type { TlsInfo } from './tls';

export { ConnectError, isConnectError, type ConnectFailure } from './errors';
export {
  DEFAULT_BOOT_NOTIFICATION,
  type DeviceCredentials,
  type OcppFirst,
  type OpenAdrFirst,
  type Sep2First,
} from './protocols';
export { spkiSha256, type ChainCertificate, type TlsInfo } from './tls';
export { wsClientFrame } from './ws';

/** How to reach and authenticate to the endpoint (everything but the route itself). */
export interface ConnectOptions {
  /** The device's credentials; never logged, never put in results or error messages. */
  credentials?: DeviceCredentials;
  /** Trust anchors (PEM) for the server chain; the system store when absent. */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * Verify the host name against the server certificate (default true). The chain and the pin are
   * always verified; turn this off only for servers whose certificate lacks a matching SAN.
   */
  checkHostname?: boolean;
  /** Whole connect + first exchange deadline (default 10 s). */
  timeoutMs?: number;
  /** Largest response body or WebSocket message accepted (default 1 MiB). */
  maxResponseBytes?: number;
  /**
   * OpenADR: a token URL to use instead of discovery (3.1) or `<vtn>/auth/token` (3.0). It must be
   * https and is held to the route's pins like the VTN; a discovered token URL on another origin
   * is refused (`BadResponse`) unless given here.
   */
  tokenUrl?: string;
  /** OCPP: station identity appended to the endpoint path (default: the path's last segment is the identity). */
  identity?: string;
  /** OCPP: BootNotification payload (default `DEFAULT_BOOT_NOTIFICATION`). */
  bootNotification?: object;
}

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

export type FirstExchange = OpenAdrFirst | Sep2First | OcppFirst;

export interface ConnectResult {
  protocol: Protocol;
  endpoint: string;
  /** The server key's SPKI SHA-256 (hex): one of the route's pins. */
  spkiSha256: string;
  tls: TlsInfo;
  first: FirstExchange;
  timings: { totalMs: number };
  /** The route connected through (absent for `connectEndpoint`). */
  route?: Route;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

/**
 * Connects to already-resolved connection parameters (e.g. from a resolver service): pinned
 * TLS/WSS to `params.endpoint`, then the protocol's first exchange.
 */
export async function connectEndpoint(params: ConnectionParams, opts: ConnectOptions = {}): Promise<ConnectResult> {
  const started = Date.now();
  let url: URL;
  try {
    url = new URL(params.endpoint);
  } catch {
    throw new ConnectError('InvalidEndpoint', `not a URL: ${params.endpoint}`);
  }
  if (url.username || url.password) throw new ConnectError('InvalidEndpoint', 'endpoint carries userinfo');
  const limits: Limits = {
    deadline: started + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    maxResponseBytes: opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
  const credentials = opts.credentials ?? {};
  const ctx = {
    url,
    limits,
    credentials,
    tlsOpts: {
      pins: params.certPins,
      ca: opts.ca,
      cert: credentials.cert,
      key: credentials.key,
      checkHostname: opts.checkHostname,
    },
  };
  const r =
    params.protocol === 'openAdr3Vtn'
      ? await openAdrFirst(ctx, { tokenUrl: opts.tokenUrl })
      : params.protocol === 'ieee2030Dot5'
        ? await sep2First(ctx)
        : await ocppFirst(ctx, { identity: opts.identity, bootNotification: opts.bootNotification });
  return {
    protocol: params.protocol,
    endpoint: params.endpoint,
    spkiSha256: r.spki,
    tls: r.tls,
    first: r.first,
    timings: { totalMs: Date.now() - started },
  };
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
