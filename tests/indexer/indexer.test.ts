// @openvpp/indexer against a local node over JSON-RPC: a world built over RPC (partners, a DR
// program with an attested endpoint, a routed fleet, payments, a tariff), backfilled into a
// SQLite file with small pages, compared event for event with the SDK's parsers run on the same
// transactions fetched independently; a second sync adds nothing; new transactions add exactly
// their events; a fresh indexer on the same file resumes from the cursors (a restart); with the
// cursors lost the re-ingestion duplicates nothing; bad options and RPC errors are named.
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import {
  Indexer,
  IndexerConfigError,
  IndexerRpcError,
  OPENVPP_PROGRAM_IDS,
  defaultWsUrl,
  mergeLists,
  type IndexedEvent,
  type StoreConfig,
} from '@openvpp/indexer';
import {
  RpcSender,
  apply,
  approveAndRouteInstructions,
  buildWorld,
  enrolledDevicePlan,
  type Localnet,
  type World,
  WORLD_CA,
} from '@openvpp/localnet';

import { inProcessNode } from '../localnet/node';
import { type Chain, chainEvents, keyed, rpc } from './chain';

const countOf = (events: IndexedEvent[], name: string) => events.filter((e) => e.name === name).length;

describe('indexer: backfill, catch-up and restart over JSON-RPC into SQLite', function () {
  this.timeout(120_000);
  let net: Localnet;
  let sender: RpcSender;
  let world: World;
  let dir: string;
  let db: string;

  const addDevices = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const fp = new Uint8Array(32).fill(0x33);
      fp[0] = Math.floor(Math.random() * 256);
      fp[1] = i;
      const { device } = await apply(
        sender,
        enrolledDevicePlan(sender.payer.publicKey, {
          partners: world,
          program: world.program!,
          certFingerprint: fp,
          issuerCa: WORLD_CA,
        }),
      );
      await sender.send(
        approveAndRouteInstructions({
          program: world.program!,
          utility: world.utility.publicKey,
          device,
          payer: sender.payer.publicKey,
        }),
        [world.utility],
      );
    }
  };

  /** Syncs; the store then holds exactly the chain's events, and the sync read exactly what was new. */
  const syncMatchesChain = async (indexer: Indexer, prev: Chain | null) => {
    const result = await indexer.syncOnce();
    const chain = await chainEvents(net.rpcUrl);
    const stored = await indexer.events();
    expect(keyed(stored)).to.deep.equal(keyed(chain.events));
    expect(result).to.deep.equal({
      transactions: chain.signatures.size - (prev?.signatures.size ?? 0),
      events: chain.events.length - (prev?.events.length ?? 0),
    });
    return { chain, stored };
  };

  before(async () => {
    net = await inProcessNode();
    sender = await RpcSender.connect(net.rpcUrl);
    world = await buildWorld(sender, { fleet: 3, payments: true, tariff: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-indexer-'));
    db = path.join(dir, 'events.sqlite');
  });
  after(async () => {
    sender?.close();
    await net?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('backfills every OpenVPP event, syncs idempotently, catches up, resumes after a restart', async () => {
    // 1. Backfill (pages of 2 signatures, so paging with `before` is exercised).
    const indexer = new Indexer({ rpcUrl: net.rpcUrl, store: { sqlite: db }, pageSize: 2 });
    let { chain, stored } = await syncMatchesChain(indexer, null);
    expect(stored.length).to.equal(25);
    // What the world built: two partners, 3 fleet devices registered, enrolled and routed.
    expect(countOf(stored, 'ConfigInitialized')).to.equal(1);
    expect(countOf(stored, 'PartnerRegistered')).to.equal(2);
    expect(countOf(stored, 'DeviceRegistered')).to.equal(3);
    expect(countOf(stored, 'RouteUpdated')).to.equal(3);
    expect(countOf(stored, 'PaymentsInitialized')).to.equal(1);
    expect(countOf(stored, 'TariffPublished')).to.equal(1);
    // Each event is attributed to the program that emitted it.
    expect(new Set(stored.filter((e) => e.name === 'DeviceRegistered').map((e) => e.program))).to.deep.equal(
      new Set([OPENVPP_PROGRAM_IDS.registry]),
    );
    expect(new Set(stored.filter((e) => e.name === 'RouteUpdated').map((e) => e.program))).to.deep.equal(
      new Set([OPENVPP_PROGRAM_IDS.routing]),
    );
    // JSON form: keys as base58, u64 as decimal strings.
    const registered = stored.filter((e) => e.name === 'DeviceRegistered');
    expect(registered.map((e) => e.data.device)).to.deep.equal(world.devices.map((d) => d.toBase58()));
    for (const e of registered) {
      expect(e.data.sfdi).to.be.a('string').and.match(/^\d+$/);
      expect(e.data.timestamp).to.be.a('string').and.match(/^\d+$/);
    }
    // The registry cursor is the registry's newest transaction.
    const [newestRegistry] = await rpc<{ signature: string; slot: number }[]>(net.rpcUrl, 'getSignaturesForAddress', [
      OPENVPP_PROGRAM_IDS.registry,
      { limit: 1 },
    ]);
    expect(await indexer.cursor(OPENVPP_PROGRAM_IDS.registry)).to.deep.equal({
      program: OPENVPP_PROGRAM_IDS.registry,
      signature: newestRegistry.signature,
      slot: newestRegistry.slot,
    });

    // 2. Nothing new: nothing ingested, nothing duplicated.
    expect(await indexer.syncOnce()).to.deep.equal({ transactions: 0, events: 0 });
    expect((await indexer.events()).length).to.equal(chain.events.length);

    // 3. Two more devices (4 transactions): exactly their events are added.
    await addDevices(2);
    ({ chain, stored } = await syncMatchesChain(indexer, chain));
    expect(countOf(stored, 'DeviceRegistered')).to.equal(5);
    expect(countOf(stored, 'RouteUpdated')).to.equal(5);
    await indexer.close();

    // 4. A restart: transactions while the indexer is down, a fresh indexer on the same file.
    await addDevices(1);
    const restarted = new Indexer({ rpcUrl: net.rpcUrl, store: { sqlite: db }, pageSize: 3 });
    ({ chain, stored } = await syncMatchesChain(restarted, chain));
    expect(countOf(stored, 'DeviceRegistered')).to.equal(6);
    await restarted.close();

    // 5. Cursors lost (as if the store's cursor table were wiped): everything is re-ingested,
    // nothing is duplicated (INSERT OR IGNORE on (signature, idx)).
    const raw = new DatabaseSync(db);
    raw.exec('DELETE FROM cursors');
    raw.close();
    const again = new Indexer({ rpcUrl: net.rpcUrl, store: { sqlite: db } });
    const reingested = await again.syncOnce();
    expect(reingested).to.deep.equal({ transactions: chain.signatures.size, events: 0 });
    expect(keyed(await again.events())).to.deep.equal(keyed(chain.events));
    await again.close();
  });

  it('names bad options and RPC errors', async () => {
    expect(() => new Indexer({ rpcUrl: 'not a url', store: { sqlite: ':memory:' } })).to.throw(IndexerConfigError);
    expect(() => new Indexer({ rpcUrl: 'ftp://127.0.0.1/', store: { sqlite: ':memory:' } })).to.throw(
      IndexerConfigError,
    );
    expect(() => new Indexer({ rpcUrl: net.rpcUrl, store: { sqlite: ':memory:' }, pageSize: 0 })).to.throw(
      IndexerConfigError,
      /pageSize/,
    );
    expect(
      () => new Indexer({ rpcUrl: net.rpcUrl, store: { sqlite: ':memory:' }, programs: { registry: 'nope' } }),
    ).to.throw(IndexerConfigError, /programs\.registry/);
    const withStore = (store: unknown) => () => new Indexer({ rpcUrl: net.rpcUrl, store: store as StoreConfig });
    expect(withStore(undefined)).to.throw(IndexerConfigError, /store must be/);
    expect(withStore({})).to.throw(IndexerConfigError, /store must be/);
    expect(withStore({ sqlite: 'a', postgres: 'postgres://x/y' })).to.throw(IndexerConfigError, /store must be/);
    expect(withStore({ sqlite: '' })).to.throw(IndexerConfigError, /store\.sqlite/);
    expect(withStore({ postgres: 'http://127.0.0.1/x' })).to.throw(IndexerConfigError, /store\.postgres/);
    expect(() => new Indexer({ rpcUrl: net.rpcUrl, wsUrl: 'http://x', store: { sqlite: ':memory:' } })).to.throw(
      IndexerConfigError,
      /wsUrl/,
    );
    // A PostgreSQL server that is not there: opening fails (named by pg), nothing hangs.
    const unreachable = await Indexer.open({
      rpcUrl: net.rpcUrl,
      store: { postgres: 'postgres://u@127.0.0.1:9/db' },
    }).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(unreachable?.code).to.equal('ECONNREFUSED');

    // A node that answers every call with a JSON-RPC error: the code reaches the caller.
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32005, message: 'Node is behind' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const indexer = new Indexer({ rpcUrl: `http://127.0.0.1:${port}`, store: { sqlite: ':memory:' } });
    try {
      const err = await indexer.syncOnce().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(IndexerRpcError);
      expect((err as IndexerRpcError).code).to.equal(-32005);
      expect((err as IndexerRpcError).method).to.equal('getSignaturesForAddress');
      expect(await indexer.events()).to.deep.equal([]);
    } finally {
      await indexer.close();
      server.close();
    }
  });

  it("merges the programs' lists by slot, keeping each program's order within a slot", () => {
    const sig = (signature: string, slot: number) => ({ signature, slot, err: null });
    // Chain order in slot 5: a, x, b (x is listed by both programs); slot 4: c; slot 6: d.
    const registry = [sig('c', 4), sig('x', 5), sig('d', 6)];
    const payments = [sig('a', 5), sig('x', 5), sig('b', 5)];
    const merged = mergeLists(['registry', 'payments'], [registry, payments]);
    expect(merged.map((m) => m.info.signature)).to.deep.equal(['c', 'a', 'x', 'b', 'd']);
    expect(merged.find((m) => m.info.signature === 'x')!.programs).to.deep.equal(['registry', 'payments']);
    expect(defaultWsUrl('http://127.0.0.1:8899/')).to.equal('ws://127.0.0.1:8900/');
    expect(defaultWsUrl('https://rpc.example/')).to.equal('wss://rpc.example/');
  });
});
