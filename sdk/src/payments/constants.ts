// The payments program's numeric constants and domain tags (`programs/ovpp-payments/src/constants.rs`).
/** Domain tag hashed into every reading's context (`READING_DOMAIN`, v3). */
export const READING_DOMAIN = new TextEncoder().encode('OVPP/meter-reading/v3');

/** Domain tag of a device-signed sequence gap (`GAP_DOMAIN`, `meter_gap`). */
export const GAP_DOMAIN = new TextEncoder().encode('OVPP/meter-gap/v1');
/** Bytes of one signed reading: context (32) ‖ revision (4) ‖ seq, interval start, import, export (8 each). */
export const READING_MESSAGE_LEN = 68;
/** Most readings one `meter_settle_batch` settles (`MAX_SETTLE_BATCH`). */
export const MAX_SETTLE_BATCH = 8;

/** Seconds in a day. */
export const SECONDS_PER_DAY = 86_400;
/** Shortest metering interval a tariff may declare (5 minutes). */
export const MIN_READING_INTERVAL_SECS = 300;
/** Longest metering interval a tariff may declare (a day). */
export const MAX_READING_INTERVAL_SECS = SECONDS_PER_DAY;
/** Shortest tariff settlement window (`MIN_SETTLEMENT_WINDOW_SECS`, a day). */
export const MIN_SETTLEMENT_WINDOW_SECS = SECONDS_PER_DAY;
/** Longest tariff settlement window (`MAX_SETTLEMENT_WINDOW_SECS`, 90 days). */
export const MAX_SETTLEMENT_WINDOW_SECS = 90 * SECONDS_PER_DAY;
/** Notice before a requested export-escrow withdrawal may execute (`EXPORT_WITHDRAW_NOTICE_SECS`, 7 days). */
export const EXPORT_WITHDRAW_NOTICE_SECS = 7 * SECONDS_PER_DAY;
/** Unpaid (owner, epoch) export debts one binding keeps (`MAX_EXPORT_DEBTS`). */
export const MAX_EXPORT_DEBTS = 4;
/** `TariffRevision.supersededAt` of a revision still in force (`i64::MAX`). */
export const REVISION_IN_FORCE = (1n << 63n) - 1n;
/** Longest settlement-mandate period (`MAX_MANDATE_PERIOD_SECS`, a year). */
export const MAX_MANDATE_PERIOD_SECS = 366 * SECONDS_PER_DAY;

/** USDE, USDC and unit tokens all have 6 decimals. */
export const TOKEN_DECIMALS = 6;
/** Switchboard on-demand results carry 18 decimals. */
export const ORACLE_DECIMALS = 18;
export const BPS = 10_000n;
