// Device certificate validation for onboarding: parse PEM/DER, build the certification path
// from the device certificate to a self-signed root the vendor registered on-chain, validate it
// as RFC 5280 section 6.1 does (with the stricter profile of `openssl verify -x509_strict`), check
// the CRLs of every issuer in the path and derive the IEEE 2030.5 identity (fingerprint, LFDI,
// SFDI) the registry stores. The device certificate must be an end-entity certificate fit for TLS
// client authentication (openssl `-purpose sslclient`, and stricter: never a CA, a registered root
// or a certificate of the chain).
//
// Path building is @peculiar/x509's `X509ChainBuilder`, which refuses a path that revisits a
// certificate (so CA cycles end), with an issuer lookup that compares names canonically and
// checks AKI/SKI and the signature (node:crypto, through OpenSSL). The policy below is written
// out check by check so that it can be compared with OpenSSL case by case
// (tests/service/x509-openssl.test.ts): the service's verdict equals
//   openssl verify -x509_strict -auth_level 2 -verify_depth 7 -purpose sslclient
//                  -CAfile <registered roots> -untrusted <chain>
//                  [-crl_check_all -CRLfile <crls>] -attime <now>
// except where it is deliberately stricter (the end-entity rules of `validateDeviceCertificate`).
// @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { constants, createPublicKey, verify as nodeVerify, webcrypto, type KeyObject } from 'node:crypto';

import { ECParameters } from '@peculiar/asn1-ecc';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, CertificateList, Name as AsnName } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509ChainBuilder,
  X509Crl,
} from '@peculiar/x509';

import { certificateFingerprint, deviceIdentity } from '@openvpp/sdk/web3';

/**
 * Most certificates in a path, device certificate and root included: 8 issuers above the device
 * certificate (openssl `-verify_depth 7`: 7 intermediates). The HTTP API takes at most 8 chain
 * certificates, so over HTTP the limit equals OpenSSL's default.
 */
export const MAX_PATH_CERTIFICATES = 9;
/** Most certificates / CRLs accepted in one request (bounds the work an anonymous caller causes). */
export const MAX_CHAIN_INPUT = 16;
export const MAX_CRL_INPUT = 8;
/**
 * Minimum security strength in bits of every key in the path and of every signature except the
 * root's self-signature: 112 bits, OpenSSL security level 2 (`-auth_level 2`). Refuses SHA-1 and
 * MD5 signatures, RSA keys under 2048 bits and EC curves under 224 bits.
 */
export const MIN_SECURITY_BITS = 112;

/** Machine-readable name of each problem (`problemCodes[i]` names `problems[i]`). */
export type CertificateProblemCode =
  | 'CertificateNotYetValid'
  | 'CertificateExpired'
  | 'IssuerNotFound'
  | 'ChainCycle'
  | 'ChainTooLong'
  | 'UntrustedRoot'
  | 'CaNotYetValid'
  | 'CaExpired'
  | 'IssuerNotCa'
  | 'IssuerMissingKeyCertSign'
  | 'InvalidCa'
  | 'PathLengthExceeded'
  | 'NameConstraintViolation'
  | 'UnhandledCriticalExtension'
  | 'UnsupportedExtension'
  | 'InvalidExtension'
  | 'NotRfc5280Conformant'
  | 'WeakSignatureAlgorithm'
  | 'WeakKey'
  | 'CrlMissing'
  | 'CrlSignatureInvalid'
  | 'CrlNotYetValid'
  | 'CrlExpired'
  | 'CrlIssuerMissingCrlSign'
  | 'CrlUnhandledCriticalExtension'
  | 'CertificateRevoked'
  | 'CaRevoked'
  | 'DeviceCertificateIsCa'
  | 'DeviceCertificateHasKeyCertSign'
  | 'DeviceCertificateIsRoot'
  | 'DeviceCertificateInChain'
  | 'DeviceCertificateNotClientAuth'
  | 'CaNotClientAuth'
  | 'VendorNotActive'
  | 'DeviceRevoked';

export interface CertificateReport {
  valid: boolean;
  /** Why it is not valid (empty when valid). */
  problems: string[];
  /** The name of each problem, in the same order. */
  problemCodes: CertificateProblemCode[];
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** Unix seconds, as `device_register` takes it. */
  notAfterUnix: number;
  fingerprintHex: string;
  lfdiHex: string;
  sfdi: string;
  /** SHA-256 (hex) of the registered root the path ends at, when one was reached. */
  issuerCaFingerprintHex: string | null;
  /** Subjects of the validated path, device certificate first (empty when none was built). */
  path: string[];
}

/** A request the validator refuses to look at (unparseable or oversized input): HTTP 400. */
export class CertificateInputError extends Error {}

const hex = (b: Uint8Array | ArrayBuffer) =>
  Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('hex');

const OID = {
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  netscapeCertType: '2.16.840.1.113730.1.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  inhibitAnyPolicy: '2.5.29.54',
  proxyCertInfo: '1.3.6.1.5.5.7.1.14',
  ipAddrBlocks: '1.3.6.1.5.5.7.1.7',
  asIdentifiers: '1.3.6.1.5.5.7.1.8',
  // CRL extensions
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  certificateIssuer: '2.5.29.29',
  // extended key usages
  clientAuth: '1.3.6.1.5.5.7.3.2',
  // keys
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
};

/**
 * Critical certificate extensions this validator processes (OpenSSL's `X509_supported_extension`
 * list less the unsupported ones below); anything else critical is refused.
 */
const HANDLED_CRITICAL = new Set([
  OID.keyUsage,
  OID.basicConstraints,
  OID.subjectAltName,
  OID.extKeyUsage,
  OID.certificatePolicies,
  OID.crlDistributionPoints,
  OID.netscapeCertType,
  OID.ocspNoCheck,
  OID.nameConstraints,
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
]);
/**
 * Extensions that constrain a path in ways this validator does not implement (proxy
 * certificates, RFC 3779 resources). A path that carries any of them, critical or not, is
 * refused rather than accepted without the constraint. (Certificate policies, policy mappings
 * and policy constraints are recognised and not evaluated, as `openssl verify` without
 * -policy_check: the service has no policy requirement.)
 */
const UNSUPPORTED = new Map([
  [OID.proxyCertInfo, 'proxyCertInfo'],
  [OID.ipAddrBlocks, 'ipAddrBlocks'],
  [OID.asIdentifiers, 'autonomousSysIds'],
]);

