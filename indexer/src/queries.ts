// The app's read model over the index (the same answers on SQLite and PostgreSQL): an owner's
// home, devices, energy per day and time-of-use band, history pages, bills and statements; a
// utility's revenue, customers and DR events; meter totals and USDE movements for `reconcile`.
// Amounts are raw base units as decimal strings (USDE has 6 decimals), energy is Wh (numbers),
// times unix seconds, days `YYYY-MM-DD` and billing periods `YYYY-MM` (UTC).
import type { Kysely, Selectable } from 'kysely';

import { CompressedQueries, type CompressedDeviceView, type CompressedProof } from './compressed';
import { IndexerQueryError } from './errors';
import { type Database, type DevicesTable, num, numOrNull } from './db/schema';

/** A raw amount (base units) as a decimal string. */
export type Amount = string;

export interface DayTotals {
  importWh: number;
  exportWh: number;
  /** USDE the owner paid for imports (intervals of the day). */
  billed: Amount;
  exportCredit: Amount;
  /** Export credit paid out (at settlement of the day's intervals, and claims that day). */
  exportPaid: Amount;
  /** DR rewards paid that day. */
  rewards: Amount;
}

export interface OwnerHome {
  owner: string;
  day: string;
  today: DayTotals;
  /** What export escrows owe the owner now (all tariffs and devices). */
  exportOwed: Amount;
  /** Balances after the newest indexed transaction that moved them ('0' before any). */
  balances: { usde: Amount; kwh: Amount; co2: Amount };
  devices: number;
}

export interface MeterTotals {
  device: string;
  readings: number;
  totalImportWh: number;
  totalExportWh: number;
  totalPaid: Amount;
  totalExportCredit: Amount;
  totalExportPaid: Amount;
}

export type AttestationStatus = 'valid' | 'expired' | 'revoked' | 'none';

export interface DeviceRoute {
  route: string;
  protocol: string;
  endpoint: string;
  version: number;
  expiresAt: number;
  attestation: { status: AttestationStatus; expiresAt: number | null; attestation: string | null };
}

export interface DeviceEnrollment {
  enrollment: string;
  program: string;
  programName: string | null;
  utility: string | null;
  status: string;
  updatedAt: number;
  route: DeviceRoute | null;
}

export interface DeviceMandate {
  mandate: string;
  utility: string;
  maxPerPeriod: Amount;
  periodSecs: number;
  maxTotal: Amount;
  /** Billed under this mandate so far (the revoke's figure once revoked). */
  spentTotal: Amount;
  revoked: boolean;
}

export interface OwnerDevice {
  device: string;
  deviceKey: string;
  /** The registry's device type (meter, evCharger, battery, inverter, thermostat, other); null if unknown. */
  kind: string | null;
  status: string;
  lfdi: string;
  sfdi: string;
  vendor: string;
  name: string | null;
  registeredAt: number;
  meter: Omit<MeterTotals, 'device'> | null;
  enrollments: DeviceEnrollment[];
  mandates: DeviceMandate[];
}

export interface EnergyBand {
  /** The time-of-use interval's start minute; null for readings settled before events carried it. */
  bandStartMinute: number | null;
  importWh: number;
  exportWh: number;
  billed: Amount;
  exportCredit: Amount;
}

export interface EnergyDay {
  day: string;
  bands: EnergyBand[];
}

export type HistoryKind =
  | 'reading'
  | 'dr_reward'
  | 'export_debt_paid'
  | 'usde_wrap'
  | 'usde_unwrap'
  | 'units_bought'
  | 'units_sold'
  | 'mandate_created'
  | 'mandate_revoked'
  | 'transfer';

/** One history line; kind-specific fields (a reading's intervalStart, exportCredit, exportPaid, bandStartMinute, ...) sit beside the common ones. */
export type HistoryItem = {
  kind: HistoryKind;
  signature: string;
  slot: number;
  blockTime: number | null;
  owner: string | null;
  device: string | null;
  utility: string | null;
  amount: Amount | null;
  importWh: number | null;
  exportWh: number | null;
  [extra: string]: unknown;
};

export interface Page<T> {
  items: T[];
  /** Opaque cursor of the next (older) page; null on the last. */
  next: string | null;
}

export interface PageOptions {
  /** 1..200 (default 50). */
  limit?: number;
  cursor?: string | null;
}

export interface BillSummary {
  period: string;
  billed: Amount;
  exportCredit: Amount;
  exportPaid: Amount;
  rewards: Amount;
  /** exportPaid + rewards - billed - fees: what the owner received (negative: paid). */
  net: Amount;
}

export type StatementLineKind = 'import' | 'export_credit' | 'export_paid' | 'dr_reward' | 'fee';

export interface StatementLine {
  kind: StatementLineKind;
  device: string;
  signature: string;
  slot: number;
  blockTime: number | null;
  intervalStart?: number;
  bandStartMinute?: number | null;
  importWh?: number;
  exportWh?: number;
  /** Raw USDE per kWh of the interval (null before ReadingSettled carried prices). */
  price?: Amount | null;
  amount: Amount;
}

