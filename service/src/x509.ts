// Device certificate validation for onboarding: parse PEM/DER, check validity dates, verify
// the signature chain up to a CA root the vendor registered, and derive the IEEE 2030.5
// identity (fingerprint, LFDI, SFDI) the registry stores.
// @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { X509Certificate, X509Crl } from '@peculiar/x509';

import { certificateFingerprint, deviceIdentity } from '@openvpp/sdk';

export interface CertificateReport {
  valid: boolean;
  /** Why it is not valid (empty when valid). */
  problems: string[];
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** Unix seconds, as `device_register` takes it. */
  notAfterUnix: number;
  fingerprintHex: string;
  lfdiHex: string;
  sfdi: string;
  /** SHA-256 (hex) of the root CA the chain ends at, when one was found. */
  issuerCaFingerprintHex: string | null;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Validates `certificate` against `chain` (intermediates, then roots), `trustedRoots` (hex
 * SHA-256 fingerprints of DER roots the vendor registered on-chain) and the issuer's `crls`.
 */
export async function validateDeviceCertificate({
  certificate,
  chain = [],
  crls = [],
  trustedRoots,
  now = new Date(),
}: {
  certificate: string;
  chain?: string[];
  crls?: string[];
  trustedRoots: string[];
  now?: Date;
}): Promise<CertificateReport> {
  const problems: string[] = [];
  const leaf = new X509Certificate(certificate);
  const id = deviceIdentity(certificate);
  if (now < leaf.notBefore) problems.push('certificate is not yet valid');
  if (now > leaf.notAfter) problems.push('certificate is expired');

  const pool = chain.map((pem) => new X509Certificate(pem));
  let current = leaf;
  let root: X509Certificate | null = null;
  for (let depth = 0; depth < 8; depth++) {
    const parent = pool.find((c) => c.subject === current.issuer);
    if (!parent) {
      problems.push(`issuer "${current.issuer}" not found in the chain`);
      break;
    }
    const ok = await current.verify({ publicKey: parent.publicKey, signatureOnly: true });
    if (!ok) {
      problems.push(`signature of "${current.subject}" does not verify with "${parent.subject}"`);
      break;
    }
    if (now > parent.notAfter) problems.push(`CA "${parent.subject}" is expired`);
    if (parent.subject === parent.issuer) {
      root = parent;
      break;
    }
    current = parent;
  }
  // Revocation: every CRL of the leaf's issuer must verify with that issuer's key and must
  // not list the leaf's serial number.
  const issuerCert = pool.find((c) => c.subject === leaf.issuer);
  for (const pem of crls) {
    const crl = new X509Crl(pem);
    if (crl.issuer !== leaf.issuer) continue;
    if (!issuerCert || !(await crl.verify({ publicKey: issuerCert.publicKey }))) {
      problems.push(`CRL from "${crl.issuer}" does not verify with the issuer's key`);
      continue;
    }
    if (crl.findRevoked(leaf)) problems.push('certificate is revoked (listed in the issuer CRL)');
  }
  const rootFingerprint = root ? hex(certificateFingerprint(new Uint8Array(root.rawData))) : null;
  if (root && !trustedRoots.map((r) => r.toLowerCase()).includes(rootFingerprint!)) {
    problems.push('chain ends at a root the vendor has not registered');
  }
  return {
    valid: problems.length === 0,
    problems,
    subject: leaf.subject,
    issuer: leaf.issuer,
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    notAfterUnix: Math.floor(leaf.notAfter.getTime() / 1000),
    fingerprintHex: hex(id.fingerprint),
    lfdiHex: id.lfdiHex,
    sfdi: id.sfdi.toString(),
    issuerCaFingerprintHex: rootFingerprint,
  };
}
