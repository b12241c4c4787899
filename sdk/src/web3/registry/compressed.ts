// Compressed devices for web3.js users: the leaf of a `CompressedDevice` (web3 types) through the
// root recipes (`registry/compressed.ts`), conversion from the generated (kit) types and from
// decoded events, a mirror that rebuilds every registry tree from the registry's events and serves
// proofs and lookups (what an indexer does), the tree account reader, and the errors of
// `spl-account-compression` (a forged, stale or replayed proof fails inside it, under the registry).
import { PublicKey } from '@solana/web3.js';
import BN from 'bn.js';

import { addr, bytes, fromKitEnum, pubkey, toKitEnum, type AccountReader } from '../common/kit';
import { ClientError } from '../common/errors';
import { ProgramError, customCodeOf, programErrors } from '../common/errors';
import * as gen from '../../generated/registry';
import {
  ACCOUNT_COMPRESSION_PROGRAM_ADDRESS,
  LFDI_MAX,
  LFDI_MIN,
  MerkleTree,
  compareBytes,
  compressedBodyHash,
  compressedDataHash,
  compressedDeviceLeafHash,
  compressedLeafHash,
  lfdiChainHeadBody,
  readMerkleTreeAccount,
  verifyCompressedLeaf,
  type MerkleTreeAccount,
} from '../../registry/compressed';
import { LFDI_LEN } from '../../registry/constants';
import { parseRegistryError, type RegistryProgramError } from './errors';
import type {
  ChainLink,
  CompressedDevice,
  CompressedDeviceData,
  CompressedLeafProof,
  CompressedStatus,
  DeviceType,
  RegistryEvent,
  SuspendedBy,
} from './types';

/** `spl-account-compression` (owner of every tree account). */
export const ACCOUNT_COMPRESSION_PROGRAM_ID = new PublicKey(ACCOUNT_COMPRESSION_PROGRAM_ADDRESS);
/** `spl-noop`. */
export const NOOP_PROGRAM_ID = new PublicKey('noopb9bkMVfRPU8AsbpTUg8AQkHtKwMYZiFUjNRtMmV');

// ---------------------------------------------------------------------------------------------
// Conversions and hashes.

/** A compressed device as the generated (kit) encoder takes it. */
export function toKitCompressedDevice(d: CompressedDevice): gen.CompressedDeviceArgs {
  const x = d.data;
  return {
    deviceKey: addr(d.deviceKey),
    vendor: addr(d.vendor),
    lfdi: d.lfdi,
    nextLfdi: d.nextLfdi,
    status: toKitEnum(gen.CompressedStatus, d.status),
    data: {
      owner: addr(x.owner),
      pendingOwner: addr(x.pendingOwner),
      suspendedBy: toKitEnum(gen.SuspendedBy, x.suspendedBy),
      ownerEpoch: x.ownerEpoch,
      deviceType: toKitEnum(gen.DeviceType, x.deviceType),
      capabilities: { ...x.capabilities },
      issuerCa: x.issuerCa,
      certFingerprint: x.certFingerprint,
      certNotAfter: x.certNotAfter,
      nameHash: x.nameHash,
      registeredAt: x.registeredAt,
      nonce: x.nonce,
    },
  };
}

/** A compressed device from the generated (kit) decoder. */
export function fromKitCompressedDevice(r: gen.CompressedDevice): CompressedDevice {
  const x = r.data;
  return {
    deviceKey: pubkey(r.deviceKey),
    vendor: pubkey(r.vendor),
    lfdi: bytes(r.lfdi),
    nextLfdi: bytes(r.nextLfdi),
    status: fromKitEnum(gen.CompressedStatus, r.status),
    data: {
      owner: pubkey(x.owner),
      pendingOwner: pubkey(x.pendingOwner),
      suspendedBy: fromKitEnum(gen.SuspendedBy, x.suspendedBy),
      ownerEpoch: x.ownerEpoch,
      deviceType: fromKitEnum(gen.DeviceType, x.deviceType),
      capabilities: { ...x.capabilities },
      issuerCa: bytes(x.issuerCa),
      certFingerprint: bytes(x.certFingerprint),
      certNotAfter: x.certNotAfter,
      nameHash: bytes(x.nameHash),
      registeredAt: x.registeredAt,
      nonce: x.nonce,
    },
  };
}

