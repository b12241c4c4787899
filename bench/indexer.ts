// Benchmark of the event indexer (not a timed test): ingest rate of a full backfill from a local
// node over JSON-RPC into SQLite (node:sqlite, one file) and into PostgreSQL (started here from
// Debian's binaries on 127.0.0.1, when installed), next to the floor of the same run: fetching
// the same transactions over JSON-RPC without storing anything. Then the owner-home query's
// latency p50/p99 on each store.
//
//   npm run bench:indexer     (READINGS=600: settled readings on top of the indexer suites'
//                              history, at most 650; QUERIES=300 ownerHome calls per store)
//
// Figures on a shared machine are noisy: compare the ratios measured in one run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Indexer, OPENVPP_PROGRAM_IDS, type StoreConfig } from '@openvpp/indexer';
import { startLocalnet } from '@openvpp/localnet';
import { MIDNIGHT } from '@openvpp/testing';

import { rpc } from '../tests/indexer/chain';
import { settledHistory } from '../tests/indexer/history';
import { startPostgres } from '../tests/indexer/postgres';

const READINGS = Math.min(Number(process.env.READINGS ?? 600), 650);
const QUERIES = Math.min(Number(process.env.QUERIES ?? 300), 5_000);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-bench-indexer-'));
  const net = await startLocalnet({ port: 0, slotMs: 100, ledgerDir: path.join(dir, 'ledger') });
  const pgServer = await startPostgres();
  try {
    const h = settledHistory(net.node.rt);
    net.node.rt.setUnixTimestamp(MIDNIGHT + 29n * 86_400n);
    const built = performance.now();
    for (let i = 0; i < READINGS; i++) h.settleNext(19n + BigInt(i), 100n + BigInt(i % 50), BigInt(i % 3) * 40n);
    console.log(`history: ${READINGS} readings settled in ${((performance.now() - built) / 1000).toFixed(1)} s`);

    // Floor: list and fetch every transaction, store nothing.
    const floorStart = performance.now();
    const signatures = new Set<string>();
    for (const program of Object.values(OPENVPP_PROGRAM_IDS)) {
      let before: string | undefined;
      for (;;) {
        const page = await rpc<{ signature: string }[]>(net.rpcUrl, 'getSignaturesForAddress', [
          program,
          { limit: 1000, commitment: 'confirmed', ...(before && { before }) },
        ]);
        for (const s of page) signatures.add(s.signature);
        if (page.length < 1000) break;
        before = page[page.length - 1].signature;
      }
    }
    for (const signature of signatures) {
      await rpc(net.rpcUrl, 'getTransaction', [
        signature,
        { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 },
      ]);
    }
    const floorSecs = (performance.now() - floorStart) / 1000;

    const stores: [string, StoreConfig][] = [['SQLite', { sqlite: path.join(dir, 'index.sqlite') }]];
    if (pgServer) stores.push(['PostgreSQL', { postgres: await pgServer.database('bench') }]);
    else
      console.log('PostgreSQL: skipped (no binaries under /usr/lib/postgresql/*/bin; scripts/setup.sh installs them)');

    const rows: string[][] = [
      ['store', 'transactions', 'events', 'seconds', 'events/s', 'tx/s', 'vs RPC floor', 'home p50 ms', 'home p99 ms'],
    ];
    rows.push([
      'RPC floor (fetch only)',
      String(signatures.size),
      '-',
      floorSecs.toFixed(2),
      '-',
      (signatures.size / floorSecs).toFixed(0),
      '1.00',
      '-',
      '-',
    ]);
    for (const [name, store] of stores) {
      const indexer = await Indexer.open({ rpcUrl: net.rpcUrl, store });
      try {
        const t0 = performance.now();
        const r = await indexer.syncOnce();
        const secs = (performance.now() - t0) / 1000;
        const owner = h.owner.publicKey.toBase58();
        const lat: number[] = [];
        for (let i = 0; i < QUERIES; i++) {
          const q0 = performance.now();
          await indexer.queries.ownerHome(owner, '2026-11-25');
          lat.push(performance.now() - q0);
        }
        rows.push([
          name,
          String(r.transactions),
          String(r.events),
          secs.toFixed(2),
          (r.events / secs).toFixed(0),
          (r.transactions / secs).toFixed(0),
          (floorSecs / secs).toFixed(2),
          pct(lat, 0.5).toFixed(2),
          pct(lat, 0.99).toFixed(2),
        ]);
      } finally {
        await indexer.close();
      }
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
    console.log('("vs RPC floor": the floor\'s time over the store\'s; 1.00 would be storing for free)');
  } finally {
    await net.close();
    pgServer?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
