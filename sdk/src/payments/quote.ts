// Off-chain previews of the program's conversion math (`programs/ovpp-payments/src/math.rs`),
// identical formulas and rounding, all bigint. Oracle values are USD per unit with 18
// decimals; token amounts are raw 6-decimal amounts.
import { BPS } from './constants';

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

/** The import price in force at `unixTime` (UTC minute of day), as `Tariff::interval_at`. */
export function tariffPriceAt(
  intervals: { startMinute: number; importPrice: bigint }[],
  unixTime: bigint,
): bigint | null {
  const minute = Number((((unixTime % 86_400n) + 86_400n) % 86_400n) / 60n);
  const hit = [...intervals].reverse().find((i) => i.startMinute <= minute);
  return hit ? hit.importPrice : null;
}
