import type { PublicKey } from '@solana/web3.js';

import type { ExportCap, TariffInterval } from '../../payments/types';

export type { ExportCap, MandateCaps, MeterReading, TariffInterval } from '../../payments/types';

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

export interface Tariff {
  address: PublicKey;
  utility: PublicKey;
  authority: PublicKey;
  tariffId: number;
  /** The latest revision published (its account: `findTariffRevisionPda`). */
  revision: number;
  treasury: PublicKey;
  /** Unix time from which the latest revision is in force. */
  effectiveFrom: bigint;
  /** Prices of the latest revision (display; settlement prices come from the revision accounts). */
  intervals: TariffInterval[];
  /** Length of one metering interval, seconds (divides a day). */
  intervalSecs: number;
  /**
   * How long a revision still settles after the next one takes over, and how long a previous
   * owner's unsettled readings settle after a device changes hands (seconds).
   */
  settlementWindowSecs: number;
  /** `["export_vault", tariff]`: the USDE escrow paying exports. */
  exportVault: PublicKey;
  /** USDE (raw) the utility asked to withdraw from the escrow (0: none pending). */
  withdrawAmount: bigint;
  /** Earliest unix time the pending withdrawal may execute (0: none pending). */
  withdrawReadyAt: bigint;
}

/** One immutable, published revision of a tariff: `["tariff_revision", tariff, revision]`. */
export interface TariffRevision {
  address: PublicKey;
  tariff: PublicKey;
  revision: number;
  /** First unix time whose readings this revision prices. */
  effectiveFrom: bigint;
  /** Unix time the next revision took over (`REVISION_IN_FORCE` while none). */
  supersededAt: bigint;
  intervals: TariffInterval[];
  exportCap: ExportCap;
  publishedAt: bigint;
}

/** Export credit a tariff's escrow owes one owner, earned in one ownership epoch. */
export interface ExportDebt {
  owner: PublicKey;
  epoch: number;
  /** USDE (raw) still owed. */
  owed: bigint;
}

/**
 * The relationship letting one device settle against one tariff (`["binding", tariff, device]`),
 * opened from an approved enrollment of the device in a program of the tariff's utility.
 */
export interface TariffBinding {
  address: PublicKey;
  tariff: PublicKey;
  device: PublicKey;
  /** The routing enrollment settlement re-reads (must stay approved). */
  enrollment: PublicKey;
  /** The utility program of that enrollment. */
  program: PublicKey;
  openedAt: bigint;
  /** Export-cap period index (`intervalStart / periodSecs`) that `creditInPeriod` counts. */
  capPeriod: bigint;
  /** Export credit granted in `capPeriod`, raw USDE. */
  creditInPeriod: bigint;
  /** Lifetime export credit granted by this tariff to this device. */
  totalExportCredit: bigint;
  /** Lifetime export credit paid from the escrow. */
  totalExportPaid: bigint;
  /** Unpaid export credit per owner and epoch: `MAX_EXPORT_DEBTS` slots, `owed == 0` marks a free one (see `exportOwedTo`). */
  debts: ExportDebt[];
  /** What the escrow owes in all (sum of `debts`). */
  owedTotal: bigint;
}

/** The previous ownership epoch's reading cursor, kept after a device changes hands. */
export interface MeterBacklog {
  /** Owner of the previous epoch (`PublicKey.default`: none). */
  owner: PublicKey;
  epoch: number;
  /** Start of the previous epoch: readings of intervals before it never settle. */
  from: bigint;
  lastSeq: bigint;
  nextIntervalStart: bigint;
  /** First sequence the current epoch settled (`2^64 - 1` until it settles one). */
  endSeq: bigint;
  endIntervalStart: bigint;
}

export interface Meter {
  address: PublicKey;
  device: PublicKey;
  /** Last sequence settled in the current epoch. */
  lastSeq: bigint;
  lastIntervalStart: bigint;
  /** End of the last settled interval: the next reading starts at or after it. */
  nextIntervalStart: bigint;
  totalImportWh: bigint;
  totalExportWh: bigint;
  totalPaid: bigint;
  /** Lifetime USDE (raw) of export credit granted (all tariffs). */
  totalExportCredit: bigint;
  /** Lifetime USDE (raw) paid out for exports at settlement (all tariffs; claims are on the bindings). */
  totalExportPaid: bigint;
  /** The device's ownership epoch this meter follows. */
  epoch: number;
  /** The owner in that epoch. */
  owner: PublicKey;
  /** When that epoch began (the claim). */
  epochStart: bigint;
  /** True from a claim until the new epoch settles its first reading. */
  fresh: boolean;
  /** The previous owner's cursor. */
  backlog: MeterBacklog;
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
  /** The device's ownership epoch it was granted in: it bills only readings of that epoch. */
  epoch: number;
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
