// x509-openssl cases: revocation (CRLs of every issuer in the path, -crl_check_all).
import { X509Crl } from '@peculiar/x509';

import { EXT } from '../../utils/pki';
import { type World } from './world';

export function revocationCases({ pki, N, root, leafOf, caOf, add, without }: World) {
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
}
