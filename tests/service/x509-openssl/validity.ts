// x509-openssl cases: validity dates of the device certificate and its CAs, and their exact
// boundaries.
import { EXT } from '../../utils/pki';
import { type World } from './world';

export function validityCases({ pki, N, d, root, ica, leafOf, caOf, add }: World) {
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
}