type EventFields = Record<string, unknown>;
/** A `BN` (decoded event), bigint, number or decimal string (an event stored as JSON). */
const big = (v: unknown): bigint => BigInt(typeof v === 'bigint' ? v : String(v as BN | number | string));
/** A `PublicKey` (decoded event) or base58 string (an event stored as JSON). */
const key = (v: unknown): PublicKey => new PublicKey(v as PublicKey | string);
const variant = <T extends string>(v: unknown): T => {
  const name = Object.keys(v as object)[0];
  return (name.charAt(0).toLowerCase() + name.slice(1)) as T;
};
const u8s = (v: unknown): Uint8Array =>
  typeof v === 'string' ? Uint8Array.from(Buffer.from(v, 'hex')) : Uint8Array.from(v as number[]);

/**
 * A `CompressedDevice` as a decoded event carries it (`CompressedDeviceChanged.device`), or as
 * its JSON form (keys base58, integers decimal strings, bytes number arrays or hex) stores it.
 */
export function compressedDeviceFromEvent(e: EventFields): CompressedDevice {
  const x = e.data as EventFields;
  const c = x.capabilities as EventFields;
  const data: CompressedDeviceData = {
    owner: key(x.owner),
    pendingOwner: key(x.pending_owner),
    suspendedBy: variant<SuspendedBy>(x.suspended_by),
    ownerEpoch: x.owner_epoch as number,
    deviceType: variant<DeviceType>(x.device_type),
    capabilities: {
      flags: c.flags as number,
      protocols: c.protocols as number,
      maxImportW: c.max_import_w as number,
      maxExportW: c.max_export_w as number,
      energyCapacityWh: big(c.energy_capacity_wh),
    },
    issuerCa: u8s(x.issuer_ca),
    certFingerprint: u8s(x.cert_fingerprint),
    certNotAfter: big(x.cert_not_after),
    nameHash: u8s(x.name_hash),
    registeredAt: big(x.registered_at),
    nonce: big(x.nonce),
  };
  return {
    deviceKey: key(e.device_key),
    vendor: key(e.vendor),
    lfdi: u8s(e.lfdi),
    nextLfdi: u8s(e.next_lfdi),
    status: variant<CompressedStatus>(e.status),
    data,
  };
}

/** `data_hash` of a compressed device's data. */
export const compressedDeviceDataHash = (d: CompressedDevice): Uint8Array =>
  compressedDataHash(toKitCompressedDevice(d).data);

/** The body hash of a compressed device (what a chain link carries as `body`). */
export const compressedDeviceBody = (d: CompressedDevice): Uint8Array =>
  compressedBodyHash(
    addr(d.deviceKey),
    addr(d.vendor),
    toKitEnum(gen.CompressedStatus, d.status),
    compressedDeviceDataHash(d),
  );

/** The leaf of a compressed device (the program's `compressed::device_leaf`). */
export const compressedDeviceLeaf = (d: CompressedDevice): Uint8Array =>
  compressedDeviceLeafHash(toKitCompressedDevice(d));

/** The chain link of an activated device (its leaf's interval and body). */
export const compressedDeviceLink = (d: CompressedDevice): ChainLink => ({
  lfdi: d.lfdi,
  nextLfdi: d.nextLfdi,
  body: compressedDeviceBody(d),
});

/** The LFDI chain's head link `(0^20, 0xFF^20, head body)`. */
export const lfdiChainHeadLink = (): ChainLink => ({ lfdi: LFDI_MIN, nextLfdi: LFDI_MAX, body: lfdiChainHeadBody() });

// ---------------------------------------------------------------------------------------------
// The tree account.

/** Reads a compressed-device tree account (`spl-account-compression`), or null when absent. */
export async function fetchMerkleTreeAccount(
  reader: AccountReader,
  { merkleTree }: { merkleTree: PublicKey },
): Promise<MerkleTreeAccount | null> {
  const info = await reader.getAccountInfo(merkleTree);
  if (!info) return null;
  if (!info.owner.equals(ACCOUNT_COMPRESSION_PROGRAM_ID)) {
    throw new ClientError('WrongAccountOwner', `${merkleTree.toBase58()} is not an account-compression tree`);
  }
  return readMerkleTreeAccount(Uint8Array.from(info.data));
}

