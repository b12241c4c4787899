// x509-openssl cases: signature algorithms, digests and key types (the 112-bit security level).
import { EXT } from '../../utils/pki';
import { type World } from './world';

export function algorithmCases({ pki, root, ica, leafOf, caOf, add }: World) {
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
}
