// The one HTTP client: a single HTTP/1.1 request over a connection opened by ./tls (fresh, verified,
// closed afterwards), bounded in time and size.
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { isIP } from 'node:net';

import { ConnectError } from './errors';
import { type Connection, type Endpoint, classify } from './tls';

/** Largest response header block accepted. */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A deadline (ms since epoch) and a response size limit shared by every step of one exchange. */
export interface Limits {
  deadline: number;
  maxResponseBytes: number;
}

/** Remaining time before the deadline, or a `Timeout` error. */
export function remaining(limits: Limits, what: string): number {
  const left = limits.deadline - Date.now();
  if (left <= 0) throw new ConnectError('Timeout', `${what}: deadline passed`);
  return left;
}

/** The `Host` header for an endpoint (`host:port`, IPv6 literals bracketed; the port omitted when default). */
export function hostHeader(endpoint: Pick<Endpoint, 'host' | 'port' | 'secure'>, { port = 'always' } = {}): string {
  const host = isIP(endpoint.host) === 6 ? `[${endpoint.host}]` : endpoint.host;
  const isDefault = endpoint.port === (endpoint.secure ? 443 : 80);
  return port === 'always' || !isDefault ? `${host}:${endpoint.port}` : host;
}

/**
 * Sends one request over `conn` and reads the whole response. Rejects with a `ConnectError`:
 * `Timeout`, `TooLarge` (declared or streamed over `maxBytes`), or the socket's failure classified.
 */
export function httpExchange(
  conn: Connection,
  req: { method: string; path: string; host: string; headers?: Record<string, string>; body?: string },
  { timeoutMs, maxBytes, what = `${req.method} ${req.path}` }: { timeoutMs: number; maxBytes: number; what?: string },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err: unknown, res?: HttpResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      conn.socket.destroy();
      if (err) reject(classify(err, what));
      else resolve(res!);
    };
    const timer = setTimeout(
      () => finish(new ConnectError('Timeout', `${what}: no complete response within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const r = httpRequest(
      {
        method: req.method,
        path: req.path,
        headers: {
          host: req.host,
          connection: 'close',
          ...(req.body !== undefined && { 'content-length': String(Buffer.byteLength(req.body)) }),
          ...req.headers,
        },
        createConnection: () => conn.socket,
        maxHeaderSize: MAX_HEADER_BYTES,
      },
      (res) => {
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          finish(new ConnectError('TooLarge', `${what}: ${declared} bytes declared, limit ${maxBytes}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) finish(new ConnectError('TooLarge', `${what}: response over ${maxBytes} bytes`));
          else chunks.push(c);
        });
        res.on('error', (e) => finish(e));
        res.on('end', () =>
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    r.on('error', (e) => finish(e));
    r.end(req.body);
  });
}

/** Parses a JSON body or fails with `BadResponse`. */
export function jsonBody(res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new ConnectError('BadResponse', `${what}: HTTP ${res.status} body is not JSON`, { status: res.status });
  }
}

/** A short, credential-free description of an error body (RFC 7807 `title`/`detail`, OAuth `error`). */
export function problemOf(res: HttpResponse): string {
  try {
    const j = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    const parts = [j.title, j.detail, j.error, j.error_description].filter((x) => typeof x === 'string' && x !== '');
    if (parts.length) return parts.join(' — ').slice(0, 300);
  } catch {
    // not JSON
  }
  return res.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
}