/**
 * Client-side check of what an indexer served: `device` is the leaf at `leaf.index` of the tree
 * as it is on chain now (the proof against the tree account's current root, or any root still in
 * its changelog buffer with `allowRecent`). A lying indexer can withhold, never forge.
 */
export async function verifyCompressedDevice(
  reader: AccountReader,
  { device, leaf, allowRecent = false }: { device: CompressedDevice; leaf: CompressedLeafProof; allowRecent?: boolean },
): Promise<boolean> {
  const account = await fetchMerkleTreeAccount(reader, { merkleTree: leaf.merkleTree });
  if (!account) return false;
  return verifyCompressedLeaf({
    account,
    leaf: compressedDeviceLeaf(device),
    index: leaf.index,
    proof: leaf.proof,
    allowRecent,
  });
}

// ---------------------------------------------------------------------------------------------
// The mirror: every registry tree rebuilt from the registry's events.

/** One mirrored leaf: a device (its current preimage) or the LFDI chain's head. */
export interface MirroredLeaf {
  merkleTree: PublicKey;
  index: number;
  leaf: Uint8Array;
  device?: CompressedDevice;
  /** The head's link (`device` is absent for the head). */
  head?: ChainLink;
}

interface MirroredTree {
  merkleTree: PublicKey;
  tree: MerkleTree;
  canopyDepth: number;
  /** The tree's sequence number after the last applied change. */
  seq: bigint;
  leaves: Map<number, MirroredLeaf>;
}

/**
 * Every registry tree rebuilt from registry events (`CompressedTreeCreated`,
 * `LfdiChainInitialized`, `CompressedDeviceChanged`, `CompressedDeviceActivated`), applied in
 * the order they were emitted. Each event's leaf is checked against the preimage it carries and
 * each change against the tree's sequence number, so a gap or a forged log throws instead of
 * serving a wrong proof. Serves proofs, the LFDI chain's low leaf, and lookups.
 */
export class CompressedRegistryMirror {
  private readonly trees = new Map<string, MirroredTree>();

  /** Adds a tree (done by `CompressedTreeCreated`; call it for a tree created before the logs read). */
  addTree({ merkleTree, maxDepth, canopyDepth }: { merkleTree: PublicKey; maxDepth: number; canopyDepth: number }) {
    const key = merkleTree.toBase58();
    if (!this.trees.has(key)) {
      this.trees.set(key, {
        merkleTree,
        tree: new MerkleTree(maxDepth),
        canopyDepth,
        seq: 0n,
        leaves: new Map(),
      });
    }
  }

  private tree(merkleTree: PublicKey): MirroredTree {
    const t = this.trees.get(merkleTree.toBase58());
    if (!t)
      throw new ClientError('InvalidProof', `tree ${merkleTree.toBase58()} is not mirrored (no CompressedTreeCreated)`);
    return t;
  }

  private write(t: MirroredTree, entry: MirroredLeaf, seq: bigint) {
    if (seq !== t.seq + 1n) {
      throw new ClientError(
        'InvalidProof',
        `tree ${t.merkleTree.toBase58()}: change ${seq} after ${t.seq}: events are missing (backfill them)`,
      );
    }
    t.tree.set(entry.index, entry.leaf);
    t.leaves.set(entry.index, entry);
    t.seq = seq;
  }