/**
 * Certificate signature algorithms: how to verify them with node:crypto and the security bits of
 * their hash as OpenSSL rates it (`X509_get_signature_info`). Unknown algorithms rate 0.
 */
type SigKind = 'rsa' | 'ecdsa' | 'dsa' | 'eddsa';
const SIGNATURES: Record<string, { kind: SigKind; hash: string | null; bits: number }> = {
  '1.2.840.113549.1.1.4': { kind: 'rsa', hash: 'md5', bits: 39 }, // md5WithRSAEncryption
  '1.2.840.113549.1.1.5': { kind: 'rsa', hash: 'sha1', bits: 63 },
  '1.2.840.113549.1.1.14': { kind: 'rsa', hash: 'sha224', bits: 112 },
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'sha256', bits: 128 },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'sha384', bits: 192 },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'sha512', bits: 256 },
  '2.16.840.1.101.3.4.3.13': { kind: 'rsa', hash: 'sha3-224', bits: 112 },
  '2.16.840.1.101.3.4.3.14': { kind: 'rsa', hash: 'sha3-256', bits: 128 },
  '2.16.840.1.101.3.4.3.15': { kind: 'rsa', hash: 'sha3-384', bits: 192 },
  '2.16.840.1.101.3.4.3.16': { kind: 'rsa', hash: 'sha3-512', bits: 256 },
  '1.2.840.10045.4.1': { kind: 'ecdsa', hash: 'sha1', bits: 63 },
  '1.2.840.10045.4.3.1': { kind: 'ecdsa', hash: 'sha224', bits: 112 },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'sha256', bits: 128 },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'sha384', bits: 192 },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'sha512', bits: 256 },
  // ecdsa-with-SHA3-* are left out: OpenSSL 3.0 does not match their issuers either.
  '1.2.840.10040.4.3': { kind: 'dsa', hash: 'sha1', bits: 63 },
  '2.16.840.1.101.3.4.3.1': { kind: 'dsa', hash: 'sha224', bits: 112 },
  '2.16.840.1.101.3.4.3.2': { kind: 'dsa', hash: 'sha256', bits: 128 },
  '2.16.840.1.101.3.4.3.3': { kind: 'dsa', hash: 'sha384', bits: 192 },
  '2.16.840.1.101.3.4.3.4': { kind: 'dsa', hash: 'sha512', bits: 256 },
  [OID.ed25519]: { kind: 'eddsa', hash: null, bits: 128 },
  [OID.ed448]: { kind: 'eddsa', hash: null, bits: 224 },
};
/** RSA-PSS: the bits of the hash in its parameters (SHA-1 when absent). */
const HASH_BITS: Record<string, number> = {
  '1.3.14.3.2.26': 63, // sha1
  '2.16.840.1.101.3.4.2.4': 112, // sha224
  '2.16.840.1.101.3.4.2.1': 128, // sha256
  '2.16.840.1.101.3.4.2.2': 192, // sha384
  '2.16.840.1.101.3.4.2.3': 256, // sha512
};

/**
 * The WebCrypto object @peculiar/x509 verifies signatures with, with `importKey('spki')` and
 * `verify` done by node:crypto (OpenSSL): WebCrypto has no SHA-224, which OpenSSL accepts at
 * security level 2. Digests and everything else stay with WebCrypto.
 */
type Alg = { name: string; hash?: string | { name: string }; saltLength?: number };
const nodeKeys = new WeakMap<object, KeyObject>();
const hashOf = (a: Alg) => (typeof a.hash === 'string' ? a.hash : a.hash?.name)?.toLowerCase().replace('-', '');
const verifyingCrypto = {
  getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
  randomUUID: webcrypto.randomUUID.bind(webcrypto),
  subtle: new Proxy(webcrypto.subtle, {
    get(target, prop) {
      if (prop === 'importKey')
        return async (format: string, keyData: ArrayBuffer, algorithm: Alg, extractable: boolean, usages: string[]) => {
          if (format !== 'spki')
            return (target.importKey as (...a: unknown[]) => unknown)(format, keyData, algorithm, extractable, usages);
          const key = { type: 'public', algorithm, extractable, usages };
          nodeKeys.set(
            key,
            createPublicKey({ key: Buffer.from(new Uint8Array(keyData as ArrayBuffer)), format: 'der', type: 'spki' }),
          );
          return key;
        };
      if (prop === 'verify')
        return async (algorithm: Alg, key: object, signature: ArrayBuffer, data: ArrayBuffer) => {
          const k = nodeKeys.get(key);
          if (!k) return (target.verify as (...a: unknown[]) => unknown)(algorithm, key, signature, data);
          const sig = Buffer.from(new Uint8Array(signature));
          const msg = Buffer.from(new Uint8Array(data));
          switch (algorithm.name.toUpperCase()) {
            case 'ECDSA':
              return nodeVerify(hashOf(algorithm) ?? null, msg, { key: k, dsaEncoding: 'ieee-p1363' }, sig);
            case 'RSASSA-PKCS1-V1_5':
              return nodeVerify(
                hashOf(algorithm) ?? hashOf((key as { algorithm: Alg }).algorithm) ?? null,
                msg,
                k,
                sig,
              );
            case 'RSA-PSS':
              return nodeVerify(
                hashOf(algorithm) ?? hashOf((key as { algorithm: Alg }).algorithm) ?? null,
                msg,
                { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength },
                sig,
              );
            case 'ED25519':
            case 'ED448':
            case 'EDDSA':
              return nodeVerify(null, msg, k, sig);
            default: {
              // Algorithms @peculiar/x509 leaves as OIDs (SHA-224, SHA-3, DSA): DER signature.
              const known = SIGNATURES[algorithm.name];
              if (!known) return false;
              if (known.kind === 'ecdsa' || known.kind === 'dsa')
                return nodeVerify(known.hash, msg, { key: k, dsaEncoding: 'der' }, sig);
              return nodeVerify(known.hash, msg, k, sig);
            }
          }
        };
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }),
} as unknown as Parameters<X509ChainBuilder['build']>[1];

/** Modulus (RSA) or prime (DSA) bits to security bits, as OpenSSL's `BN_security_bits`. */
function finiteFieldSecurityBits(bits: number): number {
  if (bits >= 15360) return 256;
  if (bits >= 7680) return 192;
  if (bits >= 3072) return 128;
  if (bits >= 2048) return 112;
  if (bits >= 1024) return 80;
  return 0;
}

/** Security bits of a public key (OpenSSL's `EVP_PKEY_get_security_bits`). */
function keySecurityBits(key: KeyObject): number {
  const d = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return finiteFieldSecurityBits(d.modulusLength ?? 0);
    case 'dsa': {
      const q = d.divisorLength ?? 0;
      return q / 2 < 80 ? 0 : Math.min(q / 2, finiteFieldSecurityBits(d.modulusLength ?? 0));
    }
    case 'ec': {
      // Half the group order's bits; curve names carry the field size (prime256v1, secp384r1,
      // brainpoolP512r1, sect283k1...), which rates the same.
      const m = /(\d{3})/.exec(d.namedCurve ?? '');
      const order = m ? Number(m[1]) : 0;
      if (order >= 512) return 256;
      if (order >= 384) return 192;
      if (order >= 256) return 128;
      if (order >= 224) return 112;
      if (order >= 160) return 80;
      return 0;
    }
    case 'ed25519':
    case 'x25519':
      return 128;
    case 'ed448':
    case 'x448':
      return 224;
    default:
      return 0;
  }
}

