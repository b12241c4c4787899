// IEEE 2030.5 certificate identities (section 6.3.4): the SHA-256 fingerprint of a certificate's
// DER, the LFDI (its left-most 160 bits) and the SFDI (the LFDI's left-most 36 bits in decimal with
// a check digit). Browser-safe (no node:*): the SDK's root entry re-exports these through its
// registry helpers, which add PEM decoding and their input errors.
import { sha256 } from '@noble/hashes/sha256';

/** Bytes of an LFDI (160 bits). */
export const LFDI_BYTES = 20;

/** SHA-256 of a certificate's DER encoding. */
export function certificateFingerprint(der: Uint8Array): Uint8Array {
  return sha256(der);
}

/** The LFDI of a 32-byte fingerprint: its left-most 160 bits. */
export function lfdiOfFingerprint(fingerprint: Uint8Array): Uint8Array {
  return fingerprint.slice(0, LFDI_BYTES);
}

/**
 * The SFDI of an LFDI (at least 5 bytes): the left-most 36 bits as a decimal integer with a check
 * digit that makes the digit sum a multiple of ten. Mirrors `identity::sfdi_from_lfdi`.
 */
export function sfdiOfLfdi(lfdi: Uint8Array): bigint {
  let top = 0n;
  for (let i = 0; i < 5; i++) top = (top << 8n) | BigInt(lfdi[i]);
  const bits36 = top >> 4n;
  const digitSum = bits36
    .toString()
    .split('')
    .reduce((s, d) => s + Number(d), 0);
  const check = BigInt((10 - (digitSum % 10)) % 10);
  return bits36 * 10n + check;
}

/** A certificate's 2030.5 identity. */
export interface CertificateIdentity {
  fingerprint: Uint8Array;
  lfdi: Uint8Array;
  /** Hex, upper case, as 2030.5 resources print it. */
  lfdiHex: string;
  sfdi: bigint;
}

/** Fingerprint, LFDI and SFDI of a certificate given as DER. */
export function certificateIdentity(der: Uint8Array): CertificateIdentity {
  const fingerprint = certificateFingerprint(der);
  const lfdi = lfdiOfFingerprint(fingerprint);
  return { fingerprint, lfdi, lfdiHex: Buffer.from(lfdi).toString('hex').toUpperCase(), sfdi: sfdiOfLfdi(lfdi) };
}
