// The part of Node's built-in `node:sqlite` (Node >= 22.13) the indexer uses; the repository's
// @types/node line (20.x) predates the module.
declare module 'node:sqlite' {
  type SQLInputValue = null | number | bigint | string | Uint8Array;
  interface StatementResultingChanges {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  }
  class StatementSync {
    run(...params: SQLInputValue[]): StatementResultingChanges;
    get(...params: SQLInputValue[]): Record<string, unknown> | undefined;
    all(...params: SQLInputValue[]): Record<string, unknown>[];
    iterate(...params: SQLInputValue[]): IterableIterator<Record<string, unknown>>;
    /** Node >= 22.16 / 23.11. */
    columns?(): { name: string }[];
  }
  class DatabaseSync {
    constructor(path: string, options?: { open?: boolean; readOnly?: boolean });
    exec(sql: string): void;
    prepare(sql: string): StatementSync;
    close(): void;
  }
}