  /** Applies one decoded registry event; returns whether it changed a tree. */
  apply(event: RegistryEvent): boolean {
    const e = event.data;
    switch (event.name) {
      case 'CompressedTreeCreated':
        this.addTree({
          merkleTree: e.merkle_tree as PublicKey,
          maxDepth: e.max_depth as number,
          canopyDepth: e.canopy_depth as number,
        });
        return true;
      case 'LfdiChainInitialized': {
        const t = this.tree(e.merkle_tree as PublicKey);
        const head = lfdiChainHeadLink();
        const leaf = u8s(e.leaf);
        this.check(leaf, compressedLeafHash(head.lfdi, head.nextLfdi, head.body), 'LfdiChainInitialized');
        this.write(t, { merkleTree: t.merkleTree, index: e.index as number, leaf, head }, t.seq + 1n);
        return true;
      }
      case 'CompressedDeviceChanged': {
        const t = this.tree(e.merkle_tree as PublicKey);
        const device = compressedDeviceFromEvent(e.device as EventFields);
        const leaf = u8s(e.leaf);
        this.check(leaf, compressedDeviceLeaf(device), 'CompressedDeviceChanged');
        this.write(t, { merkleTree: t.merkleTree, index: e.index as number, leaf, device }, big(e.seq));
        return true;
      }
      case 'CompressedDeviceActivated': {
        // 1. The low leaf now ends at this LFDI.
        const lowTree = this.tree(e.low_merkle_tree as PublicKey);
        const lowIndex = e.low_index as number;
        const low = lowTree.leaves.get(lowIndex);
        if (!low) throw new ClientError('InvalidProof', `low leaf ${lowIndex} is not mirrored`);
        const lfdi = u8s(e.lfdi);
        const lowLeaf = u8s(e.low_leaf);
        const lowEntry: MirroredLeaf = low.head
          ? { ...low, leaf: lowLeaf, head: { ...low.head, nextLfdi: lfdi } }
          : { ...low, leaf: lowLeaf, device: { ...low.device!, nextLfdi: lfdi } };
        const lowLink = lowEntry.head ?? compressedDeviceLink(lowEntry.device!);
        this.check(lowLeaf, compressedLeafHash(lowLink.lfdi, lowLink.nextLfdi, lowLink.body), 'low leaf');
        this.write(lowTree, lowEntry, big(e.low_seq));
        // 2. The provisioned leaf becomes active, linked to the low leaf's old successor.
        const t = this.tree(e.merkle_tree as PublicKey);
        const index = e.index as number;
        const prev = t.leaves.get(index)?.device;
        if (!prev || prev.status !== 'provisioned') {
          throw new ClientError('InvalidProof', `leaf ${index} was not a mirrored provisioned device`);
        }
        const device: CompressedDevice = { ...prev, status: 'active', nextLfdi: u8s(e.next_lfdi) };
        const leaf = u8s(e.leaf);
        this.check(leaf, compressedDeviceLeaf(device), 'CompressedDeviceActivated');
        this.write(t, { merkleTree: t.merkleTree, index, leaf, device }, big(e.seq));
        return true;
      }
      default:
        return false;
    }
  }

  private check(emitted: Uint8Array, computed: Uint8Array, what: string) {
    if (compareBytes(emitted, computed) !== 0) {
      throw new ClientError('InvalidProof', `${what}: the emitted leaf is not the hash of its preimage`);
    }
  }

  /** Applies every event, in order. */
  applyAll(events: RegistryEvent[]): void {
    for (const e of events) this.apply(e);
  }

  /** The mirrored root of a tree. */
  root(merkleTree: PublicKey): Uint8Array {
    return this.tree(merkleTree).tree.root();
  }

  /** The tree's sequence number after the last applied change. */
  sequenceNumber(merkleTree: PublicKey): bigint {
    return this.tree(merkleTree).seq;
  }

  /** The leaf at `index` and its proof (canopy levels left out) against the current root. */
  proof(merkleTree: PublicKey, index: number): CompressedLeafProof {
    const t = this.tree(merkleTree);
    return {
      merkleTree: t.merkleTree,
      index,
      root: t.tree.root(),
      proof: t.tree.proof(index, { canopyDepth: t.canopyDepth }),
    };
  }

  /** The mirrored leaf at `index`, if written. */
  leaf(merkleTree: PublicKey, index: number): MirroredLeaf | undefined {
    return this.tree(merkleTree).leaves.get(index);
  }

  /** Every mirrored device, tree by tree, in index order. */
  devices(): (MirroredLeaf & { device: CompressedDevice })[] {
    return [...this.trees.values()].flatMap((t) =>
      [...t.leaves.values()]
        .filter((l): l is MirroredLeaf & { device: CompressedDevice } => !!l.device)
        .sort((a, b) => a.index - b.index),
    );
  }

  /** Lookup by key: the devices registered for a device key (several if provisioned twice). */
  byKey(deviceKey: PublicKey): (MirroredLeaf & { device: CompressedDevice })[] {
    return this.devices().filter((l) => l.device.deviceKey.equals(deviceKey));
  }

