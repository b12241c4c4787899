// The SDK's compressed-device recipes against the program: the TS leaf hash equals the leaf the
// registry computes and emits, the tree the SDK rebuilds from the registry's events has the
// on-chain tree account's root (after appends, an activation that links into the LFDI chain
// and a claim), its proofs (canopy-truncated) verify client-side against the account, and a
// tampered leaf, index or proof does not.
import { Keypair } from '@solana/web3.js';
import { expect } from 'chai';

import {
  MerkleTree,
  compressedDeviceClaimInstructions,
  compressedDeviceLeaf,
  emptyMerkleNode,
  fetchCompressedTree,
  fetchLfdiChain,
  fetchMerkleTreeAccount,
  lfdiChainHeadLeaf,
  merkleRootFromProof,
  merkleTreeAccountSize,
  verifyCompressedDevice,
  verifyCompressedLeaf,
  verifyMerkleProof,
} from '@openvpp/sdk/web3';
import { TEST_TREE, activateCompressed, compressedFleet, registerCompressed, sendCompressed } from '@openvpp/testing';

import { world } from '../utils/harness';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('sdk: compressed devices (leaf hash, tree, proofs)', () => {
  it('builds the same tree as spl-concurrent-merkle-tree for an empty and a partial tree', () => {
    const t = new MerkleTree(3);
    expect(hex(t.root())).to.equal(hex(emptyMerkleNode(3)));
    const leaves = [1, 2, 3].map((n) => new Uint8Array(32).fill(n));
    leaves.forEach((l) => t.append(l));
    for (let i = 0; i < 8; i++) {
      const proof = t.proof(i);
      expect(verifyMerkleProof({ root: t.root(), leaf: t.leaf(i), index: i, proof })).to.equal(true);
      expect(verifyMerkleProof({ root: t.root(), leaf: new Uint8Array(32).fill(9), index: i, proof })).to.equal(false);
    }
    // Replacing a leaf moves the root; the old proof no longer verifies against it.
    const before = t.proof(1);
    t.set(1, new Uint8Array(32).fill(7));
    expect(hex(merkleRootFromProof(new Uint8Array(32).fill(7), 1, before))).to.equal(hex(t.root()));
    expect(verifyMerkleProof({ root: t.root(), leaf: leaves[1], index: 1, proof: before })).to.equal(false);
    expect(merkleTreeAccountSize(20, 64, 10)).to.equal(109_752);
    expect(merkleTreeAccountSize(14, 64, 0)).to.equal(31_800);
  });

  it("rebuilds each tree from the registry's events to the on-chain root; proofs verify client-side", async () => {
    const w = world();
    const f = compressedFleet(w);
    const { rt } = f;
    const owner = Keypair.generate();

    // The chain's head and the tree records.
    const chain = (await fetchLfdiChain(rt))!;
    expect(chain.merkleTree.toBase58()).to.equal(f.protocolTree.toBase58());
    expect(hex(f.mirror.leaf(f.protocolTree, chain.index)!.leaf)).to.equal(hex(lfdiChainHeadLeaf()));
    const record = (await fetchCompressedTree(rt, { merkleTree: f.vendorTree }))!;
    expect(record).to.include({ maxDepth: TEST_TREE.maxDepth, canopyDepth: TEST_TREE.canopyDepth });

    const leaves = registerCompressed(f, { count: 8, seed: 300, owner: owner.publicKey });
    expect(leaves.map((l) => l.index)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    // The TS leaf hash of each preimage is the leaf the program emitted (the mirror checks it too).
    for (const l of leaves) expect(hex(compressedDeviceLeaf(l.device))).to.equal(hex(l.leaf));
    const rootAfter = async (tree = f.vendorTree) =>
      hex((await fetchMerkleTreeAccount(rt, { merkleTree: tree }))!.root);
    expect(hex(f.mirror.root(f.vendorTree))).to.equal(await rootAfter());
    expect((await fetchCompressedTree(rt, { merkleTree: f.vendorTree }))!.leafCount).to.equal(8n);

    // Activation: the head (protocol tree) is the low leaf; both trees change.
    activateCompressed(f, { merkleTree: f.vendorTree, index: 3 });
    expect(hex(f.mirror.root(f.vendorTree))).to.equal(await rootAfter());
    expect(hex(f.mirror.root(f.protocolTree))).to.equal(await rootAfter(f.protocolTree));
    // A second activation links after the first device (a low leaf that is a device).
    activateCompressed(f, { merkleTree: f.vendorTree, index: 5 });
    const active = f.mirror.leaf(f.vendorTree, 5)!.device!;
    expect(active.status).to.equal('active');

    // Claim: the owner signs with the served proof.
    sendCompressed(
      f,
      compressedDeviceClaimInstructions({
        newOwner: owner.publicKey,
        device: active,
        leaf: f.mirror.proof(f.vendorTree, 5),
      }),
      [owner],
    );
    expect(hex(f.mirror.root(f.vendorTree))).to.equal(await rootAfter());
    const account = (await fetchMerkleTreeAccount(rt, { merkleTree: f.vendorTree }))!;
    expect(account.sequenceNumber).to.equal(f.mirror.sequenceNumber(f.vendorTree));
    expect(account.leafCount).to.equal(8);
    expect(account.canopyDepth).to.equal(TEST_TREE.canopyDepth);

    // Client-side verification against the account: the served proof is canopy-truncated.
    const claimed = f.mirror.leaf(f.vendorTree, 5)!;
    const served = f.mirror.proof(f.vendorTree, 5);
    expect(served.proof).to.have.length(TEST_TREE.maxDepth - TEST_TREE.canopyDepth);
    expect(await verifyCompressedDevice(rt, { device: claimed.device!, leaf: served })).to.equal(true);
    expect(claimed.device!.data.owner.toBase58()).to.equal(owner.publicKey.toBase58());
    // Tampered: another owner, another index, a flipped proof node, the pre-claim preimage.
    const tampered = { ...claimed.device!, data: { ...claimed.device!.data, owner: Keypair.generate().publicKey } };
    expect(await verifyCompressedDevice(rt, { device: tampered, leaf: served })).to.equal(false);
    expect(await verifyCompressedDevice(rt, { device: claimed.device!, leaf: { ...served, index: 4 } })).to.equal(
      false,
    );
    const flipped = served.proof.map((n, i) => (i === 1 ? Uint8Array.from(n, (b) => b ^ 1) : n));
    expect(await verifyCompressedDevice(rt, { device: claimed.device!, leaf: { ...served, proof: flipped } })).to.equal(
      false,
    );
    expect(
      verifyCompressedLeaf({ account, leaf: compressedDeviceLeaf(active), index: 5, proof: served.proof }),
    ).to.equal(false);
    // The pre-claim leaf is still under a recent root (the buffer), not under the current one.
    expect(account.recentRoots.length).to.be.greaterThan(1);
  });
});
