// The instruction table's rows for the payments program (see instructions.test.ts).
import { Keypair } from '@solana/web3.js';

import {
  LOCALNET_ADMIN,
  drEventCloseInstructions,
  drEventCreateInstructions,
  drRewardPayInstructions,
  fundOwnerInstructions,
  mandateCreateInstructions,
  mandateRevokeInstructions,
  meterExportClaimInstructions,
  meterGapInstructions,
  meterOpenInstructions,
  meterSettleBatchInstructions,
  paymentsInitInstructions,
  paymentsPauseSetInstructions,
  tariffCreateInstructions,
  tariffBindInstructions,
  tariffExportFundInstructions,
  tariffExportWithdrawInstructions,
  tariffExportWithdrawRequestInstructions,
  tariffUpdateInstructions,
  unitBuyInstructions,
  unitMarketCreateInstructions,
  unitSellInstructions,
  usdeSurplusSweepInstructions,
  usdeUnwrapInstructions,
  usdeWrapInstructions,
} from '@openvpp/sdk/web3';

import { INTERVALS, MARKET, MIDNIGHT, SETTLEMENT_WINDOW_SECS, USDC, reading } from '../../utils/payments';
import { type Entry, row } from './world';

const reading1 = reading(1n, 1n, 1_000n, 500n);