/**
 * A GeneralName as OpenSSL's name-constraint code sees it: IA5 strings as bytes (rfc822Name,
 * dNSName, URI), IP addresses (and address/mask in constraints) as bytes, directory names as
 * canonical RDNs, other forms by tag only.
 */
type GeneralNameValue =
  | { kind: 'email' | 'dns' | 'uri'; text: string }
  | { kind: 'ip'; bytes: Uint8Array }
  | { kind: 'dir'; rdns: string[] }
  | { kind: 'other'; tag: number };
interface GeneralSubtree {
  base: GeneralNameValue;
  /** RFC 5280 forbids minimum != 0 and any maximum (OpenSSL: X509_V_ERR_SUBTREE_MINMAX). */
  minmaxValid: boolean;
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** OpenSSL's canonical string (asn1_string_canon): trimmed, inner spaces collapsed, ASCII lowercase. */
const canonString = (v: string) =>
  v
    .replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '')
    .replace(/[ \t\n\v\f\r]+/g, ' ')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Canonical RDNs of a Name: each RDN as its sorted `oid=value` entries. */
function canonicalRdns(name: AsnName): string[] {
  return name.map((rdn) =>
    rdn
      .map((atv) => {
        const v = atv.value;
        const isString = [
          v.utf8String,
          v.printableString,
          v.teletexString,
          v.bmpString,
          v.universalString,
          v.ia5String,
        ].some((x) => x !== undefined);
        return `${atv.type}=${isString ? canonString(v.toString()) : `#${hex(v.anyValue ?? new ArrayBuffer(0))}`}`;
      })
      .sort()
      .join('+'),
  );
}

function generalName(node: asn1js.AsnType): GeneralNameValue {
  const block = node as asn1js.BaseBlock;
  const tag = block.idBlock.tagNumber;
  if (block.idBlock.tagClass !== 3) return { kind: 'other', tag: -1 };
  const raw = () => new Uint8Array((block as asn1js.Primitive).valueBlock.valueHexView);
  switch (tag) {
    case 1:
      return { kind: 'email', text: latin1(raw()) };
    case 2:
      return { kind: 'dns', text: latin1(raw()) };
    case 6:
      return { kind: 'uri', text: latin1(raw()) };
    case 7:
      return { kind: 'ip', bytes: raw() };
    case 4: {
      const inner = (block as asn1js.Constructed).valueBlock.value[0];
      return { kind: 'dir', rdns: canonicalRdns(AsnConvert.parse(inner.toBER(), AsnName)) };
    }
    default:
      return { kind: 'other', tag };
  }
}

function parseGeneralNames(der: ArrayBuffer): GeneralNameValue[] {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1) throw new Error('bad GeneralNames');
  return (parsed.result as asn1js.Sequence).valueBlock.value.map(generalName);
}

function parseNameConstraints(der: ArrayBuffer): { permitted: GeneralSubtree[]; excluded: GeneralSubtree[] } {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1) throw new Error('bad NameConstraints');
  const out = { permitted: [] as GeneralSubtree[], excluded: [] as GeneralSubtree[] };
  for (const part of (parsed.result as asn1js.Sequence).valueBlock.value) {
    const list = part.idBlock.tagNumber === 0 ? out.permitted : out.excluded;
    for (const subtree of (part as asn1js.Constructed).valueBlock.value) {
      const [base, ...rest] = (subtree as asn1js.Sequence).valueBlock.value;
      const minmaxValid = rest.every((r) => {
        if (r.idBlock.tagNumber !== 0) return false; // maximum present
        const v = new Uint8Array((r as asn1js.Primitive).valueBlock.valueHexView);
        return v.every((b) => b === 0); // minimum must be 0
      });
      list.push({ base: generalName(base), minmaxValid });
    }
  }
  return out;
}

const PERMITTED = 'permitted subtree violation';
const EXCLUDED = 'excluded subtree violation';
const UNSUPPORTED_SYNTAX = 'unsupported name syntax';
const UNSUPPORTED_TYPE = 'unsupported name constraint type';

const ia5eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** OpenSSL nc_dns. */
function ncDns(dns: string, base: string): string | null {
  if (base.length === 0) return null;
  if (dns.length < base.length) return PERMITTED;
  if (dns.length > base.length && base[0] !== '.' && dns[dns.length - base.length - 1] !== '.') return PERMITTED;
  return ia5eq(dns.slice(dns.length - base.length), base) ? null : PERMITTED;
}

/** OpenSSL nc_email. */
function ncEmail(eml: string, base: string): string | null {
  const emlAt = eml.lastIndexOf('@');
  const baseAt = base.lastIndexOf('@');
  if (emlAt < 0) return UNSUPPORTED_SYNTAX;
  if (baseAt < 0 && base.startsWith('.')) {
    return eml.length > base.length && ia5eq(eml.slice(eml.length - base.length), base) ? null : PERMITTED;
  }
  let baseHost = base;
  if (baseAt >= 0) {
    if (baseAt > 0) {
      if (baseAt !== emlAt) return PERMITTED;
      if (base.slice(0, baseAt) !== eml.slice(0, emlAt)) return PERMITTED; // local part: case-sensitive
    }
    baseHost = base.slice(baseAt + 1);
  }
  const emlHost = eml.slice(emlAt + 1);
  return baseHost.length === emlHost.length && ia5eq(baseHost, emlHost) ? null : PERMITTED;
}

