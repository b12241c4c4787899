// The indexer's migrations: one set for SQLite and PostgreSQL, run by kysely's Migrator from an
// in-code provider (no migration files to ship). Append new migrations; never edit one that
// has shipped.
import { type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Ordering keys (signatures) compare byte-wise on both databases: PostgreSQL's default
 * collation follows the locale, SQLite's is binary, and history pages must agree.
 */
const keyType = (dialect: Dialect) => (dialect === 'postgres' ? sql`text collate "C"` : sql`text`);

type AnyTable = CreateTableBuilder<string, string>;

/** signature, slot, block_time, tx_seq (and idx for event rows). */
const txColumns = (t: AnyTable, dialect: Dialect, idx: boolean) => {
  let b = t
    .addColumn('signature', keyType(dialect), (c) => c.notNull())
    .addColumn('slot', 'bigint', (c) => c.notNull())
    .addColumn('block_time', 'bigint')
    .addColumn('tx_seq', 'bigint', (c) => c.notNull());
  if (idx) b = b.addColumn('idx', 'integer', (c) => c.notNull());
  return b;
};

function init(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const text = (t: AnyTable, ...names: string[]) =>
        names.reduce((b, n) => b.addColumn(n, 'text', (c) => c.notNull()), t);
      await txColumns(db.schema.createTable('transactions') as AnyTable, dialect, false)
        .addColumn('failed', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('transactions_pk', ['signature'])
        .execute();
      await db.schema.createIndex('transactions_seq').on('transactions').column('tx_seq').execute();
      await db.schema
        .createTable('cursors')
        .addColumn('program', 'text', (c) => c.primaryKey())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('slot', 'bigint', (c) => c.notNull())
        .execute();
      await text(txColumns(db.schema.createTable('events') as AnyTable, dialect, true), 'program', 'name', 'data_json')
        .addPrimaryKeyConstraint('events_pk', ['signature', 'idx'])
        .execute();
      await db.schema.createIndex('events_name_slot').on('events').columns(['name', 'slot']).execute();
      await db.schema.createIndex('events_program_slot').on('events').columns(['program', 'slot']).execute();
      await text(
        db.schema.createTable('mints').addColumn('mint', 'text', (c) => c.primaryKey()),
        'kind',
      ).execute();
      await text(
        db.schema.createTable('partners').addColumn('partner', 'text', (c) => c.primaryKey()),
        'authority',
        'kind',
        'name',
        'status',
      ).execute();
      await db.schema.createIndex('partners_authority').on('partners').column('authority').execute();
      await text(
        db.schema.createTable('devices').addColumn('device', 'text', (c) => c.primaryKey()),
        'device_key',
        'vendor',
        'owner',
        'lfdi',
        'sfdi',
        'status',
      )
        .addColumn('pending_owner', 'text')
        .addColumn('kind', 'text')
        .addColumn('epoch', 'integer', (c) => c.notNull())
        .addColumn('registered_at', 'bigint', (c) => c.notNull())
        .addColumn('slot', 'bigint', (c) => c.notNull())
        .addColumn('block_time', 'bigint')
        .execute();
      await text(
        db.schema.createTable('names').addColumn('name_record', 'text', (c) => c.primaryKey()),
        'name',
        'target',
      )
        .addColumn('released', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('names_target').on('names').column('target').execute();
      await db.schema.createIndex('devices_owner').on('devices').column('owner').execute();
      await text(
        db.schema.createTable('programs').addColumn('program', 'text', (c) => c.primaryKey()),
        'utility',
        'kind',
        'name',
      )
        .addColumn('program_id', 'integer', (c) => c.notNull())
        .addColumn('open', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('programs_utility').on('programs').column('utility').execute();
      await text(
        db.schema.createTable('enrollments').addColumn('enrollment', 'text', (c) => c.primaryKey()),
        'program',
        'device',
        'status',
        'by_key',
      )
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('slot', 'bigint', (c) => c.notNull())
        .addColumn('block_time', 'bigint')
        .execute();
      await db.schema.createIndex('enrollments_device').on('enrollments').column('device').execute();
      await db.schema.createIndex('enrollments_program').on('enrollments').column('program').execute();
      await text(
        db.schema.createTable('routes').addColumn('route', 'text', (c) => c.primaryKey()),
        'enrollment',
        'protocol',
        'endpoint',
      )
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('routes_enrollment').on('routes').column('enrollment').execute();
      await text(
        db.schema.createTable('endpoint_attestations').addColumn('attestation', 'text', (c) => c.primaryKey()),
        'endpoint',
        'kind',
      )
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked', 'integer', (c) => c.notNull())
        .addColumn('slot', 'bigint', (c) => c.notNull())
        .execute();
      await text(
        db.schema.createTable('tariffs').addColumn('tariff', 'text', (c) => c.primaryKey()),
        'utility',
      )
        .addColumn('tariff_id', 'integer', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('effective_from', 'bigint', (c) => c.notNull())
        .execute();
      await text(
        db.schema.createTable('bindings').addColumn('binding', 'text', (c) => c.primaryKey()),
        'tariff',
        'device',
        'enrollment',
        'program',
      ).execute();
      await text(
        db.schema.createTable('mandates').addColumn('mandate', 'text', (c) => c.primaryKey()),
        'owner',
        'device',
        'utility',
        'max_per_period',
        'max_total',
      )
        .addColumn('epoch', 'integer', (c) => c.notNull())
        .addColumn('period_secs', 'integer', (c) => c.notNull())
        .addColumn('spent_total', 'text')
        .addColumn('revoked', 'integer', (c) => c.notNull())
        .addColumn('created_slot', 'bigint', (c) => c.notNull())
        .addColumn('created_time', 'bigint')
        .execute();
      await db.schema.createIndex('mandates_device').on('mandates').column('device').execute();
      await text(
        txColumns(db.schema.createTable('readings') as AnyTable, dialect, true),
        'device',
        'tariff',
        'owner',
        'seq',
        'amount',
        'export_credit',
        'export_clipped',
        'export_paid',
        'export_owed',
      )
        .addColumn('utility', 'text')
        .addColumn('epoch', 'integer', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('interval_start', 'bigint', (c) => c.notNull())
        .addColumn('import_wh', 'bigint', (c) => c.notNull())
        .addColumn('export_wh', 'bigint', (c) => c.notNull())
        .addColumn('band_start_minute', 'integer')
        .addColumn('import_price', 'text')
        .addColumn('export_price', 'text')
        .addPrimaryKeyConstraint('readings_pk', ['signature', 'idx'])
        .execute();
      await db.schema
        .createIndex('readings_owner_interval')
        .on('readings')
        .columns(['owner', 'interval_start'])
        .execute();
      await db.schema.createIndex('readings_device').on('readings').columns(['device', 'interval_start']).execute();
      await db.schema
        .createIndex('readings_utility_interval')
        .on('readings')
        .columns(['utility', 'interval_start'])
        .execute();
      await text(
        db.schema.createTable('dr_events').addColumn('event', 'text', (c) => c.primaryKey()),
        'utility',
        'reward_per_kwh',
        'budget',
      )
        .addColumn('event_id', 'integer', (c) => c.notNull())
        .addColumn('start_at', 'bigint', (c) => c.notNull())
        .addColumn('end_at', 'bigint', (c) => c.notNull())
        .addColumn('closed', 'integer', (c) => c.notNull())
        .addColumn('paid_at_close', 'text')
        .addColumn('returned', 'text')
        .addColumn('participants_at_close', 'integer')
        .addColumn('slot', 'bigint', (c) => c.notNull())
        .addColumn('block_time', 'bigint')
        .execute();
      await db.schema.createIndex('dr_events_utility').on('dr_events').column('utility').execute();
      await text(
        txColumns(db.schema.createTable('dr_rewards') as AnyTable, dialect, true),
        'event',
        'device',
        'owner',
        'amount',
      )
        .addColumn('utility', 'text')
        .addColumn('flex_wh', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('dr_rewards_pk', ['signature', 'idx'])
        .execute();
      await db.schema.createIndex('dr_rewards_owner').on('dr_rewards').columns(['owner', 'slot']).execute();
      await db.schema.createIndex('dr_rewards_event').on('dr_rewards').column('event').execute();
      await text(
        txColumns(db.schema.createTable('export_debts') as AnyTable, dialect, true),
        'owner',
        'tariff',
        'device',
        'paid',
        'owed',
      )
        .addPrimaryKeyConstraint('export_debts_pk', ['signature', 'idx'])
        .execute();
      await db.schema.createIndex('export_debts_owner').on('export_debts').columns(['owner', 'slot']).execute();
      await text(
        txColumns(db.schema.createTable('token_movements') as AnyTable, dialect, false),
        'owner',
        'mint',
        'kind',
        'pre',
        'post',
        'delta',
      )
        .addPrimaryKeyConstraint('token_movements_pk', ['signature', 'owner', 'mint'])
        .execute();
      await db.schema
        .createIndex('token_movements_owner')
        .on('token_movements')
        .columns(['owner', 'mint', 'slot'])
        .execute();
      await text(txColumns(db.schema.createTable('activity') as AnyTable, dialect, true), 'kind', 'data_json')
        .addColumn('sub', 'integer', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('device', 'text')
        .addColumn('utility', 'text')
        .addColumn('amount', 'text')
        .addColumn('import_wh', 'bigint')
        .addColumn('export_wh', 'bigint')
        .addPrimaryKeyConstraint('activity_pk', ['signature', 'idx', 'sub'])
        .execute();
      await db.schema.createIndex('activity_owner').on('activity').columns(['owner', 'slot']).execute();
      await db.schema.createIndex('activity_device').on('activity').columns(['device', 'slot']).execute();
      await db.schema.createIndex('activity_utility').on('activity').columns(['utility', 'slot']).execute();
    },
  };
}

/**
 * Compressed devices (issue 19): each registry tree (`compressed_trees`: parameters and the
 * sequence number of its last applied change) and the newest version of each of its leaves
 * (`compressed_leaves`: the leaf hash, the preimage's lookup keys and the preimage itself), filled
 * from the registry's leaf events in the tree's sequence order. LFDIs are lowercase hex of fixed
 * length compared byte-wise (the LFDI chain's low-leaf search is a range query).
 */
function compressedLeaves(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('compressed_trees')
        .addColumn('merkle_tree', 'text', (c) => c.primaryKey())
        .addColumn('tree', 'text', (c) => c.notNull())
        .addColumn('vendor', 'text', (c) => c.notNull())
        .addColumn('creator', 'text', (c) => c.notNull())
        .addColumn('max_depth', 'integer', (c) => c.notNull())
        .addColumn('max_buffer_size', 'integer', (c) => c.notNull())
        .addColumn('canopy_depth', 'integer', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('changes', 'bigint', (c) => c.notNull())
        .addColumn('slot', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('compressed_leaves')
        .addColumn('merkle_tree', keyType(dialect), (c) => c.notNull())
        .addColumn('leaf_index', 'integer', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('leaf', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('device_key', 'text')
        .addColumn('vendor', 'text')
        .addColumn('owner', 'text')
        .addColumn('pending_owner', 'text')
        .addColumn('lfdi', keyType(dialect), (c) => c.notNull())
        .addColumn('next_lfdi', keyType(dialect), (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('data_json', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('slot', 'bigint', (c) => c.notNull())
        .addColumn('block_time', 'bigint')
        .addPrimaryKeyConstraint('compressed_leaves_pk', ['merkle_tree', 'leaf_index'])
        .execute();
      await db.schema.createIndex('compressed_leaves_key').on('compressed_leaves').column('device_key').execute();
      await db.schema.createIndex('compressed_leaves_lfdi').on('compressed_leaves').column('lfdi').execute();
      await db.schema.createIndex('compressed_leaves_owner').on('compressed_leaves').column('owner').execute();
    },
  };
}

/** The migrations, in order, for `dialect`. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return { '0001_init': init(dialect), '0002_compressed_leaves': compressedLeaves(dialect) };
}

export const migrationProvider = (dialect: Dialect): MigrationProvider => ({
  getMigrations: async () => migrations(dialect),
});

/** Brings the database to the newest schema; throws the first failed migration's error. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
