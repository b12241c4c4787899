import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  alignInterval,
  drEventCloseInstructions,
  drEventCreateInstructions,
  drRewardPayInstructions,
  energyCapWh,
  exportCredit,
  fetchDrEvent,
  fetchMeter,
  fetchTariff,
  fetchTariffRevision,
  fetchTariffRevisionAt,
  fetchTokenAmount,
  findDrEventPda,
  meterSettleBatchInstructions,
  PAYMENTS_PROGRAM_ID,
  parsePaymentsError,
  parsePaymentsEvents,
  parseRegistryEvents,
  quoteReading,
  readingMessage,
  REVISION_IN_FORCE,
  rewardAmount,
  settlementAmount,
  tariffPriceAt,
  tariffRevisionFor,
  tariffUpdateInstructions,
  type TariffInterval,
} from '@openvpp/sdk/web3';

import { CAPS } from '../utils/harness';
import { EXPORT_CAP, HOUR, MIDNIGHT, SETTLEMENT_WINDOW_SECS, USDC, reading, settlementWorld } from '../utils/payments';
import { createHash } from 'node:crypto';

const errorName = (outcome: unknown) => parsePaymentsError(outcome)?.errorName;

describe('payments: tariffs, signed meter readings, demand-response rewards', () => {
  it('quotes with the program formulas and signs the v3 reading layout', () => {
    // The vectors of math.rs's unit tests.
    expect(energyCapWh(11_000, 3_600)).to.equal(11_000n);
    expect(energyCapWh(11_000, 900)).to.equal(2_750n);
    expect(energyCapWh(5_000, 300)).to.equal(416n);
    expect(energyCapWh(0xffffffff, 86_400)).to.equal(0xffffffffn * 24n);
    expect(energyCapWh(0, 900)).to.equal(0n);
    expect(exportCredit(2_500n, 400_000n)).to.equal(1_000_000n);
    expect(exportCredit(999n, 1n)).to.equal(0n); // rounded down: the escrow's favour
    expect(settlementAmount(1n, 1n)).to.equal(1n); // rounded up: the utility's favour
    expect(alignInterval(MIDNIGHT + 3_599n, 900)).to.equal(MIDNIGHT + 2_700n);
    // sha256(domain || program || device || tariff) || revision u32 || seq || start || import || export
    const key = Keypair.generate().publicKey;
    const msg = readingMessage({ deviceKey: key, tariff: key, reading: reading(7n, 1n, 5n, 6n, 3) });
    const context = createHash('sha256')
      .update(
        Buffer.concat([
          Buffer.from('OVPP/meter-reading/v3'),
          PAYMENTS_PROGRAM_ID.toBuffer(),
          key.toBuffer(),
          key.toBuffer(),
        ]),
      )
      .digest();
    expect(msg.subarray(0, 32).equals(context)).to.equal(true);
    expect(msg.length).to.equal(32 + 4 + 4 * 8);
    expect(msg.readUInt32LE(32)).to.equal(3);
    expect(msg.readBigUInt64LE(36)).to.equal(7n);
    expect(msg.readBigInt64LE(44)).to.equal(MIDNIGHT + HOUR);
  });

  it('settles a batch of consecutive readings in one transaction', async () => {
    // Two readings fit a legacy transaction; three and more need a v0 transaction with an
    // address lookup table (measured in the bench and in settlement.rs).
    const s = settlementWorld();
    const batch = (readings: ReturnType<typeof reading>[]) =>
      meterSettleBatchInstructions({
        device: s.device,
        deviceKey: s.deviceKey.publicKey,
        owner: s.owner.publicKey,
        tariff: s.tariff,
        program: s.program,
        utility: s.utilityPda,
        utilityTreasury: s.treasury,
        readings,
        deviceSecretKey: s.deviceKey.secretKey,
      });
    const two = [0n, 1n].map((i) => reading(1n + i, 3n + i, 1_000n));
    const gap = [two[0], { ...two[1], seq: 9n }];
    expect(errorName(s.rt.tryInstructions(batch(gap)))).to.equal('ReadingOutOfOrder');
    // All readings of a batch are signed for one revision (one revision account).
    expect(() => batch([two[0], { ...two[1], revision: 2 }])).to.throw(/same tariff revision/);
    const out = s.rt.processInstructions(batch(two));
    const settled = parsePaymentsEvents(out.logs).filter((e) => e.name === 'ReadingSettled');
    expect(settled.length).to.equal(2);
    const meter = await fetchMeter(s.rt, { device: s.device });
    expect(meter).to.include({ lastSeq: 2n, totalImportWh: 2_000n, totalPaid: 200_000n });
    // Single readings continue the sequence.
    s.rt.processInstructions(s.settle(reading(3n, 7n, 100n)));
  });

  it('settles device-signed readings at the tariff price, exactly once', async () => {
    const s = settlementWorld();
    const tariff = await fetchTariff(s.rt, { address: s.tariff });
    expect(tariff).to.include({ revision: 1, intervalSecs: 3_600, settlementWindowSecs: SETTLEMENT_WINDOW_SECS });
    expect(tariffPriceAt(tariff!.intervals, MIDNIGHT + 18n * HOUR)).to.equal(300_000n);
    const rev1 = (await fetchTariffRevision(s.rt, { tariff: s.tariff, revision: 1 }))!;
    expect(rev1).to.include({ revision: 1, effectiveFrom: MIDNIGHT, supersededAt: REVISION_IN_FORCE });
    expect(rev1.exportCap).to.deep.equal(EXPORT_CAP);

    // Submitted by a relayer (the runtime payer): the device signature is the authorisation.
    s.rt.processInstructions(s.settle(reading(1n, 3n, 2_000n)));
    const out = s.rt.processInstructions(s.settle(reading(2n, 18n, 1_500n)));
    const expected = settlementAmount(2_000n, 100_000n) + settlementAmount(1_500n, 300_000n);
    expect(expected).to.equal(650_000n);
    expect(quoteReading(rev1, reading(2n, 18n, 1_500n))?.amount).to.equal(450_000n);
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(expected);
    expect(await fetchTokenAmount(s.rt, s.ownerUsde)).to.equal(100n * USDC - expected);
    const settled = parsePaymentsEvents(out.logs).find((e) => e.name === 'ReadingSettled');
    expect(settled?.data.revision).to.equal(1);
    expect(String(settled?.data.amount)).to.equal('450000');
    // The event carries the bill line's band and prices, as the SDK quote computes them.
    const quote = quoteReading(rev1, reading(2n, 18n, 1_500n))!;
    expect(settled?.data.band_start_minute)
      .to.equal(quote.bandStartMinute)
      .and.to.equal(17 * 60);
    expect(String(settled?.data.import_price)).to.equal(String(quote.importPrice)).and.to.equal('300000');
    expect(String(settled?.data.export_price)).to.equal(String(quote.exportPrice));
    const meter = await fetchMeter(s.rt, { device: s.device });
    expect(meter).to.include({
      lastSeq: 2n,
      nextIntervalStart: MIDNIGHT + 19n * HOUR,
      totalImportWh: 3_500n,
      totalPaid: expected,
    });

    const replay = s.rt.tryInstructions(s.settle(reading(2n, 18n, 1_500n)));
    expect(errorName(replay)).to.equal('ReplayedReading');
    const forged = s.rt.tryInstructions(s.settle(reading(3n, 19n, 1_000n), { signer: Keypair.generate() }));
    expect(errorName(forged)).to.equal('WrongSigner');
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(expected);
    expect(parseRegistryEvents(out.logs)).to.deep.equal([]); // payments events are not registry events
  });

  it('refuses readings out of order, off the interval grid, unfinished, earlier, or over capability', async () => {
    const s = settlementWorld();
    s.rt.processInstructions(s.settle(reading(1n, 10n, 1_000n)));
    // seq must be exactly last + 1: a gap is refused (relay the missing reading first).
    expect(errorName(s.rt.tryInstructions(s.settle(reading(3n, 11n, 1_000n))))).to.equal('ReadingOutOfOrder');
    // Not aligned to the tariff's hourly grid.
    const unaligned = { ...reading(2n, 11n, 1_000n), intervalStart: MIDNIGHT + 11n * HOUR + 60n };
    expect(errorName(s.rt.tryInstructions(s.settle(unaligned)))).to.equal('InvalidReadingInterval');
    // Before the end of the last settled interval (hour 10).
    expect(errorName(s.rt.tryInstructions(s.settle(reading(2n, 10n, 1_000n))))).to.equal('InvalidReadingInterval');
    // Not finished yet: the interval starting now ends in the future.
    expect(errorName(s.rt.tryInstructions(s.settle(reading(2n, 24n, 1_000n))))).to.equal('InvalidReadingInterval');
    // More than the device's rated power over one interval (11 kW import, 5 kW export, 1 h).
    expect(energyCapWh(CAPS.maxImportW, 3_600)).to.equal(11_000n);
    const tooMuchImport = reading(2n, 11n, energyCapWh(CAPS.maxImportW, 3_600) + 1n);
    expect(errorName(s.rt.tryInstructions(s.settle(tooMuchImport)))).to.equal('ReadingExceedsCapability');
    const tooMuchExport = reading(2n, 11n, 0n, energyCapWh(CAPS.maxExportW, 3_600) + 1n);
    expect(errorName(s.rt.tryInstructions(s.settle(tooMuchExport)))).to.equal('ReadingExceedsCapability');
    // At the cap, in order, aligned and finished: accepted.
    s.rt.processInstructions(s.settle(reading(2n, 11n, 11_000n)));
    expect((await fetchMeter(s.rt, { device: s.device }))?.lastSeq).to.equal(2n);
  });

  it('prices a reading at the revision it was signed for after a tariff update', async () => {
    const s = settlementWorld();
    const now = MIDNIGHT + 86_400n;
    const doubled: TariffInterval[] = [{ startMinute: 0, importPrice: 200_000n, exportPrice: 100_000n }];
    const update = (effectiveFrom: bigint, authority = s.utility) =>
      s.rt.tryInstructions(
        tariffUpdateInstructions({
          tariff: s.tariff,
          authority: authority.publicKey,
          latestRevision: 1,
          payer: s.rt.payer.publicKey,
          effectiveFrom,
          intervals: doubled,
          exportCap: EXPORT_CAP,
        }),
        [authority],
      );
    // Never retroactive: a start in the past (or not after the revision in force) is refused.
    expect(errorName(update(now - 1n))).to.equal('TariffNotMonotonic');
    expect(errorName(update(now + HOUR, s.reg.vendor))).to.equal('Unauthorized');
    expect(update(now + HOUR).err).to.equal(null);
    const tariff = (await fetchTariff(s.rt, { address: s.tariff }))!;
    expect(tariff).to.include({ revision: 2, effectiveFrom: now + HOUR });
    const revisions = await Promise.all(
      [1, 2].map((revision) => fetchTariffRevision(s.rt, { tariff: s.tariff, revision })),
    );
    const [rev1, rev2] = revisions.map((r) => r!);
    expect(rev1.supersededAt).to.equal(now + HOUR);
    expect(rev2).to.include({ effectiveFrom: now + HOUR, supersededAt: REVISION_IN_FORCE });
    expect(tariffRevisionFor([rev1, rev2], MIDNIGHT + 18n * HOUR)).to.equal(1);
    expect(tariffRevisionFor([rev1, rev2], now + HOUR)).to.equal(2);
    expect(tariffRevisionFor(tariff, MIDNIGHT + 18n * HOUR)).to.equal(null);
    expect(
      (await fetchTariffRevisionAt(s.rt, { tariff: s.tariff, intervalStart: MIDNIGHT + 18n * HOUR }))?.revision,
    ).to.equal(1);

    s.rt.setUnixTimestamp(now + 3n * HOUR);
    // Signed for revision 1 during revision 1: settles at revision 1's peak price, not the new one.
    s.rt.processInstructions(s.settle(reading(1n, 18n, 1_000n)));
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(300_000n);
    // Signed for revision 2 before it took effect, or for revision 1 after: refused.
    expect(errorName(s.rt.tryInstructions(s.settle(reading(2n, 19n, 1_000n, 0n, 2))))).to.equal(
      'TariffRevisionMismatch',
    );
    expect(errorName(s.rt.tryInstructions(s.settle(reading(2n, 25n, 1_000n, 0n, 1))))).to.equal(
      'TariffRevisionMismatch',
    );
    // Revision 2 from its start, at its price.
    const r2 = reading(2n, 25n, 1_000n, 0n, 2);
    expect(quoteReading(rev2, r2)?.amount).to.equal(200_000n);
    expect(quoteReading(rev1, r2)).to.equal(null);
    s.rt.processInstructions(s.settle(r2));
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(500_000n);
  });

  it('pays demand-response rewards once per device and returns the rest', async () => {
    const s = settlementWorld();
    const payer = s.rt.payer.publicKey;
    s.fundUtility(20n * USDC);
    const now = MIDNIGHT + 86_400n;
    s.rt.processInstructions(
      drEventCreateInstructions({
        utility: s.utilityPda,
        authority: s.utility.publicKey,
        payer,
        eventId: 7,
        start: now - 7200n,
        end: now - 3600n,
        rewardPerKwh: 400_000n,
        budget: 10n * USDC,
      }),
      [s.utility],
    );
    const event = findDrEventPda({ utility: s.utilityPda, eventId: 7 })[0];
    const pay = () =>
      drRewardPayInstructions({
        event,
        authority: s.utility.publicKey,
        device: s.device,
        owner: s.owner.publicKey,
        payer,
        flexWh: 2_500n,
      });
    const before = await fetchTokenAmount(s.rt, s.ownerUsde);
    s.rt.processInstructions(pay(), [s.utility]);
    expect((await fetchTokenAmount(s.rt, s.ownerUsde)) - before).to.equal(rewardAmount(2_500n, 400_000n));
    expect(s.rt.tryInstructions(pay(), [s.utility]).err?.customCode).to.equal(0); // reward PDA exists
    s.rt.processInstructions(drEventCloseInstructions({ event, authority: s.utility.publicKey }), [s.utility]);
    const closed = await fetchDrEvent(s.rt, { address: event });
    expect(closed).to.include({ closed: true, paid: USDC, participants: 1 });
  });
});
