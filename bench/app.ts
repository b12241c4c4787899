// Benchmark of the app API over a real index (not a timed test), at each fleet size of SIZES:
// a child process seeds a local node's runtime with the fleet of bench/fleet.ts (every device
// owned, enrolled, routed, bound, funded, with settled readings; the seeding time is printed),
// backfills the indexer from the node over JSON-RPC into SQLite and into PostgreSQL (started
// here on 127.0.0.1 from Debian's binaries, when installed) next to the fetch-only JSON-RPC
// floor, and serves the service on 127.0.0.1 over that runtime, one app per store. This process
// drives it with autocannon (after a warm-up requesting every path once), interleaved, same
// connections and duration for every target:
// `GET /v1/owners/{owner}` (owner home, random owners, the x-api-key operator key) on each
// store and the resolver `GET /v1/resolve?device=&program=` (random devices) - and prints
// ingest events/s and HTTP req/s, p50 and p99 with the owner home / resolver ratios.
//
//   npm run bench:app     (SIZES=1000,10000 devices; SECONDS=5 CONNECTIONS=16 MAX_REQUESTS=200000
//                          per target and round; REPEAT=3 rounds, medians reported; APP_PROFILE=1
//                          writes the server's CPU profile to /tmp/openvpp-app-prof)
//
// Figures on a shared machine are noisy: compare the ratios measured in one run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PublicKey } from '@solana/web3.js';
import type { FastifyInstance } from 'fastify';

import type { Queries } from '@openvpp/indexer';
import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import { startLocalnet } from '@openvpp/localnet';
import { findToken2022Ata, findUnitMintPda, findUsdeAccount } from '@openvpp/sdk/web3';

import {
  type Ingest,
  type Measured,
  benchStores,
  exitWithParent,
  ingest,
  ingestCells,
  measure,
  median,
  printTable,
  quantile,
  rpcFloor,
  serveChild,
} from './common';
import { seedFleet } from './fleet';

const SIZES = (process.env.SIZES ?? '1000,10000').split(',').map((n) => Math.min(Math.max(Number(n), 1), 20_000));
const SECONDS = Math.min(Number(process.env.SECONDS ?? 5), 60);
const CONNECTIONS = Math.min(Number(process.env.CONNECTIONS ?? 16), 256);
const MAX_REQUESTS = Math.min(Number(process.env.MAX_REQUESTS ?? 200_000), 2_000_000);
const REPEAT = Math.min(Number(process.env.REPEAT ?? 3), 10);

interface Targets {
  devices: number;
  seeding: { transactions: number; seconds: number };
  floor: { transactions: number; seconds: number };
  stores: { name: string; url: string; ingest: Ingest; breakdown: [string, number, number][] }[];
  apiKey: string;
  day: string;
  resolvePaths: string[];
  homePaths: string[];
}

/**
 * Where an owner home request's time goes, in-process and one call at a time (no network, no
 * concurrency): p50 and p99 ms of the whole route and the resolver through `app.inject`, of the
 * two index queries the route makes, and of the chain-side address derivations it makes.
 */
async function breakdown(
  app: FastifyInstance,
  queries: Queries,
  t: Pick<Targets, 'apiKey' | 'day' | 'homePaths' | 'resolvePaths'>,
  owners: PublicKey[],
): Promise<[string, number, number][]> {
  const CALLS = 300;
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  const time = async (label: string, f: () => unknown): Promise<[string, number, number]> => {
    const ms: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t0 = performance.now();
      await f();
      ms.push(performance.now() - t0);
    }
    return [label, quantile(ms, 0.5), quantile(ms, 0.99)];
  };
  const headers = { 'x-api-key': t.apiKey };
  return [
    await time('GET /v1/resolve (app.inject)', () => app.inject({ url: pick(t.resolvePaths), headers })),
    await time('GET /v1/owners/{owner} (app.inject)', () => app.inject({ url: pick(t.homePaths), headers })),
    await time('  queries.ownerHome(owner, day)', () => queries.ownerHome(pick(owners).toBase58(), t.day)),
    await time('  queries.ownerDevices(owner) (the devices page; home takes the count from ownerHome)', () =>
      queries.ownerDevices(pick(owners).toBase58()),
    ),
    await time(
      '  the 3 token account addresses of balances() derived afresh (6 PDA derivations; the route memoizes them per owner)',
      () => {
        const owner = pick(owners);
        findUsdeAccount({ owner });
        for (const kind of ['kwh', 'co2Kg'] as const) findToken2022Ata({ mint: findUnitMintPda({ kind })[0], owner });
      },
    ),
  ];
}

