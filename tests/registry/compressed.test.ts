// Compressed devices on the runtime, through the SDK: a batch of 8 provisioned by the vendor,
// activated by their device keys with proofs the SDK builds from the registry's events, claimed
// by the owner, verified read-only; and the refusals, each with its named error through the
// SDK's parser (a forged proof fails inside spl-account-compression, under the registry).
import { Keypair, PublicKey, TransactionInstruction } from '@solana/web3.js';
import { expect } from 'chai';

import {
  ClientError,
  compressedDeviceActivateInstructions,
  compressedDeviceClaimInstructions,
  compressedDeviceLeaf,
  compressedDeviceOwnerTransferInstructions,
  compressedDeviceRegisterInstructions,
  compressedDeviceStatusSetInstructions,
  compressedDeviceVerifyInstructions,
  fetchMerkleTreeAccount,
  parseCompressedDeviceError,
  parseRegistryEvents,
  partnerRegisterInstructions,
  verifyCompressedDevice,
  type CompressedLeafProof,
} from '@openvpp/sdk/web3';
import {
  type CompressedFleet,
  activateCompressed,
  compressedFleet,
  registerCompressed,
  sendCompressed,
} from '@openvpp/testing';

import { CAPS, CA_FINGERPRINT, CERT_NOT_AFTER, fakeFingerprint, registerDevice, world } from '../utils/harness';

