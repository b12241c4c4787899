import { expect } from 'chai';

import {
  RegistryClientError,
  deviceIdentity,
  isValidName,
  lfdiFromFingerprint,
  nameHash,
  pemToDer,
  sfdiFromLfdi,
} from '@openvpp/sdk';

import { DEVICE_PEM } from '../utils/harness';

describe('identity (LFDI/SFDI, names)', () => {
  it('matches the IEEE 2030.5 worked example', () => {
    const lfdi = Buffer.from('3E4F45AB31EDFE5B67E343E5E4562E31984E23E5', 'hex');
    expect(sfdiFromLfdi(lfdi)).to.equal(167261211391n);
  });

  it('derives LFDI/SFDI from a PEM certificate as openssl does', () => {
    // `openssl x509 -in tests/fixtures/certs/device.pem -noout -fingerprint -sha256`
    const id = deviceIdentity(DEVICE_PEM);
    expect(Buffer.from(id.fingerprint).toString('hex').toUpperCase()).to.equal(
      '9171C5C0C36F719EBC04A4350FEF8BF5E1F77FE6820C59A2EFAA18FD77DADA64',
    );
    expect(id.lfdiHex).to.equal('9171C5C0C36F719EBC04A4350FEF8BF5E1F77FE6');
    expect(id.sfdi).to.equal(390424402048n);
    // DER input gives the same identity.
    expect(deviceIdentity(pemToDer(DEVICE_PEM)).lfdiHex).to.equal(id.lfdiHex);
  });

  it('rejects malformed certificates and fingerprints with typed errors', () => {
    expect(() => deviceIdentity('not a pem')).to.throw(RegistryClientError, /InvalidCertificate/);
    expect(() => lfdiFromFingerprint(new Uint8Array(31))).to.throw(RegistryClientError, /InvalidFingerprint/);
  });

  it('validates names exactly like the program', () => {
    for (const ok of ['a', 'meter-001', 'acme.utility', 'a'.repeat(63)]) expect(isValidName(ok), ok).to.equal(true);
    for (const bad of ['', '-a', 'a-', '.a', 'a.', 'A', 'a..b', 'a b', 'a_b', 'é', 'a'.repeat(64)]) {
      expect(isValidName(bad), bad).to.equal(false);
    }
    expect(Buffer.from(nameHash('abc')).toString('hex').slice(0, 8)).to.equal('ba7816bf');
  });
});