/** OpenSSL nc_uri. */
function ncUri(uri: string, base: string): string | null {
  const colon = uri.indexOf(':');
  if (colon < 0 || uri[colon + 1] !== '/' || uri[colon + 2] !== '/') return UNSUPPORTED_SYNTAX;
  const rest = uri.slice(colon + 3);
  let end = rest.indexOf(':');
  if (end < 0) end = rest.indexOf('/');
  const host = end < 0 ? rest : rest.slice(0, end);
  if (host.length === 0) return UNSUPPORTED_SYNTAX;
  if (base.startsWith('.')) {
    return host.length > base.length && ia5eq(host.slice(host.length - base.length), base) ? null : PERMITTED;
  }
  return base.length === host.length && ia5eq(host, base) ? null : PERMITTED;
}

/** OpenSSL nc_ip. */
function ncIp(ip: Uint8Array, base: Uint8Array): string | null {
  if (ip.length !== 4 && ip.length !== 16) return UNSUPPORTED_SYNTAX;
  if (base.length !== 8 && base.length !== 32) return UNSUPPORTED_SYNTAX;
  if (ip.length * 2 !== base.length) return PERMITTED;
  for (let i = 0; i < ip.length; i++) {
    if ((ip[i] & base[ip.length + i]) !== (base[i] & base[ip.length + i])) return PERMITTED;
  }
  return null;
}

function ncMatchSingle(name: GeneralNameValue, base: GeneralNameValue): string | null {
  if (name.kind === 'dir' && base.kind === 'dir') {
    if (base.rdns.length > name.rdns.length) return PERMITTED;
    return base.rdns.every((r, i) => r === name.rdns[i]) ? null : PERMITTED;
  }
  if (name.kind === 'dns' && base.kind === 'dns') return ncDns(name.text, base.text);
  if (name.kind === 'email' && base.kind === 'email') return ncEmail(name.text, base.text);
  if (name.kind === 'uri' && base.kind === 'uri') return ncUri(name.text, base.text);
  if (name.kind === 'ip' && base.kind === 'ip') return ncIp(name.bytes, base.bytes);
  return UNSUPPORTED_TYPE;
}

const sameKind = (a: GeneralNameValue, b: GeneralNameValue) =>
  a.kind === b.kind && (a.kind !== 'other' || a.tag === (b as { tag: number }).tag);

/** OpenSSL nc_match: null when `name` satisfies the constraints, else the reason. */
function ncMatch(
  name: GeneralNameValue,
  nc: { permitted: GeneralSubtree[]; excluded: GeneralSubtree[] },
): string | null {
  let match = 0;
  for (const sub of nc.permitted) {
    if (!sameKind(name, sub.base)) continue;
    if (!sub.minmaxValid) return 'subtree minimum/maximum not supported';
    if (match === 2) continue;
    if (match === 0) match = 1;
    const r = ncMatchSingle(name, sub.base);
    if (r === null) match = 2;
    else if (r !== PERMITTED) return r;
  }
  if (match === 1) return PERMITTED;
  for (const sub of nc.excluded) {
    if (!sameKind(name, sub.base)) continue;
    if (!sub.minmaxValid) return 'subtree minimum/maximum not supported';
    const r = ncMatchSingle(name, sub.base);
    if (r === null) return EXCLUDED;
    if (r !== PERMITTED) return r;
  }
  return null;
}

/** OpenSSL cn2dnsid: the CN when it looks like a DNS name of two or more labels, else null. */
function cnAsDnsName(cn: string): string | null {
  let isDns = false;
  for (let i = 0; i < cn.length; i++) {
    const c = cn[i];
    if (/[A-Za-z0-9_]/.test(c)) continue;
    if (i > 0 && i < cn.length - 1) {
      if (c === '-') continue;
      if (c === '.' && cn[i + 1] !== '.' && cn[i - 1] !== '-' && cn[i + 1] !== '-') {
        isDns = true;
        continue;
      }
    }
    isDns = false;
    break;
  }
  return isDns ? cn : null;
}

const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';
const OID_COMMON_NAME = '2.5.4.3';

/** OpenSSL NAME_CONSTRAINTS_check (+ the commonName check for the device certificate). */
function nameConstraintsCheck(
  p: Parsed,
  nc: { permitted: GeneralSubtree[]; excluded: GeneralSubtree[] },
  isLeaf: boolean,
): string | null {
  const subject = p.asn.tbsCertificate.subject;
  if (subject.length > 0) {
    const r = ncMatch({ kind: 'dir', rdns: canonicalRdns(subject) }, nc);
    if (r) return r;
    for (const rdn of subject) {
      for (const atv of rdn) {
        if (atv.type !== OID_EMAIL_ADDRESS) continue;
        if (atv.value.ia5String === undefined) return UNSUPPORTED_SYNTAX;
        const e = ncMatch({ kind: 'email', text: atv.value.ia5String }, nc);
        if (e) return e;
      }
    }
  }
  for (const name of p.sanNames) {
    const r = ncMatch(name, nc);
    if (r) return r;
  }
  if (isLeaf && !p.sanNames.some((n) => n.kind === 'dns')) {
    for (const rdn of subject) {
      for (const atv of rdn) {
        if (atv.type !== OID_COMMON_NAME) continue;
        const dns = cnAsDnsName(atv.value.toString());
        if (!dns) continue;
        const r = ncMatch({ kind: 'dns', text: dns }, nc);
        if (r) return r;
      }
    }
  }
  return null;
}

/** Canonical form of a distinguished name for comparisons (case and spacing folded, as OpenSSL). */
const canonicalName = (name: string) => name.toLowerCase().replace(/\s+/g, ' ').trim();

