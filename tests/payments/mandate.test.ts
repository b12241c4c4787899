import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  fetchMandate,
  fetchTokenAmount,
  findMandatePda,
  mandateCreateInstructions,
  mandateRevokeInstructions,
  findPartnerPda,
  parsePaymentsError,
  partnerRegisterInstructions,
} from '@openvpp/sdk/web3';

import { HOUR, MIDNIGHT, USDC, reading, settlementWorld } from '../utils/payments';

const errorName = (outcome: unknown) => parsePaymentsError(outcome)?.errorName;

describe('payments: settlement mandates (owner-capped, revocable billing)', () => {
  it('refuses to bill an owner without a mandate; export-only readings need none', async () => {
    const s = settlementWorld({ mandate: false, escrow: USDC });
    expect(await fetchMandate(s.rt, { owner: s.owner.publicKey, device: s.device })).to.equal(null);
    // The delegate is approved, but approval alone no longer lets anyone bill the owner.
    const missing = s.rt.tryInstructions(s.settle(reading(1n, 3n, 2_000n)));
    expect(errorName(missing)).to.equal('MandateRequired');
    // Another account in the mandate's place is no mandate of this owner, before any transfer.
    const other = s.rt.tryInstructions(s.settle(reading(1n, 3n, 2_000n), { mandate: Keypair.generate().publicKey }));
    expect(errorName(other)).to.equal('MandateRequired');
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(0n);
    // A reading that only exports bills nothing: no mandate needed.
    s.rt.processInstructions(s.settle(reading(1n, 3n, 0n, 1_000n)));
    expect(await fetchTokenAmount(s.rt, s.ownerUsde)).to.equal(100n * USDC + 50_000n);
  });

  it('bills only the utility the mandate names', async () => {
    const s = settlementWorld({ mandate: false });
    const other = Keypair.generate();
    s.rt.processInstructions(
      partnerRegisterInstructions({
        authority: s.reg.admin.publicKey,
        partnerAuthority: other.publicKey,
        payer: s.rt.payer.publicKey,
        kind: 'utility',
        name: 'Othergrid',
      }),
      [s.reg.admin, other],
    );
    s.rt.processInstructions(
      mandateCreateInstructions({
        device: s.device,
        owner: s.owner.publicKey,
        utility: findPartnerPda({ authority: other.publicKey })[0],
        payer: s.rt.payer.publicKey,
        maxPerPeriod: 10n * USDC,
        periodSecs: 86_400,
        maxTotal: 10n * USDC,
      }),
      [s.owner],
    );
    // The tariff's utility is not the one the owner mandated.
    expect(errorName(s.rt.tryInstructions(s.settle(reading(1n, 1n, 1_000n))))).to.equal('MandateRequired');
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(0n);
  });

  it('bills within the per-period and lifetime caps only', async () => {
    const s = settlementWorld({ mandate: { maxPerPeriod: 300_000n, periodSecs: 86_400, maxTotal: 500_000n } });
    const m0 = await fetchMandate(s.rt, { owner: s.owner.publicKey, device: s.device });
    expect(m0).to.include({ maxPerPeriod: 300_000n, periodSecs: 86_400, maxTotal: 500_000n, spentTotal: 0n });
    expect(m0!.utility.equals(s.utilityPda)).to.equal(true);

    s.rt.processInstructions(s.settle(reading(1n, 1n, 2_000n))); // 0.2 USDE
    // 0.15 more would make 0.35 in this period: over the 0.3 cap.
    const overPeriod = s.rt.tryInstructions(s.settle(reading(2n, 2n, 1_500n)));
    expect(errorName(overPeriod)).to.equal('MandateCapExceeded');
    expect((await fetchMandate(s.rt, { owner: s.owner.publicKey, device: s.device }))?.spentInPeriod).to.equal(
      200_000n,
    );
    // A day later the period has rolled over.
    s.rt.setUnixTimestamp(MIDNIGHT + 2n * 86_400n + HOUR);
    s.rt.processInstructions(s.settle(reading(2n, 2n, 1_500n)));
    const m1 = await fetchMandate(s.rt, { owner: s.owner.publicKey, device: s.device });
    expect(m1).to.include({ spentInPeriod: 150_000n, spentTotal: 350_000n });
    // 0.2 more would make 0.55 over the mandate's life: over the 0.5 lifetime cap.
    const overTotal = s.rt.tryInstructions(s.settle(reading(3n, 3n, 2_000n)));
    expect(errorName(overTotal)).to.equal('MandateCapExceeded');
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(350_000n);
  });

  it('refuses invalid caps and mandates from anyone but the owner', async () => {
    const s = settlementWorld({ mandate: false });
    const create = (owner: Keypair, caps: { maxPerPeriod: bigint; periodSecs: number; maxTotal: bigint }) =>
      s.rt.tryInstructions(
        mandateCreateInstructions({
          device: s.device,
          owner: owner.publicKey,
          utility: s.utilityPda,
          payer: s.rt.payer.publicKey,
          ...caps,
        }),
        [owner],
      );
    expect(errorName(create(s.owner, { maxPerPeriod: 0n, periodSecs: 86_400, maxTotal: 1n }))).to.equal(
      'InvalidMandate',
    );
    expect(errorName(create(s.owner, { maxPerPeriod: 1n, periodSecs: 367 * 86_400, maxTotal: 1n }))).to.equal(
      'InvalidMandate',
    );
    const stranger = Keypair.generate();
    s.rt.airdrop(stranger.publicKey, 1_000_000_000n);
    expect(errorName(create(stranger, { maxPerPeriod: 1n, periodSecs: 86_400, maxTotal: 1n }))).to.equal(
      'Unauthorized',
    );
  });

  it('stops all billing at once when the owner revokes', async () => {
    const s = settlementWorld();
    s.rt.processInstructions(s.settle(reading(1n, 1n, 1_000n)));
    const mandate = findMandatePda({ owner: s.owner.publicKey, device: s.device })[0];
    // Only the owner can revoke.
    const stranger = Keypair.generate();
    const notOwner = s.rt.tryInstructions(mandateRevokeInstructions({ device: s.device, owner: stranger.publicKey }), [
      stranger,
    ]);
    expect(notOwner.err).to.not.equal(null);
    expect(s.rt.getAccount(mandate)).to.not.equal(null);

    s.rt.processInstructions(mandateRevokeInstructions({ device: s.device, owner: s.owner.publicKey }), [s.owner]);
    expect(await fetchMandate(s.rt, { owner: s.owner.publicKey, device: s.device })).to.equal(null);
    const paid = await fetchTokenAmount(s.rt, s.treasury);
    expect(errorName(s.rt.tryInstructions(s.settle(reading(2n, 2n, 1_000n))))).to.equal('MandateRequired');
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(paid);
  });
});
