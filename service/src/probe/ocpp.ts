// OCPP 2.0.1 CSMS probe: a WebSocket handshake offering `ocpp2.0.1` (security profile 1: ws +
// Basic; 2: wss + Basic; 3: wss + client certificate), then BootNotification and Heartbeat as a
// charging station. Judged by the negotiated subprotocol and CALLRESULTs (real CSMSs disagree on
// CALLERROR codes, so those are reported, not matched).
import { wsClientFrame } from '@openvpp/sdk/connect';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';

import type { ProbeContext, ProbeOutcome } from './report';
import { MAX_HEADER_BYTES, MAX_RESPONSE_BYTES, type ProbeTarget } from './safety';
import { openConnection, type Connection } from './tls';

export const OCPP_SUBPROTOCOL = 'ocpp2.0.1';
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Identity used when the caller names none. */
export const DEFAULT_STATION_ID = 'OVPP-PROBE';

/** A minimal RFC 6455 client over an already verified socket: text frames, ping/pong, close. */
export class WsClient {
  private buf = Buffer.alloc(0);
  private waiters: { resolve: (m: string) => void; reject: (e: Error) => void }[] = [];
  private closed: Error | null = null;
  private fragments: Buffer[] = [];

  constructor(
    private readonly socket: Socket,
    head: Buffer,
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
    socket.on('error', (e) => this.fail(e));
    if (head.length) this.onData(head);
  }

  private fail(e: Error) {
    if (!this.closed) this.closed = e;
    for (const w of this.waiters.splice(0)) w.reject(e);
  }

