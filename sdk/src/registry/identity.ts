import { sha256 } from '@noble/hashes/sha256';
import {
  certificateFingerprint as fingerprintOfDer,
  certificateIdentity,
  lfdiOfFingerprint,
  sfdiOfLfdi,
} from '@openvpp/integration/identity';

import { MAX_NAME_LEN } from './constants';
import { ClientError } from '../errors';

// The 2030.5 identity arithmetic lives in @openvpp/integration (its certificate validator and
// probes use it too); these are the SDK's entry points, which take PEM or DER and refuse bad input
// with `ClientError`.

/** SHA-256 of the DER encoding of a certificate given as DER bytes or PEM text. */
export function certificateFingerprint(cert: Uint8Array | string): Uint8Array {
  return fingerprintOfDer(typeof cert === 'string' ? pemToDer(cert) : cert);
}

/** Decodes the first `CERTIFICATE` block of a PEM string. */
export function pemToDer(pem: string): Uint8Array {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new ClientError('InvalidCertificate', 'no PEM CERTIFICATE block found');
  const b64 = match[1].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new ClientError('InvalidCertificate', 'PEM body is not base64');
  }
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** IEEE 2030.5 LFDI: the left-most 160 bits of the certificate fingerprint. */
export function lfdiFromFingerprint(fingerprint: Uint8Array): Uint8Array {
  if (fingerprint.length !== 32) {
    throw new ClientError('InvalidFingerprint', 'fingerprint must be 32 bytes');
  }
  return lfdiOfFingerprint(fingerprint);
}

/**
 * IEEE 2030.5 SFDI: the left-most 36 bits of the LFDI as a decimal integer with a check digit
 * that makes the digit sum a multiple of ten. Mirrors `identity::sfdi_from_lfdi`.
 */
export function sfdiFromLfdi(lfdi: Uint8Array): bigint {
  if (lfdi.length < 5) throw new ClientError('InvalidFingerprint', 'LFDI too short');
  return sfdiOfLfdi(lfdi);
}

/** LFDI (hex, upper case, as 2030.5 resources print it) and SFDI of a certificate. */
export function deviceIdentity(cert: Uint8Array | string): {
  fingerprint: Uint8Array;
  lfdi: Uint8Array;
  lfdiHex: string;
  sfdi: bigint;
} {
  return certificateIdentity(typeof cert === 'string' ? pemToDer(cert) : cert);
}

/** Mirrors `identity::is_valid_name`: 1..=63 bytes of [a-z0-9.-], alnum at both ends, no "..". */
export function isValidName(name: string): boolean {
  return (
    name.length >= 1 &&
    Buffer.byteLength(name) <= MAX_NAME_LEN &&
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(name) &&
    !name.includes('..')
  );
}

/** A partner handle: a valid name of one label (no dots), e.g. `gridco`. */
export function isValidHandle(handle: string): boolean {
  return isValidName(handle) && !handle.includes('.');
}

/** The last label of a dotted name (`meter-1.gridco` -> `gridco`), or null for one label. */
export function parentLabel(name: string): string | null {
  const i = name.lastIndexOf('.');
  return i < 0 ? null : name.slice(i + 1);
}

/** A default handle from a display name: `Acme Batteries` -> `acme-batteries`. */
export function handleFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/**
 * Confusable prototypes over the registry alphabet `[a-z0-9.-]` (Unicode TS #39 skeleton):
 * `0 -> o`, `1 -> l`, `m -> rn` from confusables.txt; `i -> l`, `w -> vv`, `d -> cl`, `5 -> s`,
 * `2 -> z`, `6`/`8 -> b`, `9 -> g` added; `-` and `.` dropped. Mirrors `identity::skeleton`.
 */
const SKELETON: Record<string, string> = {
  '-': '',
  '.': '',
  '0': 'o',
  '1': 'l',
  i: 'l',
  '2': 'z',
  '5': 's',
  '6': 'b',
  '8': 'b',
  '9': 'g',
  m: 'rn',
  w: 'vv',
  d: 'cl',
};

/** The confusable skeleton of a name or label: names with equal skeletons look alike. */
export function skeleton(name: string): string {
  return Array.from(name, (c) => SKELETON[c] ?? c).join('');
}

/** The seed of a skeleton reservation: sha256(skeleton(name)). */
export function skeletonHash(name: string): Uint8Array {
  return sha256(Buffer.from(skeleton(name), 'utf8'));
}

/** The PDA seed of a name: sha256(name). */
export function nameHash(name: string): Uint8Array {
  return sha256(Buffer.from(name, 'utf8'));
}
