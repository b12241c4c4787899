import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createApproveCheckedInstruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  deviceRegisterInstructions,
  drEventCloseInstructions,
  drEventCreateInstructions,
  drRewardPayInstructions,
  fetchDrEvent,
  fetchMeter,
  fetchTariff,
  fetchTokenAmount,
  findDevicePda,
  findDrEventPda,
  findPartnerPda,
  findSettlementAuthorityPda,
  findTariffPda,
  findUsdeMintPda,
  meterOpenInstructions,
  meterSettleInstructions,
  parsePaymentsError,
  parseRegistryEvents,
  rewardAmount,
  settlementAmount,
  tariffCreateInstructions,
  tariffPriceAt,
  usdeWrapInstructions,
  type MeterReading,
  type TariffInterval,
} from '@openvpp/sdk';

import { onboardPartners } from '@openvpp/service';

import { CAPS, CA_FINGERPRINT, CERT_NOT_AFTER, fakeFingerprint } from '../utils/harness';
import { USDC, paymentsWorld } from '../utils/payments';

const MIDNIGHT = 1_795_564_800n; // 2026-11-25 00:00 UTC
const INTERVALS: TariffInterval[] = [
  { startMinute: 0, importPrice: 100_000n, exportPrice: 50_000n },
  { startMinute: 17 * 60, importPrice: 300_000n, exportPrice: 80_000n },
  { startMinute: 21 * 60, importPrice: 100_000n, exportPrice: 50_000n },
];

/** Registry (utility, vendor, one meter), USDE for its owner and the utility, a tariff. */
function settlementWorld() {
  const w = paymentsWorld();
  const { rt } = w;
  const payer = rt.payer.publicKey;
  const { vendor, utility } = onboardPartners(rt, {
    caFingerprints: [CA_FINGERPRINT],
    vendorName: 'V',
    utilityName: 'U',
  });
  const deviceKey = Keypair.generate();
  const owner = w.user; // holds USDC
  rt.processInstructions(
    deviceRegisterInstructions({
      vendorAuthority: vendor.publicKey,
      deviceKey: deviceKey.publicKey,
      payer,
      owner: owner.publicKey,
      deviceType: 'meter',
      capabilities: CAPS,
      certFingerprint: fakeFingerprint(900),
      issuerCa: CA_FINGERPRINT,
      certNotAfter: CERT_NOT_AFTER,
    }),
    [vendor, deviceKey],
  );
  const device = findDevicePda({ deviceKey: deviceKey.publicKey })[0];
  const usde = findUsdeMintPda()[0];
  const ownerUsde = getAssociatedTokenAddressSync(usde, owner.publicKey, true, TOKEN_2022_PROGRAM_ID);
  const treasury = getAssociatedTokenAddressSync(usde, utility.publicKey, true, TOKEN_2022_PROGRAM_ID);
  rt.processInstructions(
    [
      ...usdeWrapInstructions({ user: owner.publicKey, usdcMint: w.usdcMint, amount: 100n * USDC }),
      createApproveCheckedInstruction(
        ownerUsde,
        usde,
        findSettlementAuthorityPda()[0],
        owner.publicKey,
        50n * USDC,
        6,
        [],
        TOKEN_2022_PROGRAM_ID,
      ),
      createAssociatedTokenAccountIdempotentInstruction(
        payer,
        treasury,
        utility.publicKey,
        usde,
        TOKEN_2022_PROGRAM_ID,
      ),
    ],
    [owner],
  );
  const utilityPda = findPartnerPda({ authority: utility.publicKey })[0];
  rt.processInstructions(
    tariffCreateInstructions({
      utility: utilityPda,
      authority: utility.publicKey,
      payer,
      tariffId: 1,
      effectiveFrom: MIDNIGHT,
      intervals: INTERVALS,
    }),
    [utility],
  );
  rt.processInstructions(meterOpenInstructions({ device, payer }));
  rt.setUnixTimestamp(MIDNIGHT + 86_400n);
  const tariff = findTariffPda({ utility: utilityPda, tariffId: 1 })[0];
  const settle = (reading: MeterReading, signer = deviceKey) =>
    meterSettleInstructions({
      device,
      deviceKey: deviceKey.publicKey,
      owner: owner.publicKey,
      tariff,
      utility: utilityPda,
      utilityTreasury: treasury,
      reading,
      deviceSecretKey: signer.secretKey,
    });
  return { ...w, utility, utilityPda, deviceKey, device, owner, ownerUsde, treasury, tariff, settle };
}

const reading = (seq: bigint, hour: bigint, importWh: bigint): MeterReading => ({
  seq,
  intervalStart: MIDNIGHT + hour * 3600n,
  importWh,
  exportWh: 0n,
});

describe('payments: tariffs, signed meter readings, demand-response rewards', () => {
  it('settles device-signed readings at the tariff price, exactly once', async () => {
    const s = settlementWorld();
    const tariff = await fetchTariff(s.rt, { address: s.tariff });
    expect(tariff?.revision).to.equal(1);
    expect(tariffPriceAt(tariff!.intervals, MIDNIGHT + 18n * 3600n)).to.equal(300_000n);

    // Submitted by a relayer (the runtime payer): the device signature is the authorisation.
    s.rt.processInstructions(s.settle(reading(1n, 3n, 2_000n)));
    const out = s.rt.processInstructions(s.settle(reading(2n, 18n, 1_500n)));
    const expected = settlementAmount(2_000n, 100_000n) + settlementAmount(1_500n, 300_000n);
    expect(expected).to.equal(650_000n);
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(expected);
    expect(await fetchTokenAmount(s.rt, s.ownerUsde)).to.equal(100n * USDC - expected);
    expect(out.logs.some((l) => l.startsWith('Program data: '))).to.equal(true);
    const meter = await fetchMeter(s.rt, { device: s.device });
    expect(meter).to.include({ lastSeq: 2n, totalImportWh: 3_500n, totalPaid: expected });

    const replay = s.rt.tryInstructions(s.settle(reading(2n, 18n, 1_500n)));
    expect(parsePaymentsError(replay)?.errorName).to.equal('ReplayedReading');
    const forged = s.rt.tryInstructions(s.settle(reading(3n, 19n, 1_000n), Keypair.generate()));
    expect(parsePaymentsError(forged)?.errorName).to.equal('WrongSigner');
    expect(await fetchTokenAmount(s.rt, s.treasury)).to.equal(expected);
    expect(parseRegistryEvents(out.logs)).to.deep.equal([]); // payments events are not registry events
  });

  it('pays demand-response rewards once per device and returns the rest', async () => {
    const s = settlementWorld();
    const payer = s.rt.payer.publicKey;
    // Give the utility 20 USDE to fund the event.
    const utilityUsdc = getAssociatedTokenAddressSync(s.usdcMint, s.utility.publicKey);
    s.rt.processInstructions([
      createAssociatedTokenAccountIdempotentInstruction(payer, utilityUsdc, s.utility.publicKey, s.usdcMint),
      createMintToInstruction(s.usdcMint, utilityUsdc, payer, 20n * USDC),
    ]);
    s.rt.processInstructions(
      usdeWrapInstructions({ user: s.utility.publicKey, usdcMint: s.usdcMint, amount: 20n * USDC }),
      [s.utility],
    );
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