/** The server side (child process): seeds, indexes, serves; prints its targets as JSON. */
async function serve(devices: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-bench-app-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const net = await startLocalnet({ port: 0, slotMs: 400 });
  const t0 = performance.now();
  const fleet = seedFleet(net.node.rt, {
    devices,
    onProgress: (n) => n % 1_000 === 0 && console.error(`seeding: ${n}/${devices} devices`),
  });
  const seeding = { transactions: fleet.transactions, seconds: (performance.now() - t0) / 1000 };
  console.error(`seeding: ${devices} devices, ${seeding.transactions} transactions in ${seeding.seconds.toFixed(1)} s`);
  const floor = await rpcFloor(net.rpcUrl);
  const { stores } = await benchStores(dir);
  const apiKey = generateApiKey();
  const backend = runtimeBackend(net.node.rt);
  const program = fleet.world.tariffProgram!.toBase58();
  const paths = {
    apiKey,
    day: fleet.day,
    resolvePaths: fleet.devices.map((d) => `/v1/resolve?device=${d.device.toBase58()}&program=${program}`),
    homePaths: fleet.devices.map((d) => `/v1/owners/${d.owner.publicKey.toBase58()}`),
  };
  const owners = fleet.devices.map((d) => d.owner.publicKey);
  const served: Targets['stores'] = [];
  for (const [name, store] of stores) {
    const indexed = await ingest(net.rpcUrl, store);
    console.error(`ingest: ${name} ${indexed.ingest.events} events in ${indexed.ingest.seconds.toFixed(1)} s`);
    const app = buildApp({ backend, apiKey, queries: indexed.indexer.queries });
    const times = await breakdown(app, indexed.indexer.queries, paths, owners);
    for (const [label, p50, p99] of times) {
      console.error(`breakdown ${devices} ${name}: ${label}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
    }
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    served.push({ name, url, ingest: indexed.ingest, breakdown: times });
  }
  const targets: Targets = { devices, seeding, floor, stores: served, ...paths };
  process.stdout.write(`${JSON.stringify(targets)}\n`);
  exitWithParent();
}

interface SizeResult {
  targets: Targets;
  /** Per target name: the rounds' measurements. */
  runs: Map<string, Measured[]>;
  sample: unknown;
}

async function benchSize(devices: number): Promise<SizeResult> {
  const prof = process.env.APP_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/openvpp-app-prof'] : [];
  const server = await serveChild<Targets>(__filename, [String(devices)], prof);
  const t = server.targets;
  const runs = new Map<string, Measured[]>();
  try {
    const headers = { 'x-api-key': t.apiKey };
    const sample = await (await fetch(t.stores[0].url + t.homePaths[0], { headers })).json();
    const opts = { connections: CONNECTIONS, seconds: SECONDS, maxRequests: MAX_REQUESTS, headers, random: true };
    // Warm-up: every device's resolve and every owner's home once, in order, so that the rounds
    // measure read caches that hold the fleet (at 10,000 a 5 s round reaches only a part of it).
    const once = (paths: string[]) => ({ ...opts, random: false, seconds: 300, maxRequests: paths.length });
    await measure('warm-up', t.stores[0].url, t.resolvePaths, once(t.resolvePaths));
    for (const s of t.stores) await measure('warm-up', s.url, t.homePaths, once(t.homePaths));
    for (let r = 0; r < REPEAT; r++) {
      const round = [await measure('resolver', t.stores[0].url, t.resolvePaths, opts)];
      for (const s of t.stores) round.push(await measure(s.name, s.url, t.homePaths, opts));
      for (const m of round) runs.set(m.name, [...(runs.get(m.name) ?? []), m]);
    }
    return { targets: t, runs, sample };
  } finally {
    await server.stop();
  }
}

async function main() {
  const results: SizeResult[] = [];
  for (const devices of SIZES) results.push(await benchSize(devices));
  const n = (x: number) => x.toLocaleString('en-US');

  console.log(`\nSeeding (bench/fleet.ts on a local node's runtime, in-process):\n`);
  printTable(
    ['devices', 'transactions', 'seconds', 'tx/s'],
    results.map(({ targets: t }) => [
      n(t.devices),
      n(t.seeding.transactions),
      t.seeding.seconds.toFixed(1),
      (t.seeding.transactions / t.seeding.seconds).toFixed(0),
    ]),
  );

  console.log('Indexer ingest (full backfill over JSON-RPC; "vs RPC floor": fetch-only time over the store\'s):\n');
  printTable(
    ['devices', 'store', 'transactions', 'events', 'seconds', 'events/s', 'tx/s', 'vs RPC floor'],
    results.flatMap(({ targets: t }) => [
      [
        n(t.devices),
        'RPC floor (fetch only)',
        String(t.floor.transactions),
        '-',
        t.floor.seconds.toFixed(2),
        '-',
        (t.floor.transactions / t.floor.seconds).toFixed(0),
        '1.00',
      ],
      ...t.stores.map((s) => [n(t.devices), s.name, ...ingestCells(s.ingest, t.floor.seconds)]),
    ]),
  );

  console.log(
    `HTTP (autocannon in this process, the service in a child, loopback; ${CONNECTIONS} connections, ` +
      `${SECONDS} s or ${n(MAX_REQUESTS)} requests per target per round, ${REPEAT} interleaved rounds, medians; ` +
      'ratios: owner home / resolver):\n',
  );
  let failures = 0;
  const rows = results.flatMap(({ targets: t, runs }) => {
    const med = (name: string, f: (m: Measured) => number) => median(runs.get(name)!.map(f));
    const resolver = {
      rps: med('resolver', (m) => m.rps),
      p50: med('resolver', (m) => m.p50),
      p99: med('resolver', (m) => m.p99),
    };
    return [...runs.keys()].map((name) => {
      const ms = runs.get(name)!;
      const bad = ms.reduce((k, m) => k + m.non2xx + m.errors, 0);
      failures += bad;
      const [rps, p50, p99] = [med(name, (m) => m.rps), med(name, (m) => m.p50), med(name, (m) => m.p99)];
      return [
        n(t.devices),
        name === 'resolver' ? 'GET /v1/resolve (random devices)' : `GET /v1/owners/{owner}, ${name} index`,
        rps.toFixed(0),
        String(p50),
        String(p99),
        String(bad),
        (p50 / resolver.p50).toFixed(2),
        (p99 / resolver.p99).toFixed(2),
        (rps / resolver.rps).toFixed(2),
      ];
    });
  });
  printTable(
    ['devices', 'target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'p50 ratio', 'p99 ratio', 'req/s ratio'],
    rows,
  );
  console.log('Where an owner home request goes (in-process, app.inject, one call at a time, 300 calls):\n');
  printTable(
    ['devices', 'store', 'step', 'p50 ms', 'p99 ms'],
    results.flatMap(({ targets: t }) =>
      t.stores.flatMap((s) =>
        s.breakdown.map(([label, p50, p99]) => [n(t.devices), s.name, label, p50.toFixed(2), p99.toFixed(2)]),
      ),
    ),
  );
  for (const r of results)
    console.log(`owner home at ${n(r.targets.devices)} devices (${r.targets.day}):`, JSON.stringify(r.sample));
  if (failures > 0) {
    console.error(`${failures} non-2xx responses or errors`);
    process.exit(1);
  }
}

(process.argv.includes('--serve') ? serve(Number(process.argv[process.argv.indexOf('--serve') + 1])) : main()).catch(
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
