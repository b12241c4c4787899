// Round-3 payments regressions from the client's side: settlement only inside an approved
// relationship (a tariff binding opened from an enrollment of the tariff's utility), ownership
// epochs across a device sale, tariff revisions kept by id for the settlement window, export
// debt per (tariff, device), the export cap per period, and the escrow withdrawal notice.
// Each assertion is one the programs before these changes fail (no bindings, one previous
// revision, debt per meter, no cap, no withdrawal, mandates valid across owners).
import { Keypair, PublicKey } from '@solana/web3.js';
import { expect } from 'chai';

import {
  EXPORT_WITHDRAW_NOTICE_SECS,
  type MeterReading,
  type TariffInterval,
  billedOwner,
  cappedExportCredit,
  deviceClaimInstructions,
  deviceOwnerTransferInstructions,
  enrollmentRevokeInstructions,
  exportOwedTo,
  fetchDevice,
  fetchMeter,
  fetchTariff,
  fetchTariffBinding,
  fetchTariffRevision,
  fetchTokenAmount,
  findExportVaultPda,
  findMandatePda,
  findPartnerPda,
  findTariffPda,
  findUsdeAccount,
  mandateCreateInstructions,
  meterExportClaimInstructions,
  meterGapInstructions,
  meterSettleInstructions,
  parsePaymentsError,
  parsePaymentsEvents,
  partnerRegisterInstructions,
  quoteReading,
  tariffBindInstructions,
  tariffCreateInstructions,
  tariffExportFundInstructions,
  tariffExportWithdrawInstructions,
  tariffExportWithdrawRequestInstructions,
  tariffUpdateInstructions,
  usdeWrapInstructions,
} from '@openvpp/sdk/web3';
import { createTariffProgram, fundOwner, mintUsdc } from '@openvpp/testing';

import {
  EXPORT_CAP,
  HOUR,
  INTERVALS,
  MIDNIGHT,
  SETTLEMENT_WINDOW_SECS,
  USDC,
  reading,
  settlementWorld,
} from '../utils/payments';

const errorName = (outcome: unknown) => parsePaymentsError(outcome)?.errorName;
const DAY = 86_400n;
/** The `ReadingSettled` events of a transaction's logs. */
const settledEvents = (logs: string[]) =>
  parsePaymentsEvents(logs)
    .filter((e) => e.name === 'ReadingSettled')
    .map((e) => e.data as Record<string, unknown>);

type World = ReturnType<typeof settlementWorld>;

/** A second utility ("Othergrid") with its own funded tariff 1 and treasury. */
function secondUtility(s: World, escrow: bigint) {
  const { rt } = s;
  const payer = rt.payer.publicKey;
  const other = Keypair.generate();
  rt.processInstructions(
    partnerRegisterInstructions({
      authority: s.reg.admin.publicKey,
      partnerAuthority: other.publicKey,
      payer,
      kind: 'utility',
      name: 'Othergrid',
    }),
    [s.reg.admin, other],
  );
  const otherPda = findPartnerPda({ authority: other.publicKey })[0];
  mintUsdc(rt, { usdcMint: s.usdcMint, owner: other.publicKey, amount: escrow });
  rt.airdrop(other.publicKey, 1_000_000_000n);
  rt.processInstructions(usdeWrapInstructions({ user: other.publicKey, usdcMint: s.usdcMint, amount: escrow }), [
    other,
  ]);
  rt.processInstructions(
    tariffCreateInstructions({
      utility: otherPda,
      authority: other.publicKey,
      payer,
      tariffId: 1,
      effectiveFrom: MIDNIGHT,
      intervals: INTERVALS,
      intervalSecs: 3_600,
      settlementWindowSecs: SETTLEMENT_WINDOW_SECS,
      exportCap: EXPORT_CAP,
    }),
    [other],
  );
  const tariff = findTariffPda({ utility: otherPda, tariffId: 1 })[0];
  rt.processInstructions(tariffExportFundInstructions({ tariff, funder: other.publicKey, amount: escrow }), [other]);
  return { other, otherPda, tariff, treasury: findUsdeAccount({ owner: other.publicKey }) };
}