  private onData(d: Buffer) {
    this.buf = Buffer.concat([this.buf, d]);
    if (this.buf.length > MAX_RESPONSE_BYTES + 14) {
      this.fail(new Error(`WebSocket message exceeds ${MAX_RESPONSE_BYTES} bytes`));
      this.socket.destroy();
      return;
    }
    for (;;) {
      if (this.buf.length < 2) return;
      const fin = (this.buf[0] & 0x80) !== 0;
      const op = this.buf[0] & 0x0f;
      const masked = (this.buf[1] & 0x80) !== 0;
      let len = this.buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        const big = this.buf.readBigUInt64BE(2);
        if (big > BigInt(MAX_RESPONSE_BYTES)) {
          this.fail(new Error(`WebSocket frame of ${big} bytes exceeds ${MAX_RESPONSE_BYTES}`));
          this.socket.destroy();
          return;
        }
        len = Number(big);
        off = 10;
      }
      const maskOff = off;
      if (masked) off += 4;
      if (this.buf.length < off + len) return;
      let payload = this.buf.subarray(off, off + len);
      if (masked) {
        const m = this.buf.subarray(maskOff, maskOff + 4);
        payload = Buffer.from(payload.map((b, i) => b ^ m[i % 4]));
      }
      this.buf = this.buf.subarray(off + len);
      if (op === 0x9) this.sendFrame(0xa, payload);
      else if (op === 0x8) {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        this.fail(
          new Error(`server closed the WebSocket (${code}${payload.length > 2 ? ` ${payload.subarray(2)}` : ''})`),
        );
        this.socket.end();
        return;
      } else if (op === 0x1 || op === 0x0) {
        this.fragments.push(payload);
        if (fin) {
          const msg = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          const w = this.waiters.shift();
          if (w) w.resolve(msg);
        }
      }
    }
  }

  private sendFrame(op: number, payload: Buffer) {
    this.socket.write(wsClientFrame(op, payload));
  }

  send(text: string) {
    this.sendFrame(0x1, Buffer.from(text, 'utf8'));
  }

  /** The next text message, or a rejection on close/timeout. */
  next(timeoutMs: number): Promise<string> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no message within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (m: string) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push({
        resolve: done,
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  close() {
    try {
      this.sendFrame(0x8, Buffer.from([0x03, 0xe8]));
    } catch {
      /* already gone */
    }
    this.socket.destroy();
  }
}

export interface WsHandshake {
  status: number;
  subprotocol: string | null;
  client?: WsClient;
  detail: string;
}

/** Sends the upgrade request and reads the response head (bounded). */
export function wsHandshake(
  conn: Connection,
  target: ProbeTarget,
  path: string,
  subprotocols: string[],
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<WsHandshake> {
  const key = randomBytes(16).toString('base64');
  const expectAccept = createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
  const s = conn.socket;
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => {
      cleanup();
      s.destroy();
      reject(new Error(`no WebSocket handshake response within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      s.removeListener('data', onData);
      s.removeListener('close', onClose);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('connection closed during the WebSocket handshake'));
    };
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEADER_BYTES) {
          cleanup();
          s.destroy();
          reject(new Error(`handshake response header exceeds ${MAX_HEADER_BYTES} bytes`));
        }
        return;
      }
      cleanup();
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0])?.[1] ?? 0);
      const h: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) h[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      if (status !== 101) {
        s.destroy();
        return resolve({
          status,
          subprotocol: null,
          detail: `server answered the upgrade with HTTP ${lines[0].slice(9)}`,
        });
      }
      if (h['sec-websocket-accept'] !== expectAccept) {
        s.destroy();
        return resolve({ status, subprotocol: null, detail: 'server sent a wrong Sec-WebSocket-Accept' });
      }
      resolve({
        status,
        subprotocol: h['sec-websocket-protocol'] ?? null,
        client: new WsClient(s, head.subarray(end + 4)),
        detail: 'upgraded',
      });
    };
    s.on('data', onData);
    s.on('close', onClose);
    const hostHeader = `${target.host}:${target.port}`;
    const req = [
      `GET ${path} HTTP/1.1`,
      `Host: ${hostHeader}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Protocol: ${subprotocols.join(', ')}`,
      'User-Agent: openvpp-probe/0.1',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      '',
      '',
    ].join('\r\n');
    s.write(req);
  });
}

/** Sends one CALL and waits for the answer with the same message id. */
async function call(ws: WsClient, action: string, payload: unknown, timeoutMs: number) {
  const id = randomUUID();
  ws.send(JSON.stringify([2, id, action, payload]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const raw = await ws.next(Math.max(1, deadline - Date.now()));
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      throw new Error(`the CSMS sent a frame that is not JSON: ${raw.slice(0, 120)}`);
    }
    if (!Array.isArray(msg)) throw new Error('the CSMS sent a frame that is not an OCPP-J array');
    if (msg[0] === 2) {
      // A CALL from the CSMS (e.g. SetVariables) before our answer: a probe implements nothing.
      ws.send(JSON.stringify([4, msg[1], 'NotImplemented', 'openvpp probe', {}]));
      continue;
    }
    if (msg[1] !== id) continue;
    return msg as [3, string, Record<string, unknown>] | [4, string, string, string, unknown];
  }
}

export async function probeOcpp(
  target: ProbeTarget,
  ctx: ProbeContext,
  opts: { subprotocols?: string[] } = {},
): Promise<ProbeOutcome> {
  const { checks, timeoutMs } = ctx;
  const identity = ctx.credentials?.clientId ?? DEFAULT_STATION_ID;
  const conn = await checks.run('connect', async () => {
    const c = await openConnection(target, { ...ctx.tlsOptions, timeoutMs });
    return {
      ok: true,
      detail: `connected to ${target.ip}:${target.port}${c.tls ? ` (${c.tls.version})` : ' (no TLS)'}`,
      value: c,
    };
  });
  if (!conn) return { tls: null };
  if (!tlsChecks(ctx, target, conn)) return { tls: conn.tls };

  const basePath = target.url.pathname.replace(/\/+$/, '');
  const path = `${basePath}/${encodeURIComponent(identity)}`;
  const headers: Record<string, string> = {};
  if (ctx.credentials?.clientSecret !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${identity}:${ctx.credentials.clientSecret}`).toString('base64')}`;
  }
  const profile = !target.secure ? 1 : ctx.tlsOptions.cert ? 3 : 2;
  const offered = opts.subprotocols ?? [OCPP_SUBPROTOCOL];
  const hs = await checks.run('ocpp.handshake', async () => {
    const r = await wsHandshake(conn, target, path, offered, headers, timeoutMs).catch((e: Error) => {
      // TLS 1.3 completes before the server checks for a client certificate; it then just closes.
      const hint =
        target.secure && !ctx.tlsOptions.cert
          ? ' (no client certificate was presented: security profile 3 needs one)'
          : '';
      throw new Error(`${e.message}${hint}`);
    });
    if (r.status === 401)
      return { ok: false, detail: `HTTP 401: the CSMS refused the Basic credentials of station ${identity}` };
    if (!r.client) return { ok: false, detail: r.detail };
    return { ok: true, detail: `WebSocket upgraded for station ${identity} (security profile ${profile})`, value: r };
  });
  if (!hs || !hs.client) {
    conn.socket.destroy();
    return { tls: conn.tls };
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
    if (!agreed) return { tls: conn.tls };
    await checks.run('ocpp.bootNotification', async () => {
      const m = await call(
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
      const m = await call(ws, 'Heartbeat', {}, timeoutMs);
      if (m[0] === 3) return { ok: true, detail: `CALLRESULT currentTime=${String(m[2].currentTime)}` };
      return { ok: false, detail: `CALLERROR ${m[2]}: ${m[3]}` };
    });
    return { version: '2.0.1', tls: conn.tls };
  } finally {
    ws.close();
  }
}

/** Records the TLS checks of a connection; false when the probe must stop (nothing was sent). */
export function tlsChecks(ctx: ProbeContext, target: ProbeTarget, conn: Connection, hostnameNote?: string): boolean {
  if (!target.secure) return true;
  const p = conn.problems;
  const leaf = conn.tls?.chain[0];
  ctx.checks.add(
    'tls.chain',
    !p.chain,
    p.chain
      ? `server certificate not trusted: ${p.chain}${leaf ? ` (leaf ${leaf.subject}, notAfter ${leaf.notAfter})` : ''}`
      : `chain of ${conn.tls?.chain.length ?? 0} verified; leaf ${leaf?.subject ?? '?'} valid until ${leaf?.notAfter ?? '?'}`,
  );
  ctx.checks.add('tls.hostname', !p.hostname, p.hostname ?? hostnameNote ?? `certificate matches ${target.host}`);
  const pins = ctx.tlsOptions.pins ?? [];
  if (pins.length > 0) {
    ctx.checks.add('tls.pin', !p.pin, p.pin ?? `server SPKI sha256 matches a pin (${pins.length} given)`);
  }
  return !(p.chain || p.hostname || p.pin);
}
