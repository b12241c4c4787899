// OCPP 2.0.1 (a charging station's view of a CSMS): the WebSocket upgrade offering `ocpp2.0.1`
// (security profile 2: wss + Basic; 3: wss + client certificate), then OCPP-J CALLs.
import { randomUUID } from 'node:crypto';

import { ConnectError } from '../errors';
import { remaining } from '../http';
import { type WsClient, wsUpgrade } from '../ws';
import { type ExchangeContext, type ExchangeResult, openPinned } from './exchange';
import { tlsInfo } from '../tls';

export const OCPP_SUBPROTOCOL = 'ocpp2.0.1';

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

/** The BootNotification payload a device sends by default. */
export const DEFAULT_BOOT_NOTIFICATION = {
  reason: 'PowerUp',
  chargingStation: { model: 'OpenVPP-device', vendorName: 'OpenVPP' },
};

/** A CALLRESULT or a CALLERROR. */
export type OcppAnswer = [3, string, Record<string, unknown>] | [4, string, string, string, unknown];

/** The Basic `Authorization` header of a station (user name = its identity). */
export const stationBasicAuth = (identity: string, password: string) =>
  `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}`;

/**
 * Sends one CALL and waits for the answer with its message id. A CALL from the CSMS in between
 * (e.g. SetVariables) is answered `NotImplemented`: the client implements none.
 */
export async function ocppCall(ws: WsClient, action: string, payload: unknown, timeoutMs: number): Promise<OcppAnswer> {
  const id = randomUUID();
  ws.send(JSON.stringify([2, id, action, payload]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const raw = await ws.next(Math.max(1, deadline - Date.now()));
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      throw new ConnectError('BadResponse', `OCPP: the CSMS sent a frame that is not JSON: ${raw.slice(0, 120)}`);
    }
    if (!Array.isArray(msg))
      throw new ConnectError('BadResponse', 'OCPP: the CSMS sent a frame that is not an OCPP-J array');
    if (msg[0] === 2) {
      ws.send(JSON.stringify([4, msg[1], 'NotImplemented', 'not implemented by this client', {}]));
      continue;
    }
    if (msg[1] === id) return msg as OcppAnswer;
  }
}

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
  const what = 'OCPP WebSocket';
  if (url.protocol !== 'wss:') throw new ConnectError('InvalidEndpoint', `${what}: ${url.protocol} is not wss`);
  const conn = await openPinned(url, ctx, what);
  const up = await wsUpgrade(conn.socket, {
    path: `${url.pathname || '/'}${url.search}`,
    host: url.host,
    subprotocols: [OCPP_SUBPROTOCOL],
    headers: password ? { Authorization: stationBasicAuth(identity, password) } : {},
    timeoutMs: remaining(ctx.limits, what),
    maxMessageBytes: ctx.limits.maxResponseBytes,
    what,
  });
  const { status } = up;
  if (status === 401 || status === 403) {
    throw new ConnectError('Unauthorized', `${what}: HTTP ${status} on the WebSocket upgrade`, { status });
  }
  if (status !== 101) {
    const reason = status === 400 && !up.subprotocol ? 'SubprotocolRejected' : 'BadResponse';
    throw new ConnectError(reason, `${what}: HTTP ${status || '?'} instead of 101 Switching Protocols`, { status });
  }
  if (!up.client) throw new ConnectError('BadResponse', `${what}: wrong Sec-WebSocket-Accept`);
  const ws = up.client;
  try {
    if (up.subprotocol !== OCPP_SUBPROTOCOL) {
      throw new ConnectError(
        'SubprotocolRejected',
        `${what}: server selected "${up.subprotocol ?? ''}" instead of "${OCPP_SUBPROTOCOL}"`,
      );
    }
    const m = await ocppCall(ws, 'BootNotification', bootNotification, remaining(ctx.limits, what));
    if (m[0] === 4) throw new ConnectError('Rejected', `OCPP: CALLERROR ${String(m[2])} ${String(m[3] ?? '')}`.trim());
    if (m[0] !== 3 || typeof m[2] !== 'object' || m[2] === null) {
      throw new ConnectError('BadResponse', 'OCPP: BootNotification not answered with a CALLRESULT');
    }
    const p = m[2] as { status?: unknown; interval?: unknown; currentTime?: unknown };
    if (p.status !== 'Accepted')
      throw new ConnectError('Rejected', `OCPP: BootNotification status ${String(p.status)}`);
    return {
      first: {
        kind: 'ocpp2.0.1',
        subprotocol: up.subprotocol,
        identity,
        securityProfile: mtls ? 3 : 2,
        status: p.status,
        ...(typeof p.interval === 'number' ? { interval: p.interval } : {}),
        ...(typeof p.currentTime === 'string' ? { currentTime: p.currentTime } : {}),
      },
      tls: tlsInfo(conn.session!),
      spki: conn.session!.spki,
    };
  } finally {
    ws.close();
  }
}
