// Differential test: the service's certificate verdict (`validateDeviceCertificate`) against
// `openssl verify` on the same inputs, case by case. Every chain is generated with the openssl
// command at test time into a temp dir. OpenSSL runs at the policy the service applies:
//   -x509_strict        RFC 5280 profile (CAs need critical basicConstraints, keyUsage, SKI; AKI...)
//   -auth_level 2       112-bit security: no SHA-1/MD5 signatures, RSA >= 2048, EC >= P-224
//   -verify_depth 7     at most 9 certificates in a path (device certificate and root included)
//   -CAfile roots.pem   the vendor's registered roots are the ONLY trust anchors (-no-CApath -no-CAstore)
//   -untrusted chain    the chain the caller sent
//   -purpose sslclient  the device certificate is for TLS client authentication (EKU, keyUsage,
//                       nsCertType; every CA's EKU must allow clientAuth too)
//   -crl_check_all      when CRLs are given (every certificate's issuer CRL must be there)
//   -attime             the pinned "now" of the case
// A case also states the verdict it was built for, so a case that tests nothing fails too.
// Where the service is deliberately stricter than OpenSSL (a device certificate that is a CA, a
// registered root or also in the chain), the case says so: OpenSSL accepts, the service refuses
// with the named problem.
import 'reflect-metadata';
import { X509Crl } from '@peculiar/x509';
import { expect } from 'chai';

import { validateDeviceCertificate } from '../../integration/src/x509';
import { EXT, Pki, type Cert } from '../utils/pki';

interface Case {
  name: string;
  leaf: Cert;
  /** Untrusted certificates sent with the request (intermediates, possibly roots). */
  chain: Cert[];
  /** The vendor's registered roots (openssl's only trust anchors; also sent in the chain). */
  roots: Cert[];
  crls?: string[];
  now?: Date;
  expectValid: boolean;
  /** Deliberately stricter than OpenSSL: OpenSSL accepts, the service refuses with this problem. */
  stricter?: string;
  /** A problem the service must report (the class of the refusal). */
  expectCode?: string;
}

