// A probe's connection to the endpoint under validation, over the shared TLS and HTTP layers: to
// the address the policy allowed, verification in `report` mode (so an untrusted chain is still
// reported), one bounded HTTP/1.1 exchange per connection.
import { type HttpResponse, httpExchange, hostHeader } from '../http';
import { type Connection, type TlsOptions, certificateSummary, openConnection } from '../tls';
import type { ProbeTls } from './report';
import { MAX_RESPONSE_BYTES, type ProbeTarget } from './safety';

export type { Connection, TlsOptions };

/** The session as a probe reports it (null for plain TCP). */
export function probeTls(conn: Connection): ProbeTls | null {
  const s = conn.session;
  if (!s) return null;
  return {
    version: s.version,
    cipher: s.cipher,
    chain: s.chain.map((c) => certificateSummary(c.raw)),
    spkiSha256: s.spki,
  };
}

/** Opens a connection to `target` (`report` mode; see the shared TLS layer). */
export function openProbeConnection(
  target: ProbeTarget,
  opts: TlsOptions & { timeoutMs: number },
): Promise<Connection> {
  return openConnection(
    { host: target.host, address: target.ip, port: target.port, secure: target.secure },
    { ...opts, verify: 'report' },
  );
}

/** A response with its body decoded as UTF-8. */
export type ProbeResponse = HttpResponse & { text: string };

/**
 * One HTTP/1.1 request over a fresh verified connection (a failed verification throws before the
 * request is written). Bounded by `timeoutMs` and `maxBytes`.
 */
export async function httpOnce(
  target: ProbeTarget,
  req: { method: string; path: string; headers?: Record<string, string>; body?: string },
  opts: TlsOptions & { timeoutMs: number; maxBytes?: number },
): Promise<ProbeResponse> {
  const conn = await openProbeConnection(target, opts);
  const p = conn.problems;
  if (p.chain || p.hostname || p.pin) {
    throw new Error(`TLS verification failed: ${[p.chain, p.hostname, p.pin].filter(Boolean).join('; ')}`);
  }
  const res = await httpExchange(
    conn,
    { ...req, host: hostHeader(target), headers: { 'user-agent': 'openvpp-probe/0.1', ...req.headers } },
    { timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes ?? MAX_RESPONSE_BYTES },
  );
  return { ...res, text: res.body.toString('utf8') };
}
