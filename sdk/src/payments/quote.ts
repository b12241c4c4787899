// Off-chain previews of the program's conversion math (`programs/ovpp-payments/src/math.rs`),
// identical formulas and rounding, all bigint. Oracle values are USD per unit with 18
// decimals; token amounts are raw 6-decimal amounts.
import { BPS, REVISION_IN_FORCE } from './constants';
import type { ExportCap, ExportCapState, MeterReading, RevisionPrices, TariffInterval } from './types';

const SCALE = 10n ** 18n;
const U64_MAX = (1n << 64n) - 1n;

/** Ask (user buys units): (value + stdDev) * (BPS + spread) / BPS, rounded up. */
export function askPrice(value: bigint, stdDev: bigint, spreadBps: number): bigint {
  return ((value + stdDev) * (BPS + BigInt(spreadBps)) + BPS - 1n) / BPS;
}

/** Bid (user sells units): (value - stdDev) * (BPS - spread) / BPS, rounded down; null at <= 0. */
export function bidPrice(value: bigint, stdDev: bigint, spreadBps: number): bigint | null {
  const base = value - stdDev;
  if (base <= 0n) return null;
  return (base * (BPS - BigInt(spreadBps))) / BPS;
}

/** floor(usdeIn * 1e18 / ask), or null when it would not fit a u64 or ask is zero. */
export function unitsForUsde(usdeIn: bigint, ask: bigint): bigint | null {
  if (ask <= 0n) return null;
  const units = (usdeIn * SCALE) / ask;
  return units > U64_MAX ? null : units;
}

/** floor(unitsIn * bid / 1e18), or null when it would not fit a u64. */
export function usdeForUnits(unitsIn: bigint, bid: bigint): bigint | null {
  const usde = (unitsIn * bid) / SCALE;
  return usde > U64_MAX ? null : usde;
}

/** stdDev <= value * maxBps / BPS. */
export function confidenceOk(value: bigint, stdDev: bigint, maxConfidenceBps: number): boolean {
  return stdDev * BPS <= value * BigInt(maxConfidenceBps);
}

export interface OracleQuoteInput {
  /** Oracle median, USD per unit * 1e18. */
  value: bigint;
  /** Oracle standard deviation, same scale. */
  stdDev: bigint;
  spreadBps: number;
}

/** Units a `unit_buy` of `usdeAmount` returns at this oracle state (null: the program would fail). */
export function quoteUnitBuy({ usdeAmount, value, stdDev, spreadBps }: OracleQuoteInput & { usdeAmount: bigint }) {
  return unitsForUsde(usdeAmount, askPrice(value, stdDev, spreadBps));
}

/** USDE a `unit_sell` of `unitAmount` returns at this oracle state (null: the program would fail). */
export function quoteUnitSell({ unitAmount, value, stdDev, spreadBps }: OracleQuoteInput & { unitAmount: bigint }) {
  const bid = bidPrice(value, stdDev, spreadBps);
  return bid === null ? null : usdeForUnits(unitAmount, bid);
}

/** USDE (raw) a reading of `importWh` costs at `pricePerKwh` (raw USDE/kWh): ceil(wh * price / 1000). */
export function settlementAmount(importWh: bigint, pricePerKwh: bigint): bigint {
  return (importWh * pricePerKwh + 999n) / 1000n;
}

/** USDE (raw) earned for `flexWh` at `rewardPerKwh`: floor(wh * rate / 1000). */
export function rewardAmount(flexWh: bigint, rewardPerKwh: bigint): bigint {
  return (flexWh * rewardPerKwh) / 1000n;
}

/** USDE (raw) earned by `exportWh` at `exportPrice` (raw USDE/kWh): floor(wh * price / 1000). */
export function exportCredit(exportWh: bigint, exportPrice: bigint): bigint {
  return rewardAmount(exportWh, exportPrice);
}

/** Most Wh a device rated `powerW` can move in `secs` (`energy_cap_wh`): floor(powerW * secs / 3600). */
export function energyCapWh(powerW: number, secs: number): bigint {
  return (BigInt(powerW) * BigInt(secs)) / 3_600n;
}

/** Start of the metering interval of length `intervalSecs` containing `unixTime`. */
export function alignInterval(unixTime: bigint, intervalSecs: number): bigint {
  const secs = BigInt(intervalSecs);
  return unixTime - (((unixTime % secs) + secs) % secs);
}

/** The interval in force at `unixTime` (UTC minute of day), as `interval_at`. */
export function tariffIntervalAt<T extends { startMinute: number }>(intervals: T[], unixTime: bigint): T | null {
  const minute = Number((((unixTime % 86_400n) + 86_400n) % 86_400n) / 60n);
  return [...intervals].reverse().find((i) => i.startMinute <= minute) ?? null;
}

/** The import price in force at `unixTime` (UTC minute of day), as `Tariff::interval_at`. */
export function tariffPriceAt(
  intervals: { startMinute: number; importPrice: bigint }[],
  unixTime: bigint,
): bigint | null {
  return tariffIntervalAt(intervals, unixTime)?.importPrice ?? null;
}

