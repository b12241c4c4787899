// The indexer survives what production does to it. SIGKILLed mid-stream (in its own process,
// several times, at points chosen by the node's answers) and restarted, it ends with exactly the
// chain's events: none duplicated, none missing, and derived tables that reconcile with the
// chain; on SQLite and (when installed) PostgreSQL. In live mode it catches up after the node
// was down: the node stops, restarts on the same ports from its ledger, new readings settle,
// and the indexer, reconnecting by itself, has them.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import pg from 'pg';

import { Indexer, IndexerUnreachableError, type StoreConfig } from '@openvpp/indexer';
import { type Localnet, startLocalnet } from '@openvpp/localnet';
import { MIDNIGHT, type Postgres, startPostgres } from '@openvpp/testing';

import { inProcessNode, tempLedger } from '../localnet/node';
import { chainEvents, keyed } from './chain';
import { type History, settledHistory } from './history';

const ROOT = path.join(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'child-indexer.ts');

/**
 * A JSON-RPC proxy in front of the node that holds every getTransaction answer `delayMs` and
 * calls `onTransaction(n)` as it sends the n-th: the kill lands while the indexer is between
 * fetching a transaction and committing it, or further on.
 */
async function slowProxy(target: string, delayMs: number) {
  let served = 0;
  let onTransaction: (n: number) => void = () => undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await upstream.text();
        const isTx = body.includes('"getTransaction"');
        if (isTx) await new Promise((r) => setTimeout(r, delayMs));
        res.writeHead(upstream.status, { 'content-type': 'application/json' });
        res.end(text);
        if (isTx) onTransaction(++served);
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served: () => served,
    onTransaction: (f: (n: number) => void) => (onTransaction = f),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function child(mode: 'sync' | 'live', rpcUrl: string, store: StoreConfig, pageSize = 4): ChildProcess {
  return spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      CHILD,
      mode,
      rpcUrl,
      JSON.stringify(store),
      String(pageSize),
    ],
    { cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Stored transactions (and whether any event row is duplicated: the primary key forbids it). */
async function storedTransactions(store: StoreConfig): Promise<number> {
  if ('sqlite' in store) {
    if (!fs.existsSync(store.sqlite)) return 0;
    const db = new DatabaseSync(store.sqlite, { readOnly: true });
    try {
      return Number(db.prepare('SELECT count(*) AS n FROM transactions').get()!.n);
    } catch {
      return 0; // not migrated yet
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: store.postgres });
  await client.connect();
  try {
    const r = await client.query('SELECT count(*)::int AS n FROM transactions');
    return r.rows[0].n as number;
  } catch {
    return 0;
  } finally {
    await client.end();
  }
}

/** Many settled readings: the history, then `n` more hourly readings (the clock moved on to allow them). */
function longHistory(net: Localnet, n: number): History {
  const h = settledHistory(net.node.rt);
  net.node.rt.setUnixTimestamp(MIDNIGHT + BigInt(2 + Math.ceil(n / 24)) * 86_400n);
  for (let i = 0; i < n; i++) h.settleNext(19n + BigInt(i), 100n + BigInt(i), BigInt(i % 3) * 50n);
  return h;
}

describe('indexer: SIGKILL mid-stream and restart, catch-up after the node was down', function () {
  this.timeout(300_000);
  let net: Localnet;
  let h: History;
  let dir: string;
  let pgServer: Postgres | null = null;

  before(async () => {
    net = await inProcessNode();
    h = longHistory(net, 80);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-indexer-kill-'));
    pgServer = await startPostgres();
  });
  after(async () => {
    await net?.close();
    pgServer?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const killAndRestart = async (store: StoreConfig) => {
    const chain = await chainEvents(net.rpcUrl);
    const total = chain.signatures.size;
    expect(total).to.be.greaterThan(90);
    const proxy = await slowProxy(net.rpcUrl, 8);
    const kills: number[] = [];
    try {
      // Three runs killed after the n-th transaction the node served them, then one to the end.
      for (const at of [5, 25, 45]) {
        const proc = child('sync', proxy.url, store);
        const exited = once(proc, 'exit');
        const before = proxy.served();
        proxy.onTransaction((n) => {
          if (n - before === at) proc.kill('SIGKILL');
        });
        const [code, signal] = (await exited) as [number | null, string | null];
        expect(signal, `run ${kills.length + 1} should have been killed mid-stream (exit ${code})`).to.equal('SIGKILL');
        kills.push(await storedTransactions(store));
      }
      // Each killed run left a consistent prefix and the next resumed from it.
      expect(kills[0]).to.be.greaterThan(0);
      expect(kills[2]).to.be.greaterThan(kills[0]).and.below(total);
      const last = child('sync', proxy.url, store);
      let out = '';
      last.stdout!.on('data', (d) => (out += d));
      const [code] = (await once(last, 'exit')) as [number | null];
      expect(code).to.equal(0);
      const finished = JSON.parse(out.trim().split('\n').pop()!) as { transactions: number; events: number };
      expect(kills[2] + finished.transactions).to.be.at.least(total);
    } finally {
      await proxy.close();
    }
    const indexer = await Indexer.open({ rpcUrl: net.rpcUrl, store });
    try {
      expect(await indexer.syncOnce()).to.deep.equal({ transactions: 0, events: 0 });
      expect(keyed(await indexer.events())).to.deep.equal(keyed(chain.events));
      expect(await storedTransactions(store)).to.equal(total);
      const report = await indexer.reconcile({ sync: false });
      expect(report.ok, JSON.stringify(report)).to.equal(true);
      expect((await indexer.queries.meterTotals(h.device.toBase58())).readings).to.equal(84);
    } finally {
      await indexer.close();
    }
  };

  it('SQLite: killed three times mid-stream, ends with exactly the chain', async () => {
    await killAndRestart({ sqlite: path.join(dir, 'killed.sqlite') });
  });

  it('PostgreSQL: killed three times mid-stream, ends with exactly the chain', async function () {
    if (!pgServer) {
      console.log(
        '    (skipped: no PostgreSQL binaries under /usr/lib/postgresql/*/bin; scripts/setup.sh installs them)',
      );
      this.skip();
    }
    await killAndRestart({ postgres: await pgServer.database('killed') });
  });

  it('live mode catches up after the node was down, reconnecting by itself', async () => {
    const ledger = tempLedger('indexer-down');
    let node = await startLocalnet({ port: 0, slotMs: 100, ledgerDir: ledger });
    const port = Number(new URL(node.rpcUrl).port);
    const wsPort = Number(new URL(node.wsUrl).port);
    const hist = settledHistory(node.node.rt);
    const indexer = await Indexer.open({
      rpcUrl: node.rpcUrl,
      wsUrl: node.wsUrl,
      store: { sqlite: path.join(dir, 'down.sqlite') },
      live: { pollMs: 300, minBackoffMs: 50, maxBackoffMs: 400 },
    });
    const errors: Error[] = [];
    indexer.on('syncError', (e) => errors.push(e));
    try {
      await indexer.start();
      await waitFor(async () => (await indexer.queries.meterTotals(hist.device.toBase58())).readings === 4);
      const disconnected = once(indexer, 'disconnected');
      await node.close();
      await disconnected;
      // Down: catch-ups fail with a named error; nothing is lost or half-written.
      await waitFor(async () => errors.some((e) => e instanceof IndexerUnreachableError));
      // Back on the same ports from its ledger; readings settle while the indexer reconnects.
      const reconnected = once(indexer, 'connected');
      node = await startLocalnet({ port, wsPort, slotMs: 100, ledgerDir: ledger });
      hist.settleNext(19n, 400n, 0n, node.node.rt);
      hist.settleNext(20n, 300n, 100n, node.node.rt);
      await reconnected;
      await waitFor(async () => (await indexer.queries.meterTotals(hist.device.toBase58())).readings === 6);
      const chain = await chainEvents(node.rpcUrl);
      await indexer.syncOnce();
      expect(keyed(await indexer.events())).to.deep.equal(keyed(chain.events));
      expect((await indexer.reconcile()).ok).to.equal(true);
    } finally {
      await indexer.close();
      await node.close();
    }
  });
});

async function waitFor(cond: () => Promise<boolean>, ms = 20_000) {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
