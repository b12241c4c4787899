// The one TLS layer: opens TCP or TLS to an endpoint, captures the chain the server presented (with
// each certificate's SPKI SHA-256, the pin format routes carry) and checks chain, host name and
// pins. Two verification modes: `handshake` (a device connecting: Node verifies the chain during
// the handshake, host name and pins are checked before it completes, so nothing is sent to a
// server that fails) and `report` (a probe: the handshake completes with verification deferred so
// an untrusted chain can still be reported; the socket is destroyed before any byte is written).
import { X509Certificate, createHash } from 'node:crypto';
import net, { type Socket } from 'node:net';
import tls, { type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';

import { ConnectError } from './errors';

/** SHA-256 (hex) of a certificate's DER SubjectPublicKeyInfo: the pin format routes carry. */
export function spkiSha256(certDer: Uint8Array): string {
  const spki = new X509Certificate(Buffer.from(certDer)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

/** Lower-case hex without separators: accepts `AB:CD..`, `abcd..`. */
export const normalizePin = (pin: string) => pin.replace(/[:\s]/g, '').toLowerCase();

/** One certificate of the chain the server presented. */
export interface ChainCertificate {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** SHA-256 of the certificate DER (hex). */
  fingerprint256: string;
  /** SHA-256 of its SPKI (hex). */
  spkiSha256: string;
}

/** What the TLS handshake negotiated and the server presented. */
export interface TlsInfo {
  /** e.g. `TLSv1.3`. */
  version: string;
  /** e.g. `TLS_AES_256_GCM_SHA384`. */
  cipher: string;
  /** The server certificate first, then its issuers as presented (self-issued root last when sent). */
  chain: ChainCertificate[];
  /** Whether a client certificate was offered. */
  clientCertificate: boolean;
}

/** Trust and identity material for a connection. */
export interface TlsOptions {
  /** Trust anchors (PEM); Node's default CA store when absent. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Hex SHA-256 SPKI pins; the server key must match one. Empty or absent: no pin check. */
  pins?: string[];
  /**
   * Check the host name against the certificate (default true). Turn off only for servers whose
   * certificate has no matching SAN (the pin still binds the key, the chain is still verified).
   */
  checkHostname?: boolean;
}

/** Where to connect. */
export interface Endpoint {
  /** Host name or IP literal (without brackets): SNI and the host-name check use it. */
  host: string;
  /** The address to connect to (e.g. the resolved IP a probe's address policy allowed); default `host`. */
  address?: string;
  port: number;
  /** TLS (true) or plain TCP. */
  secure: boolean;
}

/** The TLS session of a connection. */
export interface TlsSession {
  version: string;
  cipher: string;
  /** The presented chain, leaf first, each certificate once. */
  chain: DetailedPeerCertificate[];
  /** SPKI SHA-256 (hex) of the leaf ('' when none was presented). */
  spki: string;
  /** Whether a client certificate was offered. */
  clientCertificate: boolean;
}

export interface Connection {
  socket: Socket;
  /** Null for plain TCP. */
  session: TlsSession | null;
  /** `report` mode: why verification failed (the socket is then already destroyed). */
  problems: { chain?: string; hostname?: string; pin?: string };
}

const nameOf = (n: PeerCertificate['subject'] | undefined) =>
  n
    ? Object.entries(n)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
        .join(', ')
    : '';

/** The presented chain, leaf first (each certificate once). */
export function peerChain(peer: DetailedPeerCertificate | undefined): DetailedPeerCertificate[] {
  const out: DetailedPeerCertificate[] = [];
  const seen = new Set<string>();
  for (let c = peer; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(c);
  }
  return out;
}

/** The session as a device reports it. */
export function tlsInfo(session: TlsSession): TlsInfo {
  return {
    version: session.version,
    cipher: session.cipher,
    chain: session.chain.map((c) => ({
      subject: nameOf(c.subject),
      issuer: nameOf(c.issuer),
      validFrom: c.valid_from,
      validTo: c.valid_to,
      fingerprint256: c.fingerprint256.replace(/:/g, '').toLowerCase(),
      spkiSha256: spkiSha256(c.raw),
    })),
    clientCertificate: session.clientCertificate,
  };
}

function pinProblem(spki: string, pins: string[] | undefined): string | undefined {
  const set = new Set((pins ?? []).map(normalizePin));
  if (set.size === 0 || set.has(spki)) return undefined;
  return `server SPKI sha256 ${spki || '(none)'} matches none of the ${set.size} pin(s)`;
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|EPROTO|HOSTNAME_MISMATCH)/;

/** Maps a socket/TLS error to a `ConnectError` (a `ConnectError` passes through). */
export function classify(e: unknown, what: string): ConnectError {
  if (e instanceof ConnectError) return e;
  const err = e as NodeJS.ErrnoException & { reason?: string };
  const code = err?.code ?? '';
  if (TLS_CODES.test(code) || /certificate|handshake|ssl|tls/i.test(err?.message ?? '')) {
    return new ConnectError('TlsFailed', `${what}: ${code || 'TLS error'} ${err.message ?? ''}`.trim(), { cause: e });
  }
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE'].includes(code)) {
    return new ConnectError('Unreachable', `${what}: ${code}`, { cause: e });
  }
  return new ConnectError('BadResponse', `${what}: ${err?.message ?? String(e)}`, { cause: e });
}

/**
 * Opens a connection to `endpoint` (see the modes above). Rejects with a `ConnectError`: `Timeout`
 * (`... timed out after N ms`), `Unreachable`, `TlsFailed` (chain, host name, a refused client
 * certificate) or, in `handshake` mode, `PinMismatch` (the chain verified but the key is not pinned).
 */
export function openConnection(
  endpoint: Endpoint,
  opts: TlsOptions & { timeoutMs: number; verify?: 'handshake' | 'report'; what?: string },
): Promise<Connection> {
  const { host, port } = endpoint;
  const what = opts.what ?? `connect to ${host}:${port}`;
  const report = opts.verify === 'report';
  return new Promise((resolve, reject) => {
    let sock: Socket;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new ConnectError('Timeout', `${what} timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    const fail = (e: unknown) => {
      clearTimeout(timer);
      sock.destroy();
      reject(classify(e, what));
    };
    const done = (conn: Connection) => {
      clearTimeout(timer);
      sock.removeListener('error', fail);
      // Later socket errors surface through whoever reads the socket next.
      sock.on('error', () => undefined);
      resolve(conn);
    };
    if (!endpoint.secure) {
      sock = net.connect({ host: endpoint.address ?? host, port });
      sock.once('error', fail);
      sock.once('connect', () => done({ socket: sock, session: null, problems: {} }));
      return;
    }
    let chain: DetailedPeerCertificate[] = [];
    const checkHostname = opts.checkHostname !== false;
    const t: TLSSocket = tls.connect({
      host: endpoint.address ?? host,
      port,
      servername: net.isIP(host) ? undefined : host,
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      minVersion: 'TLSv1.2',
      rejectUnauthorized: !report,
      // Node calls this only after the chain verified (in `handshake` mode), so a pin mismatch is
      // `PinMismatch` exactly when the chain was otherwise acceptable.
      checkServerIdentity: (hostname, cert) => {
        chain = peerChain(cert as DetailedPeerCertificate);
        if (report) return undefined;
        const err = checkHostname ? tls.checkServerIdentity(hostname, cert) : undefined;
        if (err) return err;
        const pin = pinProblem(chain[0] ? spkiSha256(chain[0].raw) : '', opts.pins);
        return pin ? new ConnectError('PinMismatch', pin) : undefined;
      },
    });
    sock = t;
    t.once('error', fail);
    t.once('secureConnect', () => {
      if (chain.length === 0) chain = peerChain(t.getPeerCertificate(true));
      const session: TlsSession = {
        version: t.getProtocol() ?? 'unknown',
        cipher: t.getCipher()?.standardName ?? t.getCipher()?.name ?? 'unknown',
        chain,
        spki: chain[0] ? spkiSha256(chain[0].raw) : '',
        clientCertificate: Boolean(opts.cert),
      };
      const problems: Connection['problems'] = {};
      if (report) {
        if (!t.authorized) problems.chain = String(t.authorizationError ?? 'server certificate not trusted');
        const hostErr = checkHostname && chain[0] ? tls.checkServerIdentity(host, chain[0]) : undefined;
        if (hostErr) problems.hostname = hostErr.message;
        const pin = pinProblem(session.spki, opts.pins);
        if (pin) problems.pin = pin;
        if (problems.chain || problems.hostname || problems.pin) t.destroy();
      }
      done({ socket: t, session, problems });
    });
  });
}

/** Where a connection's verification results are recorded (a probe's check list). */
export interface CheckSink {
  add(name: string, ok: boolean, detail: string): boolean;
}

/**
 * Records the TLS checks of a `report`-mode connection (`tls.chain`, `tls.hostname`, `tls.pin`
 * when pins were given); false when the caller must stop (nothing was sent).
 */
export function tlsChecks(
  checks: CheckSink,
  conn: Connection,
  { host, pins, hostnameNote }: { host: string; pins?: string[]; hostnameNote?: string },
): boolean {
  if (!conn.session) return true;
  const p = conn.problems;
  const leaf = conn.session.chain[0] && certificateSummary(conn.session.chain[0].raw);
  checks.add(
    'tls.chain',
    !p.chain,
    p.chain
      ? `server certificate not trusted: ${p.chain}${leaf ? ` (leaf ${leaf.subject}, notAfter ${leaf.notAfter})` : ''}`
      : `chain of ${conn.session.chain.length} verified; leaf ${leaf?.subject ?? '?'} valid until ${leaf?.notAfter ?? '?'}`,
  );
  checks.add('tls.hostname', !p.hostname, p.hostname ?? hostnameNote ?? `certificate matches ${host}`);
  if ((pins ?? []).length > 0) {
    checks.add('tls.pin', !p.pin, p.pin ?? `server SPKI sha256 matches a pin (${pins!.length} given)`);
  }
  return !(p.chain || p.hostname || p.pin);
}

const oneLine = (dn: string) => dn.split('\n').filter(Boolean).join(', ');

/** A certificate in one line each: subject and issuer (`CN=.., O=..`), notAfter (ISO-8601 UTC), SPKI SHA-256. */
export function certificateSummary(der: Uint8Array): {
  subject: string;
  issuer: string;
  notAfter: string;
  spkiSha256: string;
} {
  const x = new X509Certificate(Buffer.from(der));
  return {
    subject: oneLine(x.subject),
    issuer: oneLine(x.issuer),
    notAfter: new Date(x.validTo).toISOString(),
    spkiSha256: spkiSha256(der),
  };
}