describe('payments: relationships, ownership epochs, revisions by id, per-tariff debt, caps, withdrawals', () => {
  it("refuses settlement against a utility the device is not enrolled with, and after the enrollment's revocation", async () => {
    const s = settlementWorld({ escrow: USDC });
    const b = secondUtility(s, USDC);
    const bVault = findExportVaultPda({ tariff: b.tariff })[0];
    expect(await fetchTokenAmount(s.rt, bVault)).to.equal(USDC);
    // Enrolled (and bound) with utility A only: an export reading against B's tariff is refused,
    // whichever enrollment is offered, and B's escrow pays nothing.
    const againstB = (r: MeterReading, program = s.program) =>
      meterSettleInstructions({
        device: s.device,
        deviceKey: s.deviceKey.publicKey,
        owner: s.owner.publicKey,
        tariff: b.tariff,
        program,
        utility: b.otherPda,
        utilityTreasury: b.treasury,
        reading: r,
        deviceSecretKey: s.deviceKey.secretKey,
      });
    const before = await fetchTokenAmount(s.rt, s.ownerUsde);
    expect(errorName(s.rt.tryInstructions(againstB(reading(1n, 1n, 0n, 2_000n))))).to.equal('NotEnrolled');
    // A binding to B's tariff cannot be opened by anyone but B, nor by B from the enrollment
    // with A.
    const bindAs = (authority: Keypair) =>
      s.rt.tryInstructions(
        tariffBindInstructions({
          tariff: b.tariff,
          authority: authority.publicKey,
          device: s.device,
          program: s.program,
          payer: s.rt.payer.publicKey,
        }),
        [authority],
      );
    expect(errorName(bindAs(s.owner))).to.equal('Unauthorized');
    expect(errorName(bindAs(b.other))).to.equal('EnrollmentMismatch');
    // Nor from an enrollment in a program of B the device never joined.
    const bProgram = createTariffProgram(s.rt, { utility: b.other, utilityPda: b.otherPda, utilityProgramId: 9 });
    expect(errorName(s.rt.tryInstructions(againstB(reading(1n, 1n, 0n, 2_000n), bProgram)))).to.equal('NotEnrolled');
    expect(await fetchTariffBinding(s.rt, { tariff: b.tariff, device: s.device })).to.equal(null);
    expect(await fetchTokenAmount(s.rt, bVault)).to.equal(USDC);
    expect(await fetchTokenAmount(s.rt, s.ownerUsde)).to.equal(before);

    // A device with no enrollment at all (bound to nothing) is refused against A's tariff too.
    const unbound = settlementWorld({ bind: false, escrow: USDC });
    expect(errorName(unbound.rt.tryInstructions(unbound.settle(reading(1n, 1n, 0n, 2_000n))))).to.equal('NotEnrolled');

    // Inside the relationship with A: settles; once A revokes the enrollment, the next reading
    // is refused at once (the binding re-reads the enrollment) and A's escrow pays nothing more.
    const aVault = findExportVaultPda({ tariff: s.tariff })[0];
    s.rt.processInstructions(s.settle(reading(1n, 1n, 0n, 2_000n)));
    expect(await fetchTokenAmount(s.rt, aVault)).to.equal(USDC - 100_000n);
    s.rt.processInstructions(
      enrollmentRevokeInstructions({ program: s.program, device: s.device, authority: s.utility.publicKey }),
      [s.utility],
    );
    expect(errorName(s.rt.tryInstructions(s.settle(reading(2n, 2n, 0n, 2_000n))))).to.equal('NotEnrolled');
    expect(errorName(s.rt.tryInstructions(s.settle(reading(2n, 2n, 1_000n))))).to.equal('NotEnrolled');
    expect(await fetchTokenAmount(s.rt, aVault)).to.equal(USDC - 100_000n);
    expect((await fetchMeter(s.rt, { device: s.device }))?.lastSeq).to.equal(1n);
  });

  it("settles a sold device's backlog to the seller while the buyer settles at once; mandates bill one epoch only", async () => {
    const s = settlementWorld(); // escrow empty: the seller's export credit is owed, then claimed
    const { rt } = s;
    const seller = s.owner;
    const buyer = Keypair.generate();
    const usde = (o: PublicKey) => fetchTokenAmount(rt, findUsdeAccount({ owner: o }));
    // The seller's first hour settles; hours 2 (import) and 3 (export) are still unsettled.
    rt.processInstructions(s.settle(reading(1n, 1n, 1_000n)));

    // The sale: proposed by the seller, claimed by the buyer at MIDNIGHT + 1 day.
    rt.processInstructions(
      deviceOwnerTransferInstructions({
        deviceKey: s.deviceKey.publicKey,
        owner: seller.publicKey,
        newOwner: buyer.publicKey,
      }),
      [seller],
    );
    rt.airdrop(buyer.publicKey, 1_000_000_000n);
    rt.processInstructions(deviceClaimInstructions({ deviceKey: s.deviceKey.publicKey, newOwner: buyer.publicKey }), [
      buyer,
    ]);
    const device = (await fetchDevice(rt, { deviceKey: s.deviceKey.publicKey }))!;
    expect(device).to.include({ ownerEpoch: 2, ownerSince: MIDNIGHT + DAY, prevOwnerSince: MIDNIGHT });
    expect(device.owner.equals(buyer.publicKey) && device.prevOwner.equals(seller.publicKey)).to.equal(true);
    expect(billedOwner(device, MIDNIGHT + 2n * HOUR)?.equals(seller.publicKey)).to.equal(true);
    expect(billedOwner(device, MIDNIGHT + DAY)?.equals(buyer.publicKey)).to.equal(true);
    expect(billedOwner(device, MIDNIGHT - HOUR)).to.equal(null);

    rt.setUnixTimestamp(MIDNIGHT + DAY + 2n * HOUR);
    // The buyer has USDE and approved the delegate, but granted no mandate yet.
    fundOwner(rt, { owner: buyer, usdcMint: s.usdcMint, amount: 10n * USDC, lamports: 0n });
    const asBuyer = (r: MeterReading, billTo?: PublicKey, mandate?: PublicKey) =>
      meterSettleInstructions({
        device: s.device,
        deviceKey: s.deviceKey.publicKey,
        owner: buyer.publicKey,
        billTo,
        mandate,
        tariff: s.tariff,
        program: s.program,
        utility: s.utilityPda,
        utilityTreasury: s.treasury,
        reading: r,
        deviceSecretKey: s.deviceKey.secretKey,
      });
    const buyersFirst = reading(4n, 24n, 1_000n);
    expect(errorName(rt.tryInstructions(asBuyer(buyersFirst)))).to.equal('MandateRequired');
    // The seller's hour cannot be billed to the buyer's account.
    expect(errorName(rt.tryInstructions(asBuyer(reading(2n, 2n, 2_000n))))).to.equal('OwnerAccountMismatch');

    rt.processInstructions(
      mandateCreateInstructions({
        device: s.device,
        owner: buyer.publicKey,
        utility: s.utilityPda,
        payer: rt.payer.publicKey,
        maxPerPeriod: 5n * USDC,
        periodSecs: 86_400,
        maxTotal: 5n * USDC,
      }),
      [buyer],
    );
    // The seller's hour is not billed through the buyer's mandate either (a foreign mandate).
    const buyersMandate = findMandatePda({ owner: buyer.publicKey, device: s.device })[0];
    expect(errorName(rt.tryInstructions(asBuyer(reading(2n, 2n, 2_000n), seller.publicKey, buyersMandate)))).to.equal(
      'MandateRequired',
    );
    // The buyer's first reading settles at once, ahead of the seller's backlog.
    const [seller0, buyer0] = [await usde(seller.publicKey), await usde(buyer.publicKey)];
    let out = rt.processInstructions(asBuyer(buyersFirst));
    expect(String(settledEvents(out.logs)[0].owner)).to.equal(buyer.publicKey.toBase58());
    expect(settledEvents(out.logs)[0].epoch).to.equal(2);
    expect(await usde(buyer.publicKey)).to.equal(buyer0 - 100_000n);
    expect(await usde(seller.publicKey)).to.equal(seller0);

    // The seller's backlog settles to the seller: its import billed to the seller's mandate,
    // its export credit owed to the seller; the buyer's balance is untouched.
    const treasury0 = await fetchTokenAmount(rt, s.treasury);
    out = rt.processInstructions(asBuyer(reading(2n, 2n, 2_000n), seller.publicKey));
    expect(settledEvents(out.logs)[0]).to.include({ epoch: 1 });
    expect(String(settledEvents(out.logs)[0].owner)).to.equal(seller.publicKey.toBase58());
    expect(await usde(seller.publicKey)).to.equal(seller0 - 200_000n);
    expect(await fetchTokenAmount(rt, s.treasury)).to.equal(treasury0 + 200_000n);
    out = rt.processInstructions(asBuyer(reading(3n, 3n, 0n, 2_000n), seller.publicKey));
    expect(String(settledEvents(out.logs)[0].export_owed)).to.equal('100000');
    expect(await usde(buyer.publicKey)).to.equal(buyer0 - 100_000n);
    const binding = (await fetchTariffBinding(rt, { tariff: s.tariff, device: s.device }))!;
    expect(exportOwedTo(binding, seller.publicKey)).to.equal(100_000n);
    expect(exportOwedTo(binding, buyer.publicKey)).to.equal(0n);
    const meter = (await fetchMeter(rt, { device: s.device }))!;
    expect(meter).to.include({ epoch: 2, lastSeq: 4n, fresh: false });
    expect(meter.backlog).to.include({ epoch: 1, lastSeq: 3n, endSeq: 4n });

    // The seller's credit is paid to the seller after a refill; the buyer is owed nothing.
    s.fundUtility(USDC);
    s.fundEscrow(USDC);
    const claim = (owner: PublicKey) =>
      rt.tryInstructions(meterExportClaimInstructions({ device: s.device, owner, tariff: s.tariff }));
    expect(errorName(claim(buyer.publicKey))).to.equal('NothingOwed');
    expect(claim(seller.publicKey).err).to.equal(null);
    expect(await usde(seller.publicKey)).to.equal(seller0 - 200_000n + 100_000n);
    expect(await usde(buyer.publicKey)).to.equal(buyer0 - 100_000n);

    // The device returns to the seller: the seller's mandate of the first epoch bills nothing.
    rt.processInstructions(
      deviceOwnerTransferInstructions({
        deviceKey: s.deviceKey.publicKey,
        owner: buyer.publicKey,
        newOwner: seller.publicKey,
      }),
      [buyer],
    );
    rt.processInstructions(deviceClaimInstructions({ deviceKey: s.deviceKey.publicKey, newOwner: seller.publicKey }), [
      seller,
    ]);
    expect((await fetchDevice(rt, { deviceKey: s.deviceKey.publicKey }))?.ownerEpoch).to.equal(3);
    rt.setUnixTimestamp(MIDNIGHT + DAY + 4n * HOUR);
    const treasury1 = await fetchTokenAmount(rt, s.treasury);
    expect(errorName(rt.tryInstructions(s.settle(reading(5n, 26n, 1_000n))))).to.equal('MandateRequired');
    expect(await fetchTokenAmount(rt, s.treasury)).to.equal(treasury1);
  });

  it('settles a reading signed two revisions back at its prices within the window, not after', async () => {
    const s = settlementWorld();
    const now = MIDNIGHT + DAY;
    const prices = (p: bigint): TariffInterval[] => [{ startMinute: 0, importPrice: p, exportPrice: p / 2n }];
    const update = (latestRevision: number, effectiveFrom: bigint, p: bigint) =>
      s.rt.processInstructions(
        tariffUpdateInstructions({
          tariff: s.tariff,
          authority: s.utility.publicKey,
          latestRevision,
          payer: s.rt.payer.publicKey,
          effectiveFrom,
          intervals: prices(p),
          exportCap: EXPORT_CAP,
        }),
        [s.utility],
      );
    update(1, now + HOUR, 200_000n);
    update(2, now + 2n * HOUR, 300_000n);
    expect(await fetchTariff(s.rt, { address: s.tariff })).to.include({ revision: 3, effectiveFrom: now + 2n * HOUR });
    const rev1 = (await fetchTariffRevision(s.rt, { tariff: s.tariff, revision: 1 }))!;
    const rev2 = (await fetchTariffRevision(s.rt, { tariff: s.tariff, revision: 2 }))!;
    expect(rev1.supersededAt).to.equal(now + HOUR);
    expect(rev2).to.include({ effectiveFrom: now + HOUR, supersededAt: now + 2n * HOUR });

    s.rt.setUnixTimestamp(now + 3n * HOUR);
    // Signed for revision 1 (hour 5, off-peak 0.10/kWh), unsettled through both updates.
    const old = reading(1n, 5n, 1_000n);
    const at = { now: now + 3n * HOUR, settlementWindowSecs: SETTLEMENT_WINDOW_SECS };
    expect(quoteReading(rev1, old, { at })?.amount).to.equal(100_000n);
    s.rt.processInstructions(s.settle(old));
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(100_000n);

    // After revision 1's window (from its supersession), its readings no longer settle.
    const closes = rev1.supersededAt + BigInt(SETTLEMENT_WINDOW_SECS);
    const late = reading(2n, 6n, 1_000n);
    s.rt.setUnixTimestamp(closes - 1n);
    expect(quoteReading(rev1, late, { at: { ...at, now: closes - 1n } })).to.not.equal(null);
    s.rt.setUnixTimestamp(closes);
    expect(quoteReading(rev1, late, { at: { ...at, now: closes } })).to.equal(null);
    expect(errorName(s.rt.tryInstructions(s.settle(late)))).to.equal('TariffRevisionExpired');
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(100_000n);

    // The reading after it (revision 3) waits behind it, until the device itself declares
    // reading 2 void (`meter_gap`); a gap signed by any other key is refused.
    const next = { ...reading(3n, (now - MIDNIGHT) / HOUR + 3n, 1_000n), revision: 3 };
    expect(errorName(s.rt.tryInstructions(s.settle(next)))).to.equal('ReadingOutOfOrder');
    const gap = (key: Keypair) =>
      meterGapInstructions({
        device: s.device,
        deviceKey: key.publicKey,
        fromSeq: 2n,
        toSeq: 3n,
        deviceSecretKey: key.secretKey,
      });
    const forged = [gap(Keypair.generate())[0], gap(s.deviceKey)[1]];
    expect(errorName(s.rt.tryInstructions(forged))).to.equal('WrongSigner');
    s.rt.processInstructions(gap(s.deviceKey));
    s.rt.processInstructions(s.settle(next));
    expect((await fetchTokenAmount(s.rt, s.treasury)) > 100_000n).to.equal(true);
    expect(errorName(s.rt.tryInstructions(s.settle(late)))).to.equal('ReplayedReading');
  });

  it('keeps export debt per tariff: debt owed on tariff 1 does not block credit on tariff 2', async () => {
    const s = settlementWorld(); // tariff 1's escrow is empty
    const tariff2 = s.createTariff(2);
    s.rt.processInstructions(
      tariffBindInstructions({
        tariff: tariff2,
        authority: s.utility.publicKey,
        device: s.device,
        program: s.program,
        payer: s.rt.payer.publicKey,
      }),
      [s.utility],
    );
    s.fundUtility(USDC);
    s.fundEscrow(USDC, tariff2);
    const before = await fetchTokenAmount(s.rt, s.ownerUsde);
    let out = s.rt.processInstructions(s.settle(reading(1n, 1n, 0n, 2_000n)));
    const exportsOf = (logs: string[]) =>
      ['export_credit', 'export_paid', 'export_owed'].map((k) => String(settledEvents(logs)[0][k]));
    expect(exportsOf(out.logs)).to.deep.equal(['100000', '0', '100000']);
    // The next reading, against tariff 2, is credited and paid at once from tariff 2's escrow.
    out = s.rt.processInstructions(s.settle(reading(2n, 2n, 0n, 2_000n), { tariff: tariff2 }));
    expect(exportsOf(out.logs)).to.deep.equal(['100000', '100000', '0']);
    expect(await fetchTokenAmount(s.rt, s.ownerUsde)).to.equal(before + 100_000n);
    const [b1, b2] = await Promise.all(
      [s.tariff, tariff2].map((tariff) => fetchTariffBinding(s.rt, { tariff, device: s.device })),
    );
    expect(b1).to.include({ owedTotal: 100_000n, totalExportCredit: 100_000n, totalExportPaid: 0n });
    expect(b2).to.include({ owedTotal: 0n, totalExportCredit: 100_000n, totalExportPaid: 100_000n });
    expect(await fetchTokenAmount(s.rt, findExportVaultPda({ tariff: tariff2 })[0])).to.equal(USDC - 100_000n);
  });

  it("clips export credit at the revision's cap per device and period", async () => {
    const cap = { maxCredit: 150_000n, periodSecs: 86_400 };
    const s = settlementWorld({ escrow: USDC, exportCap: cap });
    expect((await fetchTariffRevision(s.rt, { tariff: s.tariff, revision: 1 }))?.exportCap).to.deep.equal(cap);
    const credits = (logs: string[]) => {
      const e = settledEvents(logs)[0];
      return [e.export_credit, e.export_clipped].map(String);
    };
    const before = await fetchTokenAmount(s.rt, s.ownerUsde);
    // 0.1 USDE earned per reading (2 kWh at 0.05): the day's cap of 0.15 admits 1.5 of them.
    expect(credits(s.rt.processInstructions(s.settle(reading(1n, 1n, 0n, 2_000n))).logs)).to.deep.equal([
      '100000',
      '0',
    ]);
    const rev1 = (await fetchTariffRevision(s.rt, { tariff: s.tariff, revision: 1 }))!;
    const binding = (await fetchTariffBinding(s.rt, { tariff: s.tariff, device: s.device }))!;
    const second = reading(2n, 2n, 0n, 2_000n);
    expect(quoteReading(rev1, second, { binding })).to.include({ exportCredit: 50_000n, exportClipped: 50_000n });
    expect(cappedExportCredit(binding, cap, second.intervalStart, 100_000n).granted).to.equal(50_000n);
    expect(credits(s.rt.processInstructions(s.settle(second)).logs)).to.deep.equal(['50000', '50000']);
    expect(credits(s.rt.processInstructions(s.settle(reading(3n, 3n, 0n, 2_000n))).logs)).to.deep.equal([
      '0',
      '100000',
    ]);
    // The next day is a new period.
    s.rt.setUnixTimestamp(MIDNIGHT + DAY + 2n * HOUR);
    expect(credits(s.rt.processInstructions(s.settle(reading(4n, 25n, 0n, 2_000n))).logs)).to.deep.equal([
      '100000',
      '0',
    ]);
    expect(await fetchTokenAmount(s.rt, s.ownerUsde)).to.equal(before + 250_000n);
    expect((await fetchTariffBinding(s.rt, { tariff: s.tariff, device: s.device }))?.owedTotal).to.equal(0n);
    // A cap period that is not a whole number of metering intervals is refused.
    const bad = s.rt.tryInstructions(
      tariffCreateInstructions({
        utility: s.utilityPda,
        authority: s.utility.publicKey,
        payer: s.rt.payer.publicKey,
        tariffId: 3,
        effectiveFrom: MIDNIGHT,
        intervals: INTERVALS,
        intervalSecs: 3_600,
        settlementWindowSecs: SETTLEMENT_WINDOW_SECS,
        exportCap: { maxCredit: 1n, periodSecs: 5_000 },
      }),
      [s.utility],
    );
    expect(errorName(bad)).to.equal('InvalidExportCap');
  });

  it('withdraws unused escrow only after the notice, and only by the tariff authority', async () => {
    const s = settlementWorld({ escrow: USDC });
    const { rt } = s;
    const vault = findExportVaultPda({ tariff: s.tariff })[0];
    const now = MIDNIGHT + DAY;
    const request = (amount: bigint, authority = s.utility) =>
      rt.tryInstructions(
        tariffExportWithdrawRequestInstructions({ tariff: s.tariff, authority: authority.publicKey, amount }),
        [authority],
      );
    const withdraw = () =>
      rt.tryInstructions(tariffExportWithdrawInstructions({ tariff: s.tariff, authority: s.utility.publicKey }), [
        s.utility,
      ]);
    expect(errorName(withdraw())).to.equal('WithdrawalNotReady'); // nothing requested
    expect(errorName(request(400_000n, s.reg.vendor))).to.equal('Unauthorized');
    expect(request(400_000n).err).to.equal(null);
    const ready = now + BigInt(EXPORT_WITHDRAW_NOTICE_SECS);
    expect(await fetchTariff(rt, { address: s.tariff })).to.include({
      withdrawAmount: 400_000n,
      withdrawReadyAt: ready,
    });
    expect(errorName(withdraw())).to.equal('WithdrawalNotReady');
    rt.setUnixTimestamp(ready - 1n);
    expect(errorName(withdraw())).to.equal('WithdrawalNotReady');
    expect(await fetchTokenAmount(rt, vault)).to.equal(USDC);

    rt.setUnixTimestamp(ready);
    const treasury0 = await fetchTokenAmount(rt, s.treasury);
    expect(withdraw().err).to.equal(null);
    expect(await fetchTokenAmount(rt, vault)).to.equal(USDC - 400_000n);
    expect(await fetchTokenAmount(rt, s.treasury)).to.equal(treasury0 + 400_000n);
    expect(await fetchTariff(rt, { address: s.tariff })).to.include({ withdrawAmount: 0n, withdrawReadyAt: 0n });
    expect(errorName(withdraw())).to.equal('WithdrawalNotReady'); // once per request

    // A cancelled request (amount 0) withdraws nothing, even after the notice.
    expect(request(100_000n).err).to.equal(null);
    expect(request(0n).err).to.equal(null);
    rt.setUnixTimestamp(ready + BigInt(EXPORT_WITHDRAW_NOTICE_SECS));
    expect(errorName(withdraw())).to.equal('WithdrawalNotReady');
    expect(await fetchTokenAmount(rt, vault)).to.equal(USDC - 400_000n);
  });
});
