// The store: one chain transaction at a time, its events, the derived tables (readings, DR
// rewards, devices and their owners, enrollments, mandates, token movements, history lines) and
// the cursors of every program that listed it, in one database transaction. A transaction
// already stored is not applied again (only the cursors move), so a restart or lost cursors
// duplicate nothing.
import type { Kysely, Transaction } from 'kysely';

import { deriveCompressed } from './compressed';
import type { DecodedEvent } from './decode';
import { toJsonValue } from './decode';
import { type OpenedDatabase, type StoreConfig, openDatabase } from './db/open';
import { type Database, num } from './db/schema';
import type { Dialect } from './db/migrations';

/** An event as stored: `data` is the decoded event as JSON (see `toJsonValue`). */
export interface IndexedEvent {
  signature: string;
  slot: number;
  blockTime: number | null;
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

/** A token account balance as getTransaction reports it (pre/postTokenBalances). */
export interface TokenBalance {
  mint: string;
  owner?: string;
  uiTokenAmount: { amount: string };
}

/** One chain transaction as the indexer hands it to the store. */
export interface ChainTx {
  signature: string;
  slot: number;
  blockTime: number | null;
  failed: boolean;
  events: DecodedEvent[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  /** Device types of the devices this transaction registers (read from their accounts). */
  deviceKinds?: Record<string, string | null>;
}

/** What the live feed announces after a commit. */
export type LiveEvent =
  | {
      type: 'reading';
      signature: string;
      slot: number;
      blockTime: number | null;
      device: string;
      owner: string;
      utility: string | null;
      tariff: string;
      intervalStart: number;
      importWh: number;
      exportWh: number;
      amount: string;
      exportCredit: string;
      exportPaid: string;
    }
  | {
      type: 'dr_reward';
      signature: string;
      slot: number;
      blockTime: number | null;
      event: string;
      device: string;
      owner: string;
      utility: string | null;
      flexWh: number;
      amount: string;
    }
  | {
      type: 'enrollment';
      signature: string;
      slot: number;
      blockTime: number | null;
      enrollment: string;
      program: string;
      device: string;
      owner: string | null;
      utility: string | null;
      status: string;
    };

export interface IngestResult {
  /** Events new to the store (0 when the transaction was stored before). */
  added: number;
  live: LiveEvent[];
}

type Trx = Transaction<Database>;
type SeqTx = ChainTx & { seq: number };
type Json = Record<string, unknown>;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const int = (v: unknown): number => Number(v ?? 0);
/** The variant name of a decoded Borsh enum (`{ Active: {} }` → `Active`). */
export const variant = (v: unknown): string =>
  v && typeof v === 'object' ? (Object.keys(v as object)[0] ?? '') : str(v);
const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const optInt = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const DEFAULT_KEY = '11111111111111111111111111111111';

export class Store {
  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {}

  static async open(config: StoreConfig, opts: { usdeMint?: string } = {}): Promise<Store> {
    const { db, dialect }: OpenedDatabase = await openDatabase(config);
    const store = new Store(db, dialect);
    if (opts.usdeMint) {
      await db
        .insertInto('mints')
        .values({ mint: opts.usdeMint, kind: 'usde' })
        .onConflict((oc) => oc.column('mint').doNothing())
        .execute();
    }
    return store;
  }

  async cursor(program: string): Promise<Cursor | null> {
    const row = await this.db
      .selectFrom('cursors')
      .select(['program', 'signature', 'slot'])
      .where('program', '=', program)
      .executeTakeFirst();
    return row ? { program: row.program, signature: row.signature, slot: num(row.slot) } : null;
  }

