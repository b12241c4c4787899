// A small certificate authority toolkit on the `openssl` command, for tests that need real X.509
// chains with exact edge cases (validity windows, extensions, weak algorithms, CRLs). Each CA
// keeps an `openssl ca` database in its own directory; keys are EC P-256 unless a case needs RSA.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { fixture } from './harness';

export type KeyType =
  | 'p256'
  | 'p256explicit'
  | 'p384'
  | 'p192'
  | 'secp256k1'
  | 'brainpool256'
  | 'rsa1024'
  | 'rsa2048'
  | 'dsa2048'
  | 'ed25519';

export interface Cert {
  name: string;
  subject: string;
  pem: string;
  certPath: string;
  keyPath: string;
  /** SHA-256 of the DER, hex (what a vendor registers on-chain). */
  fingerprintHex: string;
  /** `openssl ca` database directory (certificates that can issue). */
  caDir: string;
}

export interface IssueOptions {
  /** Distinguished name in openssl `-subj` form, e.g. `/O=Acme/CN=Root`. */
  subject: string;
  /** Extension lines (openssl x509v3_config syntax). */
  ext: string[];
  /** The issuer; omitted for a self-signed certificate. */
  issuer?: Cert;
  /** Reuse an existing key file (same key under two names, cross-certificates). */
  keyPath?: string;
  keyType?: KeyType;
  notBefore?: Date;
  notAfter?: Date;
  /** Signature digest: sha256 (default), sha1, sha384... */
  md?: string;
  /** Extra `-sigopt` values, e.g. `rsa_padding_mode:pss`. */
  sigopt?: string[];
}

/** Extension profiles of a conforming PKI (RFC 5280 and `-x509_strict`). */
export const EXT = {
  root: [
    'basicConstraints=critical,CA:TRUE',
    'keyUsage=critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid:always',
  ],
  ca: [
    'basicConstraints=critical,CA:TRUE',
    'keyUsage=critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid:always',
  ],
  leaf: [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid:always',
  ],
};

/** openssl `ca` wants UTCTime (YYMMDDHHMMSSZ) for years before 2050. */
function asn1Time(d: Date): string {
  const iso = d.toISOString(); // 2026-11-26T00:44:03.000Z
  const year = d.getUTCFullYear();
  const rest = iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  return year < 2050 ? String(year).slice(2) + rest : String(year) + rest;
}