export interface Statement {
  owner: string;
  period: string;
  /** Unix seconds, inclusive. */
  from: number;
  /** Unix seconds, exclusive. */
  to: number;
  lines: StatementLine[];
  totals: { billed: Amount; exportCredit: Amount; exportPaid: Amount; rewards: Amount; fees: Amount; net: Amount };
  /** What export escrows owed the owner at the period's end. */
  exportOwedAtEnd: Amount;
}

export interface UtilityRevenueDay {
  day: string;
  /** USDE owners paid for imports of the day's intervals. */
  revenue: Amount;
  exportCredit: Amount;
  exportPaid: Amount;
  /** DR rewards paid that day. */
  rewardsPaid: Amount;
  readings: number;
  importWh: number;
  exportWh: number;
}

export interface UtilityCustomer {
  enrollment: string;
  program: string;
  programName: string;
  device: string;
  /** The device's owner now (null if the device is not indexed). */
  owner: string | null;
  status: string;
  updatedAt: number;
}

export interface DrPayout {
  device: string;
  owner: string;
  flexWh: number;
  amount: Amount;
  signature: string;
  slot: number;
  blockTime: number | null;
}

export interface DrEventView {
  event: string;
  eventId: number;
  start: number;
  end: number;
  rewardPerKwh: Amount;
  budget: Amount;
  /** Rewards paid so far (indexed payouts). */
  paid: Amount;
  participants: number;
  closed: boolean;
  /** Budget returned at close (null while open). */
  returned: Amount | null;
  payouts: DrPayout[];
}

export interface UsdeMovement {
  signature: string;
  slot: number;
  blockTime: number | null;
  pre: Amount;
  post: Amount;
  delta: Amount;
}

export interface UsdeMovements {
  owner: string;
  period: string;
  items: UsdeMovement[];
  /** Sum of the deltas. */
  net: Amount;
}

export interface UtilityHome {
  utility: string;
  name: string | null;
  authority: string | null;
  day: string;
  today: { revenue: Amount; exportPaid: Amount; rewardsPaid: Amount; readings: number };
  programs: { program: string; programId: number; kind: string; name: string; open: boolean; enrolled: number }[];
  tariffs: { tariff: string; tariffId: number; revision: number; effectiveFrom: number }[];
  /** Enrollments in the utility's programs per status (Pending, Approved, ...). */
  devicesByStatus: Record<string, number>;
}

export interface ProgramView {
  program: string;
  utility: string;
  utilityName: string | null;
  programId: number;
  kind: string;
  name: string;
  open: boolean;
  /** Enrollments per status (Pending, Approved, ...). */
  enrollments: Record<string, number>;
}

export const MAX_PAGE = 200;
export const MAX_ENERGY_DAYS = 366;
const DAY = 86_400;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

/** Checks a base58 address argument. */
export function checkAddress(what: string, v: unknown): string {
  if (typeof v !== 'string' || !BASE58.test(v)) {
    throw new IndexerQueryError('InvalidAddress', `${what} is not a base58 address: ${JSON.stringify(v)}`);
  }
  return v;
}

