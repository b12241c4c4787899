// Wallet sign-in (SIWS-style): the service hands out a challenge text naming the address and a
// single-use, expiring nonce; the wallet signs its bytes (Wallet Standard `solana:signMessage`);
// the service checks the ed25519 signature and issues a session token: base64url JSON claims and
// an HMAC-SHA256 over them with the service's secret (per process unless configured). Tokens are
// stateless; they expire (`exp`) and a restart with a fresh secret ends them all.
import { PublicKey } from '@solana/web3.js';
import { createHmac, createPublicKey, randomBytes, timingSafeEqual, verify } from 'node:crypto';

import { HttpError } from './errors';

export type Role = 'owner' | 'utility';

export interface SessionClaims {
  /** The signed-in wallet address (base58). */
  sub: string;
  role: Role;
  /** Partner accounts (utilities) whose authority is `sub`. */
  utilities: string[];
  /** Issued at / expires at, unix seconds. */
  iat: number;
  exp: number;
}

export interface SessionOptions {
  /** HMAC secret (at least 32 bytes); default: 32 random bytes for this process. */
  secret?: string | Buffer;
  /** The domain the challenge names (default: the request's host). */
  domain?: string;
  /** Challenge lifetime, seconds (default 300). */
  challengeTtlSecs?: number;
  /** Session lifetime, seconds (default 12 h). */
  sessionTtlSecs?: number;
  /** Pending challenges kept at most (default 10,000; the oldest go first). */
  maxPending?: number;
  /** Unix seconds now (tests). */
  now?: () => number;
}

interface Pending {
  address: string;
  message: string;
  expiresAt: number;
}

const b64url = (b: Buffer) => b.toString('base64url');
/** DER SPKI prefix of an Ed25519 public key (RFC 8410): the 32 key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Whether `signature` is `address`'s ed25519 signature over `message`. */
export function verifyWalletSignature(address: string, message: Buffer, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, new PublicKey(address).toBuffer()]),
    format: 'der',
    type: 'spki',
  });
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

const iso = (secs: number) => new Date(secs * 1000).toISOString();

export class Sessions {
  private readonly secret: Buffer;
  private readonly pending = new Map<string, Pending>();
  readonly challengeTtlSecs: number;
  readonly sessionTtlSecs: number;
  private readonly maxPending: number;
  readonly now: () => number;

  constructor(readonly opts: SessionOptions = {}) {
    const secret = opts.secret === undefined ? randomBytes(32) : Buffer.from(opts.secret);
    if (secret.length < 32) throw new Error('the session secret must be at least 32 bytes');
    this.secret = secret;
    this.challengeTtlSecs = opts.challengeTtlSecs ?? 300;
    this.sessionTtlSecs = opts.sessionTtlSecs ?? 12 * 3600;
    this.maxPending = opts.maxPending ?? 10_000;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** A fresh challenge for `address`: the text to sign and when it expires. */
  challenge(address: string, host: string): { message: string; expiresAt: number } {
    const now = this.now();
    for (const [nonce, p] of this.pending) {
      if (p.expiresAt > now && this.pending.size < this.maxPending) break;
      this.pending.delete(nonce); // expired, or over the bound: oldest first (insertion order)
    }
    const nonce = randomBytes(16).toString('hex');
    const expiresAt = now + this.challengeTtlSecs;
    const domain = this.opts.domain ?? host;
    const message =
      `${domain} wants you to sign in with your Solana account:\n${address}\n\n` +
      `Sign in to OpenVPP World. This signature moves no funds.\n\n` +
      `Version: 1\nNonce: ${nonce}\nIssued At: ${iso(now)}\nExpiration Time: ${iso(expiresAt)}`;
    this.pending.set(nonce, { address, message, expiresAt });
    return { message, expiresAt };
  }

  /**
   * Checks a signed challenge and consumes its nonce (single use, whatever the outcome). Throws
   * 401 `ChallengeUnknown` (never issued, used or forgotten), `ChallengeExpired`,
   * `ChallengeMismatch` (another address or altered text) or `InvalidSignature`.
   */
  consume(address: string, message: string, signatureB64: string): void {
    const nonce = /\nNonce: ([0-9a-f]{32})\n/.exec(message)?.[1];
    const p = nonce === undefined ? undefined : this.pending.get(nonce);
    if (!nonce || !p) {
      throw new HttpError(
        401,
        'ChallengeUnknown',
        'this challenge was never issued, was already used or has been forgotten: ask for a new one (GET /v1/auth/challenge)',
      );
    }
    this.pending.delete(nonce);
    if (p.expiresAt <= this.now()) {
      throw new HttpError(401, 'ChallengeExpired', 'the challenge expired: ask for a new one and sign it at once');
    }
    if (p.address !== address || p.message !== message) {
      throw new HttpError(
        401,
        'ChallengeMismatch',
        'the message is not the challenge issued to this address: sign the text exactly as returned',
      );
    }
    const signature = Buffer.from(signatureB64, 'base64');
    if (!verifyWalletSignature(address, Buffer.from(message, 'utf8'), signature)) {
      throw new HttpError(
        401,
        'InvalidSignature',
        "the signature is not this address's ed25519 signature over the message bytes (base64 of 64 bytes)",
      );
    }
  }

  /** A signed token for these claims. */
  issue(sub: string, role: Role, utilities: string[]): { token: string; claims: SessionClaims } {
    const iat = this.now();
    const claims: SessionClaims = { sub, role, utilities, iat, exp: iat + this.sessionTtlSecs };
    const payload = b64url(Buffer.from(JSON.stringify(claims), 'utf8'));
    return { token: `${payload}.${this.mac(payload)}`, claims };
  }

  /** The claims of a valid token; 401 `InvalidToken` or `SessionExpired` otherwise. */
  verify(token: string): SessionClaims {
    const [payload, mac, extra] = token.split('.');
    const invalid = () =>
      new HttpError(401, 'InvalidToken', 'the session token is malformed or not signed by this service: sign in again');
    if (!payload || !mac || extra !== undefined) throw invalid();
    const expected = Buffer.from(this.mac(payload), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let claims: SessionClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
    } catch {
      throw invalid();
    }
    if (typeof claims.exp !== 'number' || claims.exp <= this.now()) {
      throw new HttpError(401, 'SessionExpired', 'the session expired: sign in again');
    }
    return claims;
  }

  private mac(payload: string): string {
    return b64url(createHmac('sha256', this.secret).update(payload, 'utf8').digest());
  }
}