interface Parsed {
  cert: X509Certificate;
  asn: Certificate;
  fingerprintHex: string;
  /** 0 = v1, 1 = v2, 2 = v3 */
  version: number;
  selfIssued: boolean;
  subjectEmpty: boolean;
  issuerEmpty: boolean;
  extensionCount: number;
  bc: { ca: boolean; pathLength?: number; critical: boolean } | null;
  ku: { usages: number; critical: boolean } | null;
  /** extendedKeyUsage purposes (OIDs), null when absent. */
  eku: string[] | null;
  /** Netscape certificate type: the first byte of its bit string (0x80 SSL client), null when absent. */
  nsCertType: number | null;
  ski: { keyId: string; critical: boolean } | null;
  aki: { keyId?: string; serial?: string; critical: boolean } | null;
  san: { count: number; critical: boolean } | null;
  /** Subject alternative names, raw (for name constraints). */
  sanNames: GeneralNameValue[];
  /** nameConstraints of a CA. */
  nc: { permitted: GeneralSubtree[]; excluded: GeneralSubtree[] } | null;
  /** Extensions that do not parse, or appear twice. */
  invalid: string[];
  unhandledCritical: string[];
  unsupported: string[];
  keyBits: number;
  keyProblem: string | null;
  signatureBits: number;
  signatureAlgorithmsMatch: boolean;
}

function parseCertificate(pem: string): Parsed {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new CertificateInputError(`not a certificate: ${(e as Error).message}`);
  }
  const asn = AsnConvert.parse(cert.rawData, Certificate);
  const tbs = asn.tbsCertificate;
  const p: Parsed = {
    cert,
    asn,
    fingerprintHex: hex(certificateFingerprint(new Uint8Array(cert.rawData))),
    version: tbs.version ?? 0,
    selfIssued: canonicalName(cert.subject) === canonicalName(cert.issuer),
    subjectEmpty: tbs.subject.length === 0,
    issuerEmpty: tbs.issuer.length === 0,
    extensionCount: tbs.extensions?.length ?? 0,
    bc: null,
    ku: null,
    eku: null,
    nsCertType: null,
    ski: null,
    aki: null,
    san: null,
    sanNames: [],
    nc: null,
    invalid: [],
    unhandledCritical: [],
    unsupported: [],
    keyBits: 0,
    keyProblem: null,
    signatureBits: 0,
    signatureAlgorithmsMatch: Buffer.from(AsnConvert.serialize(asn.signatureAlgorithm)).equals(
      Buffer.from(AsnConvert.serialize(tbs.signature)),
    ),
  };
  const seen = new Set<string>();
  for (const ext of cert.extensions) {
    if (seen.has(ext.type)) p.invalid.push(`${ext.type} (duplicate)`);
    seen.add(ext.type);
    if (ext.critical && !HANDLED_CRITICAL.has(ext.type)) p.unhandledCritical.push(ext.type);
    const unsupported = UNSUPPORTED.get(ext.type);
    if (unsupported) p.unsupported.push(unsupported);
    try {
      const raw = ext.rawData;
      switch (ext.type) {
        case OID.basicConstraints: {
          const bc = new BasicConstraintsExtension(raw);
          p.bc = { ca: bc.ca, pathLength: bc.pathLength, critical: ext.critical };
          break;
        }
        case OID.keyUsage:
          p.ku = { usages: new KeyUsagesExtension(raw).usages, critical: ext.critical };
          break;
        case OID.extKeyUsage:
          p.eku = new ExtendedKeyUsageExtension(raw).usages.map(String);
          break;
        case OID.netscapeCertType: {
          const bits = asn1js.fromBER(ext.value);
          if (bits.offset === -1 || !(bits.result instanceof asn1js.BitString)) throw new Error('bad nsCertType');
          p.nsCertType = bits.result.valueBlock.valueHexView[0] ?? 0;
          break;
        }
        case OID.subjectKeyIdentifier:
          p.ski = { keyId: new SubjectKeyIdentifierExtension(raw).keyId, critical: ext.critical };
          break;
        case OID.authorityKeyIdentifier: {
          const aki = new AuthorityKeyIdentifierExtension(raw);
          p.aki = { keyId: aki.keyId, serial: aki.certId?.serialNumber, critical: ext.critical };
          break;
        }
        case OID.nameConstraints:
          p.nc = parseNameConstraints(ext.value);
          break;
        case OID.subjectAltName:
          p.san = { count: new SubjectAlternativeNameExtension(raw).names.items.length, critical: ext.critical };
          p.sanNames = parseGeneralNames(ext.value);
          break;
      }
    } catch {
      p.invalid.push(ext.type);
    }
  }
  // Key strength.
  const spki = tbs.subjectPublicKeyInfo;
  try {
    if (spki.algorithm.algorithm === OID.ecPublicKey) {
      const params = AsnConvert.parse(spki.algorithm.parameters!, ECParameters);
      if (!params.namedCurve) p.keyProblem = 'EC key with explicit curve parameters';
    }
    if (!p.keyProblem) {
      const key = createPublicKey({ key: Buffer.from(AsnConvert.serialize(spki)), format: 'der', type: 'spki' });
      p.keyBits = keySecurityBits(key);
    }
  } catch {
    p.keyProblem = 'public key does not parse';
  }
  // Signature strength (of the hash, as OpenSSL rates it).
  const sigAlg = asn.signatureAlgorithm;
  if (sigAlg.algorithm === OID.rsaPss) {
    try {
      const pss = sigAlg.parameters ? AsnConvert.parse(sigAlg.parameters, RsaSaPssParams) : new RsaSaPssParams();
      p.signatureBits = HASH_BITS[pss.hashAlgorithm.algorithm] ?? 0;
    } catch {
      p.signatureBits = 0;
    }
  } else {
    p.signatureBits = SIGNATURES[sigAlg.algorithm]?.bits ?? 0;
  }
  return p;
}

const hasKu = (p: Parsed, flag: KeyUsageFlags) => p.ku !== null && (p.ku.usages & flag) !== 0;
const kuRejects = (p: Parsed, flag: KeyUsageFlags) => p.ku !== null && (p.ku.usages & flag) === 0;

/**
 * Whether `p` may act as a CA, as OpenSSL's `X509_check_ca`: 1 = basicConstraints cA (and
 * keyCertSign when keyUsage is present), 0 = not a CA, 3/4 = legacy forms a strict check refuses.
 */
function caKind(p: Parsed): number {
  if (kuRejects(p, KeyUsageFlags.keyCertSign)) return 0;
  if (p.bc) return p.bc.ca ? 1 : 0;
  if (p.version === 0 && p.selfIssued) return 3;
  if (p.ku) return 4;
  // Netscape certificate type with a CA bit (sslCA, emailCA, objCA).
  if (p.nsCertType !== null && (p.nsCertType & 0x07) !== 0) return 5;
  return 0;
}

