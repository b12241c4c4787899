/// <reference path="./node-sqlite.d.ts" />
// The SQLite store (node:sqlite, one file): `events` keyed by (signature, idx) and one cursor
// per program, written together in one SQLite transaction per ingested chain transaction.
import { DatabaseSync } from 'node:sqlite';

import type { DecodedEvent } from './decode';
import { toJsonValue } from './decode';

/** An event as stored: `data` is the decoded event as JSON (see `toJsonValue`). */
export interface IndexedEvent {
  signature: string;
  slot: number;
  /** The event's position among the transaction's OpenVPP events, in log order. */
  idx: number;
  program: string;
  name: string;
  data: Record<string, unknown>;
}

/** The newest transaction of a program that is in the store. */
export interface Cursor {
  program: string;
  signature: string;
  slot: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  signature TEXT NOT NULL,
  slot INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  program TEXT NOT NULL,
  name TEXT NOT NULL,
  data_json TEXT NOT NULL,
  PRIMARY KEY (signature, idx)
);
CREATE INDEX IF NOT EXISTS events_program_slot ON events (program, slot);
CREATE INDEX IF NOT EXISTS events_name_slot ON events (name, slot);
CREATE TABLE IF NOT EXISTS cursor (
  program TEXT PRIMARY KEY,
  signature TEXT NOT NULL,
  slot INTEGER NOT NULL
);
`;

export class Store {
  private readonly db: DatabaseSync;

  constructor(file: string) {
    this.db = new DatabaseSync(file);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
    this.db.exec(SCHEMA);
  }

  cursor(program: string): Cursor | null {
    const row = this.db.prepare('SELECT program, signature, slot FROM cursor WHERE program = ?').get(program);
    return row ? { program: String(row.program), signature: String(row.signature), slot: Number(row.slot) } : null;
  }

  /**
   * Stores a transaction's events and moves `program`'s cursor to it, atomically; events
   * already stored are left as they are. Returns how many events were new.
   */
  ingest(program: string, signature: string, slot: number, events: DecodedEvent[]): number {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO events (signature, slot, idx, program, name, data_json) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const move = this.db.prepare(
      'INSERT INTO cursor (program, signature, slot) VALUES (?, ?, ?) ' +
        'ON CONFLICT (program) DO UPDATE SET signature = excluded.signature, slot = excluded.slot',
    );
    this.db.exec('BEGIN IMMEDIATE');
    try {
      let added = 0;
      events.forEach((e, idx) => {
        const json = JSON.stringify(toJsonValue(e.data));
        added += Number(insert.run(signature, slot, idx, e.program, e.name, json).changes);
      });
      move.run(program, signature, slot);
      this.db.exec('COMMIT');
      return added;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Stored events, oldest slot first (filtered by program id and/or event name). */
  events(filter: { program?: string; name?: string } = {}): IndexedEvent[] {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.program !== undefined) {
      where.push('program = ?');
      params.push(filter.program);
    }
    if (filter.name !== undefined) {
      where.push('name = ?');
      params.push(filter.name);
    }
    const sql =
      'SELECT signature, slot, idx, program, name, data_json FROM events' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY slot, rowid';
    return this.db
      .prepare(sql)
      .all(...params)
      .map((r) => ({
        signature: String(r.signature),
        slot: Number(r.slot),
        idx: Number(r.idx),
        program: String(r.program),
        name: String(r.name),
        data: JSON.parse(String(r.data_json)),
      }));
  }

  close(): void {
    this.db.close();
  }
}
