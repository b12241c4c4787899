// Guard rails every probe goes through: it talks only to the endpoint under validation, never to a
// private, loopback, link-local or other special-purpose address (IPv6 forms that embed an IPv4
// address judged by that address) unless the operator's allow-list names it, with bounded
// time and bytes, and with credentials kept out of reports and logs.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net';

/** Default connect + read deadline of one probe step. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Hard cap on a caller-chosen deadline. */
export const MAX_TIMEOUT_MS = 60_000;
/** Largest response body (or WebSocket message) a probe reads before giving up. */
export const MAX_RESPONSE_BYTES = 1 << 20;
/** Largest response header block (the shared HTTP and WebSocket clients' limit). */
export { MAX_HEADER_BYTES } from '../http';

/** A probe refused before any packet left (address policy, malformed endpoint). */
export class ProbeRefusedError extends Error {
  constructor(
    readonly reason: 'InvalidEndpoint' | 'AddressNotAllowed' | 'ResolveFailed',
    message: string,
    /** For `AddressNotAllowed`: what the refused address is. */
    readonly address?: AddressClass,
  ) {
    super(message);
    this.name = 'ProbeRefusedError';
  }
}

/**
 * What an address is, by the IANA special-purpose registries (RFC 6890 and successors). Only
 * `public` addresses are reached without an allow-list entry. An IPv6 address that embeds or maps
 * an IPv4 address is classified by that IPv4 address, so it is refused under the same name.
 */
export type AddressRange =
  | 'public'
  | 'unspecified'
  | 'thisNetwork'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'linkLocal'
  | 'ietfProtocol'
  | 'documentation'
  | 'benchmarking'
  | 'multicast'
  | 'reserved'
  | 'uniqueLocal'
  | 'siteLocal'
  | 'discard'
  | 'orchid'
  | 'nat64LocalUse'
  | 'srv6Sid'
  | 'notAnAddress';

/** How an IPv6 address carries an IPv4 address. */
export type Ipv4Embedding =
  | 'ipv4Compatible' // ::/96 (::a.b.c.d, deprecated by RFC 4291)
  | 'ipv4Mapped' // ::ffff:0:0/96
  | 'ipv4Translated' // ::ffff:0:0:0/96 (RFC 2765 SIIT)
  | 'nat64' // 64:ff9b::/96 (RFC 6052)
  | 'nat64LocalUse' // 64:ff9b:1::/48 (RFC 8215), read at the /96 position
  | '6to4' // 2002::/16, IPv4 in bits 16-47 (RFC 3056)
  | 'teredoServer' // 2001::/32, server IPv4 in bits 32-63 (RFC 4380)
  | 'teredoClient'; // 2001::/32, client IPv4 = last 32 bits XOR ffffffff

export interface AddressClass {
  range: AddressRange;
  /** The IPv4 address an IPv6 address embeds, when the range was decided by it. */
  ipv4?: string;
  embedding?: Ipv4Embedding;
}

type Rule = readonly [bytes: readonly number[], prefix: number, range: AddressRange];

/** IPv4 special-purpose ranges that are not globally reachable (first match wins). */
const IPV4_RULES: readonly Rule[] = [
  [[0, 0, 0, 0], 8, 'thisNetwork'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'cgnat'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'linkLocal'], // cloud metadata lives here
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'ietfProtocol'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'benchmarking'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'], // and 255.255.255.255 (broadcast)
];

/** `hex` groups of an IPv6 prefix as 16 bytes. */
const v6 = (...groups: number[]) => groups.flatMap((g) => [g >> 8, g & 255]);

/**
 * IPv6 special-purpose ranges (after the IPv4-embedding forms), most specific first: the globally
 * reachable exceptions inside 2001::/23 are `public`. Anything outside global unicast 2000::/3
 * that no rule names is `reserved`.
 */
const IPV6_RULES: readonly Rule[] = [
  [v6(0x2001, 0x1, 0, 0, 0, 0, 0, 1), 128, 'public'], // PCP anycast (RFC 7723)
  [v6(0x2001, 0x1, 0, 0, 0, 0, 0, 2), 128, 'public'], // TURN anycast (RFC 8155)
  [v6(0x2001, 0x1, 0, 0, 0, 0, 0, 3), 128, 'public'], // DNS-SD SRP anycast (RFC 9665)
  [v6(0x2001, 0x2), 48, 'benchmarking'], // RFC 5180
  [v6(0x2001, 0x3), 32, 'public'], // AMT (RFC 7450)
  [v6(0x2001, 0x4, 0x112), 48, 'public'], // AS112-v6 (RFC 7535)
  [v6(0x2001, 0x10), 28, 'orchid'], // ORCHID, deprecated (RFC 4843)
  [v6(0x2001, 0x20), 28, 'orchid'], // ORCHIDv2 (RFC 7343)
  [v6(0x2001, 0x30), 28, 'public'], // DRIP DETs (RFC 9374)
  [v6(0x2001), 23, 'ietfProtocol'], // IETF protocol assignments (RFC 2928)
  [v6(0x2001, 0xdb8), 32, 'documentation'], // RFC 3849
  [v6(0x3fff), 20, 'documentation'], // RFC 9637
  [v6(0x100), 64, 'discard'], // RFC 6666
  [v6(0x100, 0, 0, 1), 64, 'discard'], // dummy prefix (RFC 9780)
  [v6(0x5f00), 16, 'srv6Sid'], // RFC 9602
  [v6(0xfc00), 7, 'uniqueLocal'], // RFC 4193
  [v6(0xfe80), 10, 'linkLocal'],
  [v6(0xfec0), 10, 'siteLocal'], // deprecated (RFC 3879), still routed by some stacks
  [v6(0xff00), 8, 'multicast'],
  [v6(0x2000), 3, 'public'], // global unicast
  [v6(), 0, 'reserved'],
];

