// @openvpp/indexer: every OpenVPP program event over Solana JSON-RPC into SQLite (node:sqlite),
// backfilled and caught up from a per-program cursor, idempotently.
export { Indexer, OPENVPP_PROGRAM_IDS, type IndexerOptions, type ProgramIds, type SyncResult } from './indexer';
export { IndexerConfigError, IndexerDataError, IndexerRpcError } from './errors';
export { decodeLogs, eventParsers, toJsonValue, type DecodedEvent, type EventParser } from './decode';
export type { Cursor, IndexedEvent } from './store';
