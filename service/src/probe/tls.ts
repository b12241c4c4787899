// One connection to the endpoint under validation: TLS (with the chain, its SPKI hashes and the
// pin check) or plain TCP, plus a bounded HTTP/1.1 exchange over it.
import { spkiSha256 } from '@openvpp/sdk/connect';
import { X509Certificate } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';

import type { ProbeCertificate, ProbeTls } from './report';
import { MAX_RESPONSE_BYTES, type ProbeTarget } from './safety';

/** Trust and identity material for a connection. PEM strings. */
export interface TlsOptions {
  /** Extra trust anchors (PEM); without them, Node's default CA store. */
  ca?: string;
  /** Client certificate and key (mutual TLS). */
  cert?: string;
  key?: string;
  /** Accepted SPKI SHA-256 pins (hex); empty or absent: no pin check. */
  pins?: string[];
}

export interface Connection {
  socket: Socket;
  tls: ProbeTls | null;
  /** DER of the server's leaf certificate (TLS only). */
  leafDer?: Buffer;
  /** Set when TLS verification failed; the socket is then already destroyed. */
  problems: { chain?: string; hostname?: string; pin?: string };
}

export { spkiSha256 };

const oneLine = (dn: string) => dn.split('\n').filter(Boolean).join(', ');

/** The presented chain, leaf first (each certificate once). */
export function chainOf(peer: PeerCertificate & { issuerCertificate?: PeerCertificate }): ProbeCertificate[] {
  const out: ProbeCertificate[] = [];
  const seen = new Set<string>();
  let c: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = peer;
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    const x = new X509Certificate(c.raw);
    out.push({
      subject: oneLine(x.subject),
      issuer: oneLine(x.issuer),
      notAfter: new Date(x.validTo).toISOString(),
      spkiSha256: spkiSha256(c.raw),
    });
    c = c.issuerCertificate;
  }
  return out;
}

/** Lower-case hex without separators: accepts `AB:CD..`, `abcd..`. */
export const normalizePin = (pin: string) => pin.replace(/[:\s]/g, '').toLowerCase();

/**
 * Opens a connection to `target`. For TLS the handshake completes with verification deferred so
 * the chain can be reported; if the chain, the host name or the pin fails, the socket is destroyed
 * before a single application byte is written and `problems` says why.
 */
export function openConnection(
  target: ProbeTarget,
  opts: TlsOptions & { timeoutMs: number; skipHostname?: boolean },
): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`connect to ${target.host}:${target.port} timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(
        new Error(`connect to ${target.host}:${target.port} failed: ${(e as NodeJS.ErrnoException).code ?? e.message}`),
      );
    };
    let sock: Socket;
    if (!target.secure) {
      sock = netConnect({ host: target.ip, port: target.port });
      sock.once('error', fail);
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeListener('error', fail);
        resolve({ socket: sock, tls: null, problems: {} });
      });
      return;
    }
    const t: TLSSocket = tlsConnect({
      host: target.ip,
      port: target.port,
      servername: isIP(target.host) ? undefined : target.host,
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      rejectUnauthorized: false, // verified below, after the chain is captured
      minVersion: 'TLSv1.2',
      checkServerIdentity: () => undefined,
    });
    sock = t;
    t.once('error', (e) => {
      // A server that demands a client certificate may abort the handshake (or right after it).
      fail(e);
    });
    t.once('secureConnect', () => {
      clearTimeout(timer);
      const peer = t.getPeerCertificate(true);
      const chain = peer && peer.raw ? chainOf(peer) : [];
      const info: ProbeTls = {
        version: t.getProtocol() ?? 'unknown',
        cipher: t.getCipher()?.standardName ?? t.getCipher()?.name ?? 'unknown',
        chain,
        spkiSha256: chain[0]?.spkiSha256 ?? '',
      };
      const problems: Connection['problems'] = {};
      if (!t.authorized) problems.chain = String(t.authorizationError ?? 'server certificate not trusted');
      if (!opts.skipHostname && peer && peer.raw) {
        const err = checkServerIdentity(target.host, peer);
        if (err) problems.hostname = err.message;
      }
      const pins = (opts.pins ?? []).map(normalizePin);
      if (pins.length > 0 && !pins.includes(info.spkiSha256)) {
        problems.pin = `server SPKI sha256 ${info.spkiSha256} matches none of the ${pins.length} pin(s)`;
      }
      if (problems.chain || problems.hostname || problems.pin) t.destroy();
      t.removeAllListeners('error');
      t.on('error', () => undefined);
      resolve({ socket: t, tls: info, problems, leafDer: peer && peer.raw ? peer.raw : undefined });
    });
  });
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP/1.1 request over a fresh verified connection (see `openConnection`; a failed
 * verification throws before the request is written). Bounded by `timeoutMs` and `maxBytes`.
 */
export async function httpOnce(
  target: ProbeTarget,
  req: { method: string; path: string; headers?: Record<string, string>; body?: string },
  opts: TlsOptions & { timeoutMs: number; skipHostname?: boolean; maxBytes?: number },
): Promise<HttpResponse & { connection: Connection }> {
  const conn = await openConnection(target, opts);
  const p = conn.problems;
  if (p.chain || p.hostname || p.pin) {
    throw new Error(`TLS verification failed: ${[p.chain, p.hostname, p.pin].filter(Boolean).join('; ')}`);
  }
  const maxBytes = opts.maxBytes ?? MAX_RESPONSE_BYTES;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      r.destroy(new Error(`no complete response to ${req.method} ${req.path} within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    const hostHeader = `${isIP(target.host) === 6 ? `[${target.host}]` : target.host}:${target.port}`;
    const r = httpRequest(
      {
        method: req.method,
        path: req.path,
        headers: {
          host: hostHeader,
          'user-agent': 'openvpp-probe/0.1',
          connection: 'close',
          ...(req.body !== undefined && { 'content-length': String(Buffer.byteLength(req.body)) }),
          ...req.headers,
        },
        createConnection: () => conn.socket,
        maxHeaderSize: 16 * 1024,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            res.destroy(new Error(`response to ${req.method} ${req.path} exceeds ${maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          conn.socket.destroy();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            connection: conn,
          });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          conn.socket.destroy();
          reject(e);
        });
      },
    );
    r.on('error', (e) => {
      clearTimeout(timer);
      conn.socket.destroy();
      reject(e);
    });
    r.end(req.body);
  });
}
