// Query parameters of the app API: page size and cursors, UTC days and billing periods. The
// schemas already hold their grammar; these turn them into values and name what is wrong.
import { HttpError } from './errors';
import type { Page } from './queries';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
/** Longest range of days a per-day read answers. */
export const MAX_DAYS = 366;

/** `?limit=` as a number (default 50); the schema keeps it in 1..200. */
export const pageLimit = (limit: string | undefined): number => (limit === undefined ? DEFAULT_LIMIT : Number(limit));

const DAY_MS = 86_400_000;

/** Unix ms of a `YYYY-MM-DD` UTC day; 400 `InvalidDay` for a day the calendar does not have. */
export function dayStart(day: string, param: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new HttpError(400, 'InvalidDay', `\`${param}\` is not a calendar day: expected YYYY-MM-DD (UTC)`);
  }
  return ms;
}

/** The UTC day of unix seconds `t`. */
export const dayOf = (t: number | bigint): string => new Date(Number(t) * 1000).toISOString().slice(0, 10);

/**
 * `from`..`to` (inclusive days): `to` defaults to today, `from` to 29 days before `to`; 400
 * `InvalidRange` when `to` is before `from` or the range is longer than 366 days.
 */
export function dayRange(q: { from?: string; to?: string }, today: string): { from: string; to: string } {
  const to = q.to ?? today;
  const toMs = dayStart(to, 'to');
  const from = q.from ?? new Date(toMs - 29 * DAY_MS).toISOString().slice(0, 10);
  const fromMs = dayStart(from, 'from');
  if (toMs < fromMs) throw new HttpError(400, 'InvalidRange', '`to` is before `from`');
  if ((toMs - fromMs) / DAY_MS + 1 > MAX_DAYS) {
    throw new HttpError(400, 'InvalidRange', `at most ${MAX_DAYS} days per request: narrow \`from\`..\`to\``);
  }
  return { from, to };
}

/** First and one past the last unix second of a `YYYY-MM` period; 400 `InvalidPeriod` otherwise. */
export function periodBounds(period: string): { from: number; to: number } {
  const m = /^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])$/.exec(period);
  if (!m) throw new HttpError(400, 'InvalidPeriod', '`period` must be a month, YYYY-MM (UTC), e.g. 2026-11');
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { from: Date.UTC(y, mo, 1) / 1000, to: Date.UTC(y, mo + 1, 1) / 1000 };
}

/** Offset cursors for pages cut from an in-memory list (`o<offset>`). */
export function pageOf<T>(all: T[], limit: number, cursor: string | undefined): Page<T> {
  let offset = 0;
  if (cursor !== undefined) {
    const m = /^o([0-9]{1,9})$/.exec(cursor);
    if (!m) throw invalidCursor();
    offset = Number(m[1]);
  }
  const items = all.slice(offset, offset + limit);
  return { items, next: offset + limit < all.length ? `o${offset + limit}` : null };
}

export const invalidCursor = () =>
  new HttpError(400, 'InvalidCursor', '`cursor` is not a cursor this service issued: pass the `next` of a page');