  /** Whether the transaction is stored (with everything derived from it). */
  async has(signature: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('transactions')
      .select('signature')
      .where('signature', '=', signature)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Moves the cursors of `programs` to a transaction already stored (it was listed by another
   * program first), in one database transaction.
   */
  async moveCursors(programs: string[], signature: string, slot: number): Promise<void> {
    await this.db.transaction().execute((trx) => this.moveCursorsIn(trx, programs, signature, slot));
  }

  /**
   * Stores `tx` (unless stored before) and moves the cursors of `programs` to it, atomically.
   */
  async ingest(programs: string[], tx: ChainTx): Promise<IngestResult> {
    return this.db.transaction().execute(async (trx) => {
      const seen = await trx
        .selectFrom('transactions')
        .select('signature')
        .where('signature', '=', tx.signature)
        .executeTakeFirst();
      let result: IngestResult = { added: 0, live: [] };
      if (!seen) {
        const last = await trx
          .selectFrom('transactions')
          .select((eb) => eb.fn.max('tx_seq').as('seq'))
          .executeTakeFirst();
        const seq = Number(last?.seq ?? 0) + 1;
        await trx
          .insertInto('transactions')
          .values({
            signature: tx.signature,
            slot: tx.slot,
            block_time: tx.blockTime,
            failed: tx.failed ? 1 : 0,
            tx_seq: seq,
          })
          .execute();
        if (!tx.failed) result = await this.apply(trx, tx, seq);
      }
      await this.moveCursorsIn(trx, programs, tx.signature, tx.slot);
      return result;
    });
  }

  /** Stored events in the chain's order (filtered by program id and/or event name). */
  async events(filter: { program?: string; name?: string } = {}): Promise<IndexedEvent[]> {
    let q = this.db.selectFrom('events').selectAll();
    if (filter.program !== undefined) q = q.where('program', '=', filter.program);
    if (filter.name !== undefined) q = q.where('name', '=', filter.name);
    const rows = await q.orderBy('slot').orderBy('tx_seq').orderBy('idx').execute();
    return rows.map((r) => ({
      signature: r.signature,
      slot: num(r.slot),
      blockTime: r.block_time === null ? null : num(r.block_time),
      idx: r.idx,
      program: r.program,
      name: r.name,
      data: JSON.parse(r.data_json),
    }));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private async moveCursorsIn(trx: Trx, programs: string[], signature: string, slot: number) {
    for (const program of programs) {
      await trx
        .insertInto('cursors')
        .values({ program, signature, slot })
        .onConflict((oc) => oc.column('program').doUpdateSet({ signature, slot }))
        .execute();
    }
  }

  private async apply(trx: Trx, tx: ChainTx, seq: number): Promise<IngestResult> {
    const live: LiveEvent[] = [];
    const base = { signature: tx.signature, slot: tx.slot, block_time: tx.blockTime, tx_seq: seq };
    for (const [idx, e] of tx.events.entries()) {
      const d = toJsonValue(e.data) as Json;
      await trx
        .insertInto('events')
        .values({ ...base, idx, program: e.program, name: e.name, data_json: JSON.stringify(d) })
        .execute();
      await this.derive(trx, { ...tx, seq }, idx, e.name, d, live);
    }
    await this.movements(trx, { ...tx, seq });
    return { added: tx.events.length, live };
  }

  private async activity(
    trx: Trx,
    tx: SeqTx,
    idx: number,
    sub: number,
    kind: string,
    row: {
      owner?: string | null;
      device?: string | null;
      utility?: string | null;
      amount?: string | null;
      importWh?: number;
      exportWh?: number;
      data?: Json;
    },
  ) {
    await trx
      .insertInto('activity')
      .values({
        signature: tx.signature,
        slot: tx.slot,
        block_time: tx.blockTime,
        tx_seq: tx.seq,
        idx,
        sub,
        kind,
        owner: row.owner ?? null,
        device: row.device ?? null,
        utility: row.utility ?? null,
        amount: row.amount ?? null,
        import_wh: row.importWh ?? null,
        export_wh: row.exportWh ?? null,
        data_json: JSON.stringify(row.data ?? {}),
      })
      .execute();
  }

  private async tariffUtility(trx: Trx, tariff: string): Promise<string | null> {
    const row = await trx.selectFrom('tariffs').select('utility').where('tariff', '=', tariff).executeTakeFirst();
    return row?.utility ?? null;
  }

  /** Fills the derived tables from one event (already decoded to JSON). */
  private async derive(trx: Trx, tx: SeqTx, idx: number, name: string, d: Json, live: LiveEvent[]) {
    const at = { signature: tx.signature, slot: tx.slot, block_time: tx.blockTime, tx_seq: tx.seq, idx };
    const when = { signature: tx.signature, slot: tx.slot, blockTime: tx.blockTime };
    if (await deriveCompressed(trx, at, name, d)) return;
    switch (name) {
      case 'PaymentsInitialized':
        await trx
          .insertInto('mints')
          .values({ mint: str(d.usde_mint), kind: 'usde' })
          .onConflict((oc) => oc.column('mint').doNothing())
          .execute();
        return;
      case 'UnitMarketCreated':
        await trx
          .insertInto('mints')
          .values({ mint: str(d.mint), kind: variant(d.kind) })
          .onConflict((oc) => oc.column('mint').doNothing())
          .execute();
        return;
      case 'PartnerRegistered':
        await trx
          .insertInto('partners')
          .values({
            partner: str(d.partner),
            authority: str(d.authority),
            kind: variant(d.kind),
            name: str(d.name),
            status: 'Active',
          })
          .onConflict((oc) =>
            oc.column('partner').doUpdateSet({ authority: str(d.authority), kind: variant(d.kind), name: str(d.name) }),
          )
          .execute();
        return;
      case 'PartnerStatusChanged':
        await trx
          .updateTable('partners')
          .set({ status: variant(d.new_status) })
          .where('partner', '=', str(d.partner))
          .execute();
        return;
      case 'DeviceRegistered': {
        const pending = str(d.pending_owner);
        const row = {
          device_key: str(d.device_key),
          vendor: str(d.vendor),
          owner: str(d.owner),
          pending_owner: pending === DEFAULT_KEY || pending === '' ? null : pending,
          kind: tx.deviceKinds?.[str(d.device)] ?? null,
          lfdi: str(d.lfdi),
          sfdi: str(d.sfdi),
          status: 'Active',
          epoch: 0,
          registered_at: int(d.timestamp),
          slot: tx.slot,
          block_time: tx.blockTime,
        };
        await trx
          .insertInto('devices')
          .values({ device: str(d.device), ...row })
          .onConflict((oc) => oc.column('device').doUpdateSet(row))
          .execute();
        return;
      }
      case 'NameRegistered': {
        const row = { name: str(d.name), target: str(d.target), released: 0 };
        await trx
          .insertInto('names')
          .values({ name_record: str(d.name_record), ...row })
          .onConflict((oc) => oc.column('name_record').doUpdateSet(row))
          .execute();
        return;
      }
      case 'NameReleased':
        await trx.updateTable('names').set({ released: 1 }).where('name_record', '=', str(d.name_record)).execute();
        return;
      case 'DeviceOwnerTransferred': {
        const device = str(d.device);
        await trx
          .updateTable('devices')
          .set({ owner: str(d.new_owner), pending_owner: null, epoch: int(d.epoch) })
          .where('device', '=', device)
          .execute();
        const data = {
          oldOwner: str(d.old_owner),
          newOwner: str(d.new_owner),
          epoch: int(d.epoch),
          since: int(d.since),
        };
        await this.activity(trx, tx, idx, 0, 'transfer', { owner: str(d.old_owner), device, data });
        await this.activity(trx, tx, idx, 1, 'transfer', { owner: str(d.new_owner), device, data });
        return;
      }
      case 'DeviceTransferProposed':
        await trx
          .updateTable('devices')
          .set({ pending_owner: str(d.pending_owner) })
          .where('device', '=', str(d.device))
          .execute();
        return;
      case 'DeviceTransferCancelled':
        await trx.updateTable('devices').set({ pending_owner: null }).where('device', '=', str(d.device)).execute();
        return;
      case 'DeviceStatusChanged':
        await trx
          .updateTable('devices')
          .set({ status: variant(d.new_status) })
          .where('device', '=', str(d.device))
          .execute();
        return;
      case 'EndpointAttested': {
        const row = {
          endpoint: str(d.endpoint),
          kind: variant(d.kind),
          expires_at: int(d.expires_at),
          revoked: 0,
          slot: tx.slot,
        };
        await trx
          .insertInto('endpoint_attestations')
          .values({ attestation: str(d.attestation), ...row })
          .onConflict((oc) => oc.column('attestation').doUpdateSet(row))
          .execute();
        return;
      }
      case 'EndpointAttestationRevoked':
        await trx
          .updateTable('endpoint_attestations')
          .set({ revoked: 1 })
          .where('attestation', '=', str(d.attestation))
          .execute();
        return;
      case 'ProgramCreated': {
        const row = {
          utility: str(d.utility),
          program_id: int(d.program_id),
          kind: variant(d.kind),
          name: str(d.name),
          open: 1,
        };
        await trx
          .insertInto('programs')
          .values({ program: str(d.program), ...row })
          .onConflict((oc) => oc.column('program').doUpdateSet(row))
          .execute();
        return;
      }
      case 'ProgramStatusChanged':
        await trx
          .updateTable('programs')
          .set({ open: d.open ? 1 : 0 })
          .where('program', '=', str(d.program))
          .execute();
        return;
      case 'EnrollmentChanged': {
        const row = {
          program: str(d.program),
          device: str(d.device),
          status: variant(d.status),
          by_key: str(d.by),
          updated_at: int(d.timestamp),
          slot: tx.slot,
          block_time: tx.blockTime,
        };
        await trx
          .insertInto('enrollments')
          .values({ enrollment: str(d.enrollment), ...row })
          .onConflict((oc) => oc.column('enrollment').doUpdateSet(row))
          .execute();
        const prog = await trx
          .selectFrom('programs')
          .select('utility')
          .where('program', '=', row.program)
          .executeTakeFirst();
        const dev = await trx.selectFrom('devices').select('owner').where('device', '=', row.device).executeTakeFirst();
        live.push({
          type: 'enrollment',
          ...when,
          enrollment: str(d.enrollment),
          program: row.program,
          device: row.device,
          owner: dev?.owner ?? null,
          utility: prog?.utility ?? null,
          status: row.status,
        });
        return;
      }
      case 'RouteUpdated': {
        const row = {
          enrollment: str(d.enrollment),
          protocol: variant(d.protocol),
          endpoint: str(d.endpoint),
          version: int(d.version),
          expires_at: int(d.expires_at),
          revoked: 0,
        };
        await trx
          .insertInto('routes')
          .values({ route: str(d.route), ...row })
          .onConflict((oc) => oc.column('route').doUpdateSet(row))
          .execute();
        return;
      }
      case 'RouteRevoked':
        await trx.updateTable('routes').set({ revoked: 1 }).where('route', '=', str(d.route)).execute();
        return;
      case 'TariffPublished': {
        const row = {
          utility: str(d.utility),
          tariff_id: int(d.tariff_id),
          revision: int(d.revision),
          effective_from: int(d.effective_from),
        };
        await trx
          .insertInto('tariffs')
          .values({ tariff: str(d.tariff), ...row })
          .onConflict((oc) => oc.column('tariff').doUpdateSet(row))
          .execute();
        return;
      }
      case 'TariffBound': {
        const row = {
          tariff: str(d.tariff),
          device: str(d.device),
          enrollment: str(d.enrollment),
          program: str(d.program),
        };
        await trx
          .insertInto('bindings')
          .values({ binding: str(d.binding), ...row })
          .onConflict((oc) => oc.column('binding').doUpdateSet(row))
          .execute();
        return;
      }
      case 'MandateCreated': {
        const row = {
          owner: str(d.owner),
          device: str(d.device),
          utility: str(d.utility),
          epoch: int(d.epoch),
          max_per_period: str(d.max_per_period),
          period_secs: int(d.period_secs),
          max_total: str(d.max_total),
          spent_total: null,
          revoked: 0,
          created_slot: tx.slot,
          created_time: tx.blockTime,
        };
        // A mandate is a PDA of (owner, device): created again after a revoke, it starts anew.
        await trx
          .insertInto('mandates')
          .values({ mandate: str(d.mandate), ...row })
          .onConflict((oc) => oc.column('mandate').doUpdateSet(row))
          .execute();
        await this.activity(trx, tx, idx, 0, 'mandate_created', {
          owner: row.owner,
          device: row.device,
          utility: row.utility,
          amount: row.max_total,
          data: {
            mandate: str(d.mandate),
            maxPerPeriod: row.max_per_period,
            periodSecs: row.period_secs,
            maxTotal: row.max_total,
          },
        });
        return;
      }
      case 'MandateRevoked': {
        const m = await trx
          .selectFrom('mandates')
          .select('utility')
          .where('mandate', '=', str(d.mandate))
          .executeTakeFirst();
        await trx
          .updateTable('mandates')
          .set({ revoked: 1, spent_total: str(d.spent_total) })
          .where('mandate', '=', str(d.mandate))
          .execute();
        await this.activity(trx, tx, idx, 0, 'mandate_revoked', {
          owner: str(d.owner),
          device: str(d.device),
          utility: m?.utility ?? null,
          amount: str(d.spent_total),
          data: { mandate: str(d.mandate), spentTotal: str(d.spent_total) },
        });
        return;
      }
      case 'ReadingSettled': {
        const tariff = str(d.tariff);
        const utility = await this.tariffUtility(trx, tariff);
        const row = {
          ...at,
          device: str(d.device),
          tariff,
          utility,
          owner: str(d.owner),
          epoch: int(d.epoch),
          revision: int(d.revision),
          seq: str(d.seq),
          interval_start: int(d.interval_start),
          import_wh: int(d.import_wh),
          export_wh: int(d.export_wh),
          amount: str(d.amount),
          export_credit: str(d.export_credit),
          export_clipped: str(d.export_clipped),
          export_paid: str(d.export_paid),
          export_owed: str(d.export_owed),
          band_start_minute: optInt(d.band_start_minute),
          import_price: optStr(d.import_price),
          export_price: optStr(d.export_price),
        };
        await trx.insertInto('readings').values(row).execute();
        await trx
          .insertInto('export_debts')
          .values({ ...at, owner: row.owner, tariff, device: row.device, paid: '0', owed: row.export_owed })
          .execute();
        await this.activity(trx, tx, idx, 0, 'reading', {
          owner: row.owner,
          device: row.device,
          utility,
          amount: row.amount,
          importWh: row.import_wh,
          exportWh: row.export_wh,
          data: {
            tariff,
            seq: row.seq,
            intervalStart: row.interval_start,
            exportCredit: row.export_credit,
            exportPaid: row.export_paid,
            exportOwed: row.export_owed,
            bandStartMinute: row.band_start_minute,
            importPrice: row.import_price,
            exportPrice: row.export_price,
          },
        });
        live.push({
          type: 'reading',
          ...when,
          device: row.device,
          owner: row.owner,
          utility,
          tariff,
          intervalStart: row.interval_start,
          importWh: row.import_wh,
          exportWh: row.export_wh,
          amount: row.amount,
          exportCredit: row.export_credit,
          exportPaid: row.export_paid,
        });
        return;
      }
      case 'ExportDebtPaid': {
        const binding = await trx
          .selectFrom('bindings')
          .select(['tariff', 'device'])
          .where('binding', '=', str(d.binding))
          .executeTakeFirst();
        const tariff = binding?.tariff ?? '';
        const device = binding?.device ?? '';
        await trx
          .insertInto('export_debts')
          .values({ ...at, owner: str(d.owner), tariff, device, paid: str(d.paid), owed: str(d.owed) })
          .execute();
        await this.activity(trx, tx, idx, 0, 'export_debt_paid', {
          owner: str(d.owner),
          device: device || null,
          utility: tariff ? await this.tariffUtility(trx, tariff) : null,
          amount: str(d.paid),
          data: { binding: str(d.binding), tariff, owed: str(d.owed) },
        });
        return;
      }
      case 'DrEventCreated': {
        const row = {
          utility: str(d.utility),
          event_id: int(d.event_id),
          start_at: int(d.start),
          end_at: int(d.end),
          reward_per_kwh: str(d.reward_per_kwh),
          budget: str(d.budget),
          closed: 0,
          paid_at_close: null,
          returned: null,
          participants_at_close: null,
          slot: tx.slot,
          block_time: tx.blockTime,
        };
        await trx
          .insertInto('dr_events')
          .values({ event: str(d.event), ...row })
          .onConflict((oc) => oc.column('event').doUpdateSet(row))
          .execute();
        return;
      }
      case 'DrEventClosed':
        await trx
          .updateTable('dr_events')
          .set({
            closed: 1,
            paid_at_close: str(d.paid),
            returned: str(d.returned),
            participants_at_close: int(d.participants),
          })
          .where('event', '=', str(d.event))
          .execute();
        return;
      case 'DrRewardPaid': {
        const ev = await trx
          .selectFrom('dr_events')
          .select('utility')
          .where('event', '=', str(d.event))
          .executeTakeFirst();
        const row = {
          ...at,
          event: str(d.event),
          utility: ev?.utility ?? null,
          device: str(d.device),
          owner: str(d.owner),
          flex_wh: int(d.flex_wh),
          amount: str(d.amount),
        };
        await trx.insertInto('dr_rewards').values(row).execute();
        await this.activity(trx, tx, idx, 0, 'dr_reward', {
          owner: row.owner,
          device: row.device,
          utility: row.utility,
          amount: row.amount,
          data: { event: row.event, flexWh: row.flex_wh },
        });
        live.push({
          type: 'dr_reward',
          ...when,
          event: row.event,
          device: row.device,
          owner: row.owner,
          utility: row.utility,
          flexWh: row.flex_wh,
          amount: row.amount,
        });
        return;
      }
      case 'UsdeWrapped':
      case 'UsdeUnwrapped':
        await this.activity(trx, tx, idx, 0, name === 'UsdeWrapped' ? 'usde_wrap' : 'usde_unwrap', {
          owner: str(d.user),
          amount: str(d.amount),
        });
        return;
      case 'UnitsBought':
        await this.activity(trx, tx, idx, 0, 'units_bought', {
          owner: str(d.user),
          amount: str(d.usde_in),
          data: { unit: variant(d.kind), units: str(d.units_out), oracleValue: str(d.oracle_value) },
        });
        return;
      case 'UnitsSold':
        await this.activity(trx, tx, idx, 0, 'units_sold', {
          owner: str(d.user),
          amount: str(d.usde_out),
          data: { unit: variant(d.kind), units: str(d.units_in), oracleValue: str(d.oracle_value) },
        });
        return;
      default:
        return;
    }
  }

  /** Per owner and tracked mint, the balance before and after the transaction. */
  private async movements(trx: Trx, tx: SeqTx) {
    const mints = new Map(
      (await trx.selectFrom('mints').select(['mint', 'kind']).execute()).map((m) => [m.mint, m.kind] as const),
    );
    if (mints.size === 0) return;
    const sums = new Map<string, { owner: string; mint: string; pre: bigint; post: bigint }>();
    const add = (list: TokenBalance[], side: 'pre' | 'post') => {
      for (const b of list ?? []) {
        if (!mints.has(b.mint) || !b.owner) continue;
        const k = `${b.owner} ${b.mint}`;
        const e = sums.get(k) ?? { owner: b.owner, mint: b.mint, pre: 0n, post: 0n };
        e[side] += BigInt(b.uiTokenAmount.amount);
        sums.set(k, e);
      }
    };
    add(tx.preTokenBalances, 'pre');
    add(tx.postTokenBalances, 'post');
    for (const m of sums.values()) {
      if (m.pre === m.post) continue;
      await trx
        .insertInto('token_movements')
        .values({
          signature: tx.signature,
          slot: tx.slot,
          block_time: tx.blockTime,
          tx_seq: tx.seq,
          owner: m.owner,
          mint: m.mint,
          kind: mints.get(m.mint)!,
          pre: m.pre.toString(),
          post: m.post.toString(),
          delta: (m.post - m.pre).toString(),
        })
        .execute();
    }
  }
}