describe('service: certificate validation agrees with openssl verify', function () {
  this.timeout(120_000);
  const pki = new Pki('ovpp-x509-diff-');
  const cases: Case[] = [];
  let N = new Date();

  // The chains are generated while mocha loads the file (openssl runs synchronously), so that each
  // case is its own test.
  (() => {
    const t0 = pki.t0;
    N = new Date(t0.getTime() + 3_600_000); // every CRL below is generated before this
    const d = (days: number) => pki.days(days);
    const root = pki.issue('root', {
      subject: '/O=Acme/CN=Acme Root',
      ext: EXT.root,
      notBefore: d(-30),
      notAfter: d(3650),
    });
    const root2 = pki.issue('root2', {
      subject: '/O=Acme/CN=Acme Root 2',
      ext: EXT.root,
      notBefore: d(-30),
      notAfter: d(3650),
    });
    const rogue = pki.issue('rogue', { subject: '/O=Evil/CN=Evil Root', ext: EXT.root });
    const ica = pki.issue('ica', { subject: '/O=Acme/CN=Acme Devices CA', ext: EXT.ca, issuer: root });
    const leafOf = (issuer: Cert, o: Partial<Parameters<Pki['issue']>[1]> = {}, name = 'leaf') =>
      pki.issue(name, {
        subject: `/O=Acme/CN=${name}-${Math.random().toString(36).slice(2, 8)}`,
        ext: EXT.leaf,
        issuer,
        ...o,
      });
    const caOf = (issuer: Cert, o: Partial<Parameters<Pki['issue']>[1]> = {}, name = 'ca') =>
      pki.issue(name, {
        subject: `/O=Acme/CN=${name}-${Math.random().toString(36).slice(2, 8)}`,
        ext: EXT.ca,
        issuer,
        ...o,
      });
    const add = (c: Omit<Case, 'roots'> & { roots?: Cert[] }) => cases.push({ roots: [root], ...c });
    const without = (ext: string[], prefix: string) => ext.filter((l) => !l.startsWith(prefix));

    // --- valid paths of different shapes
    add({ name: 'leaf directly under the root', leaf: leafOf(root), chain: [], expectValid: true });
    const leaf = leafOf(ica);
    add({ name: 'leaf under one intermediate', leaf, chain: [ica], expectValid: true });
    const ica2 = caOf(ica);
    const leaf2 = leafOf(ica2);
    add({ name: 'two intermediates', leaf: leaf2, chain: [ica2, ica], expectValid: true });
    add({ name: 'chain sent root first, out of order', leaf: leaf2, chain: [root, ica, ica2], expectValid: true });
    add({ name: 'second registered root', leaf: leafOf(root2), chain: [], roots: [root, root2], expectValid: true });
    {
      let top = root;
      const cas: Cert[] = [];
      for (let i = 0; i < 8; i++) cas.push((top = caOf(top, {}, `deep${i}`)));
      add({
        name: 'longest allowed path: 9 certificates (8 issuers)',
        leaf: leafOf(cas[6]),
        chain: cas.slice(0, 7),
        expectValid: true,
      });
      add({ name: 'path of 10 certificates is too long', leaf: leafOf(cas[7]), chain: cas, expectValid: false });
    }
    add({
      name: 'v1 device certificate without extensions',
      leaf: leafOf(ica, { ext: [] }),
      chain: [ica],
      expectValid: true,
    });
    add({
      name: 'device certificate with clientAuth EKU and SAN',
      leaf: leafOf(ica, { ext: [...EXT.leaf, 'extendedKeyUsage=clientAuth', 'subjectAltName=DNS:dev.acme.example'] }),
      chain: [ica],
      expectValid: true,
    });
    add({
      name: 'unknown non-critical extension is ignored',
      leaf: leafOf(ica, { ext: [...EXT.leaf, '1.3.6.1.4.1.55555.1=ASN1:UTF8String:hello'] }),
      chain: [ica],
      expectValid: true,
    });

    add({
      name: 'unrelated extra certificates in the chain',
      leaf,
      chain: [rogue, ica, root2],
      expectValid: true,
    });
    {
      const ekuCa = caOf(root, { ext: [...EXT.ca, 'extendedKeyUsage=codeSigning'] }, 'eku-ca');
      add({
        name: 'intermediate with a codeSigning EKU (not for client auth)',
        leaf: leafOf(ekuCa),
        chain: [ekuCa],
        expectValid: false,
        expectCode: 'CaNotClientAuth',
      });
      // root2 certifies root's key and name: a path to root2 through the cross-certificate.
      const cross = pki.issue('cross', { subject: root.subject, ext: EXT.ca, issuer: root2, keyPath: root.keyPath });
      add({
        name: 'cross-certificate: path to the other registered root',
        leaf,
        chain: [ica, cross],
        roots: [root2],
        expectValid: true,
      });
      add({
        name: 'cross-certificate and both roots registered',
        leaf,
        chain: [ica, cross],
        roots: [root, root2],
        expectValid: true,
      });
      add({
        name: 'device certificate is the registered root itself',
        leaf: root,
        chain: [],
        expectValid: false,
        expectCode: 'DeviceCertificateIsRoot',
      });
    }

    // --- chains that never reach a registered root
    {
      // Two CAs signing each other: A' is A's key and name certified by B, B' the reverse.
      const a0 = pki.issue('cycA0', { subject: '/O=Acme/CN=Cycle A', ext: EXT.root });
      const b0 = pki.issue('cycB0', { subject: '/O=Acme/CN=Cycle B', ext: EXT.root });
      const aByB = pki.issue('cycA', { subject: '/O=Acme/CN=Cycle A', ext: EXT.ca, issuer: b0, keyPath: a0.keyPath });
      const bByA = pki.issue('cycB', { subject: '/O=Acme/CN=Cycle B', ext: EXT.ca, issuer: a0, keyPath: b0.keyPath });
      const cycLeaf = leafOf(a0);
      add({ name: 'CA cycle: A and B sign each other', leaf: cycLeaf, chain: [aByB, bByA], expectValid: false });
      add({
        name: 'CA cycle with the registered root also sent',
        leaf: cycLeaf,
        chain: [aByB, bByA, root],
        expectValid: false,
      });
      // A three-CA loop.
      const c0 = pki.issue('cycC0', { subject: '/O=Acme/CN=Cycle C', ext: EXT.root });
      const aByC = pki.issue('cycA2', { subject: '/O=Acme/CN=Cycle A', ext: EXT.ca, issuer: c0, keyPath: a0.keyPath });
      const cByB = pki.issue('cycC', { subject: '/O=Acme/CN=Cycle C', ext: EXT.ca, issuer: b0, keyPath: c0.keyPath });
      add({ name: 'CA cycle of three CAs', leaf: cycLeaf, chain: [aByC, cByB, bByA], expectValid: false });
    }
    add({ name: 'intermediate missing from the chain', leaf, chain: [], expectValid: false });
    add({ name: 'chain ends at an unregistered root', leaf: leafOf(rogue), chain: [rogue], expectValid: false });
    add({
      name: 'registered certificate is an intermediate, not a root',
      leaf,
      chain: [ica, root],
      roots: [ica],
      expectValid: false,
    });
    add({
      name: 'self-signed device certificate',
      leaf: pki.issue('selfdev', { subject: '/O=Acme/CN=selfdev', ext: EXT.root }),
      chain: [],
      expectValid: false,
    });
    {
      // Same key, different name: the device certificate names an issuer the chain does not have.
      const renamed = pki.issue('renamed', {
        subject: '/O=Acme/CN=Acme Devices CA renamed',
        ext: EXT.ca,
        issuer: root,
        keyPath: ica.keyPath,
      });
      add({ name: 'issuer name mismatch (same key, other name)', leaf, chain: [renamed], expectValid: false });
      // Same name, other key: the signature does not verify with the chain's CA.
      const forger = pki.issue('forger', { subject: '/O=Acme/CN=Acme Devices CA', ext: EXT.root });
      add({
        name: 'forged signature (issuer name right, key wrong)',
        leaf: leafOf(forger),
        chain: [ica],
        expectValid: false,
      });
    }

    {
      // The same CA name in other letter case and spacing: names compare canonically (RFC 5280 7.1).
      const recased = pki.issue('recased', {
        subject: '/O=ACME/CN=acme  devices ca',
        ext: EXT.ca,
        issuer: root,
        keyPath: ica.keyPath,
      });
      add({ name: 'issuer name differs only in case and spacing', leaf, chain: [recased], expectValid: true });
    }

    {
      // The same CA re-certified: one copy expired, one current; the current one must be used.
      const expiredCopy = pki.issue('ica-expired-copy', {
        subject: ica.subject,
        ext: EXT.ca,
        issuer: root,
        keyPath: ica.keyPath,
        notBefore: d(-20),
        notAfter: d(-2),
      });
      add({
        name: 'expired and current copies of the intermediate',
        leaf,
        chain: [expiredCopy, ica],
        expectValid: true,
      });
      add({ name: 'only the expired copy of the intermediate', leaf, chain: [expiredCopy], expectValid: false });
      // Same name and key, but a subjectKeyIdentifier the device certificate's AKI does not name.
      const otherSki = pki.issue('ica-other-ski', {
        subject: ica.subject,
        ext: [
          ...without(EXT.ca, 'subjectKeyIdentifier'),
          'subjectKeyIdentifier=0102030405060708090a0b0c0d0e0f1011121314',
        ],
        issuer: root,
        keyPath: ica.keyPath,
      });
      add({
        name: 'authorityKeyIdentifier does not match the CA subjectKeyIdentifier',
        leaf,
        chain: [otherSki],
        expectValid: false,
      });
      add({ name: 'intermediate and root both registered', leaf, chain: [ica], roots: [ica, root], expectValid: true });
    }

    // --- issuers that are not CAs
    {
      const device = leafOf(ica, {}, 'device-as-ca');
      add({
        name: 'device certificate issuing a certificate',
        leaf: leafOf(device),
        chain: [device, ica],
        expectValid: false,
      });
      const caFalse = caOf(root, {
        ext: [
          'basicConstraints=critical,CA:FALSE',
          'keyUsage=critical,keyCertSign,cRLSign',
          'subjectKeyIdentifier=hash',
          'authorityKeyIdentifier=keyid:always',
        ],
      });
      add({ name: 'intermediate with CA:FALSE', leaf: leafOf(caFalse), chain: [caFalse], expectValid: false });
      const noBc = caOf(root, { ext: without(EXT.ca, 'basicConstraints') });
      add({ name: 'intermediate without basicConstraints', leaf: leafOf(noBc), chain: [noBc], expectValid: false });
      const noCertSign = caOf(root, {
        ext: [...without(EXT.ca, 'keyUsage'), 'keyUsage=critical,digitalSignature,cRLSign'],
      });
      add({
        name: 'intermediate without keyCertSign',
        leaf: leafOf(noCertSign),
        chain: [noCertSign],
        expectValid: false,
      });
      const noKu = caOf(root, { ext: without(EXT.ca, 'keyUsage') });
      add({ name: 'intermediate without keyUsage', leaf: leafOf(noKu), chain: [noKu], expectValid: false });
      const bcNonCritical = caOf(root, { ext: [...without(EXT.ca, 'basicConstraints'), 'basicConstraints=CA:TRUE'] });
      add({
        name: 'intermediate with non-critical basicConstraints',
        leaf: leafOf(bcNonCritical),
        chain: [bcNonCritical],
        expectValid: false,
      });
      const noSki = caOf(root, { ext: [...without(EXT.ca, 'subjectKeyIdentifier'), 'subjectKeyIdentifier=none'] });
      const akiByName = [...without(EXT.leaf, 'authorityKeyIdentifier'), 'authorityKeyIdentifier=keyid,issuer:always'];
      add({
        name: 'intermediate without subjectKeyIdentifier',
        leaf: leafOf(noSki, { ext: akiByName }),
        chain: [noSki],
        expectValid: false,
      });
      const rootNoCertSign = pki.issue('rootNoCertSign', {
        subject: '/O=Acme/CN=Root without certSign',
        ext: [...without(EXT.root, 'keyUsage'), 'keyUsage=critical,cRLSign'],
      });
      add({
        name: 'registered root without keyCertSign',
        leaf: leafOf(rootNoCertSign),
        chain: [],
        roots: [rootNoCertSign],
        expectValid: false,
      });
      const caLeaf = caOf(ica, {}, 'ca-as-leaf');
      add({
        name: 'device certificate that is itself a CA',
        leaf: caLeaf,
        chain: [ica],
        expectValid: false,
        expectCode: 'DeviceCertificateIsCa',
      });
      const kuOnlyLeaf = leafOf(ica, {
        ext: [
          'keyUsage=critical,keyCertSign,digitalSignature',
          'subjectKeyIdentifier=hash',
          'authorityKeyIdentifier=keyid:always',
        ],
      });
      add({
        name: 'device certificate with keyCertSign but no basicConstraints',
        leaf: kuOnlyLeaf,
        chain: [ica],
        expectValid: false,
      });
      const certSignNonCa = leafOf(ica, {
        ext: [
          'basicConstraints=critical,CA:FALSE',
          'keyUsage=critical,keyCertSign',
          'subjectKeyIdentifier=hash',
          'authorityKeyIdentifier=keyid:always',
        ],
      });
      add({
        name: 'device certificate CA:FALSE with keyCertSign',
        leaf: certSignNonCa,
        chain: [ica],
        expectValid: false,
      });
      add({
        name: 'device certificate without authorityKeyIdentifier',
        leaf: leafOf(ica, { ext: [...without(EXT.leaf, 'authorityKeyIdentifier'), 'authorityKeyIdentifier=none'] }),
        chain: [ica],
        expectValid: false,
      });
      add({
        name: 'critical authorityKeyIdentifier',
        leaf: leafOf(ica, {
          ext: [...without(EXT.leaf, 'authorityKeyIdentifier'), 'authorityKeyIdentifier=critical,keyid:always'],
        }),
        chain: [ica],
        expectValid: false,
      });
    }

    // --- pathLenConstraint
    {
      const p0 = caOf(
        root,
        { ext: [...without(EXT.ca, 'basicConstraints'), 'basicConstraints=critical,CA:TRUE,pathlen:0'] },
        'pathlen0',
      );
      add({
        name: 'pathlen:0 intermediate issuing a device certificate',
        leaf: leafOf(p0),
        chain: [p0],
        expectValid: true,
      });
      const under0 = caOf(p0, {}, 'under-pathlen0');
      add({
        name: 'pathlen:0 intermediate issuing a CA (violation)',
        leaf: leafOf(under0),
        chain: [under0, p0],
        expectValid: false,
      });
      const p1 = caOf(
        root,
        { ext: [...without(EXT.ca, 'basicConstraints'), 'basicConstraints=critical,CA:TRUE,pathlen:1'] },
        'pathlen1',
      );
      const under1 = caOf(p1, {}, 'under-pathlen1');
      add({ name: 'pathlen:1 with one CA below', leaf: leafOf(under1), chain: [under1, p1], expectValid: true });
      const under1b = caOf(under1, {}, 'under-pathlen1b');
      add({
        name: 'pathlen:1 with two CAs below (violation)',
        leaf: leafOf(under1b),
        chain: [under1b, under1, p1],
        expectValid: false,
      });
      const root0 = pki.issue('root0', {
        subject: '/O=Acme/CN=Root pathlen 0',
        ext: [...without(EXT.root, 'basicConstraints'), 'basicConstraints=critical,CA:TRUE,pathlen:0'],
      });
      const underRoot0 = caOf(root0);
      add({
        name: 'root pathlen:0 with an intermediate (violation)',
        leaf: leafOf(underRoot0),
        chain: [underRoot0],
        roots: [root0],
        expectValid: false,
      });
    }

    // --- validity dates (of the device certificate and of its CAs)
    add({
      name: 'expired device certificate',
      leaf: leafOf(ica, { notBefore: d(-20), notAfter: d(-1) }),
      chain: [ica],
      expectValid: false,
    });
    add({
      name: 'device certificate not yet valid',
      leaf: leafOf(ica, { notBefore: d(2), notAfter: d(30) }),
      chain: [ica],
      expectValid: false,
    });
    {
      const oldCa = caOf(root, { notBefore: d(-20), notAfter: d(-1) }, 'expired-ca');
      add({ name: 'expired intermediate', leaf: leafOf(oldCa), chain: [oldCa], expectValid: false });
      const futureCa = caOf(root, { notBefore: d(2), notAfter: d(300) }, 'future-ca');
      add({ name: 'intermediate not yet valid', leaf: leafOf(futureCa), chain: [futureCa], expectValid: false });
      const oldRoot = pki.issue('oldroot', {
        subject: '/O=Acme/CN=Expired Root',
        ext: EXT.root,
        notBefore: d(-20),
        notAfter: d(-1),
      });
      add({ name: 'expired registered root', leaf: leafOf(oldRoot), chain: [], roots: [oldRoot], expectValid: false });
    }

    // --- algorithms and keys
    add({
      name: 'SHA-1 signature on the device certificate',
      leaf: leafOf(ica, { md: 'sha1' }),
      chain: [ica],
      expectValid: false,
    });
    {
      const sha1Ca = caOf(root, { md: 'sha1' }, 'sha1-ca');
      add({ name: 'SHA-1 signature on the intermediate', leaf: leafOf(sha1Ca), chain: [sha1Ca], expectValid: false });
      const sha1Root = pki.issue('sha1root', { subject: '/O=Acme/CN=SHA1 Root', ext: EXT.root, md: 'sha1' });
      add({
        name: 'SHA-1 self-signature on the registered root (not checked)',
        leaf: leafOf(sha1Root),
        chain: [],
        roots: [sha1Root],
        expectValid: true,
      });
    }
    add({ name: 'SHA-224 signature (112 bits)', leaf: leafOf(ica, { md: 'sha224' }), chain: [ica], expectValid: true });
    add({ name: 'SHA-384 signature', leaf: leafOf(ica, { md: 'sha384' }), chain: [ica], expectValid: true });
    add({ name: 'RSA-1024 device key', leaf: leafOf(ica, { keyType: 'rsa1024' }), chain: [ica], expectValid: false });
    {
      const rsaSmallCa = caOf(root, { keyType: 'rsa1024' }, 'rsa1024-ca');
      add({ name: 'RSA-1024 intermediate key', leaf: leafOf(rsaSmallCa), chain: [rsaSmallCa], expectValid: false });
      const rsaRoot = pki.issue('rsaroot', { subject: '/O=Acme/CN=RSA Root', ext: EXT.root, keyType: 'rsa2048' });
      const rsaCa = caOf(rsaRoot, { keyType: 'rsa2048' }, 'rsa-ca');
      add({
        name: 'RSA-2048 root and intermediate, EC device',
        leaf: leafOf(rsaCa),
        chain: [rsaCa],
        roots: [rsaRoot],
        expectValid: true,
      });
      add({
        name: 'RSA-2048 device key under EC CA',
        leaf: leafOf(ica, { keyType: 'rsa2048' }),
        chain: [ica],
        expectValid: true,
      });
      add({ name: 'P-384 device key', leaf: leafOf(ica, { keyType: 'p384' }), chain: [ica], expectValid: true });
      add({
        name: 'P-192 device key (80 bits)',
        leaf: leafOf(ica, { keyType: 'p192' }),
        chain: [ica],
        expectValid: false,
      });
      add({
        name: 'EC device key with explicit curve parameters',
        leaf: leafOf(ica, { keyType: 'p256explicit' }),
        chain: [ica],
        expectValid: false,
      });
      add({
        name: 'RSA-PSS (SHA-256) signature by an RSA CA',
        leaf: leafOf(rsaCa, { sigopt: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32'] }),
        chain: [rsaCa],
        roots: [rsaRoot],
        expectValid: true,
      });
      const edCa = caOf(root, { keyType: 'ed25519' }, 'ed25519-ca');
      add({
        name: 'Ed25519 intermediate signing the device certificate',
        leaf: leafOf(edCa),
        chain: [edCa],
        expectValid: true,
      });
      add({
        name: 'secp256k1 device key',
        leaf: leafOf(ica, { keyType: 'secp256k1' }),
        chain: [ica],
        expectValid: true,
      });
      add({
        name: 'brainpoolP256r1 device key',
        leaf: leafOf(ica, { keyType: 'brainpool256' }),
        chain: [ica],
        expectValid: true,
      });
      add({ name: 'DSA-2048 device key', leaf: leafOf(ica, { keyType: 'dsa2048' }), chain: [ica], expectValid: true });
      const dsaCa = caOf(root, { keyType: 'dsa2048' }, 'dsa-ca');
      add({ name: 'DSA-2048 intermediate (dsa-with-SHA256)', leaf: leafOf(dsaCa), chain: [dsaCa], expectValid: true });
      add({
        name: 'ECDSA with SHA3-256 signature',
        leaf: leafOf(ica, { md: 'sha3-256' }),
        chain: [ica],
        expectValid: false,
      });
      add({
        name: 'RSA with SHA3-256 signature',
        leaf: leafOf(rsaCa, { md: 'sha3-256' }),
        chain: [rsaCa],
        roots: [rsaRoot],
        expectValid: true,
      });
      add({
        name: 'DSA with SHA-1 signature',
        leaf: leafOf(dsaCa, { md: 'sha1' }),
        chain: [dsaCa],
        expectValid: false,
      });
      add({ name: 'Ed25519 device key', leaf: leafOf(ica, { keyType: 'ed25519' }), chain: [ica], expectValid: true });
    }

    // --- name constraints (RFC 5280 6.1.3 b-c)
    {
      const ncCa = (constraint: string, extra: string[] = [], issuer = root, name = 'nc-ca') =>
        caOf(issuer, { ext: [...EXT.ca, `nameConstraints=critical,${constraint}`, ...extra] }, name);
      const dev = (issuer: Cert, ext: string[], subject?: string) =>
        pki.issue('nc-dev', {
          subject: subject ?? `/O=Acme/CN=nc-dev-${Math.random().toString(36).slice(2, 8)}`,
          ext: [...EXT.leaf, ...ext],
          issuer,
        });
      const dnsCa = ncCa('permitted;DNS:.acme.example,excluded;DNS:bad.acme.example', [], root, 'nc-dns');
      add({
        name: 'name constraints: permitted DNS SAN',
        leaf: dev(dnsCa, ['subjectAltName=DNS:dev1.acme.example']),
        chain: [dnsCa],
        expectValid: true,
      });
      add({
        name: 'name constraints: DNS SAN outside the permitted subtree',
        leaf: dev(dnsCa, ['subjectAltName=DNS:dev1.evil.example']),
        chain: [dnsCa],
        expectValid: false,
      });
      add({
        name: 'name constraints: DNS SAN in the excluded subtree',
        leaf: dev(dnsCa, ['subjectAltName=DNS:x.bad.acme.example']),
        chain: [dnsCa],
        expectValid: false,
      });
      add({
        name: 'name constraints: DNS-like CN outside, no SAN',
        leaf: dev(dnsCa, [], '/O=Acme/CN=dev1.evil.example'),
        chain: [dnsCa],
        expectValid: false,
      });
      add({
        name: 'name constraints: plain CN (not a host name), no SAN',
        leaf: dev(dnsCa, [], '/O=Acme/CN=ACME-BAT-000009'),
        chain: [dnsCa],
        expectValid: true,
      });
      add({
        name: 'name constraints: DNS-like CN outside but DNS SAN inside',
        leaf: dev(dnsCa, ['subjectAltName=DNS:ok.acme.example'], '/O=Acme/CN=dev1.evil.example'),
        chain: [dnsCa],
        expectValid: true,
      });
      const dirCa = ncCa('permitted;dirName:nc_dir', ['[ nc_dir ]', 'O=ACME'], root, 'nc-dir');
      add({
        name: 'name constraints: subject inside the permitted directory name (case folded)',
        leaf: dev(dirCa, []),
        chain: [dirCa],
        expectValid: true,
      });
      add({
        name: 'name constraints: subject outside the permitted directory name',
        leaf: dev(dirCa, [], '/O=Evil/CN=dev-x'),
        chain: [dirCa],
        expectValid: false,
      });
      const mailCa = ncCa('permitted;email:acme.example', [], root, 'nc-mail');
      add({
        name: 'name constraints: permitted email SAN',
        leaf: dev(mailCa, ['subjectAltName=email:ops@acme.example']),
        chain: [mailCa],
        expectValid: true,
      });
      add({
        name: 'name constraints: email SAN at another host',
        leaf: dev(mailCa, ['subjectAltName=email:ops@evil.example']),
        chain: [mailCa],
        expectValid: false,
      });
      const ipCa = ncCa('permitted;IP:10.0.0.0/255.0.0.0', [], root, 'nc-ip');
      add({
        name: 'name constraints: IP SAN inside 10/8',
        leaf: dev(ipCa, ['subjectAltName=IP:10.1.2.3']),
        chain: [ipCa],
        expectValid: true,
      });
      add({
        name: 'name constraints: IP SAN outside 10/8',
        leaf: dev(ipCa, ['subjectAltName=IP:192.168.1.1']),
        chain: [ipCa],
        expectValid: false,
      });
      const uriCa = ncCa('permitted;URI:.acme.example', [], root, 'nc-uri');
      add({
        name: 'name constraints: URI SAN host inside',
        leaf: dev(uriCa, ['subjectAltName=URI:https://dev.acme.example:8443/x']),
        chain: [uriCa],
        expectValid: true,
      });
      add({
        name: 'name constraints: URI SAN host outside',
        leaf: dev(uriCa, ['subjectAltName=URI:https://dev.evil.example/x']),
        chain: [uriCa],
        expectValid: false,
      });
      const ncRoot = pki.issue('nc-root', {
        subject: '/O=Acme/CN=Constrained Root',
        ext: [...EXT.root, 'nameConstraints=critical,permitted;DNS:.acme.example'],
      });
      const underNcRoot = caOf(ncRoot, {}, 'under-nc-root');
      add({
        name: 'name constraints on the registered root apply too',
        leaf: dev(underNcRoot, ['subjectAltName=DNS:dev.evil.example']),
        chain: [underNcRoot],
        roots: [ncRoot],
        expectValid: false,
      });
      add({
        name: 'name constraints on the root, satisfied two levels down',
        leaf: dev(underNcRoot, ['subjectAltName=DNS:dev.acme.example']),
        chain: [underNcRoot],
        roots: [ncRoot],
        expectValid: true,
      });
      const dirRoot = pki.issue('nc-dir-root', {
        subject: '/O=Acme/CN=Dir Root',
        ext: [...EXT.root, 'nameConstraints=critical,permitted;dirName:nc_dir2', '[ nc_dir2 ]', 'O=Acme'],
      });
      const evilCa = pki.issue('evil-ca', { subject: '/O=Evil/CN=Evil CA', ext: EXT.ca, issuer: dirRoot });
      add({
        name: 'name constraints: an intermediate outside the root directory name',
        leaf: dev(evilCa, [], '/O=Acme/CN=dev-y'),
        chain: [evilCa],
        roots: [dirRoot],
        expectValid: false,
      });
    }

    // --- certificate policies: recognised, not evaluated (openssl verify without -policy_check)
    {
      const policyCa = caOf(
        root,
        {
          ext: [
            ...EXT.ca,
            'certificatePolicies=critical,1.3.6.1.4.1.55555.10.1',
            'policyConstraints=critical,requireExplicitPolicy:0,inhibitPolicyMapping:0',
            'inhibitAnyPolicy=critical,0',
            'policyMappings=critical,1.3.6.1.4.1.55555.10.1:1.3.6.1.4.1.55555.10.2',
          ],
        },
        'policy-ca',
      );
      add({
        name: 'critical policy constraints, mappings and inhibitAnyPolicy on the intermediate',
        leaf: leafOf(policyCa),
        chain: [policyCa],
        expectValid: true,
      });
      const proxyLeaf = leafOf(ica, { ext: [...EXT.leaf, 'proxyCertInfo=critical,language:id-ppl-anyLanguage'] });
      add({ name: 'proxy certificate (not allowed)', leaf: proxyLeaf, chain: [ica], expectValid: false });
    }

    // --- exact time boundaries (OpenSSL: valid from notBefore inclusive to notAfter exclusive)
    {
      const edge = new Date(N.getTime());
      add({
        name: 'now == device notAfter',
        leaf: leafOf(ica, { notBefore: d(-3), notAfter: edge }),
        chain: [ica],
        expectValid: false,
      });
      add({
        name: 'now == device notBefore',
        leaf: leafOf(ica, { notBefore: edge, notAfter: d(30) }),
        chain: [ica],
        expectValid: true,
      });
      add({
        name: 'one second before device notAfter',
        leaf: leafOf(ica, { notBefore: d(-3), notAfter: new Date(N.getTime() + 1000) }),
        chain: [ica],
        expectValid: true,
      });
    }

    // --- extensions
    add({
      name: 'critical CRL distribution points (supported)',
      leaf: leafOf(ica, {
        ext: [...EXT.leaf, 'crlDistributionPoints=critical,URI:http://crl.acme.example/devices.crl'],
      }),
      chain: [ica],
      expectValid: true,
    });
    add({
      name: 'critical subjectKeyIdentifier',
      leaf: leafOf(ica, { ext: [...without(EXT.leaf, 'subjectKeyIdentifier'), 'subjectKeyIdentifier=critical,hash'] }),
      chain: [ica],
      expectValid: false,
    });
    add({
      name: 'critical issuerAltName (not supported by either)',
      leaf: leafOf(ica, { ext: [...EXT.leaf, 'issuerAltName=critical,DNS:acme.example'] }),
      chain: [ica],
      expectValid: false,
    });
    add({
      name: 'unknown critical extension on the device certificate',
      leaf: leafOf(ica, { ext: [...EXT.leaf, '1.3.6.1.4.1.55555.2=critical,ASN1:NULL'] }),
      chain: [ica],
      expectValid: false,
    });
    {
      const critCa = caOf(root, { ext: [...EXT.ca, '1.3.6.1.4.1.55555.3=critical,ASN1:NULL'] }, 'crit-ca');
      add({
        name: 'unknown critical extension on the intermediate',
        leaf: leafOf(critCa),
        chain: [critCa],
        expectValid: false,
      });
    }

    // --- revocation (CRLs of the device certificate's issuer)
    {
      const crlCa = caOf(root, {}, 'crl-ca');
      const good = leafOf(crlCa, {}, 'crl-good');
      const bad = leafOf(crlCa, {}, 'crl-bad');
      const freshEmpty = pki.crl(crlCa);
      pki.revoke(crlCa, bad);
      const fresh = pki.crl(crlCa);
      const stale = pki.crl(crlCa, { seconds: 60 });
      // -crl_check_all: the CRL of every issuer in the path, the root's own included.
      const rootCrl = pki.crl(root);
      add({
        name: 'CRL lists the device certificate',
        leaf: bad,
        chain: [crlCa],
        crls: [fresh, rootCrl],
        expectValid: false,
      });
      add({
        name: 'CRL does not list the device certificate',
        leaf: good,
        chain: [crlCa],
        crls: [fresh, rootCrl],
        expectValid: true,
      });
      add({ name: 'empty CRL', leaf: good, chain: [crlCa], crls: [freshEmpty, rootCrl], expectValid: true });
      add({
        name: 'stale CRL (nextUpdate in the past)',
        leaf: good,
        chain: [crlCa],
        crls: [stale, rootCrl],
        expectValid: false,
      });
      const staleNext = new X509Crl(stale).nextUpdate!;
      add({
        name: 'now == CRL nextUpdate',
        leaf: good,
        chain: [crlCa],
        crls: [stale, rootCrl],
        now: staleNext,
        expectValid: false,
      });
      add({
        name: 'one second before CRL nextUpdate',
        leaf: good,
        chain: [crlCa],
        crls: [stale, rootCrl],
        now: new Date(staleNext.getTime() - 1000),
        expectValid: true,
      });
      add({
        name: 'now == CRL thisUpdate',
        leaf: good,
        chain: [crlCa],
        crls: [stale, rootCrl],
        now: new X509Crl(stale).thisUpdate,
        expectValid: true,
      });
      add({
        name: 'fresh and stale CRL together',
        leaf: good,
        chain: [crlCa],
        crls: [stale, fresh, rootCrl],
        expectValid: true,
      });
      add({
        name: 'CRL not yet valid (thisUpdate in the future)',
        leaf: good,
        chain: [crlCa],
        crls: [fresh, rootCrl],
        now: new Date(pki.t0.getTime() - 3_600_000),
        expectValid: false,
      });
      add({
        name: 'only a CRL of another issuer',
        leaf: good,
        chain: [crlCa],
        crls: [pki.crl(root)],
        expectValid: false,
      });
      const impostor = pki.issue('impostor', { subject: crlCa.subject, ext: EXT.root });
      add({
        name: 'CRL signed by the wrong key',
        leaf: good,
        chain: [crlCa],
        crls: [pki.crl(impostor), rootCrl],
        expectValid: false,
      });
      add({
        name: 'CRL with an unknown critical extension',
        leaf: good,
        chain: [crlCa],
        crls: [pki.crl(crlCa, { ext: ['1.3.6.1.4.1.55555.4=critical,ASN1:NULL'] }), rootCrl],
        expectValid: false,
      });
      add({
        name: 'SHA-1 signed CRL (CRL signatures are not rated)',
        leaf: good,
        chain: [crlCa],
        crls: [pki.crl(crlCa, { md: 'sha1' }), rootCrl],
        expectValid: true,
      });
      const noCrlSign = caOf(
        root,
        { ext: [...without(EXT.ca, 'keyUsage'), 'keyUsage=critical,keyCertSign'] },
        'no-crlsign',
      );
      add({
        name: 'CRL issuer without cRLSign',
        leaf: leafOf(noCrlSign),
        chain: [noCrlSign],
        crls: [pki.crl(noCrlSign), rootCrl],
        expectValid: false,
      });
      const revokedCa = caOf(root, {}, 'revoked-ca');
      const underRevoked = leafOf(revokedCa);
      const revokedCaCrl = pki.crl(revokedCa);
      const rootCrlBefore = pki.crl(root);
      pki.revoke(root, revokedCa);
      const rootCrlRevoking = pki.crl(root);
      add({
        name: 'CRL of the root only, for a device under an intermediate (issuer CRL missing)',
        leaf: underRevoked,
        chain: [revokedCa],
        crls: [rootCrlRevoking],
        expectValid: false,
        expectCode: 'CrlMissing',
      });
      // -crl_check_all: the intermediate's revocation by the root is consulted too.
      add({
        name: 'intermediate revoked by the root, device not revoked',
        leaf: underRevoked,
        chain: [revokedCa],
        crls: [revokedCaCrl, rootCrlRevoking],
        expectValid: false,
        expectCode: 'CaRevoked',
      });
      add({
        name: 'intermediate revoked by the root, the root CRL sent first',
        leaf: underRevoked,
        chain: [revokedCa],
        crls: [rootCrlRevoking, revokedCaCrl],
        expectValid: false,
        expectCode: 'CaRevoked',
      });
      add({
        name: 'intermediate not yet revoked in an older root CRL',
        leaf: underRevoked,
        chain: [revokedCa],
        crls: [revokedCaCrl, rootCrlBefore],
        expectValid: true,
      });
      add({
        name: 'CRLs given but the root CRL missing (unable to get certificate CRL)',
        leaf: underRevoked,
        chain: [revokedCa],
        crls: [revokedCaCrl],
        expectValid: false,
        expectCode: 'CrlMissing',
      });
      add({
        name: 'intermediate revoked, no CRLs sent (revocation is checked only with CRLs)',
        leaf: underRevoked,
        chain: [revokedCa],
        expectValid: true,
      });
      add({
        name: 'device directly under the root, root CRL given',
        leaf: leafOf(root, {}, 'direct'),
        chain: [],
        crls: [rootCrlRevoking],
        expectValid: true,
      });
      add({
        name: 'stale root CRL, fresh intermediate CRL',
        leaf: good,
        chain: [crlCa],
        crls: [fresh, pki.crl(root, { seconds: 60 })],
        now: new Date(N.getTime() + 3_600_000),
        expectValid: false,
        expectCode: 'CrlExpired',
      });
      // Two intermediates: the upper one revoked by the root, every CRL present.
      const upper = caOf(root, {}, 'upper');
      const lower = caOf(upper, {}, 'lower');
      const deepLeaf = leafOf(lower);
      const lowerCrl = pki.crl(lower);
      const upperCrl = pki.crl(upper);
      add({
        name: 'two intermediates, every CRL, none revoked',
        leaf: deepLeaf,
        chain: [lower, upper],
        crls: [lowerCrl, upperCrl, pki.crl(root)],
        expectValid: true,
      });
      add({
        name: 'two intermediates, the middle CRL missing',
        leaf: deepLeaf,
        chain: [lower, upper],
        crls: [lowerCrl, pki.crl(root)],
        expectValid: false,
        expectCode: 'CrlMissing',
      });
      pki.revoke(upper, lower);
      add({
        name: 'two intermediates, the lower one revoked by the upper',
        leaf: deepLeaf,
        chain: [lower, upper],
        crls: [lowerCrl, pki.crl(upper), pki.crl(root)],
        expectValid: false,
        expectCode: 'CaRevoked',
      });
      pki.revoke(root, upper);
      add({
        name: 'two intermediates, the upper one revoked by the root',
        leaf: deepLeaf,
        chain: [lower, upper],
        crls: [lowerCrl, upperCrl, pki.crl(root)],
        expectValid: false,
        expectCode: 'CaRevoked',
      });
      // A root listed in its own CRL: OpenSSL checks the top of the path too.
      const selfRevokingRoot = pki.issue('self-revoking-root', {
        subject: '/O=Acme/CN=Self Revoking Root',
        ext: EXT.root,
      });
      const underSelfRevoking = leafOf(selfRevokingRoot);
      pki.revoke(selfRevokingRoot, selfRevokingRoot);
      add({
        name: 'root listed in its own CRL',
        leaf: underSelfRevoking,
        chain: [],
        roots: [selfRevokingRoot],
        crls: [pki.crl(selfRevokingRoot)],
        expectValid: false,
        expectCode: 'CaRevoked',
      });
    }

    // --- the device certificate is an end entity for TLS client authentication (-purpose sslclient)
    {
      const withKu = (ku: string, extra: string[] = []) => [
        ...without(EXT.leaf, 'keyUsage'),
        `keyUsage=critical,${ku}`,
        ...extra,
      ];
      add({
        name: 'device certificate with clientAuth EKU',
        leaf: leafOf(ica, { ext: [...EXT.leaf, 'extendedKeyUsage=clientAuth'] }),
        chain: [ica],
        expectValid: true,
      });
      add({
        name: 'device certificate with serverAuth and clientAuth EKU',
        leaf: leafOf(ica, { ext: [...EXT.leaf, 'extendedKeyUsage=serverAuth,clientAuth'] }),
        chain: [ica],
        expectValid: true,
      });
      add({
        name: 'device certificate with serverAuth-only EKU',
        leaf: leafOf(ica, { ext: [...EXT.leaf, 'extendedKeyUsage=serverAuth'] }),
        chain: [ica],
        expectValid: false,
        expectCode: 'DeviceCertificateNotClientAuth',
      });
      add({
        name: 'device certificate with codeSigning and emailProtection EKU',
        leaf: leafOf(ica, { ext: [...EXT.leaf, 'extendedKeyUsage=critical,codeSigning,emailProtection'] }),
        chain: [ica],
        expectValid: false,
        expectCode: 'DeviceCertificateNotClientAuth',
      });
      // OpenSSL's sslclient purpose wants clientAuth itself; anyExtendedKeyUsage alone does not do.
      add({
        name: 'device certificate with anyExtendedKeyUsage only',
        leaf: leafOf(ica, { ext: [...EXT.leaf, 'extendedKeyUsage=anyExtendedKeyUsage'] }),
        chain: [ica],
        expectValid: false,
        expectCode: 'DeviceCertificateNotClientAuth',
      });
      add({
        name: 'device certificate keyUsage keyAgreement only',
        leaf: leafOf(ica, { ext: withKu('keyAgreement') }),
        chain: [ica],
        expectValid: true,
      });
      add({
        name: 'device certificate keyUsage nonRepudiation only',
        leaf: leafOf(ica, { ext: withKu('nonRepudiation') }),
        chain: [ica],
        expectValid: false,
        expectCode: 'DeviceCertificateNotClientAuth',
      });
      add({
        name: 'device certificate Netscape type client',
        leaf: leafOf(ica, { ext: [...EXT.leaf, 'nsCertType=client'] }),
        chain: [ica],
        expectValid: true,
      });
      add({
        name: 'device certificate Netscape type server only',
        leaf: leafOf(ica, { ext: [...EXT.leaf, 'nsCertType=server'] }),
        chain: [ica],
        expectValid: false,
        expectCode: 'DeviceCertificateNotClientAuth',
      });
      add({
        name: 'device certificate Netscape type sslCA, no basicConstraints or keyUsage',
        leaf: leafOf(ica, {
          ext: ['nsCertType=sslCA', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always'],
        }),
        chain: [ica],
        expectValid: false,
        expectCode: 'InvalidCa',
      });
      add({
        name: 'device certificate CA:FALSE with keyCertSign and digitalSignature',
        leaf: leafOf(ica, { ext: withKu('digitalSignature,keyCertSign') }),
        chain: [ica],
        expectValid: false,
        expectCode: 'DeviceCertificateHasKeyCertSign',
      });
      add({
        name: 'device certificate with keyCertSign, directly under the root',
        leaf: leafOf(root, { ext: withKu('digitalSignature,keyCertSign') }),
        chain: [],
        expectValid: false,
        expectCode: 'DeviceCertificateHasKeyCertSign',
      });
      const caTrueLeaf = [
        'basicConstraints=critical,CA:TRUE',
        'keyUsage=critical,digitalSignature,keyCertSign',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid:always',
      ];
      add({
        name: 'CA:TRUE device certificate with digitalSignature',
        leaf: leafOf(ica, { ext: caTrueLeaf }),
        chain: [ica],
        expectValid: false,
        stricter: 'DeviceCertificateIsCa',
      });
      add({
        name: 'CA:TRUE device certificate with digitalSignature and clientAuth',
        leaf: leafOf(ica, { ext: [...caTrueLeaf, 'extendedKeyUsage=clientAuth'] }),
        chain: [ica],
        expectValid: false,
        stricter: 'DeviceCertificateIsCa',
      });
      add({
        name: 'the intermediate submitted as the device certificate',
        leaf: ica,
        chain: [],
        expectValid: false,
        expectCode: 'DeviceCertificateIsCa',
      });
      add({
        name: 'the intermediate submitted as the device certificate and in the chain',
        leaf: ica,
        chain: [ica],
        expectValid: false,
        expectCode: 'DeviceCertificateInChain',
      });
      const signingCa = caOf(
        root,
        { ext: [...without(EXT.ca, 'keyUsage'), 'keyUsage=critical,digitalSignature,keyCertSign,cRLSign'] },
        'signing-ca',
      );
      add({
        name: 'an intermediate with digitalSignature submitted as the device certificate',
        leaf: signingCa,
        chain: [signingCa],
        expectValid: false,
        stricter: 'DeviceCertificateInChain',
      });
      const signingRoot = pki.issue('signing-root', {
        subject: '/O=Acme/CN=Signing Root',
        ext: [...without(EXT.root, 'keyUsage'), 'keyUsage=critical,digitalSignature,keyCertSign,cRLSign'],
      });
      add({
        name: 'a registered root with digitalSignature submitted as the device certificate',
        leaf: signingRoot,
        chain: [],
        roots: [signingRoot],
        expectValid: false,
        stricter: 'DeviceCertificateIsRoot',
      });
      const plain = leafOf(ica, {}, 'sent-twice');
      add({
        name: 'device certificate also sent in the chain',
        leaf: plain,
        chain: [plain, ica],
        expectValid: false,
        stricter: 'DeviceCertificateInChain',
      });
      const clientCa = caOf(root, { ext: [...EXT.ca, 'extendedKeyUsage=clientAuth,serverAuth'] }, 'client-ca');
      add({ name: 'intermediate with a clientAuth EKU', leaf: leafOf(clientCa), chain: [clientCa], expectValid: true });
      const ekuRoot = pki.issue('eku-root', {
        subject: '/O=Acme/CN=EKU Root',
        ext: [...EXT.root, 'extendedKeyUsage=serverAuth'],
      });
      add({
        name: 'registered root with a serverAuth-only EKU',
        leaf: leafOf(ekuRoot),
        chain: [],
        roots: [ekuRoot],
        expectValid: false,
        expectCode: 'CaNotClientAuth',
      });
    }
  })();

  after(() => pki.cleanup());

  it('covers at least 40 generated chains', () => {
    expect(cases.length).to.be.greaterThanOrEqual(40);
  });

  // One mocha test per case, generated once the cases exist (mocha's delayed root suite is not
  // used: the cases are built in `before`, the checks run in order).
  for (const c of cases) {
    it(`${c.name} (${c.expectValid ? 'valid' : 'invalid'})`, async () => {
      const now = c.now ?? N;
      const ossl = pki.verify({
        leaf: c.leaf.pem,
        chain: c.chain.map((x) => x.pem),
        roots: c.roots.map((r) => r.pem),
        crls: c.crls,
        now,
      });
      const report = await validateDeviceCertificate({
        certificate: c.leaf.pem,
        chain: [...c.chain, ...c.roots].map((x) => x.pem),
        crls: c.crls,
        trustedRoots: c.roots.map((r) => r.fingerprintHex),
        now,
      });
      const verdicts = `service=${report.valid ? 'valid' : 'invalid'} ${JSON.stringify(report.problemCodes)}, openssl=${ossl.ok ? 'OK' : 'fail'}`;
      const detail = `\n  service problems: ${JSON.stringify(report.problems)}\n  openssl: ${ossl.output}`;
      if (c.stricter) {
        // Deliberately stricter than OpenSSL: OpenSSL accepts, the service refuses, for this reason.
        expect(ossl.ok, `openssl no longer accepts this case: ${verdicts}${detail}`).to.equal(true);
        expect(report.valid, `service accepts: ${verdicts}${detail}`).to.equal(false);
        expect(report.problemCodes, verdicts).to.include(c.stricter);
        return;
      }
      expect(report.valid, `disagreement: ${verdicts}${detail}`).to.equal(ossl.ok);
      expect(ossl.ok, `both say ${ossl.ok}, the case was built to be ${c.expectValid}${detail}`).to.equal(
        c.expectValid,
      );
      if (c.expectCode) expect(report.problemCodes, verdicts).to.include(c.expectCode);
    });
  }
});
