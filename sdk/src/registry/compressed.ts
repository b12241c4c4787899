// Compressed devices, client side (kit types, no web3.js): the registry's domain-separated leaf
// schema (`programs/ovpp-registry/src/compressed.rs`, mirrored byte for byte), an in-memory
// concurrent Merkle tree that serves roots and proofs (what an indexer rebuilds from the
// registry's events), proof verification, and a reader of `spl-account-compression` tree
// accounts (current root, sequence number, canopy), so a client checks a proof against the root
// it reads from the chain and never has to trust whoever served the proof.
//
//   leaf      = keccak(0x01 ‖ lfdi[20] ‖ next_lfdi[20] ‖ body)
//   body      = keccak(0x02 ‖ device_key ‖ vendor ‖ status[1] ‖ data_hash)
//   data_hash = keccak(0x03 ‖ borsh(CompressedDeviceData))
//   head body = keccak(0x04 ‖ "ovpp:lfdi-chain-head")
//   node      = keccak(left ‖ right)            (inner nodes: 64 bytes, no prefix)
import { keccak_256 } from '@noble/hashes/sha3';
import { getAddressDecoder, getAddressEncoder, type Address } from '@solana/kit';

import {
  getCompressedDeviceDataEncoder,
  type CompressedDeviceArgs,
  type CompressedDeviceDataArgs,
  type CompressedStatus,
} from '../generated/registry';
import { ClientError } from '../errors';
import { LFDI_LEN } from './constants';

/** `spl-account-compression` 1.0.0 (the same address on every cluster). */
export const ACCOUNT_COMPRESSION_PROGRAM_ADDRESS = 'cmtDvXumGCrqC1Age74AVPhSRVXJMd8PJS91L8KbNCK' as Address;
/** `spl-noop` 1.0.0 (account-compression logs its changelogs through it). */
export const NOOP_PROGRAM_ADDRESS = 'noopb9bkMVfRPU8AsbpTUg8AQkHtKwMYZiFUjNRtMmV' as Address;

export const COMPRESSED_LEAF_PREFIX = 0x01;
export const COMPRESSED_BODY_PREFIX = 0x02;
export const COMPRESSED_DATA_PREFIX = 0x03;
export const COMPRESSED_HEAD_PREFIX = 0x04;
/** The LFDI chain's bounds (the head leaf's interval); neither is a device's LFDI. */
export const LFDI_MIN: Uint8Array = new Uint8Array(LFDI_LEN);
export const LFDI_MAX: Uint8Array = new Uint8Array(LFDI_LEN).fill(0xff);
/** Most devices one `compressed_device_register` appends (`MAX_COMPRESSED_BATCH`). */
export const MAX_COMPRESSED_BATCH = 16;

