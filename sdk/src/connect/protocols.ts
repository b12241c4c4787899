// The first exchange of each protocol, as a device: OpenADR 3 VEN, IEEE 2030.5 client, OCPP 2.0.1
// charging station. Each runs over pinned TLS (./tls) and fails with a named `ConnectError`.
import { randomUUID } from 'node:crypto';

import { deviceIdentity } from '../registry/identity';
import { ConnectError } from './errors';
import { type HttpResponse, type Limits, jsonBody, pinnedRequest, problemOf } from './http';
import type { PinnedTlsOptions, TlsInfo } from './tls';
import { openPinnedWebSocket } from './ws';

/** OpenADR 3 VEN: token by client credentials, then `GET /programs`. */
export interface OpenAdrFirst {
  kind: 'openadr3';
  /** `3.1` when the VTN answers `GET /auth/server` (discovery), else `3.0`. */
  version: '3.0' | '3.1';
  tokenUrl: string;
  /** The VTN's programs as it returned them. */
  programs: unknown[];
}

/** IEEE 2030.5: `GET /dcap` with the device certificate. */
export interface Sep2First {
  kind: 'ieee2030.5';
  url: string;
  contentType: string;
  /** `*Link` elements of the DeviceCapability by name -> href (e.g. EndDeviceListLink -> /edev). */
  links: Record<string, string>;
  pollRate?: number;
  /** The device certificate's LFDI (hex, upper case) and SFDI, as the server should know it. */
  lfdi: string;
  sfdi: string;
}

/** OCPP 2.0.1: `BootNotification` as a charging station. */
export interface OcppFirst {
  kind: 'ocpp2.0.1';
  subprotocol: string;
  identity: string;
  /** 2: TLS + Basic auth; 3: mutual TLS. */
  securityProfile: 2 | 3;
  status: string;
  interval?: number;
  currentTime?: string;
}

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
  tlsOpts: PinnedTlsOptions;
  limits: Limits;
  credentials: DeviceCredentials;
}

export interface ExchangeResult<F> {
  first: F;
  tls: TlsInfo;
  spki: string;
}

const base = (url: URL) => `${url.origin}${url.pathname.replace(/\/+$/, '')}`;

function refuse(res: HttpResponse, what: string): never {
  const detail = problemOf(res);
  if (res.status === 401) throw new ConnectError('Unauthorized', `${what}: HTTP 401 ${detail}`, { status: 401 });
  if (res.status === 403) throw new ConnectError('Forbidden', `${what}: HTTP 403 ${detail}`, { status: 403 });
  throw new ConnectError('BadResponse', `${what}: HTTP ${res.status} ${detail}`, { status: res.status });
}

/** OpenADR 3 as a VEN. The token URL must be on the VTN's origin (so it is pinned too) unless given. */
export async function openAdrFirst(
  ctx: ExchangeContext,
  { tokenUrl: givenTokenUrl }: { tokenUrl?: string } = {},
): Promise<ExchangeResult<OpenAdrFirst>> {
  const { clientId, clientSecret } = ctx.credentials;
  if (!clientId || !clientSecret) {
    throw new ConnectError('MissingCredentials', 'OpenADR 3 needs an OAuth client id and secret');
  }
  const vtn = base(ctx.url);
  const req = { tlsOpts: ctx.tlsOpts, limits: ctx.limits };
  const discovery = await pinnedRequest(new URL(`${vtn}/auth/server`), {
    ...req,
    headers: { accept: 'application/json' },
    what: 'GET /auth/server',
  });
  let version: '3.0' | '3.1';
  let tokenUrl: string;
  if (discovery.status === 200) {
    const d = jsonBody(discovery, 'GET /auth/server') as { tokenURL?: unknown };
    if (typeof d?.tokenURL !== 'string') throw new ConnectError('BadResponse', 'GET /auth/server: no tokenURL');
    version = '3.1';
    tokenUrl = givenTokenUrl ?? d.tokenURL;
  } else if (discovery.status === 404) {
    version = '3.0';
    tokenUrl = givenTokenUrl ?? `${vtn}/auth/token`;
  } else {
    refuse(discovery, 'GET /auth/server');
  }
  const token = new URL(tokenUrl);
  if (token.origin !== ctx.url.origin && givenTokenUrl === undefined) {
    throw new ConnectError(
      'BadResponse',
      `the VTN advertises a token URL on another origin (${token.origin}); pass it explicitly to trust it`,
    );
  }
  const tokenRes = await pinnedRequest(token, {
    ...req,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
    what: 'POST token',
  });
  if (tokenRes.status === 400 || tokenRes.status === 401) {
    throw new ConnectError('Unauthorized', `POST token: HTTP ${tokenRes.status} ${problemOf(tokenRes)}`, {
      status: tokenRes.status,
    });
  }
  if (tokenRes.status !== 200) refuse(tokenRes, 'POST token');
  const t = jsonBody(tokenRes, 'POST token') as { access_token?: unknown };
  if (typeof t?.access_token !== 'string') throw new ConnectError('BadResponse', 'POST token: no access_token');
  const programs = await pinnedRequest(new URL(`${vtn}/programs`), {
    ...req,
    headers: { authorization: `Bearer ${t.access_token}`, accept: 'application/json' },
    what: 'GET /programs',
  });
  if (programs.status !== 200) refuse(programs, 'GET /programs');
  const list = jsonBody(programs, 'GET /programs');
  if (!Array.isArray(list)) throw new ConnectError('BadResponse', 'GET /programs: not a JSON array');
  return {
    first: { kind: 'openadr3', version, tokenUrl: token.toString(), programs: list },
    tls: programs.tls,
    spki: programs.spki,
  };
}

