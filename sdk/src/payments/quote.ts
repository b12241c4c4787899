// Off-chain previews of the program's conversion math (`programs/ovpp-payments/src/math.rs`),
// identical formulas and rounding, all bigint. Oracle values are USD per unit with 18
// decimals; token amounts are raw 6-decimal amounts.
import { BPS } from './constants';
import type { MeterReading, Tariff, TariffInterval } from './types';

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

type TariffRevisions = Pick<
  Tariff,
  'revision' | 'effectiveFrom' | 'intervals' | 'prevRevision' | 'prevEffectiveFrom' | 'prevIntervals'
>;

/**
 * The intervals `revision` prices a reading starting at `intervalStart` with, as
 * `Tariff::intervals_for`: the revision in force from its `effectiveFrom`, or the previous one
 * before it; null where the program fails with `TariffRevisionMismatch`.
 */
export function tariffIntervalsFor(
  tariff: TariffRevisions,
  revision: number,
  intervalStart: bigint,
): TariffInterval[] | null {
  if (revision === tariff.revision && intervalStart >= tariff.effectiveFrom) return tariff.intervals;
  if (
    tariff.prevRevision !== 0 &&
    revision === tariff.prevRevision &&
    intervalStart >= tariff.prevEffectiveFrom &&
    intervalStart < tariff.effectiveFrom
  ) {
    return tariff.prevIntervals;
  }
  return null;
}

/** The revision a device should sign a reading starting at `intervalStart` for (null: none covers it). */
export function tariffRevisionFor(tariff: TariffRevisions, intervalStart: bigint): number | null {
  if (intervalStart >= tariff.effectiveFrom) return tariff.revision;
  if (tariff.prevRevision !== 0 && intervalStart >= tariff.prevEffectiveFrom) return tariff.prevRevision;
  return null;
}

/**
 * What settling `reading` against `tariff` moves, as `meter_settle` computes it: the import
 * charge (owner -> utility, within the mandate) and the export credit (escrow -> owner, or
 * recorded as owed). Null when the reading's revision does not cover its interval.
 */
export function quoteReading(
  tariff: TariffRevisions,
  reading: Pick<MeterReading, 'revision' | 'intervalStart' | 'importWh' | 'exportWh'>,
): { importPrice: bigint; exportPrice: bigint; amount: bigint; exportCredit: bigint } | null {
  const intervals = tariffIntervalsFor(tariff, reading.revision, reading.intervalStart);
  const price = intervals && tariffIntervalAt(intervals, reading.intervalStart);
  if (!price) return null;
  return {
    importPrice: price.importPrice,
    exportPrice: price.exportPrice,
    amount: settlementAmount(reading.importWh, price.importPrice),
    exportCredit: exportCredit(reading.exportWh, price.exportPrice),
  };
}
