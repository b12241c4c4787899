import { Keypair, PublicKey } from '@solana/web3.js';
import { expect } from 'chai';

import {
  ClientError,
  deviceCapabilitiesUpdateInstructions,
  deviceClaimInstructions,
  deviceIdentity,
  deviceOwnerTransferInstructions,
  deviceRegisterInstructions,
  deviceStatusSetInstructions,
  fetchDevice,
  fetchDeviceByLfdi,
  findCertIndexPda,
  findDevicePda,
  findPartnerPda,
  nameRegisterInstructions,
  parseRegistryEvents,
  partnerStatusSetInstructions,
} from '@openvpp/sdk/web3';

import {
  ANCHOR_ACCOUNT_NOT_SIGNER,
  ANCHOR_DISCRIMINATOR_MISMATCH,
  CAPS,
  CA_FINGERPRINT,
  CERT_NOT_AFTER,
  DEVICE_PEM,
  SYSTEM_ACCOUNT_ALREADY_IN_USE,
  type World,
  expectCustomCode,
  expectRegistryError,
  fakeFingerprint,
  registerDevice,
  send,
  world,
} from '../utils/harness';

function registerIxs(
  w: World,
  deviceKey: PublicKey,
  certFingerprint: Uint8Array,
  over: Partial<Parameters<typeof deviceRegisterInstructions>[0]> = {},
) {
  return deviceRegisterInstructions({
    vendorAuthority: w.vendor.publicKey,
    deviceKey,
    payer: w.rt.payer.publicKey,
    owner: Keypair.generate().publicKey,
    deviceType: 'evCharger',
    capabilities: CAPS,
    certFingerprint,
    issuerCa: CA_FINGERPRINT,
    certNotAfter: CERT_NOT_AFTER,
    ...over,
  });
}