export const PAYMENTS: Entry[] = [
  row(
    'paymentsInitInstructions',
    (w) => ({
      payer: w.payer,
      authority: Keypair.generate().publicKey,
      usdcMint: w.usdcMint,
      deployer: LOCALNET_ADMIN,
    }),
    paymentsInitInstructions,
  ),
  row(
    'paymentsPauseSetInstructions',
    (w) => ({ authority: w.authority.publicKey, paused: true }),
    paymentsPauseSetInstructions,
  ),
  row(
    'usdeWrapInstructions',
    (w) => ({ user: w.owner.publicKey, usdcMint: w.usdcMint, amount: 5n * USDC }),
    usdeWrapInstructions,
  ),
  row(
    'usdeUnwrapInstructions',
    (w) => ({ user: w.owner.publicKey, usdcMint: w.usdcMint, amount: 2n * USDC }),
    usdeUnwrapInstructions,
  ),
  row(
    'usdeSurplusSweepInstructions',
    (w) => ({ authority: w.authority.publicKey, usdcMint: w.usdcMint }),
    usdeSurplusSweepInstructions,
  ),
  row(
    'fundOwnerInstructions (usde_wrap + mandate_create)',
    (w) => ({
      owner: w.owner.publicKey,
      usdcMint: w.usdcMint,
      amount: 7n * USDC,
      allowance: 6n * USDC,
      device: w.device,
      utility: w.utilityPda,
    }),
    fundOwnerInstructions,
  ),
  row(
    'unitMarketCreateInstructions',
    (w) => ({ authority: w.authority.publicKey, payer: w.payer, kind: 'co2Kg' as const, feed: w.feed, ...MARKET }),
    unitMarketCreateInstructions,
  ),
  row(
    'unitBuyInstructions',
    (w) => ({ user: w.owner.publicKey, kind: 'kwh' as const, feed: w.feed, usdeAmount: 3n * USDC, minUnitsOut: 1n }),
    unitBuyInstructions,
  ),
  row(
    'unitSellInstructions',
    (w) => ({ user: w.owner.publicKey, kind: 'kwh' as const, feed: w.feed, unitAmount: 1_000n, minUsdeOut: 1n }),
    unitSellInstructions,
  ),
  row(
    'tariffCreateInstructions',
    (w) => ({
      utility: w.utilityPda,
      authority: w.utility.publicKey,
      payer: w.payer,
      tariffId: 2,
      effectiveFrom: MIDNIGHT + 86_400n,
      intervals: INTERVALS,
      intervalSecs: 900,
      settlementWindowSecs: SETTLEMENT_WINDOW_SECS,
      exportCap: { maxCredit: 5n * USDC, periodSecs: 7 * 86_400 },
    }),
    tariffCreateInstructions,
  ),
  row(
    'tariffUpdateInstructions',
    (w) => ({
      tariff: w.tariff,
      authority: w.utility.publicKey,
      latestRevision: 1,
      payer: w.payer,
      effectiveFrom: MIDNIGHT + 2n * 86_400n,
      intervals: INTERVALS.slice(0, 2),
      exportCap: { maxCredit: 2n * USDC, periodSecs: 3_600 },
    }),
    tariffUpdateInstructions,
  ),
  row(
    'tariffBindInstructions',
    (w) => ({
      tariff: w.tariff,
      authority: w.utility.publicKey,
      device: w.device,
      program: w.tariffProgram,
      payer: w.payer,
    }),
    tariffBindInstructions,
  ),
  row(
    'tariffExportWithdrawRequestInstructions',
    (w) => ({ tariff: w.tariff, authority: w.utility.publicKey, amount: 40_000n }),
    tariffExportWithdrawRequestInstructions,
  ),
  row(
    'tariffExportWithdrawInstructions',
    (w) => ({ tariff: w.tariff, authority: w.utility.publicKey }),
    tariffExportWithdrawInstructions,
  ),
  row(
    'tariffExportFundInstructions',
    (w) => ({ tariff: w.tariff, funder: w.utility.publicKey, amount: 150_000n }),
    tariffExportFundInstructions,
  ),
  row(
    'meterExportClaimInstructions',
    (w) => ({ device: w.device, owner: w.owner.publicKey, tariff: w.tariff }),
    meterExportClaimInstructions,
  ),
  row(
    'mandateCreateInstructions',
    (w) => ({
      device: w.device,
      owner: w.owner.publicKey,
      utility: w.utilityPda,
      payer: w.payer,
      maxPerPeriod: 9n * USDC,
      periodSecs: 86_400,
      maxTotal: 90n * USDC,
    }),
    mandateCreateInstructions,
  ),
  row('mandateRevokeInstructions', (w) => ({ device: w.device, owner: w.owner.publicKey }), mandateRevokeInstructions),
  row('meterOpenInstructions', (w) => ({ device: w.device, payer: w.payer }), meterOpenInstructions),
  row(
    'meterGapInstructions (ed25519 + meter_gap)',
    (w) => ({
      device: w.device,
      deviceKey: w.deviceKey.publicKey,
      fromSeq: 1n,
      toSeq: 3n,
      deviceSecretKey: w.deviceKey.secretKey,
    }),
    meterGapInstructions,
  ),
  {
    label: 'meterSettleInstructions (ed25519 + meter_settle)',
    run: (w) => ({ ixs: w.settle(reading1), input: { reading: reading1 } }),
  },
  row(
    'meterSettleBatchInstructions (ed25519 + meter_settle_batch)',
    (w) => ({
      device: w.device,
      deviceKey: w.deviceKey.publicKey,
      owner: w.owner.publicKey,
      tariff: w.tariff,
      program: w.tariffProgram,
      utility: w.utilityPda,
      utilityTreasury: w.treasury,
      deviceSecretKey: w.deviceKey.secretKey,
      readings: [reading(1n, 1n, 1_000n), reading(2n, 2n, 800n, 200n)],
    }),
    meterSettleBatchInstructions,
  ),
  row(
    'drEventCreateInstructions',
    (w) => ({
      utility: w.utilityPda,
      authority: w.utility.publicKey,
      payer: w.payer,
      eventId: 8,
      start: MIDNIGHT,
      end: MIDNIGHT + 3_600n,
      rewardPerKwh: 300_000n,
      budget: 2n * USDC,
    }),
    drEventCreateInstructions,
  ),
  row(
    'drRewardPayInstructions',
    (w) => ({
      event: w.event,
      authority: w.utility.publicKey,
      device: w.device,
      owner: w.owner.publicKey,
      payer: w.payer,
      flexWh: 1_500n,
    }),
    drRewardPayInstructions,
  ),
  row(
    'drEventCloseInstructions',
    (w) => ({ event: w.event, authority: w.utility.publicKey }),
    drEventCloseInstructions,
  ),
];