/** Whether an extendedKeyUsage, when present, allows TLS client authentication (OpenSSL's xku_reject). */
const ekuAllowsClientAuth = (p: Parsed) => p.eku === null || p.eku.includes(OID.clientAuth);

/**
 * Why the device certificate is not an end-entity certificate for TLS client authentication.
 * OpenSSL's `-purpose sslclient` (check_purpose_ssl_client) refuses an extendedKeyUsage without
 * clientAuth (anyExtendedKeyUsage alone included, as OpenSSL does), a keyUsage with neither
 * digitalSignature nor keyAgreement and a Netscape certificate type without SSL client. Stricter
 * than OpenSSL, which accepts a CA certificate for that purpose: a device certificate is never a
 * CA (basicConstraints cA, keyCertSign), never one of the vendor's registered roots and never a
 * certificate the request also supplies in `chain` (as an intermediate or root).
 */
function endEntityProblems(
  leaf: Parsed,
  { registeredRoots, chainFingerprints }: { registeredRoots: Set<string>; chainFingerprints: Set<string> },
): [CertificateProblemCode, string][] {
  const out: [CertificateProblemCode, string][] = [];
  if (leaf.bc?.ca) out.push(['DeviceCertificateIsCa', 'device certificate is a CA certificate (basicConstraints cA)']);
  if (hasKu(leaf, KeyUsageFlags.keyCertSign))
    out.push([
      'DeviceCertificateHasKeyCertSign',
      'device certificate keyUsage allows keyCertSign (certificate signing)',
    ]);
  if (registeredRoots.has(leaf.fingerprintHex))
    out.push(['DeviceCertificateIsRoot', 'device certificate is one of the roots the vendor registered']);
  if (chainFingerprints.has(leaf.fingerprintHex))
    out.push([
      'DeviceCertificateInChain',
      'device certificate is also supplied in the chain (as an intermediate or root)',
    ]);
  if (!ekuAllowsClientAuth(leaf))
    out.push(['DeviceCertificateNotClientAuth', 'device certificate extendedKeyUsage does not allow clientAuth']);
  if (kuRejects(leaf, KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement))
    out.push([
      'DeviceCertificateNotClientAuth',
      'device certificate keyUsage allows neither digitalSignature nor keyAgreement',
    ]);
  if (leaf.nsCertType !== null && (leaf.nsCertType & 0x80) === 0)
    out.push([
      'DeviceCertificateNotClientAuth',
      'device certificate Netscape certificate type does not allow SSL client',
    ]);
  return out;
}

/** Valid from notBefore (inclusive) to notAfter (exclusive), as OpenSSL's X509_cmp_time. */
const isTimeValid = (c: X509Certificate, now: Date) => now >= c.notBefore && now < c.notAfter;

