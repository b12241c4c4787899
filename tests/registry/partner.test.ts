import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  ClientError,
  RegistryErrorCode,
  fetchCaIndex,
  fetchRegistryConfig,
  fetchNameRecord,
  fetchPartner,
  REGISTRY_PROGRAM_ID,
  findPartnerPda,
  findSkeletonPda,
  parseRegistryEvents,
  partnerCaAddInstructions,
  partnerCaRemoveInstructions,
  partnerRegisterInstructions,
  partnerStatusSetInstructions,
  configAuthoritySetInstructions,
} from '@openvpp/sdk/web3';

import {
  ANCHOR_ACCOUNT_NOT_INITIALIZED,
  ANCHOR_ACCOUNT_NOT_SIGNER,
  CA_FINGERPRINT,
  SYSTEM_ACCOUNT_ALREADY_IN_USE,
  expectCustomCode,
  expectRegistryError,
  send,
  world,
} from '../utils/harness';

describe('registry: config and partners', () => {
  it('onboards a vendor and a utility, readable through the SDK', async () => {
    const w = world();
    const config = await fetchRegistryConfig(w.rt);
    expect(config?.authority.equals(w.admin.publicKey)).to.equal(true);
    const vendor = await fetchPartner(w.rt, { authority: w.vendor.publicKey });
    expect(vendor).to.include({ kind: 'vendor', status: 'active', name: 'Acme Batteries' });
    expect(vendor!.caFingerprints.map((f) => Buffer.from(f).toString('hex'))).to.deep.equal([
      Buffer.from(CA_FINGERPRINT).toString('hex'),
    ]);
    const utility = await fetchPartner(w.rt, { authority: w.utility.publicKey });
    expect(utility?.kind).to.equal('utility');
    // Each partner's handle is reserved at onboarding.
    expect(vendor!.handle).to.equal('acme');
    const record = await fetchNameRecord(w.rt, { name: 'gridco' });
    expect(record).to.include({ targetKind: 'partner' });
    expect(record!.target.equals(utility!.address)).to.equal(true);
    expect(RegistryErrorCode.Unauthorized).to.equal(6000);
  });

  it('requires the protocol authority and the partner signature', () => {
    const w = world();
    const impostor = Keypair.generate();
    const newcomer = Keypair.generate();
    const payer = w.rt.payer.publicKey;
    const register = (authority: Keypair) =>
      partnerRegisterInstructions({
        authority: authority.publicKey,
        partnerAuthority: newcomer.publicKey,
        payer,
        kind: 'vendor',
        name: 'Newcomer',
      });
    expectRegistryError(w.rt, register(impostor), [impostor, newcomer], 'Unauthorized');

    const unsigned = register(w.admin);
    unsigned[0].keys[2].isSigner = false; // partner_authority
    expectCustomCode(w.rt, unsigned, [w.admin], ANCHOR_ACCOUNT_NOT_SIGNER);
    expect(w.rt.getAccount(findPartnerPda({ authority: newcomer.publicKey })[0])).to.equal(null);
  });

  it('rejects a duplicate partner and leaves the original untouched', async () => {
    const w = world();
    const outcome = w.rt.tryInstructions(
      partnerRegisterInstructions({
        authority: w.admin.publicKey,
        partnerAuthority: w.vendor.publicKey,
        payer: w.rt.payer.publicKey,
        kind: 'utility',
        name: 'Hijack',
      }),
      [w.admin, w.vendor],
    );
    expect(outcome.err?.customCode).to.equal(SYSTEM_ACCOUNT_ALREADY_IN_USE);
    expect((await fetchPartner(w.rt, { authority: w.vendor.publicKey }))?.name).to.equal('Acme Batteries');
  });

  it("refuses a handle that looks like an onboarded partner's (round 3, finding 2)", () => {
    const w = world();
    const newcomer = Keypair.generate();
    const register = (handle: string) =>
      partnerRegisterInstructions({
        authority: w.admin.publicKey,
        partnerAuthority: newcomer.publicKey,
        payer: w.rt.payer.publicKey,
        kind: 'utility',
        name: 'Look-alike',
        handle,
      });
    for (const handle of ['gr1dco', 'grldc0', 'gr-idco', 'acrne']) {
      expectRegistryError(w.rt, register(handle), [w.admin, newcomer], 'HandleConfusable');
    }
    expect(w.rt.getAccount(findPartnerPda({ authority: newcomer.publicKey })[0])).to.equal(null);
    // Onboarding records the handle's skeleton, so the handle's look-alikes are reserved.
    send(w.rt, register('metering'), [w.admin, newcomer]);
    expect(w.rt.getAccount(findSkeletonPda({ name: 'rnetering' })[0])?.owner.equals(REGISTRY_PROGRAM_ID)).to.equal(
      true,
    );
  });

  it('validates input client-side with typed errors before sending', () => {
    const k = Keypair.generate().publicKey;
    const base = { authority: k, partnerAuthority: k, payer: k, kind: 'vendor' as const };
    expect(() => partnerRegisterInstructions({ ...base, name: '' })).to.throw(ClientError, /InvalidPartnerName/);
    expect(() =>
      partnerRegisterInstructions({ ...base, name: 'x', caFingerprints: Array(9).fill(new Uint8Array(32).fill(1)) }),
    ).to.throw(ClientError, /TooManyCaFingerprints/);
    expect(() => partnerRegisterInstructions({ ...base, name: 'x', handle: 'two.labels' })).to.throw(
      ClientError,
      /InvalidHandle/,
    );
    expect(() =>
      partnerCaAddInstructions({ authority: k, partnerAuthority: k, payer: k, fingerprint: new Uint8Array(32) }),
    ).to.throw(ClientError, /InvalidFingerprint/);
  });

  it('manages CA roots and emits events', async () => {
    const w = world();
    const second = new Uint8Array(32).fill(9);
    const add = (fingerprint: Uint8Array) =>
      partnerCaAddInstructions({
        authority: w.admin.publicKey,
        partnerAuthority: w.vendor.publicKey,
        payer: w.rt.payer.publicKey,
        fingerprint,
      });
    const out = send(w.rt, add(second), [w.admin, w.vendor]);
    const events = parseRegistryEvents(out.logs);
    expect(events.map((e) => e.name)).to.deep.equal(['PartnerCaAdded']);
    const index = await fetchCaIndex(w.rt, { fingerprint: second });
    expect(index?.partner.equals(findPartnerPda({ authority: w.vendor.publicKey })[0])).to.equal(true);
    expectRegistryError(w.rt, add(second), [w.admin, w.vendor], 'CaFingerprintExists');
    const partner = findPartnerPda({ authority: w.vendor.publicKey })[0];
    const remove = () => partnerCaRemoveInstructions({ authority: w.vendor.publicKey, partner, fingerprint: second });
    send(w.rt, remove(), [w.vendor]);
    expect(await fetchCaIndex(w.rt, { fingerprint: second })).to.equal(null);
    expectCustomCode(w.rt, remove(), [w.vendor], ANCHOR_ACCOUNT_NOT_INITIALIZED);
    expect((await fetchPartner(w.rt, { authority: w.vendor.publicKey }))?.caFingerprints).to.have.length(1);
  });

  it('suspends, reinstates and terminally revokes partners (protocol authority only)', async () => {
    const w = world();
    const partner = findPartnerPda({ authority: w.utility.publicKey })[0];
    const set = (authority: Keypair, status: 'active' | 'suspended' | 'revoked') =>
      partnerStatusSetInstructions({ authority: authority.publicKey, partner, status });
    expectRegistryError(w.rt, set(w.utility, 'suspended'), [w.utility], 'Unauthorized');
    send(w.rt, set(w.admin, 'suspended'), [w.admin]);
    expect((await fetchPartner(w.rt, { address: partner }))?.status).to.equal('suspended');
    send(w.rt, set(w.admin, 'active'), [w.admin]);
    const out = send(w.rt, set(w.admin, 'revoked'), [w.admin]);
    expect(parseRegistryEvents(out.logs)[0]).to.include({ name: 'PartnerStatusChanged' });
    expectRegistryError(w.rt, set(w.admin, 'active'), [w.admin], 'InvalidStatusTransition');
  });

  it('hands the protocol authority over only when both keys sign', async () => {
    const w = world();
    const next = Keypair.generate();
    const ixs = configAuthoritySetInstructions({ authority: w.admin.publicKey, newAuthority: next.publicKey });
    ixs[0].keys[2].isSigner = false;
    expectCustomCode(w.rt, ixs, [w.admin], ANCHOR_ACCOUNT_NOT_SIGNER);
    send(w.rt, configAuthoritySetInstructions({ authority: w.admin.publicKey, newAuthority: next.publicKey }), [
      w.admin,
      next,
    ]);
    expect((await fetchRegistryConfig(w.rt))?.authority.equals(next.publicKey)).to.equal(true);
  });
});