const matches = (addr: Uint8Array, net: readonly number[], prefix: number) => {
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((addr[bit / 8] & mask) !== ((net[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
};
const classify = (addr: Uint8Array, rules: readonly Rule[], otherwise: AddressRange) =>
  rules.find(([net, prefix]) => matches(addr, net, prefix))?.[2] ?? otherwise;

/** Dotted-quad IPv4 (as `net.isIPv4` accepts it) to 4 bytes. */
function ipv4Bytes(ip: string): Uint8Array | null {
  if (!isIPv4(ip)) return null;
  return Uint8Array.from(ip.split('.').map(Number));
}

/**
 * Any IPv6 spelling `net.isIPv6` accepts (zone id, `::`, leading zeros, upper case, dotted IPv4
 * tail) to its 16 bytes; null when it is not one.
 */
export function ipv6Bytes(ip: string): Uint8Array | null {
  if (!isIPv6(ip)) return null;
  let text = ip.replace(/%.*$/, '').toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const b = ipv4Bytes(dotted[1]);
    if (!b) return null;
    text =
      text.slice(0, -dotted[1].length) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-f]{1,4}$/.test(all[i])) return null;
    const g = parseInt(all[i], 16);
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 255;
  }
  return out;
}

const v4Text = (b: Uint8Array) => `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
const xorAll = (b: Uint8Array) => b.map((x) => x ^ 0xff);

/** The IPv4 addresses an IPv6 address embeds or maps, by form (RFC 4291, 2765, 6052, 8215, 3056, 4380). */
function embeddedIpv4(a: Uint8Array): { embedding: Ipv4Embedding; ipv4: Uint8Array }[] {
  const zero = (from: number, to: number) => a.subarray(from, to).every((x) => x === 0);
  const last = a.subarray(12, 16);
  if (zero(0, 10) && a[10] === 0xff && a[11] === 0xff) return [{ embedding: 'ipv4Mapped', ipv4: last }];
  if (zero(0, 8) && a[8] === 0xff && a[9] === 0xff && zero(10, 12))
    return [{ embedding: 'ipv4Translated', ipv4: last }];
  // ::/96 (:: and ::1 are classified as themselves before this).
  if (zero(0, 12)) return [{ embedding: 'ipv4Compatible', ipv4: last }];
  if (matches(a, v6(0x64, 0xff9b), 96)) return [{ embedding: 'nat64', ipv4: last }];
  if (matches(a, v6(0x64, 0xff9b, 0x1), 48)) return [{ embedding: 'nat64LocalUse', ipv4: last }];
  if (a[0] === 0x20 && a[1] === 0x02) return [{ embedding: '6to4', ipv4: a.subarray(2, 6) }];
  if (matches(a, v6(0x2001), 32)) {
    return [
      { embedding: 'teredoServer', ipv4: a.subarray(4, 8) },
      { embedding: 'teredoClient', ipv4: xorAll(last) },
    ];
  }
  return [];
}

/** Classifies an IPv4 or IPv6 address (see `AddressRange`); `notAnAddress` when it is neither. */
export function classifyAddress(ip: string): AddressClass {
  const four = ipv4Bytes(ip);
  if (four) return { range: classify(four, IPV4_RULES, 'public') };
  const a = ipv6Bytes(ip);
  if (!a) return { range: 'notAnAddress' };
  if (a.every((x) => x === 0)) return { range: 'unspecified' };
  if (a.subarray(0, 15).every((x) => x === 0) && a[15] === 1) return { range: 'loopback' };
  const embedded = embeddedIpv4(a);
  for (const { embedding, ipv4 } of embedded) {
    const range = classify(ipv4, IPV4_RULES, 'public');
    if (range !== 'public') return { range, ipv4: v4Text(ipv4), embedding };
  }
  // Local-use NAT64 is not globally reachable whatever it embeds.
  if (embedded.some((e) => e.embedding === 'nat64LocalUse')) return { range: 'nat64LocalUse' };
  // Every embedded IPv4 address is public: reachable through the translator or relay.
  if (embedded.length > 0) return { range: 'public' };
  return { range: classify(a, IPV6_RULES, 'reserved') };
}

/** True when `ip` is not a public unicast address (private, loopback, link-local, special-purpose...). */
export function isRestrictedAddress(ip: string): boolean {
  return classifyAddress(ip).range !== 'public';
}

/** "a loopback address (IPv4 127.0.0.1 embedded as ipv4Mapped)" */
export function describeAddressClass(c: AddressClass): string {
  const embedded = c.ipv4 ? ` (IPv4 ${c.ipv4} embedded as ${c.embedding})` : '';
  return `a ${c.range} address${embedded}`;
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
    const cls = classifyAddress(ip);
    if (cls.range !== 'public' && !allowed.check(ip, type)) {
      throw new ProbeRefusedError(
        'AddressNotAllowed',
        `${host} resolves to ${ip}, ${describeAddressClass(cls)}: probes only reach public endpoints unless the allow-list names it`,
        cls,
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