/**
 * Validates `certificate` against `chain` (intermediates and roots, any order), `trustedRoots`
 * (hex SHA-256 fingerprints of DER roots the vendor registered on-chain) and the issuer's `crls`.
 * Throws `CertificateInputError` for input that does not parse or is oversized.
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
  if (chain.length > MAX_CHAIN_INPUT) throw new CertificateInputError(`at most ${MAX_CHAIN_INPUT} chain certificates`);
  if (crls.length > MAX_CRL_INPUT) throw new CertificateInputError(`at most ${MAX_CRL_INPUT} CRLs`);
  const problems: string[] = [];
  const problemCodes: CertificateProblemCode[] = [];
  const problem = (code: CertificateProblemCode, message: string) => {
    if (problems.includes(message)) return;
    problems.push(message);
    problemCodes.push(code);
  };

  const leaf = parseCertificate(certificate);
  const id = deviceIdentity(certificate);
  const pool = new Map<string, Parsed>();
  const chainFingerprints = new Set<string>();
  for (const pem of chain) {
    const p = parseCertificate(pem);
    chainFingerprints.add(p.fingerprintHex);
    if (p.fingerprintHex !== leaf.fingerprintHex) pool.set(p.fingerprintHex, p);
  }
  const byCert = new Map<X509Certificate, Parsed>([
    [leaf.cert, leaf],
    ...[...pool.values()].map((p) => [p.cert, p] as const),
  ]);
  const registered = new Set(trustedRoots.map((r) => r.toLowerCase()));
  // A trust anchor is a self-issued certificate whose fingerprint the vendor registered. As with
  // OpenSSL without -partial_chain, a registered intermediate is not an anchor.
  const isAnchor = (p: Parsed) => p.selfIssued && registered.has(p.fingerprintHex);

  // Path building. Candidates are offered anchors first (OpenSSL's trusted-first), then CAs valid
  // now, so that among equally named issuers the usable one is found first.
  const rank = (p: Parsed) => (isAnchor(p) ? 0 : 4) + (caKind(p) === 1 ? 0 : 2) + (isTimeValid(p.cert, now) ? 0 : 1);
  const candidates = [...pool.values()].sort((a, b) => rank(a) - rank(b));
  // The library walks the path and refuses a certificate seen twice; its issuer lookup is replaced
  // by one that compares names canonically (RFC 5280 7.1: case and spacing folded, as OpenSSL
  // does; the library compares the strings exactly) and honours both AKI forms.
  const builder = new X509ChainBuilder({ certificates: candidates.map((p) => p.cert) });
  const serial = (hexSerial: string) => hexSerial.toLowerCase().replace(/^0+/, '');
  Object.assign(builder, {
    findIssuer: async (cert: X509Certificate, crypto: typeof verifyingCrypto): Promise<X509Certificate | null> => {
      const subject = byCert.get(cert)!;
      if (subject.selfIssued && (await cert.isSelfSigned(crypto))) return null;
      for (const candidate of candidates) {
        if (canonicalName(candidate.cert.subject) !== canonicalName(cert.issuer)) continue;
        if (subject.aki?.keyId && candidate.ski && candidate.ski.keyId !== subject.aki.keyId) continue;
        if (subject.aki?.serial && serial(subject.aki.serial) !== serial(candidate.cert.serialNumber)) continue;
        const ok = await cert
          .verify({ publicKey: candidate.cert.publicKey, signatureOnly: true }, crypto)
          .catch(() => false);
        if (ok) return candidate.cert;
      }
      return null;
    },
  });
  let built: X509Certificate[];
  try {
    built = [...(await builder.build(leaf.cert, verifyingCrypto))];
  } catch (e) {
    if (!/circular/i.test((e as Error).message)) throw e;
    problem('ChainCycle', 'certificate chain has a cycle: its issuers sign each other and never reach a root');
    built = [];
  }
  let path: Parsed[] = built.map((c) => byCert.get(c)!);
  const anchorAt = path.findIndex(isAnchor);
  let root: Parsed | null = null;
  if (anchorAt >= 0) {
    path = path.slice(0, anchorAt + 1);
    root = path[anchorAt];
  } else if (path.length > 0) {
    const top = path[path.length - 1];
    if (top.selfIssued && (await top.cert.isSelfSigned(verifyingCrypto))) {
      problem(
        'UntrustedRoot',
        path.length === 1
          ? 'certificate is self-signed and not a root the vendor registered'
          : 'chain ends at a root the vendor has not registered',
      );
    } else {
      problem('IssuerNotFound', `issuer "${top.cert.issuer}" not found in the chain`);
    }
  }
  if (path.length > MAX_PATH_CERTIFICATES) {
    problem('ChainTooLong', `certificate path is longer than ${MAX_PATH_CERTIFICATES} certificates (${path.length})`);
  }

  // Validity dates: the device certificate always; every certificate of the path.
  if (now < leaf.cert.notBefore) problem('CertificateNotYetValid', 'certificate is not yet valid');
  if (now >= leaf.cert.notAfter) problem('CertificateExpired', 'certificate is expired');
  for (const p of path.slice(1)) {
    if (now < p.cert.notBefore) problem('CaNotYetValid', `CA "${p.cert.subject}" is not yet valid`);
    if (now >= p.cert.notAfter) problem('CaExpired', `CA "${p.cert.subject}" is expired`);
  }

  // Per-certificate checks (RFC 5280 6.1.3/6.1.4 and the -x509_strict profile, as OpenSSL's
  // check_chain_extensions and check_auth_level); the device certificate is checked even when no
  // path was found.
  const checked = path.length > 0 ? path : [leaf];
  const n = path.length;
  let nonSelfIssuedBelow = 0;
  checked.forEach((p, i) => {
    const name = i === 0 ? 'certificate' : `CA "${p.cert.subject}"`;
    const isTop = n > 0 && i === n - 1;
    for (const oid of p.invalid) problem('InvalidExtension', `${name} has an invalid extension ${oid}`);
    for (const oid of p.unhandledCritical)
      problem('UnhandledCriticalExtension', `${name} has an unhandled critical extension ${oid}`);
    for (const ext of p.unsupported) problem('UnsupportedExtension', `${name} carries ${ext}, which is not supported`);
    // Key and signature strength.
    if (p.keyProblem) problem('WeakKey', `${name}: ${p.keyProblem}`);
    else if (p.keyBits < MIN_SECURITY_BITS)
      problem('WeakKey', `${name} has a key weaker than ${MIN_SECURITY_BITS} bits (${p.keyBits})`);
    if (!isTop && p.signatureBits < MIN_SECURITY_BITS)
      problem(
        'WeakSignatureAlgorithm',
        `${name} is signed with a weak or unknown algorithm (${p.asn.signatureAlgorithm.algorithm})`,
      );
    // Purpose (openssl -purpose sslclient): every CA's extendedKeyUsage, when present, must allow
    // clientAuth (the device certificate's purpose is checked by endEntityProblems).
    if (i > 0 && !ekuAllowsClientAuth(p))
      problem('CaNotClientAuth', `${name} extendedKeyUsage does not allow clientAuth`);
    // CA-ness: every certificate above the device certificate must be a CA with keyCertSign.
    const kind = caKind(p);
    if (i === 0) {
      if (kind !== 0 && kind !== 1) problem('InvalidCa', 'certificate has keyCertSign without basicConstraints');
    } else if (!p.bc?.ca) {
      problem('IssuerNotCa', `${name} is not a CA (basicConstraints cA is not set)`);
    } else if (kind !== 1) {
      problem('IssuerMissingKeyCertSign', `${name} keyUsage does not allow keyCertSign`);
    }
    // Strict profile (RFC 5280 MUSTs for conforming CAs), for paths longer than one certificate.
    if (n > 1) {
      const strict = (what: string) => problem('NotRfc5280Conformant', `${name} ${what}`);
      if (p.bc?.pathLength !== undefined) {
        if (!p.bc.ca) strict('has a pathLenConstraint but is not a CA');
        if (!hasKu(p, KeyUsageFlags.keyCertSign)) strict('has a pathLenConstraint without keyCertSign');
      }
      if (p.bc?.ca && !p.bc.critical) strict('has a non-critical basicConstraints');
      if (p.bc?.ca) {
        if (!p.ku) problem(i === 0 ? 'NotRfc5280Conformant' : 'IssuerMissingKeyCertSign', `${name} has no keyUsage`);
      } else if (hasKu(p, KeyUsageFlags.keyCertSign)) {
        strict('has keyCertSign but is not a CA');
      }
      if (p.issuerEmpty) strict('has an empty issuer name');
      if ((p.bc?.ca || hasKu(p, KeyUsageFlags.cRLSign) || !p.san) && p.subjectEmpty)
        strict('has an empty subject name');
      if (p.subjectEmpty && p.san && !p.san.critical) strict('has an empty subject and a non-critical subjectAltName');
      if (p.san && p.san.count === 0) strict('has an empty subjectAltName');
      if (!p.signatureAlgorithmsMatch) strict('has different inner and outer signature algorithms');
      if (p.aki?.critical) strict('has a critical authorityKeyIdentifier');
      if (p.ski?.critical) strict('has a critical subjectKeyIdentifier');
      if (p.version >= 2) {
        if (i + 1 < n && !p.aki?.keyId) strict('has no authorityKeyIdentifier');
        if (p.bc?.ca && !p.ski) strict('has no subjectKeyIdentifier');
      } else if (p.extensionCount > 0) {
        strict('has extensions but is not version 3');
      }
    }
    // pathLenConstraint: the number of non-self-issued intermediates below a CA.
    if (i > 1 && p.bc?.pathLength !== undefined && nonSelfIssuedBelow > p.bc.pathLength) {
      problem(
        'PathLengthExceeded',
        `${name} allows ${p.bc.pathLength} intermediate CA(s) below it, the path has ${nonSelfIssuedBelow}`,
      );
    }
    if (i > 0 && !p.selfIssued) nonSelfIssuedBelow++;
  });

  // Name constraints (RFC 5280 6.1.3 b-c, as OpenSSL's check_name_constraints): every certificate
  // below a CA with nameConstraints, self-issued intermediates excepted, must satisfy them.
  for (let i = n - 1; i >= 0; i--) {
    const x = path[i];
    if (i !== 0 && x.selfIssued) continue;
    for (let j = n - 1; j > i; j--) {
      const nc = path[j].nc;
      if (!nc) continue;
      const r = nameConstraintsCheck(x, nc, i === 0);
      if (r) {
        const name = i === 0 ? 'certificate' : `CA "${x.cert.subject}"`;
        problem('NameConstraintViolation', `${name} violates the name constraints of "${path[j].cert.subject}": ${r}`);
      }
    }
  }

  // The device certificate is an end entity fit for client authentication.
  for (const [code, message] of endEntityProblems(leaf, { registeredRoots: registered, chainFingerprints }))
    problem(code, message);

  // Revocation of every certificate of the path (OpenSSL -crl_check_all): when any CRLs are given,
  // each certificate's issuer must have a CRL among them (the root's own CRL for the root, which
  // can list itself), verified with the issuer's key and current, and not list the certificate.
  // A path that does not reach a registered root is already invalid; its top is not checked.
  if (crls.length > 0) {
    const parsedCrls = crls.map((pem) => {
      try {
        return new X509Crl(pem);
      } catch (e) {
        throw new CertificateInputError(`not a CRL: ${(e as Error).message}`);
      }
    });
    for (let i = 0; i < n; i++) {
      const issuer = i + 1 < n ? path[i + 1] : root ? path[i] : null;
      if (issuer) await checkCrls(parsedCrls, path[i], issuer, i === 0, now, problem);
    }
  }

  return {
    valid: problems.length === 0,
    problems,
    problemCodes,
    subject: leaf.cert.subject,
    issuer: leaf.cert.issuer,
    notBefore: leaf.cert.notBefore.toISOString(),
    notAfter: leaf.cert.notAfter.toISOString(),
    notAfterUnix: Math.floor(leaf.cert.notAfter.getTime() / 1000),
    fingerprintHex: hex(id.fingerprint),
    lfdiHex: id.lfdiHex,
    sfdi: id.sfdi.toString(),
    issuerCaFingerprintHex: root ? root.fingerprintHex : null,
    path: path.map((p) => p.cert.subject),
  };
}

/**
 * Revocation of `subject` (a certificate of the path) by the CRL of its `issuer` (the next
 * certificate of the path; the root itself for the root), as OpenSSL's check_cert.
 */
