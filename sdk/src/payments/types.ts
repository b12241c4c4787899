import type { PublicKey } from '@solana/web3.js';

/** kWh of energy or kg of CO2 avoided. */
export type UnitKind = 'kwh' | 'co2Kg';

export interface PaymentsConfig {
  address: PublicKey;
  bump: number;
  paused: boolean;
  authority: PublicKey;
  usdcMint: PublicKey;
  usdcTokenProgram: PublicKey;
  usdeMint: PublicKey;
  usdcVault: PublicKey;
  usdeTreasury: PublicKey;
}

export interface UnitMarket {
  address: PublicKey;
  bump: number;
  kind: UnitKind;
  mint: PublicKey;
  feed: PublicKey;
  maxStalenessSlots: number;
  minSamples: number;
  maxConfidenceBps: number;
  spreadBps: number;
}

export interface TariffInterval {
  /** First UTC minute of the day this price applies to. */
  startMinute: number;
  /** Raw USDE per kWh imported. */
  importPrice: bigint;
  /** Raw USDE per kWh exported. */
  exportPrice: bigint;
}

export interface Tariff {
  address: PublicKey;
  utility: PublicKey;
  authority: PublicKey;
  tariffId: number;
  revision: number;
  treasury: PublicKey;
  effectiveFrom: bigint;
  intervals: TariffInterval[];
}

export interface Meter {
  address: PublicKey;
  device: PublicKey;
  lastSeq: bigint;
  lastIntervalStart: bigint;
  totalImportWh: bigint;
  totalExportWh: bigint;
  totalPaid: bigint;
}

/** A meter reading as the device signs it. */
export interface MeterReading {
  seq: bigint;
  /** Unix seconds (UTC) of the interval start. */
  intervalStart: bigint;
  importWh: bigint;
  exportWh: bigint;
}

export interface DrEvent {
  address: PublicKey;
  utility: PublicKey;
  authority: PublicKey;
  eventId: number;
  start: bigint;
  end: bigint;
  rewardPerKwh: bigint;
  budget: bigint;
  paid: bigint;
  participants: number;
  closed: boolean;
}
