// The indexer follows compressed-device trees from the registry's events: after a batch of 8, two
// activations (the LFDI chain's head and then a device as low leaf) and a claim, the root it
// rebuilds equals the on-chain tree account's root for both trees (SQLite); it serves proofs the
// SDK verifies against the chain and the program accepts, the LFDI chain's low leaf, and lookups
// by key, LFDI and owner. The second case (in order: it reads the first's chain and index) checks
// that PostgreSQL answers every compressed query as SQLite does.
import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Indexer, IndexerQueryError, toLeafProof } from '@openvpp/indexer';
import type { Localnet } from '@openvpp/localnet';
import {
  compressedDeviceActivateInstructions,
  compressedDeviceClaimInstructions,
  fetchMerkleTreeAccount,
  verifyCompressedDevice,
} from '@openvpp/sdk/web3';
import {
  type Postgres,
  WORLD_CA,
  activateCompressed,
  compressedFleet,
  registerCompressed,
  registryWorld,
  startPostgres,
} from '@openvpp/testing';

import { inProcessNode } from '../localnet/node';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('indexer: compressed-device trees', function () {
  this.timeout(120_000);
  let net: Localnet;
  let dir: string;
  let indexer: Indexer;
  let pgServer: Postgres | null = null;
  let fleet: ReturnType<typeof compressedFleet>;

  before(async () => {
    net = await inProcessNode();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovpp-indexer-c-'));
  });
  after(async () => {
    await indexer?.close();
    await net?.close();
    pgServer?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds every tree to the on-chain root; serves proofs, the low leaf and lookups', async () => {
    const rt = net.node.rt;
    const f = compressedFleet(registryWorld(rt, WORLD_CA));
    fleet = f;
    const owner = Keypair.generate();
    const leaves = registerCompressed(f, { count: 8, seed: 3_000, owner: owner.publicKey });
    activateCompressed(f, leaves[2]);
    activateCompressed(f, leaves[6]);
    const active = f.mirror.leaf(f.vendorTree, leaves[2].index)!;
    rt.processInstructions(
      compressedDeviceClaimInstructions({
        newOwner: owner.publicKey,
        device: active.device!,
        leaf: f.mirror.proof(f.vendorTree, active.index),
      }),
      [owner],
    );

    indexer = await Indexer.open({ rpcUrl: net.rpcUrl, store: { sqlite: path.join(dir, 'index.sqlite') } });
    await indexer.syncOnce();
    const q = indexer.queries;
    const chainRoot = async (tree: typeof f.vendorTree) =>
      hex((await fetchMerkleTreeAccount(rt, { merkleTree: tree }))!.root);
    for (const tree of [f.vendorTree, f.protocolTree]) {
      const r = await q.compressedRoot(tree.toBase58());
      expect(r.complete, tree.toBase58()).to.equal(true);
      expect(r.root).to.equal(await chainRoot(tree));
      expect(BigInt(r.seq)).to.equal((await fetchMerkleTreeAccount(rt, { merkleTree: tree }))!.sequenceNumber);
    }

    // Lookups: by key, by LFDI, by owner.
    const byKey = await q.compressedDevicesByKey(active.device!.deviceKey.toBase58());
    expect(byKey).to.have.length(1);
    expect(byKey[0]).to.include({ index: active.index, status: 'Active', owner: owner.publicKey.toBase58() });
    const byLfdi = (await q.compressedDeviceByLfdi(hex(leaves[6].device.lfdi)))!;
    expect(byLfdi).to.include({ index: leaves[6].index, status: 'Active', owner: null });
    expect((await q.compressedDevicesOf(owner.publicKey.toBase58())).map((d) => d.index)).to.deep.equal([active.index]);
    expect(await q.compressedDeviceByLfdi('ab'.repeat(20))).to.equal(null);

    // A served proof verifies against the chain; the served preimage is the claimed one.
    const served = toLeafProof(await q.compressedProof(f.vendorTree.toBase58(), active.index));
    expect(await verifyCompressedDevice(rt, { device: byKey[0].device, leaf: served })).to.equal(true);
    expect(byKey[0].device.data.ownerEpoch).to.equal(1);

    // The index's low leaf and proofs are enough to activate a device (the program accepts them).
    const next = leaves[4];
    expect(await q.compressedLowLeaf(hex(leaves[2].device.lfdi))).to.equal(null); // in the chain
    const low = (await q.compressedLowLeaf(hex(next.device.lfdi)))!;
    const outcome = rt.processInstructions(
      compressedDeviceActivateInstructions({
        device: (await q.compressedDevicesByKey(next.device.deviceKey.toBase58()))[0].device,
        leaf: toLeafProof(await q.compressedProof(f.vendorTree.toBase58(), next.index)),
        low: {
          ...toLeafProof(low.proof),
          link: {
            lfdi: Buffer.from(low.link.lfdi, 'hex'),
            nextLfdi: Buffer.from(low.link.nextLfdi, 'hex'),
            body: Buffer.from(low.link.body, 'hex'),
          },
        },
      }),
      [f.deviceKeys.get(next.device.deviceKey.toBase58())!],
    );
    expect(outcome.err).to.equal(null);
    await indexer.syncOnce();
    expect((await q.compressedRoot(f.vendorTree.toBase58())).root).to.equal(await chainRoot(f.vendorTree));
    expect((await q.compressedRoot(f.protocolTree.toBase58())).root).to.equal(await chainRoot(f.protocolTree));

    // Named errors for bad input.
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e) => (e as IndexerQueryError).code,
      );
    expect(await code(q.compressedProof(Keypair.generate().publicKey.toBase58(), 0))).to.equal('NotFound');
    expect(await code(q.compressedProof(f.vendorTree.toBase58(), 99))).to.equal('NotFound');
    expect(await code(q.compressedDeviceByLfdi('xyz'))).to.equal('InvalidLfdi');
    expect(await code(q.compressedDevicesOf('not-a-key'))).to.equal('InvalidAddress');
  });

  it('answers the same on PostgreSQL', async function () {
    pgServer = await startPostgres();
    if (!pgServer) {
      console.log('    (skipped: no PostgreSQL binaries under /usr/lib/postgresql/*/bin)');
      this.skip();
    }
    const post = await Indexer.open({ rpcUrl: net.rpcUrl, store: { postgres: await pgServer.database('compressed') } });
    try {
      await post.syncOnce();
      const [a, b] = [indexer.queries, post.queries];
      for (const tree of [fleet.vendorTree, fleet.protocolTree].map((t) => t.toBase58())) {
        expect(await b.compressedRoot(tree)).to.deep.equal(await a.compressedRoot(tree));
        for (let i = 0; i < (tree === fleet.vendorTree.toBase58() ? 8 : 1); i++)
          expect(await b.compressedProof(tree, i)).to.deep.equal(await a.compressedProof(tree, i));
      }
      for (const l of fleet.mirror.devices()) {
        const lfdi = hex(l.device.lfdi);
        expect(await b.compressedDeviceByLfdi(lfdi)).to.deep.equal(await a.compressedDeviceByLfdi(lfdi));
        const low = l.device.status === 'provisioned' ? lfdi : null;
        if (low) expect(await b.compressedLowLeaf(low)).to.deep.equal(await a.compressedLowLeaf(low));
      }
    } finally {
      await post.close();
    }
  });
});