async function checkCrls(
  crls: X509Crl[],
  subject: Parsed,
  issuer: Parsed,
  isDevice: boolean,
  now: Date,
  problem: (code: CertificateProblemCode, message: string) => void,
) {
  const candidates: { crl: X509Crl; asn: CertificateList }[] = [];
  for (const crl of crls) {
    if (canonicalName(crl.issuer) !== canonicalName(subject.cert.issuer)) continue;
    // Delta CRLs are not used as the base CRL (as OpenSSL without -use_deltas).
    if (crl.extensions.some((e) => e.type === OID.deltaCrlIndicator)) continue;
    // A CRL whose authorityKeyIdentifier names another key is not from this issuer.
    const aki = crl.extensions.find((e) => e.type === OID.authorityKeyIdentifier);
    if (aki && issuer.ski) {
      const keyId = new AuthorityKeyIdentifierExtension(aki.rawData).keyId;
      if (keyId && keyId !== issuer.ski.keyId) continue;
    }
    candidates.push({ crl, asn: AsnConvert.parse(crl.rawData, CertificateList) });
  }
  const current = (crl: X509Crl) => crl.thisUpdate <= now && (!crl.nextUpdate || crl.nextUpdate > now);
  // The best CRL: current ones first, then the most recent (OpenSSL's get_crl_sk scoring).
  candidates.sort(
    (a, b) =>
      Number(current(b.crl)) - Number(current(a.crl)) || b.crl.thisUpdate.getTime() - a.crl.thisUpdate.getTime(),
  );
  const best = candidates[0];
  if (!best) {
    problem('CrlMissing', `no CRL from the issuer "${subject.cert.issuer}" among the given CRLs`);
    return;
  }
  const { crl, asn } = best;
  const from = `CRL from "${crl.issuer}"`;
  if (!(await crl.verify({ publicKey: issuer.cert.publicKey }, verifyingCrypto).catch(() => false))) {
    problem('CrlSignatureInvalid', `${from} does not verify with the issuer's key`);
    return;
  }
  if (crl.thisUpdate > now) problem('CrlNotYetValid', `${from} is not yet valid (thisUpdate in the future)`);
  if (crl.nextUpdate && crl.nextUpdate <= now) problem('CrlExpired', `${from} is stale (nextUpdate has passed)`);
  if (kuRejects(issuer, KeyUsageFlags.cRLSign))
    problem(
      'CrlIssuerMissingCrlSign',
      `the keyUsage of the CRL issuer "${issuer.cert.subject}" does not allow cRLSign`,
    );
  const handled = new Set([OID.issuingDistributionPoint, OID.authorityKeyIdentifier, OID.deltaCrlIndicator]);
  const critical = [
    ...(asn.tbsCertList.crlExtensions ?? []).filter((e) => e.critical && !handled.has(e.extnID)).map((e) => e.extnID),
    ...(asn.tbsCertList.revokedCertificates ?? []).flatMap((r) =>
      (r.crlEntryExtensions ?? []).filter((e) => e.critical && e.extnID !== OID.certificateIssuer).map((e) => e.extnID),
    ),
  ];
  for (const oid of critical)
    problem('CrlUnhandledCriticalExtension', `${from} has an unhandled critical extension ${oid}`);
  if (crl.extensions.some((e) => e.type === OID.issuingDistributionPoint))
    problem('CrlUnhandledCriticalExtension', `${from} is a partitioned CRL (issuingDistributionPoint), not supported`);
  if (!crl.findRevoked(subject.cert)) return;
  if (isDevice) problem('CertificateRevoked', 'certificate is revoked (listed in the issuer CRL)');
  else problem('CaRevoked', `CA "${subject.cert.subject}" is revoked (listed in the CRL of "${crl.issuer}")`);
}
