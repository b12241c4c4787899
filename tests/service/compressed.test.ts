// Compressed devices answer the registry lookups a full device answers: GET /v1/devices/{key} and
// GET /v1/lfdi/{lfdi} read the indexer's compressed leaves when no full device matches (a full
// device of the same world still answers from its account). The record says where the leaf is,
// and the SDK verifies it against the tree account with the indexer's proof. Without an indexer,
// a lookup that finds no full device answers 503 NotConfigured (it cannot say "not found"). The
// leaf proofs the indexer rebuilds are served too, and verify against the tree account.
import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';

import { Indexer, toLeafProof } from '@openvpp/indexer';
import type { Localnet } from '@openvpp/localnet';
import { verifyCompressedDevice } from '@openvpp/sdk/web3';
import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import {
  WORLD_CA,
  activateCompressed,
  compressedFleet,
  fakeFingerprint,
  registerCompressed,
  registerDevice,
  registryWorld,
} from '@openvpp/testing';

import { inProcessNode } from '../localnet/node';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('service: compressed devices through the device lookups', function () {
  this.timeout(120_000);
  let net: Localnet;
  let indexer: Indexer;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  const seen = { deviceKey: '', lfdi: '', full: '', proof: '' };

  after(async () => {
    await app?.close();
    await bare?.close();
    await indexer?.close();
    await net?.close();
  });

  it('answers a compressed device by key and by LFDI, a full device as before', async () => {
    net = await inProcessNode();
    const rt = net.node.rt;
    const w = registryWorld(rt, WORLD_CA);
    const f = compressedFleet(w);
    const owner = Keypair.generate();
    const leaves = registerCompressed(f, { count: 8, seed: 7_000, owner: owner.publicKey });
    expect(activateCompressed(f, leaves[3]).err).to.equal(null);
    const full = registerDevice(w, { owner, certFingerprint: fakeFingerprint(7_100) });

    indexer = await Indexer.open({ rpcUrl: net.rpcUrl, store: { sqlite: ':memory:' } });
    await indexer.syncOnce();
    app = buildApp({ backend: runtimeBackend(rt), apiKey: generateApiKey(), queries: indexer.queries, web: false });

    // Activated: by key and by LFDI, the same record.
    const active = leaves[3];
    const byKey = await app.inject({ url: `/v1/devices/${active.device.deviceKey.toBase58()}` });
    expect(byKey.statusCode, byKey.body).to.equal(200);
    const record = byKey.json();
    expect(record).to.include({
      status: 'active',
      deviceType: 'battery',
      deviceKey: active.device.deviceKey.toBase58(),
      vendor: active.device.vendor.toBase58(),
      lfdi: hex(active.device.lfdi),
      suspendedBy: 'none',
    });
    expect(record.compressed).to.include({ merkleTree: f.vendorTree.toBase58(), index: active.index });
    expect(record).to.not.have.property('address');
    Object.assign(seen, { deviceKey: record.deviceKey, lfdi: record.lfdi, full: full.publicKey.toBase58() });
    const byLfdi = await app.inject({ url: `/v1/lfdi/${record.lfdi.toUpperCase()}` });
    expect(byLfdi.statusCode).to.equal(200);
    expect(byLfdi.json()).to.deep.equal(record);

    // What the service answers is a leaf of the tree: the SDK checks it with the index's proof.
    const [view] = await indexer.queries.compressedDevicesByKey(record.deviceKey);
    const proof = toLeafProof(
      await indexer.queries.compressedProof(record.compressed.merkleTree, record.compressed.index),
    );
    expect(record.compressed.leaf).to.equal(view.leaf);
    expect(await verifyCompressedDevice(rt, { device: view.device, leaf: proof })).to.equal(true);

    // The service serves the same proof over HTTP; it verifies against the tree account.
    const proofUrl = `/v1/compressed/${record.compressed.merkleTree}/proofs/${record.compressed.index}`;
    const served = await app.inject({ url: proofUrl });
    expect(served.statusCode, served.body).to.equal(200);
    expect(served.json()).to.deep.equal(
      await indexer.queries.compressedProof(record.compressed.merkleTree, record.compressed.index),
    );
    expect(served.json()).to.include({ leaf: record.compressed.leaf, complete: true });
    expect(await verifyCompressedDevice(rt, { device: view.device, leaf: toLeafProof(served.json()) })).to.equal(true);
    const noLeaf = await app.inject({ url: `/v1/compressed/${record.compressed.merkleTree}/proofs/99` });
    expect([noLeaf.statusCode, noLeaf.json().error]).to.deep.equal([404, 'NotFound']);
    const noTree = await app.inject({ url: `/v1/compressed/${Keypair.generate().publicKey.toBase58()}/proofs/0` });
    expect(noTree.statusCode).to.equal(404);
    expect((await app.inject({ url: `/v1/compressed/${record.compressed.merkleTree}/proofs/01` })).statusCode).to.equal(
      400,
    );
    Object.assign(seen, { proof: proofUrl });

    // Provisioned (not yet activated): found by key with its status.
    const provisioned = await app.inject({ url: `/v1/devices/${leaves[5].device.deviceKey.toBase58()}` });
    expect(provisioned.statusCode).to.equal(200);
    expect(provisioned.json()).to.include({ status: 'provisioned', nextLfdi: '00'.repeat(20) });

    // A full device still answers from its account.
    const fullRes = await app.inject({ url: `/v1/devices/${full.publicKey.toBase58()}` });
    expect(fullRes.statusCode, fullRes.body).to.equal(200);
    expect(fullRes.json()).to.have.property('address');
    expect(fullRes.json()).to.not.have.property('compressed');
    expect((await app.inject({ url: `/v1/lfdi/${fullRes.json().lfdi}` })).json().address).to.equal(
      fullRes.json().address,
    );

    // Unknown key and LFDI: 404.
    const unknown = await app.inject({ url: `/v1/devices/${Keypair.generate().publicKey.toBase58()}` });
    expect([unknown.statusCode, unknown.json().error]).to.deep.equal([404, 'NotFound']);
    expect((await app.inject({ url: `/v1/lfdi/${'ab'.repeat(20)}` })).statusCode).to.equal(404);
  });

  it('without an indexer: full devices answer, compressed lookups 503 NotConfigured', async () => {
    bare = buildApp({ backend: runtimeBackend(net.node.rt), apiKey: generateApiKey(), web: false });
    expect((await bare.inject({ url: `/v1/devices/${seen.full}` })).statusCode).to.equal(200);
    for (const url of [`/v1/devices/${seen.deviceKey}`, `/v1/lfdi/${seen.lfdi}`, seen.proof]) {
      const res = await bare.inject({ url });
      expect([res.statusCode, res.json().error], url).to.deep.equal([503, 'NotConfigured']);
    }
  });
});
