// One pinned HTTPS request (fresh connection, no agent): deadline, response size limit, TLS facts.
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

import { ConnectError } from './errors';
import { type PinState, type PinnedTlsOptions, type TlsInfo, classify, pinnedTlsOptions, tlsInfo } from './tls';

export interface Limits {
  /** Absolute deadline (ms since epoch) for the whole connect. */
  deadline: number;
  maxResponseBytes: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  tls: TlsInfo;
  spki: string;
}

/** Remaining time before the deadline, or a `Timeout` error. */
export function remaining(limits: Limits, what: string): number {
  const left = limits.deadline - Date.now();
  if (left <= 0) throw new ConnectError('Timeout', `${what}: deadline passed`);
  return left;
}

export function pinnedRequest(
  url: URL,
  {
    method = 'GET',
    headers = {},
    body,
    tlsOpts,
    limits,
    what,
  }: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    tlsOpts: PinnedTlsOptions;
    limits: Limits;
    what: string;
  },
): Promise<HttpResponse> {
  if (url.protocol !== 'https:') {
    return Promise.reject(new ConnectError('InvalidEndpoint', `${what}: ${url.protocol} is not https`));
  }
  const left = remaining(limits, what);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const state: PinState = {};
  return new Promise<HttpResponse>((resolve, reject) => {
    let done = false;
    const finish = (err: unknown, res?: HttpResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(classify(err, what));
      } else resolve(res!);
    };
    const req = https.request({
      ...pinnedTlsOptions(host, tlsOpts, state),
      port: url.port || 443,
      path: `${url.pathname}${url.search}`,
      method,
      agent: false,
      headers: {
        host: url.host,
        connection: 'close',
        ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        ...headers,
      },
    });
    const timer = setTimeout(() => finish(new ConnectError('Timeout', `${what}: no answer within the deadline`)), left);
    req.on('error', (e) => finish(e));
    req.on('response', (res) => {
      const info = tlsInfo(res.socket as TLSSocket, state, Boolean(tlsOpts.cert));
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > limits.maxResponseBytes) {
        finish(new ConnectError('TooLarge', `${what}: ${declared} bytes declared, limit ${limits.maxResponseBytes}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limits.maxResponseBytes) {
          finish(new ConnectError('TooLarge', `${what}: response over ${limits.maxResponseBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e) => finish(e));
      res.on('end', () =>
        finish(undefined, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          tls: info,
          spki: state.spki!,
        }),
      );
    });
    req.end(body);
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

/** A short, credential-free description of an error body (RFC 7807 `detail`/`title`, OAuth `error`). */
export function problemOf(res: HttpResponse): string {
  try {
    const j = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    const parts = [j.title, j.detail, j.error, j.error_description].filter((x) => typeof x === 'string');
    if (parts.length) return parts.join(' — ').slice(0, 300);
  } catch {
    // not JSON
  }
  return res.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
}
