// The routing program's endpoint grammar and certificate-pin rules, checked before anything is
// sent (`programs/ovpp-routing/src/state/route.rs`).
import { ClientError } from '../errors';
import { MAX_CERT_PINS, MAX_ENDPOINT_LEN } from './constants';
import type { Protocol } from './types';

/**
 * A host: lowercase `[a-z0-9-]` labels joined by single dots, none starting or ending with `-`;
 * a host WHATWG reads as IPv4 (`endsInANumber`) only as a canonical dotted quad. Mirrors
 * `is_valid_host`.
 */
function isValidHost(host: string): boolean {
  return (
    host.length > 0 &&
    host.split('.').every((label) => /^[a-z0-9-]+$/.test(label) && !label.startsWith('-') && !label.endsWith('-')) &&
    (!endsInANumber(host) || isCanonicalIpv4(host))
  );
}

/**
 * The WHATWG URL Standard's "ends in a number checker" (mirrors `ends_in_a_number`): the last
 * label, or the second-to-last when the last is empty, is all ASCII digits, or `0x`/`0X`
 * followed only by hex digits. Such a host is parsed as an IPv4 address (or fails to parse).
 */
export function endsInANumber(host: string): boolean {
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  const last = h.slice(h.lastIndexOf('.') + 1);
  return /^[0-9]+$/.test(last) || /^0[xX][0-9a-fA-F]*$/.test(last);
}

/** Four decimal parts 0..=255 without leading zeros: the form WHATWG serialises IPv4 hosts to. */
function isCanonicalIpv4(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** A port: 1 to 5 ASCII digits, 1..=65535. */
function isValidPort(port: string): boolean {
  return /^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
}

/**
 * The program's strict endpoint grammar (`is_valid_endpoint`), rule for rule:
 * `scheme host [":" port] [path]`: the protocol's scheme (`https://`, or `wss://` for OCPP), a
 * host of lowercase `[a-z0-9-]` labels (no userinfo, `%`, brackets), an optional port 1..=65535
 * of 1-5 digits, then an optional path starting with `/`; printable ASCII without `#`, at most
 * 200 bytes.
 */
export function isValidEndpoint(protocol: Protocol, endpoint: string): boolean {
  const scheme = protocol === 'ocpp201Csms' ? 'wss://' : 'https://';
  if (new TextEncoder().encode(endpoint).length > MAX_ENDPOINT_LEN || !/^[\x21-\x22\x24-\x7e]*$/.test(endpoint))
    return false;
  if (!endpoint.startsWith(scheme)) return false;
  const rest = endpoint.slice(scheme.length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const colon = authority.indexOf(':');
  const host = colon < 0 ? authority : authority.slice(0, colon);
  const port = colon < 0 ? null : authority.slice(colon + 1);
  return isValidHost(host) && (port === null || isValidPort(port));
}

/** Mirrors `validate_route`'s endpoint and pin rules (expiry is checked on-chain). */
export function validateRoute(protocol: Protocol, endpoint: string, certPins: Uint8Array[]): void {
  if (!isValidEndpoint(protocol, endpoint)) {
    const scheme = protocol === 'ocpp201Csms' ? 'wss://' : 'https://';
    throw new ClientError(
      'InvalidEndpoint',
      `${protocol} endpoints are ${scheme}host[:port][/path] URLs (lowercase host, no userinfo, no '#') of <= ${MAX_ENDPOINT_LEN} printable bytes`,
    );
  }
  const hex = certPins.map((p) => Array.from(p, (b) => b.toString(16).padStart(2, '0')).join(''));
  if (
    certPins.length < 1 ||
    certPins.length > MAX_CERT_PINS ||
    certPins.some((p) => p.length !== 32 || p.every((b) => b === 0)) ||
    new Set(hex).size !== hex.length
  ) {
    throw new ClientError('InvalidCertPins', `1..=${MAX_CERT_PINS} distinct non-zero 32-byte SHA-256 pins`);
  }
}
