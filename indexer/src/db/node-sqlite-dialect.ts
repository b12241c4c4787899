/// <reference path="../node-sqlite.d.ts" />
// kysely's SqliteDialect over Node's built-in `node:sqlite` (no native build): kysely expects a
// better-sqlite3-like database, whose statements take their parameters as one array and say
// whether they return rows (`reader`). This adapts `DatabaseSync` to that shape.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

/** Statements that return rows, for Node versions whose StatementSync has no `columns()`. */
const READER = /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i;

const bind = (params: ReadonlyArray<unknown>): SQLInputValue[] =>
  params.map((p) => {
    if (p === undefined) return null;
    if (typeof p === 'boolean') return p ? 1 : 0;
    if (p instanceof Date) return p.toISOString();
    return p as SQLInputValue;
  });

class Statement implements SqliteStatement {
  readonly reader: boolean;
  constructor(
    private readonly stmt: StatementSync,
    sql: string,
  ) {
    this.reader = typeof stmt.columns === 'function' ? stmt.columns().length > 0 : READER.test(sql);
  }
  all(params: ReadonlyArray<unknown>): unknown[] {
    return this.stmt.all(...bind(params));
  }
  run(params: ReadonlyArray<unknown>) {
    return this.stmt.run(...bind(params));
  }
  iterate(params: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.stmt.iterate(...bind(params));
  }
}

/** A node:sqlite database as kysely's SqliteDatabase. */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly db: DatabaseSync;
  constructor(file: string) {
    this.db = new DatabaseSync(file);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  }
  prepare(sql: string): SqliteStatement {
    return new Statement(this.db.prepare(sql), sql);
  }
  close(): void {
    this.db.close();
  }
}

/** kysely's SQLite dialect over a node:sqlite file (created when missing; `:memory:` too). */
export const nodeSqliteDialect = (file: string) => new SqliteDialect({ database: new NodeSqliteDatabase(file) });