const concat = (...parts: ArrayLike<number>[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const keccak = (...parts: ArrayLike<number>[]): Uint8Array => Uint8Array.from(keccak_256(concat(...parts)));
const addressBytes = (a: Address): Uint8Array => Uint8Array.from(getAddressEncoder().encode(a));

function exact(bytes: ArrayLike<number>, len: number, what: string): ArrayLike<number> {
  if (bytes.length !== len) throw new ClientError('InvalidFingerprint', `${what} must be ${len} bytes`);
  return bytes;
}

/** `data_hash = keccak(0x03 ‖ borsh(data))`. */
export function compressedDataHash(data: CompressedDeviceDataArgs): Uint8Array {
  return keccak([COMPRESSED_DATA_PREFIX], getCompressedDeviceDataEncoder().encode(data));
}

/** `body = keccak(0x02 ‖ device_key ‖ vendor ‖ status ‖ data_hash)`. */
export function compressedBodyHash(
  deviceKey: Address,
  vendor: Address,
  status: CompressedStatus,
  dataHash: ArrayLike<number>,
): Uint8Array {
  return keccak(
    [COMPRESSED_BODY_PREFIX],
    addressBytes(deviceKey),
    addressBytes(vendor),
    [status],
    exact(dataHash, 32, 'data hash'),
  );
}

/** `leaf = keccak(0x01 ‖ lfdi ‖ next_lfdi ‖ body)`. */
export function compressedLeafHash(
  lfdi: ArrayLike<number>,
  nextLfdi: ArrayLike<number>,
  body: ArrayLike<number>,
): Uint8Array {
  return keccak(
    [COMPRESSED_LEAF_PREFIX],
    exact(lfdi, LFDI_LEN, 'lfdi'),
    exact(nextLfdi, LFDI_LEN, 'nextLfdi'),
    exact(body, 32, 'body'),
  );
}

/** The body of the LFDI chain's head leaf. */
export const lfdiChainHeadBody = (): Uint8Array =>
  keccak([COMPRESSED_HEAD_PREFIX], new TextEncoder().encode('ovpp:lfdi-chain-head'));

/** The head leaf `(0^20, 0xFF^20, head body)` that `lfdi_chain_init` appends. */
export const lfdiChainHeadLeaf = (): Uint8Array => compressedLeafHash(LFDI_MIN, LFDI_MAX, lfdiChainHeadBody());

/** The leaf of a compressed device from its full preimage (`compressed::device_leaf`). */
export function compressedDeviceLeafHash(device: CompressedDeviceArgs): Uint8Array {
  const body = compressedBodyHash(device.deviceKey, device.vendor, device.status, compressedDataHash(device.data));
  return compressedLeafHash(device.lfdi, device.nextLfdi, body);
}

/** True for an LFDI a device may hold (not one of the chain's bounds). */
export const isValidCompressedLfdi = (lfdi: ArrayLike<number>): boolean =>
  lfdi.length === LFDI_LEN && compareBytes(lfdi, LFDI_MIN) !== 0 && compareBytes(lfdi, LFDI_MAX) !== 0;

/** Lexicographic byte order (the order of the LFDI chain). */
export function compareBytes(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------
// The tree.

/** `keccak(left ‖ right)`: an inner node. */
export const merkleNodeHash = (left: ArrayLike<number>, right: ArrayLike<number>): Uint8Array => keccak(left, right);

const EMPTY_CACHE: Uint8Array[] = [new Uint8Array(32)];
/** The root of an empty subtree of height `level` (level 0: the zero leaf), as the tree computes it. */
export function emptyMerkleNode(level: number): Uint8Array {
  while (EMPTY_CACHE.length <= level) {
    const below = EMPTY_CACHE[EMPTY_CACHE.length - 1];
    EMPTY_CACHE.push(merkleNodeHash(below, below));
  }
  return EMPTY_CACHE[level];
}

/**
 * An in-memory concurrent Merkle tree of `depth` (empty leaves are zero, as in
 * `spl-concurrent-merkle-tree`): append and replace leaves, read the root and any leaf's proof.
 * Every level keeps only its populated prefix, so a change costs `depth` hashes and memory grows
 * with the leaves, not with the capacity.
 */
export class MerkleTree {
  /** `levels[0]` are the leaves; `levels[depth]` holds the root once a leaf exists. */
  private readonly levels: Uint8Array[][];

  constructor(readonly depth: number) {
    if (!Number.isInteger(depth) || depth < 1 || depth > 30) {
      throw new ClientError('InvalidProof', `tree depth must be 1..=30, not ${depth}`);
    }
    this.levels = Array.from({ length: depth + 1 }, () => []);
  }

  /** Leaves written so far (the next appended leaf's index). */
  get leafCount(): number {
    return this.levels[0].length;
  }

  get capacity(): number {
    return 2 ** this.depth;
  }

  /** The leaf at `index` (zero when never written). */
  leaf(index: number): Uint8Array {
    return this.levels[0][index] ?? emptyMerkleNode(0);
  }

  /** Appends `leaf` and returns its index. */
  append(leaf: ArrayLike<number>): number {
    const index = this.leafCount;
    if (index >= this.capacity) throw new ClientError('InvalidProof', `the tree is full (${this.capacity} leaves)`);
    this.set(index, leaf);
    return index;
  }

  /** Writes `leaf` at `index` (at most one past the last leaf). */
  set(index: number, leaf: ArrayLike<number>): void {
    if (!Number.isInteger(index) || index < 0 || index > this.leafCount || index >= this.capacity) {
      throw new ClientError('InvalidProof', `leaf index ${index} is outside 0..=${this.leafCount}`);
    }
    let node: Uint8Array = Uint8Array.from(exact(leaf, 32, 'leaf'));
    let i = index;
    for (let level = 0; level < this.depth; level++) {
      this.levels[level][i] = node;
      const sibling = this.levels[level][i ^ 1] ?? emptyMerkleNode(level);
      node = i % 2 === 0 ? merkleNodeHash(node, sibling) : merkleNodeHash(sibling, node);
      i >>= 1;
    }
    this.levels[this.depth][0] = node;
  }

  /** The current root (the empty tree's root before any leaf). */
  root(): Uint8Array {
    return this.levels[this.depth][0] ?? emptyMerkleNode(this.depth);
  }

  /**
   * The proof of the leaf at `index`: one sibling per level, leaf level first. With
   * `canopyDepth` the top `canopyDepth` siblings are left out (the tree account holds them).
   */
  proof(index: number, { canopyDepth = 0 }: { canopyDepth?: number } = {}): Uint8Array[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.capacity) {
      throw new ClientError('InvalidProof', `leaf index ${index} is outside the tree`);
    }
    const out: Uint8Array[] = [];
    let i = index;
    for (let level = 0; level < this.depth - canopyDepth; level++) {
      out.push(this.levels[level][i ^ 1] ?? emptyMerkleNode(level));
      i >>= 1;
    }
    return out;
  }
}

/** The root a full proof (one node per level, leaf level first) gives for `leaf` at `index`. */
export function merkleRootFromProof(leaf: ArrayLike<number>, index: number, proof: ArrayLike<number>[]): Uint8Array {
  let node: Uint8Array = Uint8Array.from(exact(leaf, 32, 'leaf'));
  let i = index;
  for (const sibling of proof) {
    node = i % 2 === 0 ? merkleNodeHash(node, sibling) : merkleNodeHash(sibling, node);
    i = Math.floor(i / 2);
  }
  return node;
}

/** True when `proof` (full length: `depth` nodes) proves `leaf` at `index` under `root`. */
export function verifyMerkleProof({
  root,
  leaf,
  index,
  proof,
  depth = proof.length,
}: {
  root: ArrayLike<number>;
  leaf: ArrayLike<number>;
  index: number;
  proof: ArrayLike<number>[];
  depth?: number;
}): boolean {
  if (proof.length !== depth || index < 0 || index >= 2 ** depth) return false;
  return compareBytes(merkleRootFromProof(leaf, index, proof), root) === 0;
}

// ---------------------------------------------------------------------------------------------
// The tree account (`spl-account-compression`'s ConcurrentMerkleTree, header V1).

/** `CONCURRENT_MERKLE_TREE_HEADER_SIZE_V1`: account type, version, buffer, depth, authority, slot. */
const HEADER = 56;

/** Bytes of a tree account: header, tree (changelog buffer, rightmost proof), canopy. */
export function merkleTreeAccountSize(maxDepth: number, maxBufferSize: number, canopyDepth: number): number {
  const changelog = 32 * maxDepth + 40;
  return HEADER + 24 + maxBufferSize * changelog + (32 * maxDepth + 40) + (2 ** (canopyDepth + 1) - 2) * 32;
}

/** A tree account as read from the chain. */
export interface MerkleTreeAccount {
  maxDepth: number;
  maxBufferSize: number;
  /** The tree's authority: the registry's `["ctree", merkle_tree]` PDA. */
  authority: Address;
  creationSlot: bigint;
  /** Changes applied so far (appends and replaces). */
  sequenceNumber: bigint;
  /** The current root. */
  root: Uint8Array;
  /** The roots a proof may still name (the changelog buffer), newest first. */
  recentRoots: Uint8Array[];
  /** Leaves appended so far (`rightmost_proof.index`). */
  leafCount: number;
  canopyDepth: number;
  /** Canopy nodes in heap order without the root (node `n`, 1-based, is `canopy[n - 2]`). */
  canopy: Uint8Array[];
}

/** Reads a tree account's data. */
export function readMerkleTreeAccount(data: Uint8Array): MerkleTreeAccount {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < HEADER + 24 || data[0] !== 1) {
    throw new ClientError('WrongAccountType', 'not an initialised spl-account-compression tree');
  }
  const maxBufferSize = view.getUint32(2, true);
  const maxDepth = view.getUint32(6, true);
  const authority = getAddressDecoder().decode(data.subarray(10, 42));
  const creationSlot = view.getBigUint64(42, true);
  const sequenceNumber = view.getBigUint64(HEADER, true);
  const activeIndex = Number(view.getBigUint64(HEADER + 8, true));
  const bufferSize = Number(view.getBigUint64(HEADER + 16, true));
  const changelog = 32 * maxDepth + 40;
  const logs = HEADER + 24;
  const rootAt = (i: number) => data.slice(logs + i * changelog, logs + i * changelog + 32);
  const recentRoots = Array.from({ length: Math.min(bufferSize, maxBufferSize) }, (_, k) =>
    rootAt((activeIndex - k + maxBufferSize) % maxBufferSize),
  );
  const rightmost = logs + maxBufferSize * changelog;
  const leafCount = view.getUint32(rightmost + 32 * maxDepth + 32, true);
  const canopyStart = rightmost + 32 * maxDepth + 40;
  const canopyNodes = (data.length - canopyStart) / 32;
  const canopyDepth = Math.log2(canopyNodes + 2) - 1;
  if (!Number.isInteger(canopyNodes) || !Number.isInteger(canopyDepth)) {
    throw new ClientError('WrongAccountType', 'tree account size does not match its depth and buffer');
  }
  const canopy = Array.from({ length: canopyNodes }, (_, i) =>
    data.slice(canopyStart + 32 * i, canopyStart + 32 * i + 32),
  );
  return {
    maxDepth,
    maxBufferSize,
    authority,
    creationSlot,
    sequenceNumber,
    root: rootAt(activeIndex),
    recentRoots,
    leafCount,
    canopyDepth,
    canopy,
  };
}

/**
 * Completes a canopy-truncated proof from the tree account's canopy (what
 * `fill_in_proof_from_canopy` does on chain); a full proof is returned unchanged.
 */
export function fillProofFromCanopy(account: MerkleTreeAccount, index: number, proof: Uint8Array[]): Uint8Array[] {
  const { maxDepth, canopyDepth, canopy } = account;
  const inferred: Uint8Array[] = [];
  let node = Math.floor((2 ** maxDepth + index) / 2 ** (maxDepth - canopyDepth));
  while (node > 1) {
    const shifted = node - 2;
    const cached = canopy[shifted % 2 === 0 ? shifted + 1 : shifted - 1];
    const level = maxDepth - Math.floor(Math.log2(node));
    inferred.push(cached.every((b) => b === 0) ? emptyMerkleNode(level) : cached);
    node = Math.floor(node / 2);
  }
  const overlap = Math.max(0, proof.length + inferred.length - maxDepth);
  return [...proof, ...inferred.slice(overlap)];
}

/**
 * Client-side verification: `leaf` at `index` is in the tree whose account data is `account`,
 * proven by `proof` (canopy-truncated or full) against the account's current root, or, with
 * `allowRecent`, against any root of its changelog buffer (a proof the tree still accepts).
 */
export function verifyCompressedLeaf({
  account,
  leaf,
  index,
  proof,
  allowRecent = false,
}: {
  account: MerkleTreeAccount;
  leaf: ArrayLike<number>;
  index: number;
  proof: Uint8Array[];
  allowRecent?: boolean;
}): boolean {
  if (index < 0 || index >= account.leafCount) return false;
  const full = fillProofFromCanopy(account, index, proof);
  if (full.length !== account.maxDepth) return false;
  const computed = merkleRootFromProof(leaf, index, full);
  const roots = allowRecent ? account.recentRoots : [account.root];
  return roots.some((r) => compareBytes(r, computed) === 0);
}
