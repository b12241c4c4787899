// Pinned TLS: the CA chain and host name are verified by Node as usual, then the server's SPKI
// SHA-256 must be one of the route's pins (so a valid chain alone is not enough).
import { X509Certificate, createHash } from 'node:crypto';
import net from 'node:net';
import tls, { type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';

import { ConnectError } from './errors';

/** SHA-256 (hex) of a certificate's DER SubjectPublicKeyInfo: the pin format routes carry. */
export function spkiSha256(certDer: Uint8Array): string {
  const spki = new X509Certificate(Buffer.from(certDer)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

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

/** Trust and identity material for a pinned connection. */
export interface PinnedTlsOptions {
  /** Hex SHA-256 SPKI pins (at least one); the server key must match one. */
  pins: string[];
  /** Trust anchors (PEM); the system store when absent. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /**
   * Check the host name against the certificate (default true). Turn off only for servers whose
   * certificate has no matching SAN (the pin still binds the key, the chain is still verified).
   */
  checkHostname?: boolean;
}

const nameOf = (n: PeerCertificate['subject'] | undefined) =>
  n
    ? Object.entries(n)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
        .join(', ')
    : '';

function chainOf(cert: DetailedPeerCertificate): ChainCertificate[] {
  const out: ChainCertificate[] = [];
  const seen = new Set<string>();
  for (let c: DetailedPeerCertificate | undefined = cert; c && c.raw; c = c.issuerCertificate) {
    if (seen.has(c.fingerprint256)) break;
    seen.add(c.fingerprint256);
    out.push({
      subject: nameOf(c.subject),
      issuer: nameOf(c.issuer),
      validFrom: c.valid_from,
      validTo: c.valid_to,
      fingerprint256: c.fingerprint256.replace(/:/g, '').toLowerCase(),
      spkiSha256: spkiSha256(c.raw),
    });
  }
  return out;
}

/** Connection state shared by the pin check and the caller. */
export interface PinState {
  chain?: ChainCertificate[];
  spki?: string;
}

/**
 * TLS options for `tls.connect` / `https.request` that add the pin check to Node's normal
 * verification. Node calls `checkServerIdentity` only after the chain verified, so a pin
 * mismatch is reported as `PinMismatch` exactly when the chain was otherwise acceptable.
 */
export function pinnedTlsOptions(host: string, opts: PinnedTlsOptions, state: PinState): tls.ConnectionOptions {
  const pins = new Set(opts.pins.map((p) => p.toLowerCase()));
  if (pins.size === 0) throw new ConnectError('InvalidEndpoint', 'the route has no certificate pins');
  return {
    host,
    servername: net.isIP(host) ? undefined : host,
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    checkServerIdentity: (hostname, cert) => {
      const chain = chainOf(cert as DetailedPeerCertificate);
      state.chain = chain;
      state.spki = chain[0]?.spkiSha256;
      if (opts.checkHostname !== false) {
        const err = tls.checkServerIdentity(hostname, cert);
        if (err) return err;
      }
      if (!state.spki || !pins.has(state.spki)) {
        return new ConnectError(
          'PinMismatch',
          `server key SPKI sha256 ${state.spki} is not one of the route's ${pins.size} pin(s)`,
        );
      }
      return undefined;
    },
  };
}

export function tlsInfo(socket: TLSSocket, state: PinState, clientCertificate: boolean): TlsInfo {
  return {
    version: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.standardName ?? socket.getCipher()?.name ?? 'unknown',
    chain: state.chain ?? [],
    clientCertificate,
  };
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
