// The indexer's derived tables and the app's queries against real settlements on a local node:
// the owner's statement adds up to the chain (Meter account totals, the binding's export debt,
// the owner's USDE balance), reconcile finds nothing on a true index and names the difference
// on a tampered one, history pages are complete and newest first, live mode announces a
// reading settled after `start()`, and bad query input gets named errors.
import { expect } from 'chai';
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { Indexer, IndexerQueryError, type HistoryItem, type LiveEvent } from '@openvpp/indexer';
import type { Localnet } from '@openvpp/localnet';
import { exportOwedTo, fetchMeter, fetchTariffBinding, fetchTokenAmount } from '@openvpp/sdk/web3';
import { INTERVALS, MIDNIGHT } from '@openvpp/testing';

import { inProcessNode } from '../localnet/node';
import { type History, settledHistory } from './history';

const queryError = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(IndexerQueryError);
    return (e as IndexerQueryError).code;
  }
  return undefined;
};

describe('indexer: derived tables, queries and reconcile over real settlements', function () {
  this.timeout(120_000);
  let net: Localnet;
  let h: History;
  let dir: string;
  let indexer: Indexer;
  let owner: string;
  let device: string;

  before(async () => {
    net = await inProcessNode();
    h = settledHistory(net.node.rt);
    owner = h.owner.publicKey.toBase58();
    device = h.device.toBase58();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-indexer-q-'));
    indexer = await Indexer.open({
      rpcUrl: net.rpcUrl,
      store: { sqlite: path.join(dir, 'index.sqlite') },
      pageSize: 7,
    });
    await indexer.syncOnce();
  });
  after(async () => {
    await indexer?.close();
    await net?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the owner's statement adds up to the chain, to the base unit", async () => {
    const q = indexer.queries;
    const st = await q.statement(owner, '2026-11');
    expect(st).to.include({
      owner,
      period: '2026-11',
      from: Date.UTC(2026, 10, 1) / 1000,
      to: Date.UTC(2026, 11, 1) / 1000,
    });
    const meter = (await fetchMeter(net.node.rt, { device: h.device }))!;
    expect(st.totals.billed).to.equal(meter.totalPaid.toString());
    expect(st.totals.exportCredit).to.equal(meter.totalExportCredit.toString());
    // Export paid: at settlement (the meter's figure) plus the claim.
    const claims = st.lines.filter((l) => l.kind === 'export_paid' && l.intervalStart === undefined);
    expect(claims.length).to.equal(1);
    expect(BigInt(st.totals.exportPaid) - BigInt(claims[0].amount)).to.equal(meter.totalExportPaid);
    // DR: 2.5 kWh at 0.4 USDE per kWh.
    expect(st.totals.rewards).to.equal('1000000');
    expect(st.totals.fees).to.equal('0');
    expect(BigInt(st.totals.net)).to.equal(
      BigInt(st.totals.exportPaid) + BigInt(st.totals.rewards) - BigInt(st.totals.billed),
    );
    // Owed at the end: what the binding owes the owner now.
    const binding = (await fetchTariffBinding(net.node.rt, { tariff: h.tariff, device: h.device }))!;
    expect(st.exportOwedAtEnd).to.equal(exportOwedTo(binding, h.owner.publicKey).toString());
    // Every line names its transaction; imports carry kWh, intervals and the tariff's utility revenue matches.
    expect(st.lines.every((l) => /^[1-9A-HJ-NP-Za-km-z]{64,90}$/.test(l.signature))).to.equal(true);
    const imports = st.lines.filter((l) => l.kind === 'import');
    expect(imports.map((l) => l.importWh)).to.deep.equal([1_000, 1_500, 500]);
    // Each line names its time-of-use band and price (from ReadingSettled), and amount = Wh × price / 1000.
    const band = (l: (typeof st.lines)[number]) =>
      INTERVALS.filter((i) => i.startMinute <= ((l.intervalStart! - Number(MIDNIGHT)) % 86_400) / 60).pop()!;
    for (const l of imports) {
      expect(l.bandStartMinute).to.equal(band(l).startMinute);
      expect(l.price).to.equal(band(l).importPrice.toString());
      expect(BigInt(l.amount)).to.equal((BigInt(l.importWh!) * BigInt(l.price!)) / 1000n);
    }
    for (const l of st.lines.filter((x) => x.kind === 'export_credit')) {
      expect(l.price).to.equal(band(l).exportPrice.toString());
    }
    const energy = await q.ownerEnergy(owner, '2026-11-25', '2026-11-25');
    expect(energy.days[0].bands.map((b) => [b.bandStartMinute, b.importWh])).to.deep.equal([
      [0, 1_000],
      [17 * 60, 2_000],
    ]);
    const revenue = await q.utilityRevenue(h.utilityPda.toBase58(), '2026-11-25', '2026-11-25');
    expect(revenue.days.map((d) => d.revenue)).to.deep.equal([st.totals.billed]);
    // The bills list has the one period with the same totals; no statement in another month.
    expect((await q.bills(owner)).items).to.deep.equal([
      { period: '2026-11', ...pick(st.totals, ['billed', 'exportCredit', 'exportPaid', 'rewards', 'net']) },
    ]);
    expect((await q.statement(owner, '2026-10')).lines).to.deep.equal([]);

    const report = await indexer.reconcile();
    expect(report).to.deep.include({ ok: true });
    expect(report.meters).to.deep.equal({ checked: 1, differences: [] });
    expect(report.owners.checked).to.equal(1);
    expect(report.owners.transactions).to.be.greaterThan(4);
  });

  it('home, devices, energy, DR events and customers from the derived tables', async () => {
    const q = indexer.queries;
    const home = await q.ownerHome(owner, '2026-11-25');
    expect(home.devices).to.equal(1);
    expect(home.today.importWh).to.equal(3_000);
    expect(home.today.exportWh).to.equal(5_000);
    expect(home.balances.usde).to.equal((await fetchTokenAmount(net.node.rt, h.ownerUsde)).toString());
    const devices = await q.ownerDevices(owner);
    expect(devices.map((d) => [d.device, d.kind, d.status])).to.deep.equal([[device, 'meter', 'Active']]);
    expect(devices[0].meter).to.include({ readings: 4, totalImportWh: 3_000, totalExportWh: 5_000 });
    expect(devices[0].enrollments.map((e) => [e.utility, e.status])).to.deep.equal([
      [h.utilityPda.toBase58(), 'Approved'],
    ]);
    expect(devices[0].mandates.map((m) => [m.utility, m.revoked, m.spentTotal])).to.deep.equal([
      [h.utilityPda.toBase58(), false, devices[0].meter!.totalPaid],
    ]);
    expect(await q.device(device)).to.include({ owner, kind: 'meter' });
    expect(await q.device(h.deviceKey.publicKey.toBase58())).to.equal(null);

    const energy = await q.ownerEnergy(owner, '2026-11-24', '2026-11-26');
    expect(energy.days.map((d) => d.day)).to.deep.equal(['2026-11-25']);
    const bands = energy.days[0].bands;
    expect(bands.reduce((n, b) => n + b.importWh, 0)).to.equal(3_000);

    const dr = await q.drEvents(h.utilityPda.toBase58());
    expect(dr.map((e) => [e.eventId, e.paid, e.participants, e.closed])).to.deep.equal([[7, '1000000', 1, false]]);
    const customers = await q.utilityCustomers(h.utilityPda.toBase58());
    expect(customers.map((c) => [c.device, c.owner, c.status])).to.deep.equal([[device, owner, 'Approved']]);
    const uhome = await q.utilityHome(h.utilityPda.toBase58(), '2026-11-25');
    expect(uhome).to.include({ name: 'Gridco' });
    expect(uhome.devicesByStatus).to.deep.equal({ Approved: 1 });
    const program = await q.program(h.program.toBase58());
    expect(program).to.deep.include({
      utility: h.utilityPda.toBase58(),
      utilityName: 'Gridco',
      enrollments: { Approved: 1 },
    });
    expect(await q.program(device)).to.equal(null);
  });

  it('history pages are complete, newest first, and the cursor is opaque', async () => {
    const q = indexer.queries;
    const all = await q.history({ owner }, { limit: 200 });
    expect(all.next).to.equal(null);
    const kinds = new Set(all.items.map((i) => i.kind));
    for (const k of ['reading', 'export_debt_paid', 'dr_reward', 'usde_unwrap', 'usde_wrap', 'mandate_created']) {
      expect(kinds.has(k as HistoryItem['kind']), k).to.equal(true);
    }
    // Kind-specific fields sit beside the common ones.
    const lastReading = all.items.find((i) => i.kind === 'reading')!;
    expect(lastReading).to.include({ device, importWh: 500, exportWh: 1_000, bandStartMinute: 17 * 60 });
    expect(lastReading).to.include.keys('intervalStart', 'exportCredit', 'exportPaid', 'importPrice');
    const slots = all.items.map((i) => i.slot);
    expect(slots).to.deep.equal([...slots].sort((a, b) => b - a));
    const paged: HistoryItem[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof q.history>> = await q.history({ owner }, { limit: 2, cursor });
      expect(page.items.length).to.be.at.most(2);
      paged.push(...page.items);
      cursor = page.next;
    } while (cursor);
    expect(paged).to.deep.equal(all.items);
    const ofDevice = await q.history({ device }, { limit: 200 });
    expect(ofDevice.items.filter((i) => i.kind === 'reading').length).to.equal(4);
  });

  it('names bad query input', async () => {
    const q = indexer.queries;
    expect(await queryError(q.statement(owner, '2026-13'))).to.equal('InvalidPeriod');
    expect(await queryError(q.statement(owner, '2026-1'))).to.equal('InvalidPeriod');
    expect(await queryError(q.ownerHome(owner, '2026-02-30'))).to.equal('InvalidDay');
    expect(await queryError(q.history({ owner }, { limit: 201 }))).to.equal('PageTooLarge');
    expect(await queryError(q.history({ owner }, { limit: 0 }))).to.equal('InvalidLimit');
    expect(await queryError(q.history({ owner }, { cursor: 'not-a-cursor' }))).to.equal('InvalidCursor');
    expect(await queryError(q.ownerEnergy(owner, '2025-01-01', '2026-01-02'))).to.equal('RangeTooLarge');
    expect(await queryError(q.ownerEnergy(owner, '2026-01-02', '2026-01-01'))).to.equal('InvalidRange');
    expect(await queryError(q.ownerDevices('0OIl'))).to.equal('InvalidAddress');
  });

  it('live mode: a reading settled after start() is announced after its commit', async () => {
    const live = await Indexer.open({
      rpcUrl: net.rpcUrl,
      wsUrl: net.wsUrl,
      store: { sqlite: path.join(dir, 'live.sqlite') },
      live: { pollMs: 60_000 },
    });
    try {
      const connected = once(live, 'connected');
      await live.start();
      await connected;
      // The backfill's readings are announced too; wait for the new one.
      const fresh = new Promise<LiveEvent>((resolve) =>
        live.on('reading', (r) => {
          if (r.intervalStart === Number(MIDNIGHT) + 19 * 3600) resolve(r);
        }),
      );
      h.settleNext(19n, 700n);
      const r = await fresh;
      expect(r).to.include({ device, owner, utility: h.utilityPda.toBase58(), importWh: 700 });
      // Announced after the commit: the query already sees it.
      expect((await live.queries.meterTotals(device)).readings).to.equal(5);
    } finally {
      await live.close();
    }
  });

  it('reconcile names a tampered total', async () => {
    await indexer.syncOnce();
    await indexer.close();
    const raw = new DatabaseSync(path.join(dir, 'index.sqlite'));
    raw.exec(
      `UPDATE readings SET amount = '1' WHERE signature = (SELECT signature FROM readings WHERE amount != '0' LIMIT 1)`,
    );
    raw.close();
    indexer = await Indexer.open({ rpcUrl: net.rpcUrl, store: { sqlite: path.join(dir, 'index.sqlite') } });
    const report = await indexer.reconcile();
    expect(report.ok).to.equal(false);
    expect(report.meters.differences.map((d) => [d.device, d.field])).to.deep.equal([[device, 'totalPaid']]);
    expect(report.owners.differences.length).to.equal(1);
    expect(report.owners.differences[0].owner).to.equal(owner);
  });
});

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}