/** Sending fails with `name`, raised by the registry or by the tree (account-compression). */
function expectCompressedError(f: CompressedFleet, ixs: TransactionInstruction[], signers: Keypair[], name: string) {
  const outcome = f.rt.tryInstructions(ixs, signers);
  expect(outcome.err, `expected ${name}, the transaction succeeded`).to.not.equal(null);
  const parsed = parseCompressedDeviceError(outcome);
  expect(parsed?.errorName, `expected ${name}, got ${JSON.stringify(outcome.err)}`).to.equal(name);
  return parsed!;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('registry: compressed devices', () => {
  it('registers 8 in one transaction, activates with TS-built proofs, claims, verifies read-only', async () => {
    const w = world();
    const f = compressedFleet(w);
    const owner = Keypair.generate();
    const leaves = registerCompressed(f, { count: 8, seed: 1_000, owner: owner.publicKey });
    expect(leaves).to.have.length(8);
    for (const l of leaves) {
      expect(l.device.status).to.equal('provisioned');
      expect(l.device.data.pendingOwner.toBase58()).to.equal(owner.publicKey.toBase58());
      expect(l.device.data.nonce).to.equal(BigInt(l.index));
    }
    // A provisioned device is not usable.
    expectCompressedError(
      f,
      compressedDeviceVerifyInstructions({ device: leaves[0].device, leaf: f.mirror.proof(f.vendorTree, 0) }),
      [],
      'DeviceNotActive',
    );

    for (const l of leaves) activateCompressed(f, l);
    const active = f.mirror.devices().filter((l) => l.device.status === 'active');
    expect(active).to.have.length(8);
    // The chain is sorted: following next_lfdi from the head visits every LFDI once, in order.
    const byLfdi = new Map(active.map((l) => [hex(l.device.lfdi), l.device]));
    let at = hex(f.mirror.leaf(f.protocolTree, 0)!.head!.nextLfdi);
    const visited: string[] = [];
    while (byLfdi.has(at)) {
      visited.push(at);
      at = hex(byLfdi.get(at)!.nextLfdi);
    }
    expect(at).to.equal('ff'.repeat(20));
    expect(visited)
      .to.deep.equal([...visited].sort())
      .and.to.have.length(8);

    // Claim with the consent of the pending owner; the claim is in the tree.
    const target = f.mirror.leaf(f.vendorTree, 4)!;
    const claim = sendCompressed(
      f,
      compressedDeviceClaimInstructions({
        newOwner: owner.publicKey,
        device: target.device!,
        leaf: f.mirror.proof(f.vendorTree, 4),
      }),
      [owner],
    );
    const changed = parseRegistryEvents(claim.logs).find((e) => e.name === 'CompressedDeviceChanged')!;
    expect(changed.data.change).to.deep.equal({ Claimed: {} });
    const claimed = f.mirror.leaf(f.vendorTree, 4)!.device!;
    expect(claimed.data.owner.toBase58()).to.equal(owner.publicKey.toBase58());
    expect(claimed.data.ownerEpoch).to.equal(1);
    expect(f.mirror.byOwner(owner.publicKey).map((l) => l.index)).to.deep.equal([4]);
    expect(f.mirror.byLfdi(claimed.lfdi)!.index).to.equal(4);

    // Verification only reads the tree: the instruction takes it read-only and the root stays.
    const before = (await fetchMerkleTreeAccount(f.rt, { merkleTree: f.vendorTree }))!;
    const verify = compressedDeviceVerifyInstructions({ device: claimed, leaf: f.mirror.proof(f.vendorTree, 4) });
    expect(verify[0].keys.find((k) => k.pubkey.equals(f.vendorTree))!.isWritable).to.equal(false);
    sendCompressed(f, verify);
    const after = (await fetchMerkleTreeAccount(f.rt, { merkleTree: f.vendorTree }))!;
    expect(hex(after.root)).to.equal(hex(before.root));
    expect(after.sequenceNumber).to.equal(before.sequenceNumber);
    expect(await verifyCompressedDevice(f.rt, { device: claimed, leaf: f.mirror.proof(f.vendorTree, 4) })).to.equal(
      true,
    );
  });

  it('refuses forged proofs, a replayed claim, another vendor, a taken LFDI and a non-pending owner', () => {
    const w = world();
    const f = compressedFleet(w);
    const owner = Keypair.generate();
    const [a, b] = registerCompressed(f, { count: 2, seed: 2_000, owner: owner.publicKey });
    activateCompressed(f, a);
    const device = f.mirror.leaf(f.vendorTree, a.index)!.device!;
    const leaf = (): CompressedLeafProof => f.mirror.proof(f.vendorTree, a.index);

    // Forged proof: one flipped node; a forged preimage (another owner-elect).
    const forged = {
      ...leaf(),
      proof: leaf().proof.map((n, i) => (i === 0 ? Uint8Array.from(n, (x) => x ^ 0xff) : n)),
    };
    const e = expectCompressedError(
      f,
      compressedDeviceClaimInstructions({ newOwner: owner.publicKey, device, leaf: forged }),
      [owner],
      'ConcurrentMerkleTreeError',
    );
    expect(e.program).to.equal('spl_account_compression');
    const mallory = Keypair.generate();
    const stolen = { ...device, data: { ...device.data, pendingOwner: mallory.publicKey } };
    expectCompressedError(
      f,
      compressedDeviceClaimInstructions({ newOwner: mallory.publicKey, device: stolen, leaf: leaf() }),
      [mallory],
      'ConcurrentMerkleTreeError',
    );
    // A flipped top-level node under an unknown root: account-compression replays its whole
    // changelog buffer (a root it does not know is advisory only) and still refuses the proof.
    const top = leaf().proof.length - 1;
    expectCompressedError(
      f,
      compressedDeviceVerifyInstructions({
        device,
        leaf: {
          ...leaf(),
          root: new Uint8Array(32).fill(7),
          proof: leaf().proof.map((n, i) => (i === top ? Uint8Array.from(n, (x) => x ^ 1) : n)),
        },
      }),
      [],
      'ConcurrentMerkleTreeError',
    );
    // Only the pending owner claims.
    expectCompressedError(
      f,
      compressedDeviceClaimInstructions({ newOwner: mallory.publicKey, device, leaf: leaf() }),
      [mallory],
      'NotPendingOwner',
    );

    // The claim, then the same claim replayed: it names a leaf that no longer exists.
    const claimIxs = compressedDeviceClaimInstructions({ newOwner: owner.publicKey, device, leaf: leaf() });
    sendCompressed(f, claimIxs, [owner]);
    expectCompressedError(
      f,
      compressedDeviceClaimInstructions({
        newOwner: owner.publicKey,
        device,
        leaf: f.mirror.proof(f.vendorTree, a.index),
      }),
      [owner],
      'ConcurrentMerkleTreeError',
    );

    // Another vendor: cannot register into this vendor's tree, nor change this vendor's devices.
    const other = Keypair.generate();
    const otherCa = fakeFingerprint(250);
    sendCompressed(
      f,
      partnerRegisterInstructions({
        authority: f.admin.publicKey,
        partnerAuthority: other.publicKey,
        payer: f.rt.payer.publicKey,
        kind: 'vendor',
        name: 'Other Vendor',
        handle: 'othervendor',
        caFingerprints: [otherCa],
      }),
      [f.admin, other],
    );
    expectCompressedError(
      f,
      compressedDeviceRegisterInstructions({
        vendorAuthority: other.publicKey,
        merkleTree: f.vendorTree,
        owner: owner.publicKey,
        deviceType: 'battery',
        capabilities: CAPS,
        issuerCa: otherCa,
        devices: [
          {
            deviceKey: Keypair.generate().publicKey,
            certFingerprint: fakeFingerprint(2_100),
            certNotAfter: CERT_NOT_AFTER,
          },
        ],
      }),
      [other],
      'VendorMismatch',
    );
    const claimed = f.mirror.leaf(f.vendorTree, a.index)!.device!;
    expectCompressedError(
      f,
      compressedDeviceStatusSetInstructions({
        authority: other.publicKey,
        status: 'suspended',
        device: claimed,
        leaf: f.mirror.proof(f.vendorTree, a.index),
      }),
      [other],
      'Unauthorized',
    );
    // ...nor register under this vendor's CA root in the protocol tree.
    expectCompressedError(
      f,
      compressedDeviceRegisterInstructions({
        vendorAuthority: other.publicKey,
        merkleTree: f.protocolTree,
        owner: owner.publicKey,
        deviceType: 'battery',
        capabilities: CAPS,
        issuerCa: CA_FINGERPRINT,
        devices: [
          {
            deviceKey: Keypair.generate().publicKey,
            certFingerprint: fakeFingerprint(2_101),
            certNotAfter: CERT_NOT_AFTER,
          },
        ],
      }),
      [other],
      'UnknownIssuerCa',
    );
    // The owner's transfer goes through its own signature only.
    expectCompressedError(
      f,
      compressedDeviceOwnerTransferInstructions({
        owner: mallory.publicKey,
        newOwner: mallory.publicKey,
        device: claimed,
        leaf: f.mirror.proof(f.vendorTree, a.index),
      }),
      [mallory],
      'Unauthorized',
    );

    // A full device's LFDI is taken: provisioning it compressed passes, activating it does not.
    registerDevice(w, { owner: owner.publicKey, certFingerprint: fakeFingerprint(2_200) });
    const [dup] = registerCompressed(f, { count: 1, seed: 2_200, owner: owner.publicKey });
    const dupDevice = f.mirror.leaf(f.vendorTree, dup.index)!.device!;
    expectCompressedError(
      f,
      // The chain does not hold it (a full device's LFDI is in ["cert", lfdi]), so the SDK builds it.
      compressedDeviceActivateInstructions({
        device: dupDevice,
        leaf: f.mirror.proof(f.vendorTree, dup.index),
        low: f.mirror.lowLeaf(dupDevice.lfdi),
      }),
      [f.deviceKeys.get(dupDevice.deviceKey.toBase58())!],
      'LfdiTaken',
    );
    // An LFDI already in the chain: the SDK refuses before sending.
    expect(() => f.mirror.lowLeaf(device.lfdi)).to.throw(ClientError, /LfdiTaken/);
    // b stays provisioned; the leaf hash of its preimage is what the tree holds.
    expect(hex(compressedDeviceLeaf(b.device))).to.equal(hex(f.mirror.leaf(f.vendorTree, b.index)!.leaf));
    expect(new PublicKey(b.device.vendor).toBase58()).to.equal(device.vendor.toBase58());
  });
});
