// What the benchmarks share: tables, quantiles, JSON-RPC, the autocannon measurement, a server
// in a child process (so the load generator does not share its event loop), and the indexer's
// ingest next to the JSON-RPC fetch-only floor on SQLite and PostgreSQL.
import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

import { Indexer, OPENVPP_PROGRAM_IDS, type StoreConfig } from '@openvpp/indexer';
import { jsonRpc, startPostgres } from '@openvpp/testing';

/** Prints a Markdown table (columns padded). */
export function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => '| ' + cells.map((x, c) => x.padEnd(widths[c])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log();
}

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

export const median = (xs: number[]) => quantile(xs, 0.5);

export { jsonRpc };

export interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  maxRequests: number;
  headers?: Record<string, string>;
  /** Pick paths at random (default: in turn). */
  random?: boolean;
}

/** autocannon on `url` over `paths`, bounded in time and count. */
export async function measure(name: string, url: string, paths: string[], opts: LoadOptions): Promise<Measured> {
  let i = 0;
  const next = () => (opts.random ? Math.floor(Math.random() * paths.length) : i++ % paths.length);
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    maxOverallRequests: opts.maxRequests,
    headers: opts.headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[next()] }) }],
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Runs `script` (a bench file) with `--serve` and `args` in a child process under ts-node; resolves
 * with the first line it prints on stdout (its targets, as JSON) and a `stop` that closes its
 * stdin (the child exits then) and kills it if it has not within 5 s.
 */
export async function serveChild<T>(
  script: string,
  args: string[] = [],
  nodeArgs: string[] = [],
): Promise<{ targets: T; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...nodeArgs,
      require.resolve('ts-node/dist/bin.js'),
      '-r',
      'tsconfig-paths/register',
      '-P',
      path.join(__dirname, '..', 'tsconfig.json'),
      script,
      '--serve',
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'], env: process.env },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  return {
    targets: JSON.parse(line) as T,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      const timer = setTimeout(() => child.kill(), 5_000);
      await new Promise((resolve) => child.once('exit', resolve));
      clearTimeout(timer);
    },
  };
}

/** In the child: exit with the parent (stdin closes). */
export function exitWithParent() {
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

/** The floor of an ingest: list every OpenVPP program's signatures and fetch each transaction, storing nothing. */
export async function rpcFloor(rpcUrl: string): Promise<{ transactions: number; seconds: number }> {
  const t0 = performance.now();
  const signatures = new Set<string>();
  for (const program of Object.values(OPENVPP_PROGRAM_IDS)) {
    let before: string | undefined;
    for (;;) {
      const page = await jsonRpc<{ signature: string }[]>(rpcUrl, 'getSignaturesForAddress', [
        program,
        { limit: 1000, commitment: 'confirmed', ...(before && { before }) },
      ]);
      for (const s of page) signatures.add(s.signature);
      if (page.length < 1000) break;
      before = page[page.length - 1].signature;
    }
  }
  for (const signature of signatures) {
    await jsonRpc(rpcUrl, 'getTransaction', [
      signature,
      { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 },
    ]);
  }
  return { transactions: signatures.size, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The stores to bench in `dir`: SQLite (one file), and PostgreSQL on a server started here on
 * 127.0.0.1 from Debian's binaries when installed (said when not). `stop` stops the server.
 */
export async function benchStores(
  dir: string,
  database = 'bench',
): Promise<{ stores: [string, StoreConfig][]; stop(): void }> {
  const stores: [string, StoreConfig][] = [['SQLite', { sqlite: path.join(dir, 'index.sqlite') }]];
  const pg = await startPostgres();
  if (pg) stores.push(['PostgreSQL', { postgres: await pg.database(database) }]);
  else
    console.error('PostgreSQL: skipped (no binaries under /usr/lib/postgresql/*/bin; scripts/setup.sh installs them)');
  return { stores, stop: () => pg?.stop() };
}

export interface Ingest {
  transactions: number;
  events: number;
  seconds: number;
}

/** A full backfill of `rpcUrl` into `store` (an open indexer is returned; the caller closes it). */
export async function ingest(rpcUrl: string, store: StoreConfig): Promise<{ indexer: Indexer; ingest: Ingest }> {
  const indexer = await Indexer.open({ rpcUrl, store });
  try {
    const t0 = performance.now();
    const r = await indexer.syncOnce();
    return {
      indexer,
      ingest: { transactions: r.transactions, events: r.events, seconds: (performance.now() - t0) / 1000 },
    };
  } catch (e) {
    await indexer.close();
    throw e;
  }
}

/** A table row of an ingest next to the floor: transactions, events, seconds, events/s, tx/s, floor / store. */
export const ingestCells = (r: Ingest, floorSeconds: number) => [
  String(r.transactions),
  String(r.events),
  r.seconds.toFixed(2),
  (r.events / r.seconds).toFixed(0),
  (r.transactions / r.seconds).toFixed(0),
  (floorSeconds / r.seconds).toFixed(2),
];
