import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

import {
  ClientError,
  deviceIdentity,
  isValidName,
  lfdiFromFingerprint,
  nameHash,
  pemToDer,
  sfdiFromLfdi,
  skeleton,
  skeletonHash,
} from '@openvpp/sdk/web3';

import { DEVICE_PEM } from '../utils/harness';

describe('identity (LFDI/SFDI, names)', () => {
  it('matches the IEEE 2030.5 worked example', () => {
    const lfdi = Buffer.from('3E4F45AB31EDFE5B67E343E5E4562E31984E23E5', 'hex');
    expect(sfdiFromLfdi(lfdi)).to.equal(167261211391n);
  });

  it('derives LFDI/SFDI from a PEM certificate as openssl does', () => {
    // `openssl x509 -in testing/fixtures/certs/device.pem -noout -fingerprint -sha256`
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
    expect(() => deviceIdentity('not a pem')).to.throw(ClientError, /InvalidCertificate/);
    expect(() => lfdiFromFingerprint(new Uint8Array(31))).to.throw(ClientError, /InvalidFingerprint/);
  });

  it('validates names exactly like the program', () => {
    for (const ok of ['a', 'meter-001', 'acme.utility', 'a'.repeat(63)]) expect(isValidName(ok), ok).to.equal(true);
    for (const bad of ['', '-a', 'a-', '.a', 'a.', 'A', 'a..b', 'a b', 'a_b', 'é', 'a'.repeat(64)]) {
      expect(isValidName(bad), bad).to.equal(false);
    }
    expect(Buffer.from(nameHash('abc')).toString('hex').slice(0, 8)).to.equal('ba7816bf');
  });

  it('computes confusable skeletons with the same vectors as the program (round 3, finding 2)', () => {
    const file = fs.readFileSync(path.join(__dirname, '../../testing/fixtures/vectors/skeleton-vectors.txt'), 'utf8');
    const rows = file.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rows.length).to.be.greaterThan(20);
    for (const row of rows) {
      const [input, expected] = row.split('\t');
      expect(skeleton(input), input).to.equal(expected);
      expect(skeleton(expected), `idempotent: ${input}`).to.equal(expected);
    }
    for (const [a, b] of [
      ['gr1dco', 'gridco'],
      ['grldco', 'gridco'],
      ['gridc0', 'gridco'],
      ['gr-idco', 'gridco'],
      ['grid.co', 'gridco'],
      ['rnetering', 'metering'],
      ['vvatt', 'watt'],
      ['clata', 'data'],
      ['5olar', 'solar'],
    ]) {
      expect(Buffer.from(skeletonHash(a)).equals(Buffer.from(skeletonHash(b))), `${a} ${b}`).to.equal(true);
    }
    for (const [a, b] of [
      ['gridco', 'acme'],
      ['gridco', 'gridcoo'],
      ['meter', 'neter'],
    ]) {
      expect(skeleton(a), `${a} ${b}`).to.not.equal(skeleton(b));
    }
  });
});
