// x509-openssl cases: the device certificate is an end entity for TLS client authentication
// (-purpose sslclient: EKU, keyUsage, nsCertType; CA EKUs), and the service's stricter refusals.
import { EXT } from '../../utils/pki';
import { type World } from './world';

export function purposeCases({ pki, root, ica, leafOf, caOf, add, without }: World) {
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
}