/** When a settlement happens and the tariff's window: a superseded revision expires `settlementWindowSecs` after. */
export interface SettleAt {
  now: bigint;
  settlementWindowSecs: number;
}

/**
 * The intervals revision account `rev` prices a reading signed for `revision` and starting at
 * `intervalStart` with, as `TariffRevision::prices_for`: the reading must lie in the revision's
 * span (`[effectiveFrom, supersededAt)`); with `at`, a superseded revision settles only until
 * `supersededAt + settlementWindowSecs`. Null where the program fails
 * (`TariffRevisionMismatch`, `TariffRevisionExpired`).
 */
export function tariffIntervalsFor(
  rev: RevisionPrices,
  revision: number,
  intervalStart: bigint,
  at?: SettleAt,
): TariffInterval[] | null {
  if (revision !== rev.revision || intervalStart < rev.effectiveFrom || intervalStart >= rev.supersededAt) return null;
  if (at && tariffRevisionExpired(rev, at)) return null;
  return rev.intervals;
}

/** Whether revision `rev`, superseded, can no longer settle at `at` (`TariffRevisionExpired`). */
export const tariffRevisionExpired = (rev: Pick<RevisionPrices, 'supersededAt'>, at: SettleAt): boolean =>
  rev.supersededAt !== REVISION_IN_FORCE && at.now >= rev.supersededAt + BigInt(at.settlementWindowSecs);

/**
 * The revision a device should sign a reading starting at `intervalStart` for: from revision
 * accounts (any order), the one whose span covers it; from a `Tariff`, its latest revision when
 * in force then. Null when none given covers it.
 */
export function tariffRevisionFor(
  from:
    | Pick<RevisionPrices, 'revision' | 'effectiveFrom'>
    | Pick<RevisionPrices, 'revision' | 'effectiveFrom' | 'supersededAt'>[],
  intervalStart: bigint,
): number | null {
  if (!Array.isArray(from)) return intervalStart >= from.effectiveFrom ? from.revision : null;
  return from.find((r) => intervalStart >= r.effectiveFrom && intervalStart < r.supersededAt)?.revision ?? null;
}

/**
 * The export credit a binding's cap still grants for `credit` earned by a reading starting at
 * `intervalStart`, as `TariffBinding::capped_credit` (a reading of a period before the one
 * counted shares the later period's total). Returns the granted part and the binding's cap
 * state after it.
 */
export function cappedExportCredit(
  binding: ExportCapState,
  cap: ExportCap,
  intervalStart: bigint,
  credit: bigint,
): { granted: bigint; clipped: bigint; capPeriod: bigint; creditInPeriod: bigint } {
  const secs = BigInt(Math.max(cap.periodSecs, 1));
  const period = intervalStart >= 0n ? intervalStart / secs : -((-intervalStart + secs - 1n) / secs);
  let { capPeriod, creditInPeriod } = binding;
  if (period > capPeriod) {
    capPeriod = period;
    creditInPeriod = 0n;
  }
  const room = cap.maxCredit > creditInPeriod ? cap.maxCredit - creditInPeriod : 0n;
  const granted = credit < room ? credit : room;
  return { granted, clipped: credit - granted, capPeriod, creditInPeriod: creditInPeriod + granted };
}

/**
 * What settling `reading` at revision account `rev` moves, as `meter_settle` computes it: the
 * import charge (billed owner -> utility, within its mandate) and the export credit (escrow ->
 * owner, or owed). With `binding`, the credit is clipped at the revision's export cap as the
 * program clips it (`exportClipped`); with `at`, an expired revision quotes null. Null where
 * the program fails (revision mismatch or expired).
 */
export function quoteReading(
  rev: RevisionPrices,
  reading: Pick<MeterReading, 'revision' | 'intervalStart' | 'importWh' | 'exportWh'>,
  { at, binding }: { at?: SettleAt; binding?: ExportCapState } = {},
): {
  /** The time-of-use interval priced at: its first minute of the day, UTC (as `ReadingSettled`). */
  bandStartMinute: number;
  importPrice: bigint;
  exportPrice: bigint;
  amount: bigint;
  exportCredit: bigint;
  exportClipped: bigint;
} | null {
  const intervals = tariffIntervalsFor(rev, reading.revision, reading.intervalStart, at);
  const price = intervals && tariffIntervalAt(intervals, reading.intervalStart);
  if (!price) return null;
  const earned = exportCredit(reading.exportWh, price.exportPrice);
  const capped =
    binding && rev.exportCap ? cappedExportCredit(binding, rev.exportCap, reading.intervalStart, earned) : null;
  return {
    bandStartMinute: price.startMinute,
    importPrice: price.importPrice,
    exportPrice: price.exportPrice,
    amount: settlementAmount(reading.importWh, price.importPrice),
    exportCredit: capped ? capped.granted : earned,
    exportClipped: capped ? capped.clipped : 0n,
  };
}
