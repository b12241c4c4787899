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
  /** USDE (raw) this market's buyers paid in less what its sellers took out: its sales cap. */
  backing: bigint;
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
  /** Unix time from which readings settle at `revision`. */
  effectiveFrom: bigint;
  /** Prices of `revision`. */
  intervals: TariffInterval[];
  /** Length of one metering interval, seconds (divides a day). */
  intervalSecs: number;
  /** The revision before `revision` (0: none); it covers readings up to `effectiveFrom`. */
  prevRevision: number;
  prevEffectiveFrom: bigint;
  prevIntervals: TariffInterval[];
  /** `["export_vault", tariff]`: the USDE escrow paying exports. */
  exportVault: PublicKey;
}

export interface Meter {
  address: PublicKey;
  device: PublicKey;
  lastSeq: bigint;
  lastIntervalStart: bigint;
  /** End of the last settled interval: the next reading starts at or after it. */
  nextIntervalStart: bigint;
  totalImportWh: bigint;
  totalExportWh: bigint;
  totalPaid: bigint;
  /** Lifetime USDE (raw) earned by exports. */
  totalExportCredit: bigint;
  /** Lifetime USDE (raw) paid out for exports. */
  totalExportPaid: bigint;
  /** USDE (raw) earned by exports but not yet paid (escrow short); paid first on refill. */
  exportOwed: bigint;
  /** The tariff whose escrow owes `exportOwed`. */
  exportTariff: PublicKey;
}

/** An owner's capped, revocable permission for one utility to bill one device. */
export interface Mandate {
  address: PublicKey;
  owner: PublicKey;
  device: PublicKey;
  /** The utility partner allowed to bill. */
  utility: PublicKey;
  maxPerPeriod: bigint;
  periodSecs: number;
  maxTotal: bigint;
  periodStart: bigint;
  spentInPeriod: bigint;
  spentTotal: bigint;
  createdAt: bigint;
}

/** Caps of a new settlement mandate (raw USDE; period in seconds, at most a year). */
export interface MandateCaps {
  maxPerPeriod: bigint;
  periodSecs: number;
  maxTotal: bigint;
}

/** A meter reading as the device signs it. */
export interface MeterReading {
  /** The tariff revision the device priced the reading at (see `tariffRevisionFor`). */
  revision: number;
  /** Exactly one more than the last settled reading of the device. */
  seq: bigint;
  /** Unix seconds (UTC) of the interval start, aligned to the tariff's `intervalSecs`. */
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
