// Guard rails every probe goes through: it talks only to the endpoint under validation, never to a
// private, loopback or link-local address unless the caller's allow-list names it, with bounded
// time and bytes, and with credentials kept out of reports and logs.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Default connect + read deadline of one probe step. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Hard cap on a caller-chosen deadline. */
export const MAX_TIMEOUT_MS = 60_000;
/** Largest response body (or WebSocket message) a probe reads before giving up. */
export const MAX_RESPONSE_BYTES = 1 << 20;
/** Largest response header block. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** A probe refused before any packet left (address policy, malformed endpoint). */
export class ProbeRefusedError extends Error {
  constructor(
    readonly reason: 'InvalidEndpoint' | 'AddressNotAllowed' | 'ResolveFailed',
    message: string,
  ) {
    super(message);
    this.name = 'ProbeRefusedError';
  }
}

/** Addresses a probe never reaches without an explicit allow-list entry. */
const RESTRICTED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved + broadcast
] as const) {
  RESTRICTED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  RESTRICTED.addSubnet(net, prefix, 'ipv6');
}

/** True when `ip` is private, loopback, link-local or otherwise not a public unicast address. */
export function isRestrictedAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return RESTRICTED.check(ip, 'ipv4');
  if (family === 6) {
    // IPv4-mapped (::ffff:a.b.c.d): judged by the IPv4 rules. (BlockList also matches IPv4
    // addresses against IPv6 rules as mapped addresses, so no ::ffff:0:0/96 rule here.)
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return RESTRICTED.check(mapped[1], 'ipv4');
    const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip); // the WHATWG URL form
    if (hexMapped) {
      const [hi, lo] = [parseInt(hexMapped[1], 16), parseInt(hexMapped[2], 16)];
      return RESTRICTED.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
    }
    return RESTRICTED.check(ip, 'ipv6');
  }
  return true;
}

/** An allow-list: exact IPs or CIDRs (`127.0.0.1`, `10.0.0.0/8`, `::1`). */
export function buildAllowList(allow: readonly string[] = []): BlockList {
  const list = new BlockList();
  for (const entry of allow) {
    const [addr, bits] = entry.split('/');
    const family = isIP(addr);
    if (!family) throw new ProbeRefusedError('InvalidEndpoint', `allow-list entry is not an IP or CIDR: ${entry}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
        throw new ProbeRefusedError('InvalidEndpoint', `allow-list entry has a bad prefix length: ${entry}`);
      }
      list.addSubnet(addr, prefix, type);
    }
  }
  return list;
}

/** Where a probe connects: the resolved address is used for every connection (no re-resolution, no rebinding). */
export interface ProbeTarget {
  url: URL;
  /** Host as written in the endpoint (SNI and Host header). */
  host: string;
  /** The resolved address actually connected to. */
  ip: string;
  port: number;
  secure: boolean;
}

/**
 * Parses `endpoint`, checks its scheme, resolves its host and applies the address policy: every
 * address the name resolves to must be public, or be in `allow`. Throws `ProbeRefusedError`.
 */
export async function resolveTarget(
  endpoint: string,
  schemes: readonly string[],
  allow: readonly string[] = [],
): Promise<ProbeTarget> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ProbeRefusedError('InvalidEndpoint', `not a URL: ${redactUrl(endpoint)}`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new ProbeRefusedError('InvalidEndpoint', `scheme ${scheme}: is not one of ${schemes.join(', ')}`);
  }
  if (url.username || url.password) {
    throw new ProbeRefusedError('InvalidEndpoint', 'credentials in the URL are not accepted: pass them as credentials');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const secure = scheme === 'https' || scheme === 'wss';
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch (e) {
      throw new ProbeRefusedError('ResolveFailed', `cannot resolve ${host}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
  }
  const allowed = buildAllowList(allow);
  for (const ip of addresses) {
    const type = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
    if (isRestrictedAddress(ip) && !allowed.check(ip, type)) {
      throw new ProbeRefusedError(
        'AddressNotAllowed',
        `${host} resolves to ${ip}, a private, loopback or link-local address: probes only reach public endpoints unless the allow-list names it`,
      );
    }
  }
  return { url, host, ip: addresses[0], port, secure };
}

/** Clamps a caller's timeout into (0, MAX_TIMEOUT_MS]. */
export function clampTimeout(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return DEFAULT_TIMEOUT_MS;
  return Math.min(ms, MAX_TIMEOUT_MS);
}

/** The URL without userinfo, query or fragment (those can carry secrets). */
export function redactUrl(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    return endpoint.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
  }
}

/**
 * Removes every secret (and its base64/URL-encoded forms) from `text`, plus anything that looks
 * like a bearer token, Basic credentials or a JWT. Used on every detail string and log line.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 3) continue;
    for (const form of new Set([s, encodeURIComponent(s), Buffer.from(s).toString('base64')])) {
      out = out.split(form).join('[redacted]');
    }
  }
  return out
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/gi, '$1 [redacted]')
    .replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]')
    .replace(/("?(?:access_token|client_secret|password)"?\s*[:=]\s*"?)[^"&,\s}]+/gi, '$1[redacted]');
}
