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

import { startLocalnet } from '@openvpp/localnet';
import { MIDNIGHT } from '@openvpp/testing';

import { settledHistory } from '../tests/indexer/history';
import { benchStores, ingest, ingestCells, printTable, quantile, rpcFloor } from './common';

const READINGS = Math.min(Number(process.env.READINGS ?? 600), 650);
const QUERIES = Math.min(Number(process.env.QUERIES ?? 300), 5_000);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-bench-indexer-'));
  const net = await startLocalnet({ port: 0, slotMs: 100, ledgerDir: path.join(dir, 'ledger') });
  const { stores, stop } = await benchStores(dir);
  try {
    const h = settledHistory(net.node.rt);
    net.node.rt.setUnixTimestamp(MIDNIGHT + 29n * 86_400n);
    const built = performance.now();
    for (let i = 0; i < READINGS; i++) h.settleNext(19n + BigInt(i), 100n + BigInt(i % 50), BigInt(i % 3) * 40n);
    console.log(`history: ${READINGS} readings settled in ${((performance.now() - built) / 1000).toFixed(1)} s`);

    const floor = await rpcFloor(net.rpcUrl);
    const rows: string[][] = [
      [
        'RPC floor (fetch only)',
        String(floor.transactions),
        '-',
        floor.seconds.toFixed(2),
        '-',
        (floor.transactions / floor.seconds).toFixed(0),
        '1.00',
        '-',
        '-',
      ],
    ];
    for (const [name, store] of stores) {
      const { indexer, ingest: r } = await ingest(net.rpcUrl, store);
      try {
        const owner = h.owner.publicKey.toBase58();
        const lat: number[] = [];
        for (let i = 0; i < QUERIES; i++) {
          const q0 = performance.now();
          await indexer.queries.ownerHome(owner, '2026-11-25');
          lat.push(performance.now() - q0);
        }
        rows.push([
          name,
          ...ingestCells(r, floor.seconds),
          quantile(lat, 0.5).toFixed(2),
          quantile(lat, 0.99).toFixed(2),
        ]);
      } finally {
        await indexer.close();
      }
    }
    printTable(
      ['store', 'transactions', 'events', 'seconds', 'events/s', 'tx/s', 'vs RPC floor', 'home p50 ms', 'home p99 ms'],
      rows,
    );
    console.log('("vs RPC floor": the floor\'s time over the store\'s; 1.00 would be storing for free)');
  } finally {
    await net.close();
    stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
