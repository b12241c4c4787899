// x509-openssl cases: valid paths of different shapes, and chains that never reach a registered
// root.
import { EXT, type Cert } from '../../utils/pki';
import { type World } from './world';

export function pathCases({ pki, d, root, ica, leafOf, caOf, add, without }: World) {
  const root2 = pki.issue('root2', {
    subject: '/O=Acme/CN=Acme Root 2',
    ext: EXT.root,
    notBefore: d(-30),
    notAfter: d(3650),
  });
  const rogue = pki.issue('rogue', { subject: '/O=Evil/CN=Evil Root', ext: EXT.root });

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
}