/** IEEE 2030.5: `GET /dcap` (or the route's path) with the device certificate. */
export async function sep2First(ctx: ExchangeContext): Promise<ExchangeResult<Sep2First>> {
  const { cert, key } = ctx.credentials;
  if (!cert || !key) throw new ConnectError('MissingCredentials', 'IEEE 2030.5 needs the device certificate and key');
  const url = new URL(ctx.url.toString());
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/dcap';
  const res = await pinnedRequest(url, {
    tlsOpts: ctx.tlsOpts,
    limits: ctx.limits,
    headers: { accept: 'application/sep+xml' },
    what: `GET ${url.pathname}`,
  });
  if (res.status === 401 || res.status === 403) {
    throw new ConnectError('Unauthorized', `GET ${url.pathname}: HTTP ${res.status} (device certificate refused)`, {
      status: res.status,
    });
  }
  if (res.status !== 200) refuse(res, `GET ${url.pathname}`);
  const xml = res.body.toString('utf8');
  const root = /<(?:([A-Za-z_][\w.-]*):)?DeviceCapability\b([^>]*)>/.exec(xml);
  const nsAttr = root && (root[1] ? `xmlns:${root[1]}` : 'xmlns');
  const ns = root && new RegExp(`${nsAttr}\\s*=\\s*"([^"]*)"`).exec(root[2])?.[1];
  if (!root || ns !== 'urn:ieee:std:2030.5:ns') {
    throw new ConnectError('BadResponse', `GET ${url.pathname}: not a DeviceCapability in the 2030.5 namespace`);
  }
  const links: Record<string, string> = {};
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?(\w+Link)\b[^>]*\bhref="([^"]*)"/g)) links[m[1]] = m[2];
  const pollRate = /\bpollRate="(\d+)"/.exec(root[2])?.[1];
  const id = deviceIdentity(typeof cert === 'string' ? cert : cert.toString('utf8'));
  return {
    first: {
      kind: 'ieee2030.5',
      url: url.toString(),
      contentType: String(res.headers['content-type'] ?? ''),
      links,
      ...(pollRate ? { pollRate: Number(pollRate) } : {}),
      lfdi: id.lfdiHex,
      sfdi: id.sfdi.toString(),
    },
    tls: res.tls,
    spki: res.spki,
  };
}

/** The BootNotification payload a device sends by default. */
export const DEFAULT_BOOT_NOTIFICATION = {
  reason: 'PowerUp',
  chargingStation: { model: 'OpenVPP-device', vendorName: 'OpenVPP' },
};

/** OCPP 2.0.1 charging station: `wss` with subprotocol `ocpp2.0.1`, then BootNotification. */
export async function ocppFirst(
  ctx: ExchangeContext,
  {
    identity: givenIdentity,
    bootNotification = DEFAULT_BOOT_NOTIFICATION,
  }: { identity?: string; bootNotification?: object } = {},
): Promise<ExchangeResult<OcppFirst>> {
  const { cert, key, password } = ctx.credentials;
  const mtls = Boolean(cert && key);
  if (!mtls && !password) {
    throw new ConnectError(
      'MissingCredentials',
      'OCPP needs a client certificate (profile 3) or a password (profile 2)',
    );
  }
  const url = new URL(ctx.url.toString());
  if (givenIdentity) url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(givenIdentity)}`;
  const identity = decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() ?? '');
  if (!identity) throw new ConnectError('InvalidEndpoint', 'OCPP endpoint has no station identity in its path');
  const headers: Record<string, string> = {};
  if (password) headers.Authorization = `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}`;
  const ws = await openPinnedWebSocket(url, {
    subprotocol: 'ocpp2.0.1',
    headers,
    tlsOpts: ctx.tlsOpts,
    limits: ctx.limits,
    what: 'OCPP WebSocket',
  });
  try {
    const id = randomUUID();
    ws.send(JSON.stringify([2, id, 'BootNotification', bootNotification]));
    for (;;) {
      const text = await ws.next();
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        throw new ConnectError('BadResponse', 'OCPP: a frame that is not JSON');
      }
      if (!Array.isArray(msg) || msg[1] !== id) continue; // e.g. a CALL from the CSMS
      if (msg[0] === 4) {
        throw new ConnectError('Rejected', `OCPP: CALLERROR ${String(msg[2])} ${String(msg[3] ?? '')}`.trim());
      }
      if (msg[0] !== 3 || typeof msg[2] !== 'object' || msg[2] === null) {
        throw new ConnectError('BadResponse', 'OCPP: BootNotification not answered with a CALLRESULT');
      }
      const p = msg[2] as { status?: unknown; interval?: unknown; currentTime?: unknown };
      if (p.status !== 'Accepted') {
        throw new ConnectError('Rejected', `OCPP: BootNotification status ${String(p.status)}`);
      }
      return {
        first: {
          kind: 'ocpp2.0.1',
          subprotocol: ws.subprotocol,
          identity,
          securityProfile: mtls ? 3 : 2,
          status: p.status,
          ...(typeof p.interval === 'number' ? { interval: p.interval } : {}),
          ...(typeof p.currentTime === 'string' ? { currentTime: p.currentTime } : {}),
        },
        tls: ws.tls,
        spki: ws.spki,
      };
    }
  } finally {
    ws.close();
  }
}
