// @openvpp/indexer: every OpenVPP program event and the USDE / unit-token movements over Solana
// JSON-RPC into SQLite (node:sqlite) or PostgreSQL through kysely, backfilled and caught up from
// per-program cursors, idempotently; live over logsSubscribe; the app's queries; reconcile.
export {
  Indexer,
  OPENVPP_PROGRAM_IDS,
  defaultWsUrl,
  mergeLists,
  type IndexerEvents,
  type IndexerOptions,
  type ProgramIds,
  type SyncResult,
} from './indexer';
export {
  IndexerConfigError,
  IndexerDataError,
  IndexerQueryError,
  IndexerRpcError,
  IndexerUnreachableError,
  type QueryErrorCode,
} from './errors';
export { COMPRESSED_EVENTS, toLeafProof, type CompressedDeviceView, type CompressedProof } from './compressed';
export { decodeLogs, eventParsers, toJsonValue, type DecodedEvent, type EventParser } from './decode';
export type { Cursor, IndexedEvent, LiveEvent } from './store';
export type { LiveOptions } from './live';
export { openDatabase, checkStoreConfig, storeConfigOf, type StoreConfig } from './db/open';
export { migrations, migrateToLatest, type Dialect } from './db/migrations';
export type { Database } from './db/schema';
export {
  reconcile,
  type MeterDifference,
  type OwnerDifference,
  type ReconcileOptions,
  type ReconcileReport,
} from './reconcile';
export {
  MAX_ENERGY_DAYS,
  MAX_PAGE,
  Queries,
  dayOf,
  dayStart,
  pageLimit,
  periodOf,
  periodRange,
  totals,
  type Amount,
  type AttestationStatus,
  type BillSummary,
  type DayTotals,
  type DeviceEnrollment,
  type DeviceMandate,
  type DeviceRoute,
  type DrEventView,
  type DrPayout,
  type EnergyBand,
  type EnergyDay,
  type HistoryItem,
  type HistoryKind,
  type MeterTotals,
  type OwnerDevice,
  type OwnerHome,
  type Page,
  type ProgramView,
  type PageOptions,
  type Statement,
  type StatementLine,
  type StatementLineKind,
  type UsdeMovement,
  type UsdeMovements,
  type UtilityCustomer,
  type UtilityHome,
  type UtilityRevenueDay,
} from './queries';