  /** Lookup by certificate: the device with this LFDI (the activated one first). */
  byLfdi(lfdi: Uint8Array): (MirroredLeaf & { device: CompressedDevice }) | undefined {
    const all = this.devices().filter((l) => compareBytes(l.device.lfdi, lfdi.subarray(0, LFDI_LEN)) === 0);
    return all.find((l) => l.device.status !== 'provisioned') ?? all[0];
  }

  /** Lookup by owner: the devices an owner has claimed. */
  byOwner(owner: PublicKey): (MirroredLeaf & { device: CompressedDevice })[] {
    return this.devices().filter((l) => l.device.data.owner.equals(owner));
  }

  /**
   * The low leaf for inserting `lfdi` into the LFDI chain: the linked leaf whose interval
   * strictly holds it, with its proof. Throws `LfdiTaken` when a linked leaf already holds it.
   */
  lowLeaf(lfdi: Uint8Array): CompressedLeafProof & { link: ChainLink } {
    for (const t of this.trees.values()) {
      for (const l of t.leaves.values()) {
        const link = l.head ?? (l.device && l.device.status !== 'provisioned' ? compressedDeviceLink(l.device) : null);
        if (!link) continue;
        if (compareBytes(link.lfdi, lfdi) === 0) {
          throw new ClientError('LfdiTaken', `LFDI ${Buffer.from(lfdi).toString('hex')} is in the chain`);
        }
        if (compareBytes(link.lfdi, lfdi) < 0 && compareBytes(lfdi, link.nextLfdi) < 0) {
          return { ...this.proof(t.merkleTree, l.index), link };
        }
      }
    }
    throw new ClientError('InvalidProof', 'no chain link holds this LFDI: is the LFDI chain mirrored?');
  }
}

// ---------------------------------------------------------------------------------------------
// Errors.

/** `spl-account-compression`'s errors (its `AccountCompressionError`, codes 6000+). */
export const ACCOUNT_COMPRESSION_ERRORS = [
  'IncorrectLeafLength',
  'ConcurrentMerkleTreeError',
  'ZeroCopyError',
  'ConcurrentMerkleTreeConstantsError',
  'CanopyLengthMismatch',
  'IncorrectAuthority',
  'IncorrectAccountOwner',
  'IncorrectAccountType',
  'LeafIndexOutOfBounds',
] as const;
export type AccountCompressionErrorName = (typeof ACCOUNT_COMPRESSION_ERRORS)[number];

const compression = programErrors<AccountCompressionErrorName>(
  'spl_account_compression',
  ACCOUNT_COMPRESSION_ERRORS.map((name, i) => ({ code: 6000 + i, name })),
);

/** True when the logs say the failing custom error was raised by `programId` itself (not a CPI callee). */
function failedIn(logs: string[], programId: PublicKey, code: number): boolean {
  const first = logs.find((l) => / failed: custom program error: 0x[0-9a-f]+$/i.test(l));
  return (
    !!first && first.startsWith(`Program ${programId.toBase58()} failed`) && first.endsWith(`0x${code.toString(16)}`)
  );
}

/**
 * The account-compression error of a failed compressed-device instruction (a forged, stale,
 * foreign or replayed proof is its `ConcurrentMerkleTreeError`), read from the logs: its codes
 * overlap the registry's, so the innermost failing program decides.
 */
export function parseAccountCompressionError(error: unknown): ProgramError<AccountCompressionErrorName> | undefined {
  if (error instanceof ProgramError) return error.program === 'spl_account_compression' ? error : undefined;
  const { code, logs } = customCodeOf(error);
  if (code === undefined || !failedIn(logs, ACCOUNT_COMPRESSION_PROGRAM_ID, code)) return undefined;
  return compression.fromCode(code, logs);
}

/**
 * The error of a failed compressed-device instruction, whichever program raised it: the tree's
 * (`spl_account_compression`, e.g. `ConcurrentMerkleTreeError` for a forged proof) or the
 * registry's (e.g. `NotPendingOwner`, `VendorMismatch`).
 */
export function parseCompressedDeviceError(
  error: unknown,
): ProgramError<AccountCompressionErrorName> | RegistryProgramError | undefined {
  return parseAccountCompressionError(error) ?? parseRegistryError(error);
}
