// Small local peers on 127.0.0.1 for the connect tests: an OpenADR 3 VTN (3.0 or 3.1 discovery,
// client credentials, scopes), an IEEE 2030.5 server (mutual TLS, /dcap), an OCPP 2.0.1 CSMS
// (WebSocket upgrade with subprotocol selection and Basic auth, BootNotification), a silent
// server (accepts TCP, never speaks TLS) for timeouts.
import { createHash } from 'node:crypto';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';

export interface Running {
  port: number;
  close(): Promise<void>;
}

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Request (and verify against `ca`) a client certificate, without failing the handshake. */
  ca?: string;
}

function listen(server: net.Server): Promise<Running> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

const tlsServerOptions = (m: TlsMaterial): https.ServerOptions => ({
  cert: m.cert,
  key: m.key,
  ...(m.ca ? { ca: m.ca, requestCert: true, rejectUnauthorized: false } : {}),
});

const json = (res: import('node:http').ServerResponse, status: number, body: unknown, type = 'application/json') => {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
};

/** OpenADR 3 VTN: `version` 3.1 serves `/auth/server`; a `ven` client lacks `read_all`... */
export function startVtn(
  m: TlsMaterial,
  {
    version = '3.1',
    clients = { 'ven-client': 'ven-secret' } as Record<string, string>,
    scopeless = [] as string[],
    programs = [{ id: 'p1', programName: 'openvpp-test' }] as unknown[],
    /** What `/auth/server` advertises (default: this server's /auth/token). */
    tokenURL = undefined as string | undefined,
  } = {},
): Promise<Running & { seen: string[] }> {
  const seen: string[] = [];
  const tokens = new Map<string, string>();
  const server = https.createServer(tlsServerOptions(m), (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const port = (server.address() as net.AddressInfo).port;
      if (req.url === '/auth/server' && version === '3.1') {
        return json(res, 200, { tokenURL: tokenURL ?? `https://127.0.0.1:${port}/auth/token` });
      }
      if (req.url === '/auth/token' && req.method === 'POST') {
        const f = new URLSearchParams(body);
        const id = f.get('client_id') ?? '';
        if (f.get('grant_type') !== 'client_credentials' || clients[id] !== f.get('client_secret')) {
          return json(res, 401, { error: 'invalid_client', error_description: 'Invalid client_id or client_secret' });
        }
        const token = createHash('sha256')
          .update(id + Math.random())
          .digest('hex');
        tokens.set(token, id);
        return json(res, 200, { token_type: 'Bearer', expires_in: 3600, access_token: token });
      }
      if (req.url === '/programs' && req.method === 'GET') {
        const who = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
        const problem = (status: number, detail: string) =>
          json(
            res,
            status,
            { type: 'about:blank', title: status === 401 ? 'Unauthorized' : 'Forbidden', status, detail },
            'application/problem+json',
          );
        if (!who) return problem(401, 'Authorization via Bearer token in Authorization header required');
        if (scopeless.includes(who)) return problem(403, "Missing 'read_targets' scope");
        return json(res, 200, programs);
      }
      json(res, 404, { title: 'Not Found', status: 404 }, 'application/problem+json');
    });
  });
  return listen(server).then((r) => ({ ...r, seen }));
}

export const DCAP_XML = `<?xml version="1.0" encoding="UTF-8"?>
<DeviceCapability xmlns="urn:ieee:std:2030.5:ns" href="/dcap" pollRate="900">
  <DERProgramListLink href="/derp" all="0"/>
  <TimeLink href="/tm"/>
  <EndDeviceListLink href="/edev" all="1"/>
  <SelfDeviceLink href="/sdev"/>
</DeviceCapability>`;