describe('registry: devices', () => {
  it('registers a device from its X.509 certificate and finds it by key and by LFDI', async () => {
    const w = world();
    const id = deviceIdentity(DEVICE_PEM);
    const deviceKey = Keypair.generate();
    const owner = Keypair.generate().publicKey;
    const out = send(w.rt, registerIxs(w, deviceKey.publicKey, id.fingerprint, { owner }), [w.vendor, deviceKey]);

    const byKey = await fetchDevice(w.rt, { deviceKey: deviceKey.publicKey });
    expect(byKey).to.include({ deviceType: 'evCharger', status: 'active', sfdi: id.sfdi });
    // Registered without the owner's signature: unclaimed (ownerless) until it claims.
    expect(byKey!.owner.equals(PublicKey.default)).to.equal(true);
    expect(byKey!.pendingOwner.equals(owner)).to.equal(true);
    expect(byKey!.vendor.equals(findPartnerPda({ authority: w.vendor.publicKey })[0])).to.equal(true);
    expect(Buffer.from(byKey!.lfdi).toString('hex').toUpperCase()).to.equal(id.lfdiHex);
    expect(byKey!.capabilities).to.deep.equal(CAPS);

    const byLfdi = await fetchDeviceByLfdi(w.rt, { lfdi: id.lfdi });
    expect(byLfdi?.address.equals(byKey!.address)).to.equal(true);

    const [event] = parseRegistryEvents(out.logs);
    expect(event.name).to.equal('DeviceRegistered');
    expect((event.data.device_key as PublicKey).equals(deviceKey.publicKey)).to.equal(true);
  });

  it('rejects bad registrations with typed errors and writes nothing', () => {
    const w = world();
    const dk = Keypair.generate();
    const cases: [Parameters<typeof registerIxs>[3], Parameters<typeof expectRegistryError>[3]][] = [
      [{ issuerCa: new Uint8Array(32).fill(8) }, 'UnknownIssuerCa'],
      [{ certNotAfter: 1n }, 'CertificateExpired'],
      [{ owner: PublicKey.default }, 'InvalidOwner'],
    ];
    cases.forEach(([over, name], i) => {
      expectRegistryError(w.rt, registerIxs(w, dk.publicKey, fakeFingerprint(i + 1), over), [w.vendor, dk], name);
    });
    // A utility cannot provision devices.
    expectRegistryError(
      w.rt,
      registerIxs(w, dk.publicKey, fakeFingerprint(9), { vendorAuthority: w.utility.publicKey }),
      [w.utility, dk],
      'PartnerNotVendor',
    );
    // The device key must sign.
    const unsigned = registerIxs(w, dk.publicKey, fakeFingerprint(10));
    unsigned[0].keys[2].isSigner = false;
    expectCustomCode(w.rt, unsigned, [w.vendor], ANCHOR_ACCOUNT_NOT_SIGNER);

    expect(w.rt.getAccount(findDevicePda({ deviceKey: dk.publicKey })[0])).to.equal(null);
    for (let i = 1; i <= 10; i++)
      expect(w.rt.getAccount(findCertIndexPda({ lfdi: fakeFingerprint(i) })[0])).to.equal(null);

    expect(() => registerIxs(w, dk.publicKey, new Uint8Array(32))).to.throw(ClientError, /InvalidFingerprint/);
    expect(() =>
      registerIxs(w, dk.publicKey, fakeFingerprint(11), { capabilities: { ...CAPS, protocols: 8 } }),
    ).to.throw(ClientError, /InvalidCapabilities/);
  });

  it('rejects duplicate keys and reused certificates', () => {
    const w = world();
    const owner = Keypair.generate().publicKey;
    const first = registerDevice(w, { owner, certFingerprint: fakeFingerprint(20) });
    const again = w.rt.tryInstructions(registerIxs(w, first.publicKey, fakeFingerprint(21)), [w.vendor, first]);
    expect(again.err?.customCode).to.equal(SYSTEM_ACCOUNT_ALREADY_IN_USE);
    const other = Keypair.generate();
    const reuse = w.rt.tryInstructions(registerIxs(w, other.publicKey, fakeFingerprint(20)), [w.vendor, other]);
    expect(reuse.err?.customCode).to.equal(SYSTEM_ACCOUNT_ALREADY_IN_USE);
    expect(w.rt.getAccount(findDevicePda({ deviceKey: other.publicKey })[0])).to.equal(null);
  });

  it('blocks a suspended vendor', () => {
    const w = world();
    send(
      w.rt,
      partnerStatusSetInstructions({
        authority: w.admin.publicKey,
        partner: findPartnerPda({ authority: w.vendor.publicKey })[0],
        status: 'suspended',
      }),
      [w.admin],
    );
    const dk = Keypair.generate();
    expectRegistryError(w.rt, registerIxs(w, dk.publicKey, fakeFingerprint(30)), [w.vendor, dk], 'PartnerNotActive');
  });

  it('transfers ownership, updates capabilities, and makes revocation terminal', async () => {
    const w = world();
    const owner = Keypair.generate();
    const dk = registerDevice(w, { owner, certFingerprint: fakeFingerprint(40) });
    const vendor = findPartnerPda({ authority: w.vendor.publicKey })[0];
    const buyer = Keypair.generate();
    const stranger = Keypair.generate();

    expectRegistryError(
      w.rt,
      deviceOwnerTransferInstructions({
        deviceKey: dk.publicKey,
        owner: stranger.publicKey,
        newOwner: buyer.publicKey,
      }),
      [stranger],
      'Unauthorized',
    );
    send(
      w.rt,
      deviceOwnerTransferInstructions({ deviceKey: dk.publicKey, owner: owner.publicKey, newOwner: buyer.publicKey }),
      [owner],
    );
    // Only a proposal until the buyer accepts.
    expect((await fetchDevice(w.rt, { deviceKey: dk.publicKey }))!.owner.equals(owner.publicKey)).to.equal(true);
    send(w.rt, deviceClaimInstructions({ deviceKey: dk.publicKey, newOwner: buyer.publicKey }), [buyer]);
    expect((await fetchDevice(w.rt, { deviceKey: dk.publicKey }))!.owner.equals(buyer.publicKey)).to.equal(true);

    send(
      w.rt,
      deviceCapabilitiesUpdateInstructions({
        vendorAuthority: w.vendor.publicKey,
        deviceKey: dk.publicKey,
        capabilities: { ...CAPS, maxExportW: 7000 },
      }),
      [w.vendor],
    );
    expect((await fetchDevice(w.rt, { deviceKey: dk.publicKey }))!.capabilities.maxExportW).to.equal(7000);

    const status = (authority: Keypair, s: 'active' | 'suspended' | 'revoked') =>
      deviceStatusSetInstructions({ authority: authority.publicKey, vendor, deviceKey: dk.publicKey, status: s });
    expectRegistryError(w.rt, status(stranger, 'revoked'), [stranger], 'Unauthorized');
    send(w.rt, status(w.vendor, 'suspended'), [w.vendor]);
    send(w.rt, status(w.vendor, 'active'), [w.vendor]);
    send(w.rt, status(w.admin, 'revoked'), [w.admin]);
    expect((await fetchDevice(w.rt, { deviceKey: dk.publicKey }))!.status).to.equal('revoked');

    // Revoked device use is rejected everywhere.
    expectRegistryError(w.rt, status(w.admin, 'active'), [w.admin], 'InvalidStatusTransition');
    expectRegistryError(
      w.rt,
      deviceOwnerTransferInstructions({ deviceKey: dk.publicKey, owner: buyer.publicKey, newOwner: owner.publicKey }),
      [buyer],
      'DeviceNotActive',
    );
    expectRegistryError(
      w.rt,
      nameRegisterInstructions({
        target: findDevicePda({ deviceKey: dk.publicKey })[0],
        authority: buyer.publicKey,
        payer: w.rt.payer.publicKey,
        name: 'revoked',
      }),
      [buyer],
      'DeviceNotActive',
    );
    const fresh = Keypair.generate();
    const reuse = w.rt.tryInstructions(registerIxs(w, fresh.publicKey, fakeFingerprint(40)), [w.vendor, fresh]);
    expect(reuse.err?.customCode).to.equal(SYSTEM_ACCOUNT_ALREADY_IN_USE);
  });

  it('rejects type cosplay: a Partner passed as a Device', () => {
    const w = world();
    const owner = Keypair.generate();
    const dk = registerDevice(w, { owner, certFingerprint: fakeFingerprint(50) });
    const ixs = deviceOwnerTransferInstructions({
      deviceKey: dk.publicKey,
      owner: owner.publicKey,
      newOwner: Keypair.generate().publicKey,
    });
    ixs[0].keys[0].pubkey = findPartnerPda({ authority: w.vendor.publicKey })[0];
    expectCustomCode(w.rt, ixs, [owner], ANCHOR_DISCRIMINATOR_MISMATCH);
  });
});
