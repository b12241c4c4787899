// The payments worlds of the tests: the localnet USDC and payments config with a funded user
// and a Switchboard feed written into the runtime with the real pull-feed layout, registry
// members, and a settlement world (registry device, tariff with export escrow, funded owner).
import { TOKEN_2022_PROGRAM_ID, createAssociatedTokenAccountIdempotentInstruction } from '@solana/spl-token';
import { Keypair, PublicKey, TransactionInstruction } from '@solana/web3.js';

import type { Runtime } from '@openvpp/runtime';
import {
  type ExportCap,
  type MandateCaps,
  type MeterReading,
  type TariffInterval,
  findDevicePda,
  findPartnerPda,
  findTariffPda,
  findUsdeAccount,
  findUsdeMintPda,
  memberRegisterInstructions,
  meterOpenInstructions,
  meterSettleInstructions,
  tariffCreateInstructions,
  tariffExportFundInstructions,
  unitMarketCreateInstructions,
  usdeWrapInstructions,
} from '@openvpp/sdk/web3';
import { createTariffProgram, enrollAndBind, fundOwner, initPayments, mintUsdc } from '@openvpp/localnet';

import { type RegistryWorld, fakeFingerprint, registerDevice } from './registry';

export const USDC = 1_000_000n;
/** $0.15 per kWh, 18 decimals. */
export const KWH_PRICE = 150_000_000_000_000_000n;
export const MARKET = { maxStalenessSlots: 100, minSamples: 3, maxConfidenceBps: 100, spreadBps: 30 };

export interface PaymentsWorld {
  rt: Runtime;
  authority: Keypair;
  usdcMint: PublicKey;
  user: Keypair;
  userUsdc: PublicKey;
  feed: PublicKey;
}

export function setFeed(
  rt: Runtime,
  feed: PublicKey,
  over: Partial<{ value: bigint; stdDev: bigint; numSamples: number; slot: bigint }> = {},
) {
  rt.setSwitchboardFeed(feed, {
    value: KWH_PRICE,
    stdDev: KWH_PRICE / 1000n,
    numSamples: 5,
    slot: rt.getClock().slot,
    ...over,
  });
}

/** Payments on `rt`: USDC mint, config, a funded user, a feed. */
export function paymentsWorld(rt: Runtime): PaymentsWorld {
  const authority = Keypair.generate();
  const usdcMint = initPayments(rt, { authority: authority.publicKey });
  const user = Keypair.generate();
  rt.airdrop(user.publicKey, 1_000_000_000n);
  const userUsdc = mintUsdc(rt, { usdcMint, owner: user.publicKey, amount: 1_000n * USDC });
  const feed = Keypair.generate().publicKey;
  setFeed(rt, feed);
  return { rt, authority, usdcMint, user, userUsdc, feed };
}

export function createMarket(w: PaymentsWorld, kind: 'kwh' | 'co2Kg' = 'kwh', feed = w.feed) {
  w.rt.processInstructions(
    unitMarketCreateInstructions({
      authority: w.authority.publicKey,
      payer: w.rt.payer.publicKey,
      kind,
      feed,
      ...MARKET,
    }),
    [w.authority],
  );
}

export const createKwhMarket = (w: PaymentsWorld) => createMarket(w, 'kwh');

/** Makes `wallet` an active registry member (it must own an active device). */
export function makeMember(reg: RegistryWorld, wallet: Keypair, seed: number) {
  const deviceKey = registerDevice(reg, { owner: wallet, certFingerprint: fakeFingerprint(seed) });
  reg.rt.processInstructions(
    memberRegisterInstructions({
      deviceKey: deviceKey.publicKey,
      owner: wallet.publicKey,
      payer: reg.rt.payer.publicKey,
    }),
    [wallet],
  );
  return deviceKey;
}

/** 2026-11-25 00:00 UTC: the tariff's start; the clock stands at the next midnight. */
export const MIDNIGHT = 1_795_564_800n;
export const HOUR = 3_600n;
export const INTERVALS: TariffInterval[] = [
  { startMinute: 0, importPrice: 100_000n, exportPrice: 50_000n },
  { startMinute: 17 * 60, importPrice: 300_000n, exportPrice: 80_000n },
  { startMinute: 21 * 60, importPrice: 100_000n, exportPrice: 50_000n },
];

/** Every test tariff's settlement window: 30 days. */
export const SETTLEMENT_WINDOW_SECS = 30 * 86_400;
/** A generous export cap: 100 USDE of credit per device per day. */
export const EXPORT_CAP: ExportCap = { maxCredit: 100n * USDC, periodSecs: 86_400 };

export interface SettlementOptions {
  /** Fund the owner (wrap 100 USDC, approve 50 USDE) and create a mandate. */
  mandate?: Partial<MandateCaps> | false;
  /** USDE the utility puts in the tariff's export escrow. */
  escrow?: bigint;
  /** Revision 1's export cap (default `EXPORT_CAP`). */
  exportCap?: ExportCap;
  /** Enroll the device in the utility's tariff program and bind it to the tariff (default true). */
  bind?: boolean;
}