/** IEEE 2030.5 server: `/dcap` to a verified client certificate, 403 otherwise (as gridappsd does). */
export function startSep2(m: TlsMaterial, { body = DCAP_XML } = {}): Promise<Running> {
  const server = https.createServer(tlsServerOptions(m), (req, res) => {
    if (!(req.socket as TLSSocket).authorized) {
      res.writeHead(403, { 'content-type': 'text/html' });
      return res.end("You don't have the permission to access the requested resource.");
    }
    if (req.url !== '/dcap') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/sep+xml' });
    res.end(body);
  });
  return listen(server);
}

/** Server side of one unfragmented client frame (masked), or null when incomplete. */
function readFrame(buf: Buffer): { opcode: number; payload: Buffer; rest: Buffer } | null {
  if (buf.length < 2) return null;
  let len = buf[1] & 0x7f;
  let off = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    off = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    off = 10;
  }
  if (buf.length < off + 4 + len) return null;
  const mask = buf.subarray(off, off + 4);
  const payload = Buffer.from(buf.subarray(off + 4, off + 4 + len).map((b, i) => b ^ mask[i & 3]));
  return { opcode: buf[0] & 0x0f, payload, rest: buf.subarray(off + 4 + len) };
}

function textFrame(s: string): Buffer {
  const p = Buffer.from(s);
  const head =
    p.length < 126 ? Buffer.from([0x81, p.length]) : Buffer.from([0x81, 126, p.length >> 8, p.length & 0xff]);
  return Buffer.concat([head, p]);
}

/**
 * OCPP 2.0.1 CSMS: selects `ocpp2.0.1` (or `select` to misbehave), Basic auth `identity:password`
 * when `passwords` has the identity, or a verified client certificate; answers BootNotification.
 */
export function startCsms(
  m: TlsMaterial,
  {
    passwords = { CP001: 'cp-secret' } as Record<string, string>,
    select = 'ocpp2.0.1',
    status = 'Accepted',
    pingFirst = true,
  } = {},
): Promise<Running & { boots: unknown[] }> {
  const boots: unknown[] = [];
  const server = https.createServer(tlsServerOptions(m), (_req, res) => void res.writeHead(426).end());
  server.on('upgrade', (req, socket: Duplex) => {
    const identity = decodeURIComponent((req.url ?? '').split('/').filter(Boolean).pop() ?? '');
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((s) => s.trim());
    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [user, pass] = auth ? Buffer.from(auth[1], 'base64').toString().split(':') : [];
    const certOk = (req.socket as TLSSocket).authorized;
    const passOk = user === identity && passwords[identity] !== undefined && passwords[identity] === pass;
    if (!certOk && !passOk) return void socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
    if (!offered.includes('ocpp2.0.1') && select === 'ocpp2.0.1') {
      return void socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    }
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      [
        'HTTP/1.1 101 Switching Protocols',
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Accept: ${accept}`,
        ...(select ? [`Sec-WebSocket-Protocol: ${select}`] : []),
        '',
        '',
      ].join('\r\n'),
    );
    if (pingFirst) socket.write(Buffer.from([0x89, 0x02, 0x68, 0x69])); // ping "hi"
    let buf: Buffer = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      for (let f = readFrame(buf); f; f = readFrame(buf)) {
        buf = f.rest;
        if (f.opcode === 0x8) return void socket.end();
        if (f.opcode !== 0x1) continue;
        const msg = JSON.parse(f.payload.toString());
        if (msg[0] === 2 && msg[2] === 'BootNotification') {
          boots.push(msg[3]);
          socket.write(
            textFrame(JSON.stringify([3, msg[1], { currentTime: new Date().toISOString(), interval: 300, status }])),
          );
        } else if (msg[0] === 2) {
          socket.write(textFrame(JSON.stringify([4, msg[1], 'NotImplemented', '', {}])));
        }
      }
    });
  });
  return listen(server).then((r) => ({ ...r, boots }));
}

/** Accepts TCP connections and never answers (a hung endpoint). */
export function startSilent(): Promise<Running> {
  return listen(net.createServer(() => undefined));
}