/** `YYYY-MM` → [from, to) in unix seconds (UTC); IndexerQueryError InvalidPeriod otherwise. */
export function periodRange(period: unknown): { from: number; to: number } {
  const m = typeof period === 'string' ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period) : null;
  if (!m) throw new IndexerQueryError('InvalidPeriod', `period must be YYYY-MM, not ${JSON.stringify(period)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { from: Date.UTC(y, mo, 1) / 1000, to: Date.UTC(y, mo + 1, 1) / 1000 };
}

/** `YYYY-MM-DD` → its first second (UTC); IndexerQueryError InvalidDay otherwise. */
export function dayStart(day: unknown): number {
  const m = typeof day === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000 : NaN;
  if (!m || Number.isNaN(t) || dayOf(t) !== day) {
    throw new IndexerQueryError('InvalidDay', `day must be a date YYYY-MM-DD, not ${JSON.stringify(day)}`);
  }
  return t;
}

/** The UTC day of a unix time. */
export const dayOf = (t: number): string => new Date(t * 1000).toISOString().slice(0, 10);
/** The UTC billing period of a unix time. */
export const periodOf = (t: number): string => new Date(t * 1000).toISOString().slice(0, 7);

const sum = (xs: (string | null | undefined)[]): bigint => xs.reduce<bigint>((n, x) => n + BigInt(x ?? '0'), 0n);
const s = (n: bigint): Amount => n.toString(10);

interface CursorKey {
  slot: number;
  txSeq: number;
  idx: number;
  sub: number;
}

const encodeCursor = (k: CursorKey) =>
  Buffer.from(JSON.stringify([k.slot, k.txSeq, k.idx, k.sub])).toString('base64url');

function decodeCursor(c: string): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 4 && key.every((k) => Number.isSafeInteger(k) && (k as number) >= 0)) {
      const [slot, txSeq, idx, sub] = key as number[];
      return { slot, txSeq, idx, sub };
    }
  } catch {
    // falls through
  }
  throw new IndexerQueryError('InvalidCursor', 'cursor is not one this API returned');
}

/** Checks a page size (1..200, default 50). */
export function pageLimit(limit: unknown): number {
  if (limit === undefined || limit === null) return 50;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new IndexerQueryError('InvalidLimit', `limit must be an integer in 1..${MAX_PAGE}, not ${String(limit)}`);
  }
  if (limit > MAX_PAGE) throw new IndexerQueryError('PageTooLarge', `limit must be at most ${MAX_PAGE}, not ${limit}`);
  return limit;
}

/** Newest first: slot, then the chain's order within the slot (tx_seq), then event index. */
const newestFirst = <T extends { slot: number; txSeq: number; idx?: number }>(a: T, b: T) =>
  b.slot - a.slot || b.txSeq - a.txSeq || (b.idx ?? 0) - (a.idx ?? 0);

const LINE_ORDER: Record<StatementLineKind, number> = {
  import: 0,
  export_credit: 1,
  export_paid: 2,
  dr_reward: 3,
  fee: 4,
};

/** A program row (with its utility's name) as the views show it. */
const programOf = (p: {
  program: string;
  utility: string;
  utilityName: string | null;
  program_id: number;
  kind: string;
  name: string;
  open: number;
}): Omit<ProgramView, 'enrollments'> => ({
  program: p.program,
  utility: p.utility,
  utilityName: p.utilityName ?? null,
  programId: p.program_id,
  kind: p.kind,
  name: p.name,
  open: p.open === 1,
});

export class Queries {
  /** `now` (unix seconds) for attestation status; defaults to the wall clock. */
  constructor(
    readonly db: Kysely<Database>,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.compressed = new CompressedQueries(db);
  }

  private readonly compressed: CompressedQueries;

  // ---- compressed devices (see compressed.ts) ----

  /** The index's root of a compressed-device tree, at its sequence number; `complete` false while changes are missing. */
  compressedRoot(merkleTree: string): Promise<{ root: string; seq: number; complete: boolean }> {
    return this.compressed.compressedRoot(merkleTree);
  }

  /** The proof of leaf `index` of `merkleTree` (canopy levels left out) against the index's root. */
  compressedProof(merkleTree: string, index: number): Promise<CompressedProof> {
    return this.compressed.compressedProof(merkleTree, index);
  }

  /** Compressed devices by device key (activated first). */
  compressedDevicesByKey(deviceKey: string): Promise<CompressedDeviceView[]> {
    return this.compressed.compressedDevicesByKey(deviceKey);
  }

  /** The compressed device of an LFDI (hex), or null. */
  compressedDeviceByLfdi(lfdi: string): Promise<CompressedDeviceView | null> {
    return this.compressed.compressedDeviceByLfdi(lfdi);
  }

  /** The compressed devices an owner has claimed. */
  compressedDevicesOf(owner: string): Promise<CompressedDeviceView[]> {
    return this.compressed.compressedDevicesOf(owner);
  }

  /** The LFDI chain's low leaf (with its proof) for activating `lfdi`; null when the LFDI is taken. */
  compressedLowLeaf(lfdi: string) {
    return this.compressed.compressedLowLeaf(lfdi);
  }

  // ---- owners ----

  async ownerHome(owner: string, day: string): Promise<OwnerHome> {
    checkAddress('owner', owner);
    const from = dayStart(day);
    const to = from + DAY;
    const [lines, readings, owed, balances, devices] = await Promise.all([
      this.lines(owner, from, to),
      this.db
        .selectFrom('readings')
        .select(['import_wh', 'export_wh'])
        .where('owner', '=', owner)
        .where('interval_start', '>=', from)
        .where('interval_start', '<', to)
        .execute(),
      this.exportOwed(owner, null),
      this.balances(owner),
      this.db
        .selectFrom('devices')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('owner', '=', owner)
        .executeTakeFirstOrThrow(),
    ]);
    const t = totals(lines);
    return {
      owner,
      day,
      today: {
        importWh: readings.reduce((n, r) => n + num(r.import_wh), 0),
        exportWh: readings.reduce((n, r) => n + num(r.export_wh), 0),
        billed: t.billed,
        exportCredit: t.exportCredit,
        exportPaid: t.exportPaid,
        rewards: t.rewards,
      },
      exportOwed: s(owed),
      balances,
      devices: num(devices.n),
    };
  }

  /** The devices `owner` holds now (DeviceRegistered / DeviceOwnerTransferred), oldest first. */
  async ownerDevices(owner: string): Promise<OwnerDevice[]> {
    checkAddress('owner', owner);
    const rows = await this.db
      .selectFrom('devices')
      .selectAll()
      .where('owner', '=', owner)
      .orderBy('registered_at')
      .orderBy('device')
      .execute();
    const out: OwnerDevice[] = [];
    for (const d of rows) {
      const [view, mandates] = await Promise.all([this.deviceView(d), this.deviceMandates(d.device, owner)]);
      out.push({ ...view, mandates });
    }
    return out;
  }

  /**
   * One device as indexed (whoever owns it), or null for a device the index has never seen
   * (the service answers 404 for it).
   */
  async device(
    device: string,
  ): Promise<(Omit<OwnerDevice, 'mandates'> & { owner: string; pendingOwner: string | null }) | null> {
    checkAddress('device', device);
    const d = await this.db.selectFrom('devices').selectAll().where('device', '=', device).executeTakeFirst();
    return d ? { ...(await this.deviceView(d)), owner: d.owner, pendingOwner: d.pending_owner } : null;
  }

  /** Energy and money per UTC day and time-of-use band of the intervals `from`..`to` (days, inclusive, ≤ 366). */
  async ownerEnergy(owner: string, from: string, to: string): Promise<{ days: EnergyDay[] }> {
    checkAddress('owner', owner);
    const start = dayStart(from);
    const last = dayStart(to);
    if (last < start) throw new IndexerQueryError('InvalidRange', `from (${from}) is after to (${to})`);
    if ((last - start) / DAY + 1 > MAX_ENERGY_DAYS) {
      throw new IndexerQueryError('RangeTooLarge', `at most ${MAX_ENERGY_DAYS} days, not ${(last - start) / DAY + 1}`);
    }
    const rows = await this.db
      .selectFrom('readings')
      .select(['interval_start', 'band_start_minute', 'import_wh', 'export_wh', 'amount', 'export_credit'])
      .where('owner', '=', owner)
      .where('interval_start', '>=', start)
      .where('interval_start', '<', last + DAY)
      .execute();
    const days = new Map<
      string,
      Map<number | null, { importWh: number; exportWh: number; billed: bigint; credit: bigint }>
    >();
    for (const r of rows) {
      const day = dayOf(num(r.interval_start));
      const bands = days.get(day) ?? new Map();
      days.set(day, bands);
      const band = r.band_start_minute;
      const b = bands.get(band) ?? { importWh: 0, exportWh: 0, billed: 0n, credit: 0n };
      b.importWh += num(r.import_wh);
      b.exportWh += num(r.export_wh);
      b.billed += BigInt(r.amount);
      b.credit += BigInt(r.export_credit);
      bands.set(band, b);
    }
    return {
      days: [...days.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([day, bands]) => ({
          day,
          bands: [...bands.entries()]
            .sort(([a], [b]) => (a ?? -1) - (b ?? -1))
            .map(([bandStartMinute, b]) => ({
              bandStartMinute,
              importWh: b.importWh,
              exportWh: b.exportWh,
              billed: s(b.billed),
              exportCredit: s(b.credit),
            })),
        })),
    };
  }

  /**
   * History lines, newest first, of an owner, a device and/or a utility (all given filters
   * apply), a page at a time.
   */
  async history(
    filter: { owner?: string; device?: string; utility?: string },
    page: PageOptions = {},
  ): Promise<Page<HistoryItem>> {
    const limit = pageLimit(page.limit);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (filter.owner === undefined && filter.device === undefined && filter.utility === undefined) {
      throw new IndexerQueryError('InvalidAddress', 'history needs an owner, a device or a utility');
    }
    let q = this.db.selectFrom('activity').selectAll();
    if (filter.owner !== undefined) q = q.where('owner', '=', checkAddress('owner', filter.owner));
    if (filter.device !== undefined) q = q.where('device', '=', checkAddress('device', filter.device));
    if (filter.utility !== undefined) q = q.where('utility', '=', checkAddress('utility', filter.utility));
    // A transfer is one line per side; without an owner, a device's history shows it once.
    if (filter.owner === undefined) q = q.where('sub', '=', 0);
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('slot', '<', after.slot),
          eb.and([
            eb('slot', '=', after.slot),
            eb.or([
              eb('tx_seq', '<', after.txSeq),
              eb.and([
                eb('tx_seq', '=', after.txSeq),
                eb.or([eb('idx', '<', after.idx), eb.and([eb('idx', '=', after.idx), eb('sub', '<', after.sub)])]),
              ]),
            ]),
          ]),
        ]),
      );
    }
    const rows = await q
      .orderBy('slot', 'desc')
      .orderBy('tx_seq', 'desc')
      .orderBy('idx', 'desc')
      .orderBy('sub', 'desc')
      .limit(limit + 1)
      .execute();
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({
        ...(JSON.parse(r.data_json) as Record<string, unknown>),
        kind: r.kind as HistoryKind,
        signature: r.signature,
        slot: num(r.slot),
        blockTime: numOrNull(r.block_time),
        owner: r.owner,
        device: r.device,
        utility: r.utility,
        amount: r.amount,
        importWh: numOrNull(r.import_wh),
        exportWh: numOrNull(r.export_wh),
      })),
      next:
        more && last
          ? encodeCursor({ slot: num(last.slot), txSeq: num(last.tx_seq), idx: last.idx, sub: last.sub })
          : null,
    };
  }

  /** One summary per billing period with any statement line, newest first. */
  async bills(owner: string): Promise<{ items: BillSummary[] }> {
    checkAddress('owner', owner);
    const lines = await this.lines(owner, null, null);
    const byPeriod = new Map<string, StatementLine[]>();
    for (const l of lines) {
      const p = periodOf(l.intervalStart ?? l.blockTime ?? 0);
      byPeriod.set(p, [...(byPeriod.get(p) ?? []), l]);
    }
    return {
      items: [...byPeriod.entries()]
        .sort(([a], [b]) => (a < b ? 1 : -1))
        .map(([period, ls]) => {
          const t = totals(ls);
          return {
            period,
            billed: t.billed,
            exportCredit: t.exportCredit,
            exportPaid: t.exportPaid,
            rewards: t.rewards,
            net: t.net,
          };
        }),
    };
  }

  /**
   * The owner's statement for a billing period: each settled interval of the period (import,
   * export credit, export paid at settlement, with band and price), export debt paid by claims
   * and DR rewards paid in the period, each with its transaction; totals; what escrows owed at
   * the period's end.
   */
  async statement(owner: string, period: string): Promise<Statement> {
    checkAddress('owner', owner);
    const { from, to } = periodRange(period);
    const lines = await this.lines(owner, from, to);
    return {
      owner,
      period,
      from,
      to,
      lines,
      totals: totals(lines),
      exportOwedAtEnd: s(await this.exportOwed(owner, to)),
    };
  }

  // ---- utilities ----

  /** Per UTC day from..to (inclusive, ≤ 366 days): what the utility billed, credited and paid. */
  async utilityRevenue(utility: string, from: string, to: string): Promise<{ days: UtilityRevenueDay[] }> {
    checkAddress('utility', utility);
    const start = dayStart(from);
    const last = dayStart(to);
    if (last < start) throw new IndexerQueryError('InvalidRange', `from (${from}) is after to (${to})`);
    if ((last - start) / DAY + 1 > MAX_ENERGY_DAYS) {
      throw new IndexerQueryError('RangeTooLarge', `at most ${MAX_ENERGY_DAYS} days, not ${(last - start) / DAY + 1}`);
    }
    const [readings, rewards] = await Promise.all([
      this.db
        .selectFrom('readings')
        .select(['interval_start', 'import_wh', 'export_wh', 'amount', 'export_credit', 'export_paid'])
        .where('utility', '=', utility)
        .where('interval_start', '>=', start)
        .where('interval_start', '<', last + DAY)
        .execute(),
      this.db
        .selectFrom('dr_rewards')
        .select(['block_time', 'amount'])
        .where('utility', '=', utility)
        .where('block_time', '>=', start)
        .where('block_time', '<', last + DAY)
        .execute(),
    ]);
    const days = new Map<
      string,
      {
        revenue: bigint;
        credit: bigint;
        paid: bigint;
        rewards: bigint;
        readings: number;
        importWh: number;
        exportWh: number;
      }
    >();
    const at = (day: string) => {
      const d = days.get(day) ?? {
        revenue: 0n,
        credit: 0n,
        paid: 0n,
        rewards: 0n,
        readings: 0,
        importWh: 0,
        exportWh: 0,
      };
      days.set(day, d);
      return d;
    };
    for (const r of readings) {
      const d = at(dayOf(num(r.interval_start)));
      d.revenue += BigInt(r.amount);
      d.credit += BigInt(r.export_credit);
      d.paid += BigInt(r.export_paid);
      d.readings++;
      d.importWh += num(r.import_wh);
      d.exportWh += num(r.export_wh);
    }
    for (const r of rewards) at(dayOf(num(r.block_time!))).rewards += BigInt(r.amount);
    return {
      days: [...days.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([day, d]) => ({
          day,
          revenue: s(d.revenue),
          exportCredit: s(d.credit),
          exportPaid: s(d.paid),
          rewardsPaid: s(d.rewards),
          readings: d.readings,
          importWh: d.importWh,
          exportWh: d.exportWh,
        })),
    };
  }

  /** The enrollments in the utility's programs (optionally of one status), newest change first. */
  async utilityCustomers(utility: string, opts: { status?: string } = {}): Promise<UtilityCustomer[]> {
    checkAddress('utility', utility);
    let q = this.db
      .selectFrom('enrollments as e')
      .innerJoin('programs as p', 'p.program', 'e.program')
      .leftJoin('devices as d', 'd.device', 'e.device')
      .select([
        'e.enrollment',
        'e.program',
        'p.name as programName',
        'e.device',
        'd.owner',
        'e.status',
        'e.updated_at',
        'e.slot',
      ])
      .where('p.utility', '=', utility);
    if (opts.status !== undefined) q = q.where('e.status', '=', opts.status);
    const rows = await q.orderBy('e.slot', 'desc').orderBy('e.enrollment').execute();
    return rows.map((r) => ({
      enrollment: r.enrollment,
      program: r.program,
      programName: r.programName,
      device: r.device,
      owner: r.owner ?? null,
      status: r.status,
      updatedAt: num(r.updated_at),
    }));
  }

  /** The utility's DR events, newest first, with their indexed payouts. */
  async drEvents(utility: string): Promise<DrEventView[]> {
    checkAddress('utility', utility);
    const events = await this.db
      .selectFrom('dr_events')
      .selectAll()
      .where('utility', '=', utility)
      .orderBy('start_at', 'desc')
      .orderBy('event_id', 'desc')
      .execute();
    const out: DrEventView[] = [];
    for (const e of events) {
      const payouts = await this.db
        .selectFrom('dr_rewards')
        .selectAll()
        .where('event', '=', e.event)
        .orderBy('slot')
        .orderBy('tx_seq')
        .orderBy('idx')
        .execute();
      out.push({
        event: e.event,
        eventId: e.event_id,
        start: num(e.start_at),
        end: num(e.end_at),
        rewardPerKwh: e.reward_per_kwh,
        budget: e.budget,
        paid: s(sum(payouts.map((p) => p.amount))),
        participants: new Set(payouts.map((p) => p.device)).size,
        closed: e.closed === 1,
        returned: e.returned,
        payouts: payouts.map((p) => ({
          device: p.device,
          owner: p.owner,
          flexWh: num(p.flex_wh),
          amount: p.amount,
          signature: p.signature,
          slot: num(p.slot),
          blockTime: numOrNull(p.block_time),
        })),
      });
    }
    return out;
  }

  /** A utility's home: name, today's figures, programs, tariffs, enrollments by status. */
  async utilityHome(utility: string, day: string): Promise<UtilityHome> {
    checkAddress('utility', utility);
    const [partner, revenue, programs, tariffs, customers] = await Promise.all([
      this.db.selectFrom('partners').selectAll().where('partner', '=', utility).executeTakeFirst(),
      this.utilityRevenue(utility, day, day),
      this.db.selectFrom('programs').selectAll().where('utility', '=', utility).orderBy('program_id').execute(),
      this.db.selectFrom('tariffs').selectAll().where('utility', '=', utility).orderBy('tariff_id').execute(),
      this.utilityCustomers(utility),
    ]);
    const today = revenue.days[0];
    const byStatus: Record<string, number> = {};
    const perProgram = new Map<string, number>();
    for (const c of customers) {
      byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
      perProgram.set(c.program, (perProgram.get(c.program) ?? 0) + 1);
    }
    return {
      utility,
      name: partner?.name ?? null,
      authority: partner?.authority ?? null,
      day,
      today: {
        revenue: today?.revenue ?? '0',
        exportPaid: today?.exportPaid ?? '0',
        rewardsPaid: today?.rewardsPaid ?? '0',
        readings: today?.readings ?? 0,
      },
      programs: programs.map((p) => ({
        program: p.program,
        programId: p.program_id,
        kind: p.kind,
        name: p.name,
        open: p.open === 1,
        enrolled: perProgram.get(p.program) ?? 0,
      })),
      tariffs: tariffs.map((t) => ({
        tariff: t.tariff,
        tariffId: t.tariff_id,
        revision: t.revision,
        effectiveFrom: num(t.effective_from),
      })),
      devicesByStatus: byStatus,
    };
  }

  /** A routing program as indexed (ProgramCreated / ProgramStatusChanged), or null if unknown. */
  /** Programs with their utility's name (one row shape for `program` and `programs`). */
  private programRows() {
    return this.db
      .selectFrom('programs as p')
      .leftJoin('partners as u', 'u.partner', 'p.utility')
      .select(['p.program', 'p.utility', 'u.name as utilityName', 'p.program_id', 'p.kind', 'p.name', 'p.open']);
  }

  async program(program: string): Promise<ProgramView | null> {
    checkAddress('program', program);
    const p = await this.programRows().where('p.program', '=', program).executeTakeFirst();
    if (!p) return null;
    const counts = await this.db
      .selectFrom('enrollments')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('program', '=', program)
      .groupBy('status')
      .orderBy('status')
      .execute();
    return { ...programOf(p), enrollments: Object.fromEntries(counts.map((c) => [c.status, num(c.n)])) };
  }

  /**
   * Every utility program (open ones only with `open: true`), by utility name then program name:
   * what an owner picks from to enroll.
   */
  async programs(opts: { open?: boolean } = {}): Promise<Omit<ProgramView, 'enrollments'>[]> {
    let q = this.programRows();
    if (opts.open !== undefined) q = q.where('p.open', '=', opts.open ? 1 : 0);
    // Sorted here, not in SQL: NULL placement and string collation differ between the stores.
    const key = (p: { utilityName: string | null; name: string; program: string }) =>
      [p.utilityName ?? '', p.name, p.program] as const;
    const rows = (await q.execute()).sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    });
    return rows.map(programOf);
  }

  /** The partner accounts whose authority is `authority` (a wallet's utilities). */
  async partnersOf(authority: string): Promise<{ partner: string; kind: string; name: string; status: string }[]> {
    checkAddress('authority', authority);
    return this.db
      .selectFrom('partners')
      .select(['partner', 'kind', 'name', 'status'])
      .where('authority', '=', authority)
      .orderBy('partner')
      .execute();
  }

  // ---- reconcile ----

  /** A device's indexed lifetime totals (all owners), comparable with its Meter account. */
  async meterTotals(device: string): Promise<MeterTotals> {
    checkAddress('device', device);
    const rows = await this.db
      .selectFrom('readings')
      .select(['import_wh', 'export_wh', 'amount', 'export_credit', 'export_paid'])
      .where('device', '=', device)
      .execute();
    return {
      device,
      readings: rows.length,
      totalImportWh: rows.reduce((n, r) => n + num(r.import_wh), 0),
      totalExportWh: rows.reduce((n, r) => n + num(r.export_wh), 0),
      totalPaid: s(sum(rows.map((r) => r.amount))),
      totalExportCredit: s(sum(rows.map((r) => r.export_credit))),
      totalExportPaid: s(sum(rows.map((r) => r.export_paid))),
    };
  }

  /** The owner's USDE balance changes in indexed transactions of the period (by block time). */
  async usdeMovements(owner: string, period: string): Promise<UsdeMovements> {
    checkAddress('owner', owner);
    const { from, to } = periodRange(period);
    const rows = await this.db
      .selectFrom('token_movements')
      .selectAll()
      .where('owner', '=', owner)
      .where('kind', '=', 'usde')
      .where('block_time', '>=', from)
      .where('block_time', '<', to)
      .orderBy('slot')
      .orderBy('tx_seq')
      .execute();
    return {
      owner,
      period,
      items: rows.map((r) => ({
        signature: r.signature,
        slot: num(r.slot),
        blockTime: numOrNull(r.block_time),
        pre: r.pre,
        post: r.post,
        delta: r.delta,
      })),
      net: s(sum(rows.map((r) => r.delta))),
    };
  }

  /** The owner's USDE delta per indexed transaction (all time). */
  async usdeDeltas(owner: string): Promise<Map<string, bigint>> {
    const rows = await this.db
      .selectFrom('token_movements')
      .select(['signature', 'delta'])
      .where('owner', '=', owner)
      .where('kind', '=', 'usde')
      .execute();
    return new Map(rows.map((r) => [r.signature, BigInt(r.delta)]));
  }

  /** Every owner with a statement line (readings, claims, rewards). */
  async owners(): Promise<string[]> {
    const [a, b, c] = await Promise.all([
      this.db.selectFrom('readings').select('owner').distinct().execute(),
      this.db.selectFrom('export_debts').select('owner').distinct().execute(),
      this.db.selectFrom('dr_rewards').select('owner').distinct().execute(),
    ]);
    return [...new Set([...a, ...b, ...c].map((r) => r.owner))].sort();
  }

  /** Every device with a settled reading. */
  async meteredDevices(): Promise<string[]> {
    const rows = await this.db.selectFrom('readings').select('device').distinct().execute();
    return rows.map((r) => r.device).sort();
  }

  /** All statement lines of the owner (all time), for reconcile. */
  allLines(owner: string): Promise<StatementLine[]> {
    return this.lines(checkAddress('owner', owner), null, null);
  }

  // ---- building blocks ----

  /**
   * Statement lines of `owner`: readings whose interval starts in [from, to), claims and DR
   * rewards whose block time is in [from, to) (null: unbounded), oldest first.
   */
  private async lines(owner: string, from: number | null, to: number | null): Promise<StatementLine[]> {
    let rq = this.db.selectFrom('readings').selectAll().where('owner', '=', owner);
    let cq = this.db.selectFrom('export_debts').selectAll().where('owner', '=', owner).where('paid', '!=', '0');
    let dq = this.db.selectFrom('dr_rewards').selectAll().where('owner', '=', owner);
    if (from !== null) {
      rq = rq.where('interval_start', '>=', from);
      cq = cq.where('block_time', '>=', from);
      dq = dq.where('block_time', '>=', from);
    }
    if (to !== null) {
      rq = rq.where('interval_start', '<', to);
      cq = cq.where('block_time', '<', to);
      dq = dq.where('block_time', '<', to);
    }
    const [readings, claims, rewards] = await Promise.all([rq.execute(), cq.execute(), dq.execute()]);
    const out: (StatementLine & { idx: number; txSeq: number })[] = [];
    for (const r of readings) {
      const base = {
        device: r.device,
        signature: r.signature,
        slot: num(r.slot),
        blockTime: numOrNull(r.block_time),
        idx: r.idx,
        txSeq: num(r.tx_seq),
        intervalStart: num(r.interval_start),
        bandStartMinute: r.band_start_minute,
      };
      if (r.amount !== '0' || num(r.import_wh) > 0) {
        out.push({ kind: 'import', ...base, importWh: num(r.import_wh), price: r.import_price, amount: r.amount });
      }
      if (r.export_credit !== '0' || num(r.export_wh) > 0) {
        out.push({
          kind: 'export_credit',
          ...base,
          exportWh: num(r.export_wh),
          price: r.export_price,
          amount: r.export_credit,
        });
      }
      if (r.export_paid !== '0') out.push({ kind: 'export_paid', ...base, amount: r.export_paid });
    }
    for (const c of claims) {
      out.push({
        kind: 'export_paid',
        device: c.device,
        signature: c.signature,
        slot: num(c.slot),
        blockTime: numOrNull(c.block_time),
        idx: c.idx,
        txSeq: num(c.tx_seq),
        amount: c.paid,
      });
    }
    for (const d of rewards) {
      out.push({
        kind: 'dr_reward',
        device: d.device,
        signature: d.signature,
        slot: num(d.slot),
        blockTime: numOrNull(d.block_time),
        idx: d.idx,
        txSeq: num(d.tx_seq),
        amount: d.amount,
      });
    }
    out.sort((a, b) => -newestFirst(a, b) || LINE_ORDER[a.kind] - LINE_ORDER[b.kind]);
    return out.map(({ idx: _idx, txSeq: _txSeq, ...l }) => l);
  }

  /** What escrows owe `owner` (latest figure per tariff and device), as of block time `before` (null: now). */
  private async exportOwed(owner: string, before: number | null): Promise<bigint> {
    let q = this.db
      .selectFrom('export_debts')
      .select(['tariff', 'device', 'owed', 'slot', 'tx_seq', 'idx'])
      .where('owner', '=', owner);
    if (before !== null) q = q.where('block_time', '<', before);
    const rows = await q.execute();
    const latest = new Map<string, { slot: number; txSeq: number; idx: number; owed: string }>();
    for (const r of rows) {
      const k = `${r.tariff} ${r.device}`;
      const row = { slot: num(r.slot), txSeq: num(r.tx_seq), idx: r.idx, owed: r.owed };
      const cur = latest.get(k);
      if (!cur || newestFirst(row, cur) < 0) latest.set(k, row);
    }
    return sum([...latest.values()].map((r) => r.owed));
  }

  private async balances(owner: string): Promise<{ usde: Amount; kwh: Amount; co2: Amount }> {
    const rows = await this.db
      .selectFrom('token_movements')
      .select(['kind', 'post', 'slot', 'tx_seq'])
      .where('owner', '=', owner)
      .execute();
    const latest = new Map<string, { slot: number; txSeq: number; post: string }>();
    for (const r of rows) {
      const row = { slot: num(r.slot), txSeq: num(r.tx_seq), post: r.post };
      const cur = latest.get(r.kind);
      if (!cur || newestFirst(row, cur) < 0) latest.set(r.kind, row);
    }
    return {
      usde: latest.get('usde')?.post ?? '0',
      kwh: latest.get('kwh')?.post ?? '0',
      co2: latest.get('co2Kg')?.post ?? '0',
    };
  }

  /** A device row with its name, meter totals and enrollments. */
  private async deviceView(d: Selectable<DevicesTable>): Promise<Omit<OwnerDevice, 'mandates'>> {
    const [name, meter, enrollments] = await Promise.all([
      this.db
        .selectFrom('names')
        .select('name')
        .where('target', '=', d.device)
        .where('released', '=', 0)
        .orderBy('name')
        .executeTakeFirst(),
      this.meterTotals(d.device),
      this.deviceEnrollments(d.device),
    ]);
    const { device: _device, ...totals } = meter;
    return {
      device: d.device,
      deviceKey: d.device_key,
      kind: d.kind,
      status: d.status,
      lfdi: d.lfdi,
      sfdi: d.sfdi,
      vendor: d.vendor,
      name: name?.name ?? null,
      registeredAt: num(d.registered_at),
      meter: meter.readings > 0 ? totals : null,
      enrollments,
    };
  }

  private async deviceEnrollments(device: string): Promise<DeviceEnrollment[]> {
    const rows = await this.db
      .selectFrom('enrollments as e')
      .leftJoin('programs as p', 'p.program', 'e.program')
      .select(['e.enrollment', 'e.program', 'p.name', 'p.utility', 'e.status', 'e.updated_at'])
      .where('e.device', '=', device)
      .orderBy('e.slot')
      .orderBy('e.enrollment')
      .execute();
    const now = this.now();
    const out: DeviceEnrollment[] = [];
    for (const r of rows) {
      const route = await this.db
        .selectFrom('routes')
        .selectAll()
        .where('enrollment', '=', r.enrollment)
        .where('revoked', '=', 0)
        .orderBy('version', 'desc')
        .executeTakeFirst();
      let view: DeviceRoute | null = null;
      if (route) {
        const att = await this.db
          .selectFrom('endpoint_attestations')
          .selectAll()
          .where('endpoint', '=', route.endpoint)
          .orderBy('slot', 'desc')
          .orderBy('attestation')
          .executeTakeFirst();
        const status: AttestationStatus = !att
          ? 'none'
          : att.revoked
            ? 'revoked'
            : num(att.expires_at) <= now
              ? 'expired'
              : 'valid';
        view = {
          route: route.route,
          protocol: route.protocol,
          endpoint: route.endpoint,
          version: route.version,
          expiresAt: num(route.expires_at),
          attestation: { status, expiresAt: att ? num(att.expires_at) : null, attestation: att?.attestation ?? null },
        };
      }
      out.push({
        enrollment: r.enrollment,
        program: r.program,
        programName: r.name ?? null,
        utility: r.utility ?? null,
        status: r.status,
        updatedAt: num(r.updated_at),
        route: view,
      });
    }
    return out;
  }

  private async deviceMandates(device: string, owner: string): Promise<DeviceMandate[]> {
    const rows = await this.db
      .selectFrom('mandates')
      .selectAll()
      .where('device', '=', device)
      .where('owner', '=', owner)
      .orderBy('created_slot')
      .execute();
    const out: DeviceMandate[] = [];
    for (const m of rows) {
      let spent = m.spent_total;
      if (spent === null) {
        const billed = await this.db
          .selectFrom('readings')
          .select('amount')
          .where('device', '=', device)
          .where('owner', '=', owner)
          .where('epoch', '=', m.epoch)
          .where('slot', '>=', num(m.created_slot))
          .execute();
        spent = s(sum(billed.map((b) => b.amount)));
      }
      out.push({
        mandate: m.mandate,
        utility: m.utility,
        maxPerPeriod: m.max_per_period,
        periodSecs: m.period_secs,
        maxTotal: m.max_total,
        spentTotal: spent,
        revoked: m.revoked === 1,
      });
    }
    return out;
  }
}

/** Statement totals of `lines`. */
export function totals(lines: StatementLine[]): Statement['totals'] {
  const of = (k: StatementLineKind) => sum(lines.filter((l) => l.kind === k).map((l) => l.amount));
  const billed = of('import');
  const exportCredit = of('export_credit');
  const exportPaid = of('export_paid');
  const rewards = of('dr_reward');
  const fees = of('fee');
  return {
    billed: s(billed),
    exportCredit: s(exportCredit),
    exportPaid: s(exportPaid),
    rewards: s(rewards),
    fees: s(fees),
    net: s(exportPaid + rewards - billed - fees),
  };
}
