// Compressed devices on a registry world: a protocol tree holding the LFDI chain's head, a vendor
// tree, and a mirror of both rebuilt from the registry's events of every transaction sent through
// `sendCompressed` (what an indexer serves: proofs, the chain's low leaf, lookups).
import { Keypair, PublicKey, TransactionInstruction } from '@solana/web3.js';

import type { Runtime, TransactionOutcome } from '@openvpp/runtime';
import {
  CompressedRegistryMirror,
  compressedDeviceActivateInstructions,
  compressedDeviceRegisterInstructions,
  compressedTreeCreateInstructions,
  findPartnerPda,
  lfdiChainInitInstructions,
  parseRegistryEvents,
  type CompressedDevice,
  type DeviceType,
  type MirroredLeaf,
} from '@openvpp/sdk/web3';

import { CAPS, CERT_NOT_AFTER, fakeFingerprint } from './registry';

/** Tree parameters of the test trees: small (32 leaves), a buffer of 8 changes, a canopy of 2. */
export const TEST_TREE = { maxDepth: 5, maxBufferSize: 8, canopyDepth: 2 } as const;

export interface CompressedFleet {
  rt: Runtime;
  admin: Keypair;
  vendor: Keypair;
  /** The CA root the vendor's certificates are issued under. */
  ca: Uint8Array;
  /** The protocol tree (holds the LFDI chain's head at index 0). */
  protocolTree: PublicKey;
  /** The vendor's own tree. */
  vendorTree: PublicKey;
  /** Every registry tree, rebuilt from the events of the transactions sent so far. */
  mirror: CompressedRegistryMirror;
  /** Device keypairs by device key (base58). */
  deviceKeys: Map<string, Keypair>;
}

/** Sends `ixs` and feeds the registry events of the committed transaction to the mirror. */
export function sendCompressed(
  f: Pick<CompressedFleet, 'rt' | 'mirror'>,
  ixs: TransactionInstruction[],
  signers: Keypair[] = [],
): TransactionOutcome {
  const outcome = f.rt.processInstructions(ixs, signers);
  f.mirror.applyAll(parseRegistryEvents(outcome.logs));
  return outcome;
}

/** Creates the protocol tree with the LFDI chain's head and the vendor's tree. */
export function compressedFleet(
  w: { rt: Runtime; admin: Keypair; vendor: Keypair; ca: Uint8Array },
  tree: { maxDepth: number; maxBufferSize: number; canopyDepth: number } = TEST_TREE,
): CompressedFleet {
  const { rt, admin, vendor } = w;
  const payer = rt.payer.publicKey;
  const protocolTree = Keypair.generate();
  const vendorTree = Keypair.generate();
  const f: CompressedFleet = {
    ...w,
    protocolTree: protocolTree.publicKey,
    vendorTree: vendorTree.publicKey,
    mirror: new CompressedRegistryMirror(),
    deviceKeys: new Map(),
  };
  sendCompressed(
    f,
    [
      ...compressedTreeCreateInstructions({
        authority: admin.publicKey,
        merkleTree: protocolTree.publicKey,
        payer,
        ...tree,
      }),
      ...lfdiChainInitInstructions({ authority: admin.publicKey, merkleTree: protocolTree.publicKey, payer }),
    ],
    [admin, protocolTree],
  );
  sendCompressed(
    f,
    compressedTreeCreateInstructions({
      authority: vendor.publicKey,
      vendor: findPartnerPda({ authority: vendor.publicKey })[0],
      merkleTree: vendorTree.publicKey,
      payer,
      ...tree,
    }),
    [vendor, vendorTree],
  );
  return f;
}

/**
 * Provisions one batch of `count` devices (fingerprints `fakeFingerprint(seed + i)`) for `owner`
 * into `merkleTree` (the vendor's tree by default); returns their mirrored leaves.
 */
export function registerCompressed(
  f: CompressedFleet,
  {
    count,
    seed,
    owner,
    merkleTree = f.vendorTree,
    deviceType = 'battery',
  }: { count: number; seed: number; owner: PublicKey; merkleTree?: PublicKey; deviceType?: DeviceType },
): (MirroredLeaf & { device: CompressedDevice })[] {
  const keys = Array.from({ length: count }, () => Keypair.generate());
  for (const k of keys) f.deviceKeys.set(k.publicKey.toBase58(), k);
  sendCompressed(
    f,
    compressedDeviceRegisterInstructions({
      vendorAuthority: f.vendor.publicKey,
      merkleTree,
      owner,
      deviceType,
      capabilities: CAPS,
      issuerCa: f.ca,
      devices: keys.map((k, i) => ({
        deviceKey: k.publicKey,
        certFingerprint: fakeFingerprint(seed + i),
        certNotAfter: CERT_NOT_AFTER,
      })),
    }),
    [f.vendor],
  );
  return keys.map((k) => f.mirror.byKey(k.publicKey).find((l) => l.merkleTree.equals(merkleTree))!);
}

/** Activates a provisioned device with proofs from the mirror (its device key signs). */
export function activateCompressed(
  f: CompressedFleet,
  at: { merkleTree: PublicKey; index: number },
): TransactionOutcome {
  const mirrored = f.mirror.leaf(at.merkleTree, at.index)!;
  const device = mirrored.device!;
  return sendCompressed(
    f,
    compressedDeviceActivateInstructions({
      device,
      leaf: f.mirror.proof(at.merkleTree, at.index),
      low: f.mirror.lowLeaf(device.lfdi),
    }),
    [f.deviceKeys.get(device.deviceKey.toBase58())!],
  );
}
