// What the app API reads from the event indexer: history and aggregates (the chain holds current
// state, the indexer holds what happened). The shapes are the app API's conventions (issue 18):
// amounts are raw base units as decimal strings, energy Wh as numbers, times unix seconds, days
// `YYYY-MM-DD` and billing periods `YYYY-MM` (UTC). `@openvpp/indexer`'s `Queries` implements it
// on SQLite and PostgreSQL (these are the parts of its types the service reads); tests may pass
// any object of this shape.

export interface Page<T> {
  items: T[];
  /** Opaque cursor of the next (older) page, or null on the last one. */
  next: string | null;
}

export interface DayTotals {
  importWh: number;
  exportWh: number;
  billed: string;
  exportCredit: string;
  exportPaid: string;
  rewards: string;
}

export interface OwnerHomeRow {
  today: DayTotals;
  /** Export credit the escrows still owe this owner (raw USDE). */
  exportOwed: string;
}

/** A device the owner holds now (the indexer's view; the service re-reads current state from chain). */
export interface OwnerDeviceRow {
  device: string;
  name: string | null;
  enrollments: { enrollment: string; program: string }[];
}

export interface EnergyBand {
  bandStartMinute: number | null;
  importWh: number;
  exportWh: number;
  billed: string;
  exportCredit: string;
}

export interface EnergyDay {
  day: string;
  bands: EnergyBand[];
}

export interface HistoryItem {
  kind: string;
  signature: string;
  slot: number;
  blockTime: number | null;
  device: string | null;
  amount: string | null;
  importWh: number | null;
  exportWh: number | null;
  [extra: string]: unknown;
}

export interface BillSummary {
  period: string;
  billed: string;
  exportCredit: string;
  exportPaid: string;
  rewards: string;
  net: string;
}

export type StatementLineKind = 'import' | 'export_credit' | 'export_paid' | 'dr_reward' | 'fee';

export interface StatementLine {
  kind: StatementLineKind;
  device: string | null;
  signature: string;
  slot: number;
  blockTime: number | null;
  intervalStart?: number | null;
  bandStartMinute?: number | null;
  importWh?: number | null;
  exportWh?: number | null;
  price?: string | null;
  amount: string;
}

export interface Statement {
  owner: string;
  period: string;
  /** First and one past the last unix second of the period. */
  from: number;
  to: number;
  lines: StatementLine[];
  totals: { billed: string; exportCredit: string; exportPaid: string; rewards: string; fees: string; net: string };
  exportOwedAtEnd: string;
}

export interface RevenueDay {
  day: string;
  revenue: string;
  exportPaid: string;
  rewardsPaid: string;
  readings: number;
}

/** An enrollment in one of the utility's programs (its customers and its queue). */
export interface UtilityCustomer {
  enrollment: string;
  program: string;
  programName: string;
  device: string;
  owner: string | null;
  status: string;
  updatedAt: number;
}

export interface DrEventRow {
  event: string;
  eventId: number;
  start: number;
  end: number;
  rewardPerKwh: string;
  budget: string;
  paid: string;
  participants: number;
  closed: boolean;
  payouts: {
    device: string;
    owner: string;
    flexWh: number;
    amount: string;
    signature: string;
    slot: number;
    blockTime: number | null;
  }[];
}

export interface UtilityHomeRow {
  today: { revenue: string; exportPaid: string; rewardsPaid: string; readings: number };
  programs: { program: string }[];
  tariffs: { tariff: string; tariffId: number; revision: number; effectiveFrom: number }[];
}

/** The indexer reads the app API needs (`@openvpp/indexer` `Queries`). */
export interface AppQueries {
  ownerHome(owner: string, day: string): Promise<OwnerHomeRow>;
  ownerDevices(owner: string): Promise<OwnerDeviceRow[]>;
  ownerEnergy(owner: string, from: string, to: string): Promise<{ days: EnergyDay[] }>;
  history(
    filter: { owner?: string; device?: string; utility?: string },
    page: { limit?: number; cursor?: string | null },
  ): Promise<Page<HistoryItem>>;
  bills(owner: string): Promise<{ items: BillSummary[] }>;
  statement(owner: string, period: string): Promise<Statement>;
  utilityHome(utility: string, day: string): Promise<UtilityHomeRow>;
  utilityRevenue(utility: string, from: string, to: string): Promise<{ days: RevenueDay[] }>;
  utilityCustomers(utility: string, opts?: { status?: string }): Promise<UtilityCustomer[]>;
  drEvents(utility: string): Promise<DrEventRow[]>;
}

/** A live event the indexer saw commit (`reading`, `dr_reward`, `enrollment`). */
export interface LiveEvent {
  type: 'reading' | 'dr_reward' | 'enrollment';
  owner: string | null;
  utility: string | null;
  device: string;
  [field: string]: unknown;
}

export const LIVE_EVENTS = ['reading', 'dr_reward', 'enrollment'] as const;

/** Where live events come from (the indexer is an EventEmitter of them). */
export interface LiveSource {
  on(event: (typeof LIVE_EVENTS)[number], listener: (e: LiveEvent) => void): unknown;
  off(event: (typeof LIVE_EVENTS)[number], listener: (e: LiveEvent) => void): unknown;
}
