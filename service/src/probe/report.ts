// The capability report an endpoint probe returns, and its canonical hash (what an endpoint
// attestation commits to on-chain).
import { createHash } from 'node:crypto';

import type { Protocol } from '@openvpp/sdk/web3';

/** One certificate of the chain as verified (what the server presented, up to the trust anchor), leaf first. */
export interface ProbeCertificate {
  subject: string;
  issuer: string;
  /** ISO-8601 UTC. */
  notAfter: string;
  /** SHA-256 (hex) of the certificate's DER SubjectPublicKeyInfo: what a route pins. */
  spkiSha256: string;
}

export interface ProbeTls {
  /** Negotiated protocol version, e.g. `TLSv1.3`. */
  version: string;
  /** Negotiated cipher suite (OpenSSL name). */
  cipher: string;
  chain: ProbeCertificate[];
  /** SPKI SHA-256 (hex) of the leaf certificate. */
  spkiSha256: string;
}

export interface ProbeCheck {
  /** Stable name, e.g. `tls.handshake`, `ocpp.bootNotification`. */
  name: string;
  ok: boolean;
  /** Why it passed or failed, in words (credentials never appear here). */
  detail: string;
  /** Wall-clock milliseconds the check took. */
  ms: number;
}

export interface ProbeReport {
  protocol: Protocol;
  /** The endpoint probed, with any userinfo removed. */
  endpoint: string;
  /** Protocol version detected, e.g. `2.0.1`, `3.0`, `3.1`, `2018`. */
  version?: string;
  /** True when every check passed. */
  ok: boolean;
  /** Null when no TLS session was established (plain `ws://`/`http://`, or the handshake failed). */
  tls: ProbeTls | null;
  checks: ProbeCheck[];
  /** ISO-8601 UTC. */
  startedAt: string;
  durationMs: number;
}

/** JSON with object keys sorted at every depth; `undefined` members are dropped (as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** SHA-256 (hex) of the report's canonical JSON. */
export function reportHash(report: ProbeReport): string {
  return createHash('sha256').update(canonicalJson(report), 'utf8').digest('hex');
}

/** Collects timed checks; `ok` of the report is the AND of every check. */
export class CheckList {
  readonly checks: ProbeCheck[] = [];

  add(name: string, ok: boolean, detail: string, ms = 0): boolean {
    this.checks.push({ name, ok, detail, ms: Math.round(ms) });
    return ok;
  }

  /** Runs `fn`, timing it; a throw becomes a failed check with the error's message. */
  async run<T>(name: string, fn: () => Promise<{ ok: boolean; detail: string; value?: T }>): Promise<T | undefined> {
    const t = performance.now();
    try {
      const r = await fn();
      this.add(name, r.ok, r.detail, performance.now() - t);
      return r.ok ? r.value : undefined;
    } catch (e) {
      this.add(name, false, (e as Error).message, performance.now() - t);
      return undefined;
    }
  }

  get ok(): boolean {
    return this.checks.length > 0 && this.checks.every((c) => c.ok);
  }
}

/** Credentials the caller lends a probe. Used for this probe only: never stored, logged or reported. */
export interface ProbeCredentials {
  /** OpenADR: OAuth2 client_id. OCPP: the charging-station identity (Basic-auth user name). */
  clientId?: string;
  /** OpenADR: OAuth2 client_secret. OCPP: the Basic-auth password (security profiles 1 and 2). */
  clientSecret?: string;
}

/** What a protocol probe receives from the dispatcher. */
export interface ProbeContext {
  checks: CheckList;
  timeoutMs: number;
  credentials?: ProbeCredentials;
  /** Trust anchors, client certificate and pins (PEM / hex). */
  tlsOptions: { ca?: string; cert?: string; key?: string; pins?: string[] };
  /** Strings to scrub from every detail (the credentials). */
  redact: (text: string) => string;
}

/** What a protocol probe hands back to the dispatcher (the checks go into `ctx.checks`). */
export interface ProbeOutcome {
  version?: string;
  tls: ProbeTls | null;
}