export function openssl(args: string[], opts: { cwd?: string } = {}): string {
  return execFileSync('openssl', args, { cwd: opts.cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class Pki {
  readonly dir: string;
  /** Reference time: default certificates are valid from `t0 - 1 day` to `t0 + 365 days`. */
  readonly t0: Date;
  private seq = 0;

  constructor(prefix = 'ovpp-pki-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  }

  cleanup() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private file(name: string) {
    return path.join(this.dir, name);
  }

  days(n: number): Date {
    return new Date(this.t0.getTime() + n * 86_400_000);
  }

  private dsaParams?: string;

  key(type: KeyType = 'p256'): string {
    const out = this.file(`k${++this.seq}.key`);
    if (type === 'dsa2048') {
      if (!this.dsaParams) {
        this.dsaParams = this.file('dsa2048.params');
        openssl([
          'genpkey',
          '-genparam',
          '-algorithm',
          'DSA',
          '-pkeyopt',
          'dsa_paramgen_bits:2048',
          '-out',
          this.dsaParams,
        ]);
      }
      openssl(['genpkey', '-paramfile', this.dsaParams, '-out', out]);
      return out;
    }
    const algo: Record<KeyType, string[]> = {
      p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      p256explicit: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-pkeyopt', 'ec_param_enc:explicit'],
      p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
      p192: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-192'],
      secp256k1: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'],
      brainpool256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:brainpoolP256r1'],
      rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
      rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
      ed25519: ['-algorithm', 'ED25519'],
      dsa2048: [],
    };
    openssl(['genpkey', ...algo[type], '-out', out]);
    return out;
  }

  private caConfig(caDir: string, extra = ''): string {
    const cnf = path.join(caDir, 'ca.cnf');
    fs.writeFileSync(
      cnf,
      [
        '[ ca ]',
        'default_ca = CA_default',
        '[ CA_default ]',
        `dir = ${caDir}`,
        'database = $dir/index.txt',
        'new_certs_dir = $dir/new',
        'crlnumber = $dir/crlnumber',
        'serial = $dir/serial',
        'default_md = sha256',
        'policy = policy_any',
        'unique_subject = no',
        'copy_extensions = none',
        'default_crl_days = 30',
        '[ policy_any ]',
        'countryName = optional',
        'organizationName = optional',
        'organizationalUnitName = optional',
        'commonName = optional',
        extra,
      ].join('\n'),
    );
    return cnf;
  }

  private newCaDir(): string {
    const caDir = this.file(`ca${++this.seq}`);
    fs.mkdirSync(path.join(caDir, 'new'), { recursive: true });
    fs.writeFileSync(path.join(caDir, 'index.txt'), '');
    fs.writeFileSync(path.join(caDir, 'crlnumber'), '01\n');
    fs.writeFileSync(path.join(caDir, 'serial'), crypto.randomBytes(8).toString('hex') + '\n');
    return caDir;
  }

  /** Issues (or self-signs) a certificate with `openssl ca`. */
  issue(name: string, o: IssueOptions): Cert {
    const keyPath = o.keyPath ?? this.key(o.keyType);
    const caDir = this.newCaDir();
    const csr = this.file(`${name}-${++this.seq}.csr`);
    const certPath = this.file(`${name}-${this.seq}.pem`);
    const extFile = this.file(`${name}-${this.seq}.ext`);
    fs.writeFileSync(extFile, ['[ x ]', ...o.ext].join('\n') + '\n');
    openssl(['req', '-new', '-key', keyPath, '-subj', o.subject, '-out', csr]);
    const signer = o.issuer;
    const cnf = this.caConfig(signer ? signer.caDir : caDir);
    const args = [
      'ca',
      '-batch',
      '-notext',
      '-config',
      cnf,
      '-in',
      csr,
      '-out',
      certPath,
      '-extfile',
      extFile,
      '-extensions',
      'x',
      '-rand_serial',
      '-preserveDN',
      '-md',
      o.md ?? 'sha256',
      '-startdate',
      asn1Time(o.notBefore ?? this.days(-1)),
      '-enddate',
      asn1Time(o.notAfter ?? this.days(365)),
    ];
    for (const opt of o.sigopt ?? []) args.push('-sigopt', opt);
    if (signer) args.push('-cert', signer.certPath, '-keyfile', signer.keyPath);
    else args.push('-selfsign', '-keyfile', keyPath);
    // `-md sha1` for a weak signature needs the default security level out of the way.
    const res = spawnSync('openssl', args, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`openssl ca failed for ${name}: ${res.stderr}`);
    const pem = fs.readFileSync(certPath, 'utf8');
    return { name, subject: o.subject, pem, certPath, keyPath, fingerprintHex: fingerprintHex(pem), caDir };
  }

  /** Marks `cert` revoked in its issuer's database (the next `crl()` of that issuer lists it). */
  revoke(issuer: Cert, cert: Cert) {
    const cnf = this.caConfig(issuer.caDir);
    openssl([
      'ca',
      '-batch',
      '-config',
      cnf,
      '-cert',
      issuer.certPath,
      '-keyfile',
      issuer.keyPath,
      '-revoke',
      cert.certPath,
    ]);
  }

  /**
   * A CRL signed by `issuer` (thisUpdate = now, nextUpdate = now + `seconds`), optionally with
   * extra CRL extension lines (e.g. an unknown critical extension).
   */
  crl(issuer: Cert, { seconds = 7 * 86_400, ext = [] as string[], signer = issuer, md = 'sha256' } = {}): string {
    const cnf = this.caConfig(issuer.caDir, ext.length ? ['[ crlx ]', ...ext].join('\n') : '');
    const out = this.file(`crl${++this.seq}.pem`);
    const args = ['ca', '-batch', '-gencrl', '-config', cnf, '-cert', issuer.certPath, '-keyfile', signer.keyPath];
    args.push('-crlsec', String(seconds), '-md', md, '-out', out);
    if (ext.length) args.push('-crlexts', 'crlx');
    const res = spawnSync('openssl', args, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`openssl ca -gencrl failed: ${res.stderr}`);
    return fs.readFileSync(out, 'utf8');
  }

  /**
   * `openssl verify` with the policy the service applies: RFC 5280 strict profile, security level
   * 2 (no SHA-1, RSA >= 2048), at most 7 intermediates, only `roots` as trust anchors (no system
   * store), TLS client purpose (`-purpose sslclient`), every certificate's issuer CRL checked when
   * CRLs are given (`-crl_check_all`), at time `now`.
   */
  verify({
    leaf,
    chain,
    roots,
    crls = [],
    now,
  }: {
    leaf: string;
    chain: string[];
    roots: string[];
    crls?: string[];
    now: Date;
  }) {
    const id = ++this.seq;
    const w = (n: string, body: string) => {
      const f = this.file(`v${id}-${n}.pem`);
      fs.writeFileSync(f, body);
      return f;
    };
    const args = ['verify', '-x509_strict', '-auth_level', '2', '-verify_depth', '7', '-purpose', 'sslclient'];
    args.push('-attime', String(Math.floor(now.getTime() / 1000)), '-no-CApath', '-no-CAstore');
    args.push('-CAfile', w('roots', roots.join('')));
    if (chain.length) args.push('-untrusted', w('chain', chain.join('')));
    if (crls.length) args.push('-crl_check_all', '-CRLfile', w('crls', crls.join('')));
    args.push(w('leaf', leaf));
    const res = spawnSync('openssl', args, { encoding: 'utf8' });
    const output = `${res.stdout}${res.stderr}`.trim();
    return { ok: res.status === 0 && /: OK$/m.test(res.stdout), output };
  }
}

export function fingerprintHex(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return crypto.createHash('sha256').update(der).digest('hex');
}

/** The committed conforming PKI of `testing/fixtures/pki/` (regenerate with its `make.sh`). */
const pkiFixture = (name: string) => fixture(`pki/${name}`);
export const PKI = {
  /** O=Acme Batteries, CN=Acme Device Root CA G2: the root a vendor registers. */
  root: pkiFixture('root.pem'),
  /** O=Acme Batteries, CN=ACME-BAT-000002, issued by the root. */
  device: pkiFixture('device.pem'),
  /** O=Acme Batteries, CN=ACME-BAT-000003, issued by the root and listed in `crlRevoked`. */
  revokedDevice: pkiFixture('revoked-device.pem'),
  crlEmpty: pkiFixture('crl-empty.pem'),
  crlRevoked: pkiFixture('crl-revoked.pem'),
};