/**
 * On the registry world `reg` (utility, vendor): one meter owned by the funded user, registered and claimed at
 * MIDNIGHT so every interval of the tariff's first day is its owner's), the utility's tariff
 * program with the device enrolled (approved), USDE for the owner through `fundOwner` (with a
 * mandate for the utility unless `mandate: false`), an hourly tariff from MIDNIGHT (30-day
 * settlement window, `EXPORT_CAP`) with its export escrow, the device bound to it (unless
 * `bind: false`), the meter opened, and the clock at MIDNIGHT + 1 day.
 */
export function settlementWorld(
  reg: RegistryWorld,
  { mandate = {}, escrow = 0n, exportCap = EXPORT_CAP, bind = true }: SettlementOptions = {},
) {
  const w = paymentsWorld(reg.rt);
  const { rt } = w;
  const payer = rt.payer.publicKey;
  const utility = reg.utility;
  const owner = w.user;
  const utilityPda = findPartnerPda({ authority: utility.publicKey })[0];
  const vendorPda = findPartnerPda({ authority: reg.vendor.publicKey })[0];
  // The owner's claim must precede the metered intervals (`ReadingBeforeOwnership`).
  rt.setUnixTimestamp(MIDNIGHT);
  const deviceKey = registerDevice(reg, {
    owner,
    certFingerprint: fakeFingerprint(900),
    deviceType: 'meter',
  });
  const device = findDevicePda({ deviceKey: deviceKey.publicKey })[0];
  const program = createTariffProgram(rt, { utility, utilityPda });
  rt.setUnixTimestamp(MIDNIGHT + 86_400n); // mandates start their first period now
  const usde = findUsdeMintPda()[0];
  const ownerUsde = findUsdeAccount({ owner: owner.publicKey });
  const treasury = findUsdeAccount({ owner: utility.publicKey });
  rt.processInstructions([
    createAssociatedTokenAccountIdempotentInstruction(payer, treasury, utility.publicKey, usde, TOKEN_2022_PROGRAM_ID),
  ]);
  fundOwner(rt, {
    owner,
    usdcMint: w.usdcMint,
    amount: 100n * USDC,
    allowance: 50n * USDC,
    ...(mandate && { device, utility: utilityPda, mandate }),
  });
  const createTariff = (tariffId: number, cap: ExportCap = exportCap) => {
    rt.processInstructions(
      tariffCreateInstructions({
        utility: utilityPda,
        authority: utility.publicKey,
        payer,
        tariffId,
        effectiveFrom: MIDNIGHT,
        intervals: INTERVALS,
        intervalSecs: 3_600,
        settlementWindowSecs: SETTLEMENT_WINDOW_SECS,
        exportCap: cap,
      }),
      [utility],
    );
    return findTariffPda({ utility: utilityPda, tariffId })[0];
  };
  const tariff = createTariff(1);
  /** Enrolls `dev` (requested by `requester`) in the tariff program and binds it to `tariffs`. */
  const enroll = (dev: PublicKey, requester: Keypair, tariffs: PublicKey[] = [tariff]) =>
    enrollAndBind(rt, { utility, requester, vendorPda, device: dev, program, tariffs });
  if (bind) enroll(device, owner);
  rt.processInstructions(meterOpenInstructions({ device, payer }));
  const fundUtility = (amount: bigint) => {
    mintUsdc(rt, { usdcMint: w.usdcMint, owner: utility.publicKey, amount });
    rt.processInstructions(usdeWrapInstructions({ user: utility.publicKey, usdcMint: w.usdcMint, amount }), [utility]);
  };
  const fundEscrow = (amount: bigint, t = tariff) =>
    rt.processInstructions(tariffExportFundInstructions({ tariff: t, funder: utility.publicKey, amount }), [utility]);
  if (escrow > 0n) {
    fundUtility(escrow);
    fundEscrow(escrow);
  }
  const settle = (
    reading: MeterReading,
    {
      signer = deviceKey,
      mandate: m,
      billTo,
      tariff: t = tariff,
    }: { signer?: Keypair; mandate?: PublicKey; billTo?: PublicKey; tariff?: PublicKey } = {},
  ): TransactionInstruction[] =>
    meterSettleInstructions({
      device,
      deviceKey: deviceKey.publicKey,
      owner: owner.publicKey,
      billTo,
      tariff: t,
      program,
      utility: utilityPda,
      utilityTreasury: treasury,
      reading,
      deviceSecretKey: signer.secretKey,
      mandate: m,
    });
  return {
    ...w,
    reg,
    utility,
    utilityPda,
    vendorPda,
    program,
    deviceKey,
    device,
    owner,
    ownerUsde,
    treasury,
    tariff,
    createTariff,
    enroll,
    settle,
    fundUtility,
    fundEscrow,
  };
}

/** A reading of hour `hour` of the tariff's first day, signed for `revision` (default 1). */
export const reading = (seq: bigint, hour: bigint, importWh: bigint, exportWh = 0n, revision = 1): MeterReading => ({
  revision,
  seq,
  intervalStart: MIDNIGHT + hour * HOUR,
  importWh,
  exportWh,
});
