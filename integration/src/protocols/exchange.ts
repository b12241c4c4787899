// What every first exchange of a device runs on: the endpoint URL, the pinned TLS material, one
// deadline and size limit, the device's credentials; and the pinned HTTPS request they share.
import { ConnectError } from '../errors';
import { type HttpResponse, type Limits, httpExchange, problemOf, remaining } from '../http';
import { type Connection, type Endpoint, type TlsInfo, type TlsOptions, openConnection, tlsInfo } from '../tls';

/** The endpoint protocols a route can name. */
export type EndpointProtocol = 'openAdr3Vtn' | 'ieee2030Dot5' | 'ocpp201Csms';

export interface DeviceCredentials {
  /** Client certificate and key (PEM): IEEE 2030.5, OCPP security profile 3. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** OCPP Basic-auth password (profile 2; the username is the station identity). */
  password?: string;
  /** OpenADR 3 OAuth2 client credentials. */
  clientId?: string;
  clientSecret?: string;
}

export interface ExchangeContext {
  url: URL;
  /** Pins (at least one), trust anchors, client certificate. */
  tlsOpts: TlsOptions & { pins: string[] };
  limits: Limits;
  credentials: DeviceCredentials;
}

export interface ExchangeResult<F> {
  first: F;
  tls: TlsInfo;
  spki: string;
}

/** Host, port and security of a URL (IPv6 brackets removed). */
export function endpointOf(url: URL): Endpoint {
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (secure ? 443 : 80)), secure };
}

/** A device's connection: `handshake`-mode TLS held to the route's pins within the deadline. */
export function openPinned(
  url: URL,
  ctx: Pick<ExchangeContext, 'tlsOpts' | 'limits'>,
  what: string,
): Promise<Connection> {
  return openConnection(endpointOf(url), {
    ...ctx.tlsOpts,
    timeoutMs: remaining(ctx.limits, what),
    verify: 'handshake',
    what,
  });
}

/** One pinned HTTPS request (fresh connection): the response with the session's TLS facts. */
export async function pinnedRequest(
  url: URL,
  ctx: Pick<ExchangeContext, 'tlsOpts' | 'limits'>,
  {
    method = 'GET',
    headers = {},
    body,
    what,
  }: { method?: string; headers?: Record<string, string>; body?: string; what: string },
): Promise<HttpResponse & { tls: TlsInfo; spki: string }> {
  if (url.protocol !== 'https:') throw new ConnectError('InvalidEndpoint', `${what}: ${url.protocol} is not https`);
  const conn = await openPinned(url, ctx, what);
  const res = await httpExchange(
    conn,
    { method, path: `${url.pathname}${url.search}`, host: url.host, headers, body },
    { timeoutMs: remaining(ctx.limits, what), maxBytes: ctx.limits.maxResponseBytes, what },
  );
  return { ...res, tls: tlsInfo(conn.session!), spki: conn.session!.spki };
}

/** Throws the `ConnectError` an unexpected HTTP status means. */
export function refuse(res: HttpResponse, what: string): never {
  const detail = problemOf(res);
  if (res.status === 401) throw new ConnectError('Unauthorized', `${what}: HTTP 401 ${detail}`, { status: 401 });
  if (res.status === 403) throw new ConnectError('Forbidden', `${what}: HTTP 403 ${detail}`, { status: 403 });
  throw new ConnectError('BadResponse', `${what}: HTTP ${res.status} ${detail}`, { status: res.status });
}
