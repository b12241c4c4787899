// x509-openssl cases: issuers that are not CAs (basicConstraints, keyUsage, key identifiers) and
// pathLenConstraint.
import { EXT } from '../../utils/pki';
import { type World } from './world';

export function caConstraintCases({ pki, root, ica, leafOf, caOf, add, without }: World) {
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
}
