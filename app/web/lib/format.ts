// Display and input conversions. USDE and the unit tokens have 6 decimals; everything stays in
// bigint / decimal strings until it is shown, so nothing rounds through a float.

export const DECIMALS = 6;
const SCALE = 10n ** BigInt(DECIMALS);

/** Raw base units (decimal string or bigint) → "1,234.56" (trailing zeros to 2 places). */
export function units(raw: string | bigint | number | null | undefined, minFraction = 2): string {
  if (raw === null || raw === undefined || raw === '') return '—';
  let v: bigint;
  try {
    v = BigInt(raw);
  } catch {
    return String(raw);
  }
  const neg = v < 0n;
  if (neg) v = -v;
  const whole = (v / SCALE).toLocaleString('en-US');
  let frac = (v % SCALE).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  if (frac.length < minFraction) frac = frac.padEnd(minFraction, '0');
  return `${neg ? '−' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

export const usde = (raw: string | bigint | null | undefined): string => `${units(raw)} USDE`;

/** "12.5" → 12_500_000n; throws a RangeError with a reason a person can read. */
export function parseUnits(text: string): bigint {
  const t = text.trim().replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(t)) throw new RangeError('Enter an amount like 12.50');
  const [whole, frac = ''] = t.split('.');
  if (frac.length > DECIMALS) throw new RangeError(`At most ${DECIMALS} decimal places`);
  return BigInt(whole) * SCALE + BigInt(frac.padEnd(DECIMALS, '0'));
}

/** Wh → "1.234 kWh". */
export function kwh(wh: number | null | undefined): string {
  if (wh === null || wh === undefined) return '—';
  return `${(wh / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 })} kWh`;
}

export function short(address: string | null | undefined, n = 4): string {
  if (!address) return '—';
  return address.length > 2 * n + 1 ? `${address.slice(0, n)}…${address.slice(-n)}` : address;
}

export function when(unix: number | null | undefined): string {
  if (unix === null || unix === undefined) return '—';
  return new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** Minute of the day → "07:00". */
export function minuteOfDay(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The UTC day of `now` (unix seconds; the cluster's clock, see useClusterNow). */
export function today(now: number = Date.now() / 1000): string {
  return new Date(now * 1000).toISOString().slice(0, 10);
}

export function daysAgo(n: number, now: number = Date.now() / 1000): string {
  return today(now - n * 86_400);
}

/** A unix time as a `datetime-local` value in UTC (`YYYY-MM-DDTHH:MM`). */
export function isoMinute(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 16);
}

export function period(date = new Date()): string {
  return date.toISOString().slice(0, 7);
}

export function periodLabel(secs: number): string {
  if (secs % 86_400 === 0) {
    const d = secs / 86_400;
    if (d === 1) return 'day';
    if (d === 7) return 'week';
    if (d === 30) return '30 days';
    return `${d} days`;
  }
  if (secs % 3600 === 0) return `${secs / 3600} h`;
  return `${secs} s`;
}

/** "net" amounts are signed strings: positive = the owner owes. */
export function signed(raw: string | null | undefined): string {
  if (!raw) return '—';
  return usde(raw);
}

export const KIND_LABEL: Record<string, string> = {
  reading: 'Reading settled',
  dr_reward: 'DR reward',
  export_debt_paid: 'Export debt paid',
  usde_wrap: 'USDE wrapped',
  usde_unwrap: 'USDE unwrapped',
  units_bought: 'Units bought',
  units_sold: 'Units sold',
  mandate_created: 'Mandate created',
  mandate_revoked: 'Mandate revoked',
  transfer: 'Transfer',
  import: 'Import',
  export_credit: 'Export credit',
  export_paid: 'Export paid',
  fee: 'Fee',
};

export const kindLabel = (k: string): string => KIND_LABEL[k] ?? k.replace(/_/g, ' ');

/**
 * An on-chain enum variant as words: `demandResponse` -> "demand response", `evCharger` ->
 * "EV charger" (program and device kinds arrive as the IDL's camelCase names).
 */
export const enumLabel = (v: string | null | undefined): string =>
  (v ?? '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\bev\b/g, 'EV');
