import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  ClientError,
  fetchNameRecord,
  fetchReverseRecord,
  findCertIndexPda,
  findDevicePda,
  findNamePda,
  findPartnerPda,
  findReversePda,
  findSkeletonPda,
  nameRegisterInstructions,
  nameReleaseInstructions,
  resolveDeviceName,
} from '@openvpp/sdk/web3';

import {
  SYSTEM_ACCOUNT_ALREADY_IN_USE,
  expectRegistryError,
  fakeFingerprint,
  registerDevice,
  send,
  world,
} from '../utils/harness';

describe('registry: names', () => {
  it('registers forward and reverse records and resolves both ways', async () => {
    const w = world();
    const owner = Keypair.generate();
    const dk = registerDevice(w, { owner, certFingerprint: fakeFingerprint(60) });
    const device = findDevicePda({ deviceKey: dk.publicKey })[0];
    send(
      w.rt,
      nameRegisterInstructions({
        target: device,
        authority: owner.publicKey,
        payer: w.rt.payer.publicKey,
        name: 'home-battery',
      }),
      [owner],
    );

    const forward = await fetchNameRecord(w.rt, { name: 'home-battery' });
    expect(forward).to.include({ targetKind: 'device', name: 'home-battery' });
    expect(forward!.target.equals(device)).to.equal(true);
    expect((await fetchReverseRecord(w.rt, { target: device }))?.name).to.equal('home-battery');
    expect((await resolveDeviceName(w.rt, { name: 'home-battery' }))?.deviceKey.equals(dk.publicKey)).to.equal(true);
    expect(await resolveDeviceName(w.rt, { name: 'nobody' })).to.equal(null);

    // The vendor's handle was reserved at onboarding.
    expect((await fetchNameRecord(w.rt, { name: 'acme' }))?.targetKind).to.equal('partner');
  });

  it('reserves partner handles and their namespaces (finding 19)', async () => {
    const w = world();
    const owner = Keypair.generate();
    const dk = registerDevice(w, { owner, certFingerprint: fakeFingerprint(63) });
    const device = findDevicePda({ deviceKey: dk.publicKey })[0];
    const payer = w.rt.payer.publicKey;
    const claim = (name: string) =>
      nameRegisterInstructions({ target: device, authority: owner.publicKey, payer, name });
    // The brand itself is taken, and so is its namespace.
    expect(w.rt.tryInstructions(claim('gridco'), [owner]).err?.customCode).to.equal(SYSTEM_ACCOUNT_ALREADY_IN_USE);
    expectRegistryError(w.rt, claim('meter.gridco'), [owner], 'NameReserved');
    // Handles cannot be released.
    const gridco = findPartnerPda({ authority: w.utility.publicKey })[0];
    expectRegistryError(
      w.rt,
      nameReleaseInstructions({ name: 'gridco', target: gridco, authority: w.utility.publicKey }),
      [w.utility],
      'NameReserved',
    );
    // The device vendor's namespace is open to its devices.
    send(w.rt, claim('meter.acme'), [owner]);
    expect((await resolveDeviceName(w.rt, { name: 'meter.acme' }))?.deviceKey.equals(dk.publicKey)).to.equal(true);
  });

  it('reserves look-alikes of partner handles to the partner (round 3, finding 2)', async () => {
    const w = world();
    const owner = Keypair.generate();
    const dk = registerDevice(w, { owner, certFingerprint: fakeFingerprint(64) });
    const device = findDevicePda({ deviceKey: dk.publicKey })[0];
    const payer = w.rt.payer.publicKey;
    const claim = (name: string) =>
      nameRegisterInstructions({ target: device, authority: owner.publicKey, payer, name });
    for (const name of ['gr1dco', 'grldco', 'gridc0', 'gr-idco', 'grid.co', 'grld.co', 'meter.gr1dco', 'acrne']) {
      expectRegistryError(w.rt, claim(name), [owner], 'NameConfusableWithHandle');
    }
    // The recipe passes the reservations; a wrong one is refused.
    const forged = claim('gr1dco');
    forged[0].keys[7].pubkey = findSkeletonPda({ name: 'unrelated' })[0];
    expectRegistryError(w.rt, forged, [owner], 'SkeletonAccountMismatch');
    // Gridco's own authority may use look-alikes of its handle.
    const own = registerDevice(w, { owner: w.utility, certFingerprint: fakeFingerprint(65) });
    const ownDevice = findDevicePda({ deviceKey: own.publicKey })[0];
    send(w.rt, nameRegisterInstructions({ target: ownDevice, authority: w.utility.publicKey, payer, name: 'gr1dco' }), [
      w.utility,
    ]);
    expect((await fetchNameRecord(w.rt, { name: 'gr1dco' }))!.target.equals(ownDevice)).to.equal(true);
    // Unrelated names are free.
    send(w.rt, claim('solar-roof'), [owner]);
    expect((await fetchReverseRecord(w.rt, { target: device }))?.name).to.equal('solar-roof');
  });

  it('treats an unclaimed device as ownerless (finding 4)', () => {
    const w = world();
    const owner = Keypair.generate();
    const dk = registerDevice(w, { owner: owner.publicKey, certFingerprint: fakeFingerprint(64) });
    const device = findDevicePda({ deviceKey: dk.publicKey })[0];
    expectRegistryError(
      w.rt,
      nameRegisterInstructions({ target: device, authority: owner.publicKey, payer: w.rt.payer.publicKey, name: 'x' }),
      [owner],
      'DeviceUnclaimed',
    );
  });

  it('keeps names unique, one per target, and only the controller may claim or release', async () => {
    const w = world();
    const owner = Keypair.generate();
    w.rt.airdrop(owner.publicKey, 1_000_000_000n);
    const stranger = Keypair.generate();
    const dk = registerDevice(w, { owner, certFingerprint: fakeFingerprint(61) });
    const device = findDevicePda({ deviceKey: dk.publicKey })[0];
    const payer = w.rt.payer.publicKey;
    const claim = (authority: Keypair, name: string, target = device) =>
      nameRegisterInstructions({ target, authority: authority.publicKey, payer, name });

    expectRegistryError(w.rt, claim(stranger, 'meter-1'), [stranger], 'Unauthorized');
    send(w.rt, claim(owner, 'meter-1'), [owner]);
    expect(w.rt.tryInstructions(claim(owner, 'meter-2'), [owner]).err?.customCode).to.equal(
      SYSTEM_ACCOUNT_ALREADY_IN_USE,
    );
    const partner = findPartnerPda({ authority: w.vendor.publicKey })[0];
    expect(w.rt.tryInstructions(claim(w.vendor, 'meter-1', partner), [w.vendor]).err?.customCode).to.equal(
      SYSTEM_ACCOUNT_ALREADY_IN_USE,
    );

    expectRegistryError(
      w.rt,
      nameReleaseInstructions({ name: 'meter-1', target: device, authority: stranger.publicKey }),
      [stranger],
      'Unauthorized',
    );
    const before = w.rt.getBalance(owner.publicKey);
    send(w.rt, nameReleaseInstructions({ name: 'meter-1', target: device, authority: owner.publicKey }), [owner]);
    expect(w.rt.getBalance(owner.publicKey) > before).to.equal(true);
    expect(w.rt.getAccount(findNamePda({ name: 'meter-1' })[0])).to.equal(null);
    expect(w.rt.getAccount(findReversePda({ target: device })[0])).to.equal(null);
  });

  it('rejects invalid names client-side and on-chain, and foreign targets', () => {
    const w = world();
    const owner = Keypair.generate();
    const payer = w.rt.payer.publicKey;
    expect(() =>
      nameRegisterInstructions({ target: owner.publicKey, authority: owner.publicKey, payer, name: 'Bad Name' }),
    ).to.throw(ClientError, /InvalidName/);
    // Bypass the client check: the program enforces the same rule.
    const ixs = nameRegisterInstructions({ target: owner.publicKey, authority: owner.publicKey, payer, name: 'good' });
    const data = Buffer.from(ixs[0].data);
    data.write('GOOD', 8 + 4); // same length, upper case
    ixs[0].data = data;
    expectRegistryError(w.rt, ixs, [owner], 'InvalidName');

    // A CertIndex (our program, other type) and a wallet are not name targets.
    registerDevice(w, { owner, certFingerprint: fakeFingerprint(62) });
    for (const target of [findCertIndexPda({ lfdi: fakeFingerprint(62) })[0], owner.publicKey]) {
      expectRegistryError(
        w.rt,
        nameRegisterInstructions({ target, authority: owner.publicKey, payer, name: 'cosplay' }),
        [owner],
        'InvalidNameTarget',
      );
    }
  });
});
