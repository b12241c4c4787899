// The indexer's tables as kysely sees them (one schema for SQLite and PostgreSQL). Amounts of
// USDE and units (u64/i128 on chain) are decimal strings (TEXT): exact on both databases and
// summed as bigint in TypeScript. Slots, times and Wh are 64-bit integers (INTEGER / bigint),
// which PostgreSQL returns as strings: read them through `num()`.
import type { ColumnType } from 'kysely';

/** A 64-bit integer column: a number in, number or string (PostgreSQL's int8) out. */
export type Int = ColumnType<number | string | bigint, number, number>;
export type NullableInt = ColumnType<number | string | bigint | null, number | null, number | null>;

export const num = (v: number | string | bigint): number => Number(v);
export const numOrNull = (v: number | string | bigint | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

interface Tx {
  signature: string;
  slot: Int;
  block_time: NullableInt;
  /**
   * The transaction's place in ingestion order (1, 2, ...): the programs' lists merged so that
   * within a slot each program's order (the chain's) is kept. Rows order by (slot, tx_seq, idx).
   */
  tx_seq: Int;
}

/** A row of one event of one transaction: (signature, idx) is the event's place in the chain. */
interface EventRow extends Tx {
  idx: number;
}

export interface TransactionsTable extends Tx {
  /** 1 when the transaction failed (it then has no events). */
  failed: number;
}

export interface CursorsTable {
  program: string;
  signature: string;
  slot: Int;
}

export interface EventsTable extends EventRow {
  program: string;
  name: string;
  data_json: string;
}

export interface MintsTable {
  mint: string;
  /** 'usde' | 'kwh' | 'co2Kg' */
  kind: string;
}

export interface PartnersTable {
  partner: string;
  authority: string;
  kind: string;
  name: string;
  status: string;
}

export interface DevicesTable {
  device: string;
  device_key: string;
  vendor: string;
  owner: string;
  pending_owner: string | null;
  /** The registry's device type (meter, evCharger, battery, ...), read from the device account; null if closed. */
  kind: string | null;
  lfdi: string;
  sfdi: string;
  status: string;
  epoch: number;
  registered_at: Int;
  slot: Int;
  block_time: NullableInt;
}

export interface NamesTable {
  name_record: string;
  name: string;
  target: string;
  released: number;
}

export interface ProgramsTable {
  program: string;
  utility: string;
  program_id: number;
  kind: string;
  name: string;
  open: number;
}

export interface EnrollmentsTable {
  enrollment: string;
  program: string;
  device: string;
  status: string;
  by_key: string;
  updated_at: Int;
  slot: Int;
  block_time: NullableInt;
}

export interface RoutesTable {
  route: string;
  enrollment: string;
  protocol: string;
  endpoint: string;
  version: number;
  expires_at: Int;
  revoked: number;
}

export interface EndpointAttestationsTable {
  attestation: string;
  endpoint: string;
  kind: string;
  expires_at: Int;
  revoked: number;
  slot: Int;
}

export interface TariffsTable {
  tariff: string;
  utility: string;
  tariff_id: number;
  revision: number;
  effective_from: Int;
}

export interface BindingsTable {
  binding: string;
  tariff: string;
  device: string;
  enrollment: string;
  program: string;
}

export interface MandatesTable {
  mandate: string;
  owner: string;
  device: string;
  utility: string;
  epoch: number;
  max_per_period: string;
  period_secs: number;
  max_total: string;
  /** Set when revoked (the event's spent_total). */
  spent_total: string | null;
  revoked: number;
  created_slot: Int;
  created_time: NullableInt;
}

export interface ReadingsTable extends EventRow {
  device: string;
  tariff: string;
  /** The tariff's utility (TariffPublished.utility); null when the tariff is not indexed. */
  utility: string | null;
  owner: string;
  epoch: number;
  revision: number;
  seq: string;
  interval_start: Int;
  import_wh: Int;
  export_wh: Int;
  amount: string;
  export_credit: string;
  export_clipped: string;
  export_paid: string;
  export_owed: string;
  /** The time-of-use interval's start minute (events from before the field existed: null). */
  band_start_minute: number | null;
  import_price: string | null;
  export_price: string | null;
}

export interface DrEventsTable {
  event: string;
  utility: string;
  event_id: number;
  start_at: Int;
  end_at: Int;
  reward_per_kwh: string;
  budget: string;
  closed: number;
  paid_at_close: string | null;
  returned: string | null;
  participants_at_close: number | null;
  slot: Int;
  block_time: NullableInt;
}

export interface DrRewardsTable extends EventRow {
  event: string;
  utility: string | null;
  device: string;
  owner: string;
  flex_wh: Int;
  amount: string;
}

/** What an export escrow owes an owner on one binding, after each settlement or claim. */
export interface ExportDebtsTable extends EventRow {
  owner: string;
  tariff: string;
  device: string;
  /** Paid out by a claim (ExportDebtPaid); '0' for settlements (their payout is on the reading). */
  paid: string;
  owed: string;
}

/** One owner's balance change of one tracked mint in one transaction (pre/postTokenBalances). */
export interface TokenMovementsTable extends Tx {
  owner: string;
  mint: string;
  /** 'usde' | 'kwh' | 'co2Kg' */
  kind: string;
  pre: string;
  post: string;
  delta: string;
}

/** One line of someone's history (one event can give several: both sides of a transfer). */
export interface ActivityTable extends EventRow {
  sub: number;
  kind: string;
  owner: string | null;
  device: string | null;
  utility: string | null;
  amount: string | null;
  import_wh: NullableInt;
  export_wh: NullableInt;
  data_json: string;
}

/** A registry tree of compressed devices (`CompressedTreeCreated`). */
export interface CompressedTreesTable {
  merkle_tree: string;
  /** The registry's `["ctree", merkle_tree]` record (the tree's authority). */
  tree: string;
  /** The vendor partner of a vendor tree; the default key for a protocol tree. */
  vendor: string;
  creator: string;
  max_depth: number;
  max_buffer_size: number;
  canopy_depth: number;
  /** The tree's sequence number after the newest applied change. */
  seq: Int;
  /** Changes applied; less than `seq` while some are missing (a gap to backfill). */
  changes: Int;
  slot: Int;
}

/** The newest version of one leaf of a compressed-device tree. */
export interface CompressedLeavesTable {
  merkle_tree: string;
  leaf_index: number;
  /** The tree's sequence number when this version was written. */
  seq: Int;
  /** The leaf hash, hex. */
  leaf: string;
  /** 'device' | 'head' (the LFDI chain's head). */
  kind: string;
  device_key: string | null;
  vendor: string | null;
  /** The claimed owner (null while unclaimed). */
  owner: string | null;
  pending_owner: string | null;
  /** hex (20 bytes); the head's is all zero. */
  lfdi: string;
  /** hex; all zero while provisioned, all 0xff at the chain's end. */
  next_lfdi: string;
  /** 'Provisioned' | 'Active' | 'Suspended' | 'Revoked' ('Head' for the head). */
  status: string;
  /** The full preimage (`CompressedDevice` as the event decodes it, JSON); `{}` for the head. */
  data_json: string;
  signature: string;
  slot: Int;
  block_time: NullableInt;
}

export interface Database {
  transactions: TransactionsTable;
  cursors: CursorsTable;
  events: EventsTable;
  mints: MintsTable;
  partners: PartnersTable;
  devices: DevicesTable;
  names: NamesTable;
  programs: ProgramsTable;
  enrollments: EnrollmentsTable;
  routes: RoutesTable;
  endpoint_attestations: EndpointAttestationsTable;
  tariffs: TariffsTable;
  bindings: BindingsTable;
  mandates: MandatesTable;
  readings: ReadingsTable;
  dr_events: DrEventsTable;
  dr_rewards: DrRewardsTable;
  export_debts: ExportDebtsTable;
  token_movements: TokenMovementsTable;
  activity: ActivityTable;
  compressed_trees: CompressedTreesTable;
  compressed_leaves: CompressedLeavesTable;
}
