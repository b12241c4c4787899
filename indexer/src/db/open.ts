// Opening the indexer's database: SQLite (node:sqlite, one file) by default, PostgreSQL (`pg`)
// for production; both through kysely, migrated to the newest schema.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

import { IndexerConfigError } from '../errors';
import { type Dialect, migrateToLatest } from './migrations';
import { nodeSqliteDialect } from './node-sqlite-dialect';
import type { Database } from './schema';

/** Where the index lives: a SQLite file (`:memory:` for one that lives with the process) or a PostgreSQL URL. */
export type StoreConfig = { sqlite: string } | { postgres: string };

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
}

/**
 * The store a command-line value names: a `postgres://` / `postgresql://` URL, or else a SQLite
 * file path (`:memory:` too). Checked as `checkStoreConfig` does.
 */
export function storeConfigOf(value: string): StoreConfig {
  return checkStoreConfig(/^postgres(ql)?:\/\//i.test(value) ? { postgres: value } : { sqlite: value });
}

/** Checks a store config; throws IndexerConfigError naming what is wrong. */
export function checkStoreConfig(config: unknown): StoreConfig {
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new IndexerConfigError('store must be { sqlite: path } or { postgres: url }');
  }
  const c = config as Record<string, unknown>;
  const keys = Object.keys(c);
  if (keys.length !== 1 || (keys[0] !== 'sqlite' && keys[0] !== 'postgres')) {
    throw new IndexerConfigError(`store must be { sqlite: path } or { postgres: url }, not { ${keys.join(', ')} }`);
  }
  if ('sqlite' in c) {
    if (typeof c.sqlite !== 'string' || c.sqlite === '')
      throw new IndexerConfigError('store.sqlite must be a file path (or :memory:)');
    return { sqlite: c.sqlite };
  }
  let url: URL;
  try {
    url = new URL(String(c.postgres));
  } catch {
    throw new IndexerConfigError('store.postgres must be a postgres:// URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new IndexerConfigError(`store.postgres must be a postgres:// URL, not ${url.protocol}`);
  }
  return { postgres: String(c.postgres) };
}

/** Opens (and migrates) the store. */
export async function openDatabase(config: StoreConfig): Promise<OpenedDatabase> {
  const checked = checkStoreConfig(config);
  if ('sqlite' in checked) {
    const db = new Kysely<Database>({ dialect: nodeSqliteDialect(checked.sqlite) });
    await migrateToLatest(db as Kysely<unknown>, 'sqlite');
    return { db, dialect: 'sqlite' };
  }
  const pool = new pg.Pool({ connectionString: checked.postgres, max: 4 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db as Kysely<unknown>, 'postgres');
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, dialect: 'postgres' };
}
