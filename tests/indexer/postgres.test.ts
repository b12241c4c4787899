// SQLite and PostgreSQL give the same answers for the same history: one chain (real
// settlements, a claim, a DR reward, an unwrap) indexed into a SQLite file and into a PostgreSQL
// database this suite starts itself (Debian's binaries on 127.0.0.1, a temporary data directory);
// every query's result is compared, and reconcile passes on both. Skipped, saying so, only
// when PostgreSQL's binaries are not installed (scripts/setup.sh installs them).
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Indexer, type Queries } from '@openvpp/indexer';
import type { Localnet } from '@openvpp/localnet';
import { type Postgres, startPostgres } from '@openvpp/testing';

import { inProcessNode } from '../localnet/node';
import { type History, settledHistory } from './history';

/** Every query the app uses, for one owner and utility. */
async function everything(q: Queries, owner: string, utility: string, device: string) {
  return {
    statement: await q.statement(owner, '2026-11'),
    bills: await q.bills(owner),
    home: await q.ownerHome(owner, '2026-11-25'),
    devices: await q.ownerDevices(owner),
    device: await q.device(device),
    energy: await q.ownerEnergy(owner, '2026-11-01', '2026-11-30'),
    history: await q.history({ owner }, { limit: 200 }),
    deviceHistory: await q.history({ device }, { limit: 3 }),
    utilityHistory: await q.history({ utility }, { limit: 200 }),
    revenue: await q.utilityRevenue(utility, '2026-11-01', '2026-11-30'),
    customers: await q.utilityCustomers(utility),
    dr: await q.drEvents(utility),
    utilityHome: await q.utilityHome(utility, '2026-11-25'),
    meter: await q.meterTotals(device),
    usde: await q.usdeMovements(owner, '2026-11'),
    program: await q.program((await q.ownerDevices(owner))[0].enrollments[0].program),
  };
}

describe('indexer: SQLite and PostgreSQL give identical statements for the same history', function () {
  this.timeout(180_000);
  let pgServer: Postgres | null = null;
  let net: Localnet;
  let h: History;
  let dir: string;

  before(async function () {
    pgServer = await startPostgres();
    if (!pgServer) {
      console.log(
        '    (skipped: no PostgreSQL binaries under /usr/lib/postgresql/*/bin; scripts/setup.sh installs them)',
      );
      this.skip();
    }
    net = await inProcessNode();
    h = settledHistory(net.node.rt);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-indexer-pg-'));
  });
  after(async () => {
    await net?.close();
    pgServer?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every query answers the same on both, and reconcile passes on both', async () => {
    const url = await pgServer!.database('identical');
    const lite = await Indexer.open({ rpcUrl: net.rpcUrl, store: { sqlite: path.join(dir, 'index.sqlite') } });
    const post = await Indexer.open({ rpcUrl: net.rpcUrl, store: { postgres: url }, pageSize: 5 });
    try {
      expect(post.dialect).to.equal('postgres');
      expect(await lite.syncOnce()).to.deep.equal(await post.syncOnce());
      const owner = h.owner.publicKey.toBase58();
      const utility = h.utilityPda.toBase58();
      const device = h.device.toBase58();
      const a = await everything(lite.queries, owner, utility, device);
      const b = await everything(post.queries, owner, utility, device);
      for (const k of Object.keys(a) as (keyof typeof a)[]) expect(b[k], k).to.deep.equal(a[k]);
      expect(a.statement.lines.length).to.be.greaterThan(5);
      expect(await post.events()).to.deep.equal(await lite.events());
      // A page cursor from one page of PostgreSQL's history reads the same next page.
      const next = await post.queries.history({ device }, { limit: 3, cursor: b.deviceHistory.next });
      const nextLite = await lite.queries.history({ device }, { limit: 3, cursor: a.deviceHistory.next });
      expect(next).to.deep.equal(nextLite);
      expect((await post.reconcile()).ok).to.equal(true);
      expect((await lite.reconcile()).ok).to.equal(true);

      // More history, caught up by both: still identical.
      h.settleNext(20n, 900n, 300n);
      await Promise.all([lite.syncOnce(), post.syncOnce()]);
      expect(await post.queries.statement(owner, '2026-11')).to.deep.equal(
        await lite.queries.statement(owner, '2026-11'),
      );
    } finally {
      await lite.close();
      await post.close();
    }
    // Reopening runs no migration twice and keeps the cursors.
    const again = await Indexer.open({ rpcUrl: net.rpcUrl, store: { postgres: url } });
    try {
      expect(await again.syncOnce()).to.deep.equal({ transactions: 0, events: 0 });
    } finally {
      await again.close();
    }
  });
});
