// OCPP 2.0.1 CSMS probe: a WebSocket handshake offering `ocpp2.0.1` (security profile 1: ws +
// Basic; 2: wss + Basic; 3: wss + client certificate), then BootNotification and Heartbeat as a
// charging station. Judged by the negotiated subprotocol and CALLRESULTs (real CSMSs disagree on
// CALLERROR codes, so those are reported, not matched).
import { hostHeader } from '../http';
import { OCPP_SUBPROTOCOL, ocppCall, stationBasicAuth } from '../protocols/ocpp201';
import { tlsChecks } from '../tls';
import { wsUpgrade } from '../ws';
import { openProbeConnection, probeTls } from './connection';
import type { ProbeContext, ProbeOutcome } from './report';
import { MAX_RESPONSE_BYTES, type ProbeTarget } from './safety';

/** Identity used when the caller names none. */
export const DEFAULT_STATION_ID = 'OVPP-PROBE';

export async function probeOcpp(
  target: ProbeTarget,
  ctx: ProbeContext,
  opts: { subprotocols?: string[] } = {},
): Promise<ProbeOutcome> {
  const { checks, timeoutMs } = ctx;
  const identity = ctx.credentials?.clientId ?? DEFAULT_STATION_ID;
  const conn = await checks.run('connect', async () => {
    const c = await openProbeConnection(target, { ...ctx.tlsOptions, timeoutMs });
    return {
      ok: true,
      detail: `connected to ${target.ip}:${target.port}${c.session ? ` (${c.session.version})` : ' (no TLS)'}`,
      value: c,
    };
  });
  if (!conn) return { tls: null };
  const tls = probeTls(conn);
  if (!tlsChecks(checks, conn, { host: target.host, pins: ctx.tlsOptions.pins })) return { tls };

  const basePath = target.url.pathname.replace(/\/+$/, '');
  const path = `${basePath}/${encodeURIComponent(identity)}`;
  const headers: Record<string, string> = {};
  if (ctx.credentials?.clientSecret !== undefined) {
    headers.Authorization = stationBasicAuth(identity, ctx.credentials.clientSecret);
  }
  const profile = !target.secure ? 1 : ctx.tlsOptions.cert ? 3 : 2;
  const offered = opts.subprotocols ?? [OCPP_SUBPROTOCOL];
  const hs = await checks.run('ocpp.handshake', async () => {
    const r = await wsUpgrade(conn.socket, {
      path,
      host: hostHeader(target),
      subprotocols: offered,
      headers: { 'User-Agent': 'openvpp-probe/0.1', ...headers },
      timeoutMs,
      maxMessageBytes: MAX_RESPONSE_BYTES,
      what: 'OCPP WebSocket',
    }).catch((e: Error) => {
      // TLS 1.3 completes before the server checks for a client certificate; it then just closes.
      const hint =
        target.secure && !ctx.tlsOptions.cert
          ? ' (no client certificate was presented: security profile 3 needs one)'
          : '';
      throw new Error(`${e.message}${hint}`);
    });
    if (r.status === 401)
      return { ok: false, detail: `HTTP 401: the CSMS refused the Basic credentials of station ${identity}` };
    if (r.status !== 101) return { ok: false, detail: `server answered the upgrade with HTTP ${r.statusText}` };
    if (!r.client) return { ok: false, detail: 'server sent a wrong Sec-WebSocket-Accept' };
    return { ok: true, detail: `WebSocket upgraded for station ${identity} (security profile ${profile})`, value: r };
  });
  if (!hs || !hs.client) {
    conn.socket.destroy();
    return { tls };
  }
  const ws = hs.client;
  try {
    const agreed = checks.add(
      'ocpp.subprotocol',
      hs.subprotocol === OCPP_SUBPROTOCOL,
      hs.subprotocol === OCPP_SUBPROTOCOL
        ? `server selected ${OCPP_SUBPROTOCOL}`
        : `server selected ${hs.subprotocol ? `"${hs.subprotocol}"` : 'no subprotocol'} (offered ${offered.join(', ')}): it does not speak ${OCPP_SUBPROTOCOL} here`,
    );
    if (!agreed) return { tls };
    await checks.run('ocpp.bootNotification', async () => {
      const m = await ocppCall(
        ws,
        'BootNotification',
        { reason: 'PowerUp', chargingStation: { model: 'OpenVPP-probe', vendorName: 'OpenVPP' } },
        timeoutMs,
      );
      if (m[0] === 3) {
        return { ok: true, detail: `CALLRESULT status=${String(m[2].status)} interval=${String(m[2].interval)}` };
      }
      return { ok: false, detail: `CALLERROR ${m[2]}: ${m[3]}` };
    });
    await checks.run('ocpp.heartbeat', async () => {
      const m = await ocppCall(ws, 'Heartbeat', {}, timeoutMs);
      if (m[0] === 3) return { ok: true, detail: `CALLRESULT currentTime=${String(m[2].currentTime)}` };
      return { ok: false, detail: `CALLERROR ${m[2]}: ${m[3]}` };
    });
    return { version: '2.0.1', tls };
  } finally {
    ws.close();
  }
}
