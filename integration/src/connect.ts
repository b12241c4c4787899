// @openvpp/integration/connect (Node only): a device connects to a utility's endpoint over TLS/WSS
// pinned to the route's SPKI pins and does the protocol's first exchange (OpenADR 3 `GET /programs`,
// IEEE 2030.5 `GET /dcap`, OCPP 2.0.1 BootNotification). The SDK's `connectRoute` reads the route
// on-chain and calls `connectEndpoint`.
import { ConnectError } from './errors';
import type { Limits } from './http';
import type { DeviceCredentials, EndpointProtocol } from './protocols/exchange';
import { type Sep2First, sep2First } from './protocols/ieee2030_5';
import { type OcppFirst, ocppFirst } from './protocols/ocpp201';
import { type OpenAdrFirst, openAdrFirst } from './protocols/openadr3';
import type { TlsInfo } from './tls';

export { ConnectError, isConnectError, type ConnectFailure } from './errors';
export type { DeviceCredentials, EndpointProtocol } from './protocols/exchange';
export { DEFAULT_BOOT_NOTIFICATION, type OcppFirst } from './protocols/ocpp201';
export type { OpenAdrFirst } from './protocols/openadr3';
export type { Sep2First } from './protocols/ieee2030_5';
export { spkiSha256, type ChainCertificate, type TlsInfo } from './tls';
export { wsClientFrame } from './ws';

/** Where to connect: a route's connection parameters. */
export interface EndpointParams {
  protocol: EndpointProtocol;
  endpoint: string;
  /** Hex SHA-256 SPKI pins (at least one). */
  certPins: string[];
}

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

export type FirstExchange = OpenAdrFirst | Sep2First | OcppFirst;

export interface EndpointResult {
  protocol: EndpointProtocol;
  endpoint: string;
  /** The server key's SPKI SHA-256 (hex): one of the route's pins. */
  spkiSha256: string;
  tls: TlsInfo;
  first: FirstExchange;
  timings: { totalMs: number };
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

/**
 * Connects to connection parameters (a route's, or a resolver service's): pinned TLS/WSS to
 * `params.endpoint` (the CA chain AND one of `params.certPins` must match; a valid chain with a
 * foreign key is `PinMismatch`), then the protocol's first exchange. Throws `ConnectError`.
 */
export async function connectEndpoint(params: EndpointParams, opts: ConnectOptions = {}): Promise<EndpointResult> {
  const started = Date.now();
  let url: URL;
  try {
    url = new URL(params.endpoint);
  } catch {
    throw new ConnectError('InvalidEndpoint', `not a URL: ${params.endpoint}`);
  }
  if (url.username || url.password) throw new ConnectError('InvalidEndpoint', 'endpoint carries userinfo');
  if (params.certPins.length === 0) throw new ConnectError('InvalidEndpoint', 'the route has no certificate pins');
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
