// Compressed devices in the index: every registry tree followed from the registry's own leaf
// events (`CompressedTreeCreated`, `LfdiChainInitialized`, `CompressedDeviceChanged`,
// `CompressedDeviceActivated`: each carries the leaf, its preimage and the tree's sequence number,
// so no inner instruction or noop log is read). A leaf version is applied only when newer (by the
// tree's sequence number) than the stored one, so changes land in sequence order whatever order
// their transactions are ingested in; a tree whose applied changes are fewer than its sequence
// number has a gap (`complete: false`) until backfill brings the missing transactions. The queries
// rebuild each tree (cached per sequence number) to serve roots and proofs, and look compressed
// devices up by key, LFDI and owner. A client checks what it is served against the tree account
// (`verifyCompressedDevice` in @openvpp/sdk/web3): the index can withhold, never forge.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { PublicKey } from '@solana/web3.js';

import {
  MerkleTree,
  compressedDeviceBody,
  compressedDeviceFromEvent,
  lfdiChainHeadLink,
  type CompressedDevice,
  type CompressedLeafProof,
} from '@openvpp/sdk/web3';

import { IndexerQueryError } from './errors';
import { type CompressedLeavesTable, type Database, num } from './db/schema';

type Trx = Transaction<Database>;
type Json = Record<string, unknown>;

const DEFAULT_KEY = '11111111111111111111111111111111';
const ZERO_LFDI = '00'.repeat(20);
const hexOf = (v: unknown): string =>
  typeof v === 'string' ? v.toLowerCase() : Buffer.from(Uint8Array.from(v as number[])).toString('hex');
const variant = (v: unknown): string => (v && typeof v === 'object' ? (Object.keys(v as object)[0] ?? '') : String(v));
const key = (v: unknown): string | null => {
  const s = v === null || v === undefined ? '' : String(v);
  return s === '' || s === DEFAULT_KEY ? null : s;
};

/** The registry events this module follows. */
export const COMPRESSED_EVENTS = new Set([
  'CompressedTreeCreated',
  'LfdiChainInitialized',
  'CompressedDeviceChanged',
  'CompressedDeviceActivated',
]);

interface At {
  signature: string;
  slot: number;
  block_time: number | null;
}

type LeafRow = Omit<Selectable<CompressedLeavesTable>, 'merkle_tree' | 'leaf_index' | 'seq' | 'slot' | 'block_time'>;

/** Columns of a device leaf from its preimage (the event's `device`, as JSON). */
function deviceColumns(device: Json): Omit<LeafRow, 'leaf' | 'signature'> {
  const data = device.data as Json;
  return {
    kind: 'device',
    device_key: String(device.device_key),
    vendor: String(device.vendor),
    owner: key(data.owner),
    pending_owner: key(data.pending_owner),
    lfdi: hexOf(device.lfdi),
    next_lfdi: hexOf(device.next_lfdi),
    status: variant(device.status),
    data_json: JSON.stringify(device),
  };
}

/**
 * Writes one leaf version (`seq`: the tree's sequence number after the change) unless a newer
 * one is stored, and advances the tree's sequence number and change count.
 */
async function writeLeaf(trx: Trx, at: At, merkleTree: string, index: number, seq: number, row: LeafRow) {
  const tree = await trx
    .selectFrom('compressed_trees')
    .select(['seq', 'changes'])
    .where('merkle_tree', '=', merkleTree)
    .executeTakeFirst();
  if (!tree) return; // not a registry tree this index follows
  const stored = await trx
    .selectFrom('compressed_leaves')
    .select('seq')
    .where('merkle_tree', '=', merkleTree)
    .where('leaf_index', '=', index)
    .executeTakeFirst();
  if (!stored || num(stored.seq) < seq) {
    const values = { ...row, seq, slot: at.slot, block_time: at.block_time };
    await trx
      .insertInto('compressed_leaves')
      .values({ merkle_tree: merkleTree, leaf_index: index, ...values })
      .onConflict((oc) => oc.columns(['merkle_tree', 'leaf_index']).doUpdateSet(values))
      .execute();
  }
  await trx
    .updateTable('compressed_trees')
    .set({ seq: Math.max(num(tree.seq), seq), changes: num(tree.changes) + 1 })
    .where('merkle_tree', '=', merkleTree)
    .execute();
}

async function leafRow(trx: Trx, merkleTree: string, index: number) {
  return trx
    .selectFrom('compressed_leaves')
    .selectAll()
    .where('merkle_tree', '=', merkleTree)
    .where('leaf_index', '=', index)
    .executeTakeFirst();
}

/** Applies one registry event to the compressed tables; false when it is not one of theirs. */
export async function deriveCompressed(trx: Trx, at: At, name: string, d: Json): Promise<boolean> {
  switch (name) {
    case 'CompressedTreeCreated':
      await trx
        .insertInto('compressed_trees')
        .values({
          merkle_tree: String(d.merkle_tree),
          tree: String(d.tree),
          vendor: String(d.vendor),
          creator: String(d.creator),
          max_depth: Number(d.max_depth),
          max_buffer_size: Number(d.max_buffer_size),
          canopy_depth: Number(d.canopy_depth),
          seq: 0,
          changes: 0,
          slot: at.slot,
        })
        .onConflict((oc) => oc.column('merkle_tree').doNothing())
        .execute();
      return true;
    case 'LfdiChainInitialized': {
      const merkleTree = String(d.merkle_tree);
      const tree = await trx
        .selectFrom('compressed_trees')
        .select('seq')
        .where('merkle_tree', '=', merkleTree)
        .executeTakeFirst();
      // The head is the tree's next change (it carries no sequence number: the tree is new).
      await writeLeaf(trx, at, merkleTree, Number(d.index), num(tree?.seq ?? 0) + 1, {
        leaf: hexOf(d.leaf),
        kind: 'head',
        device_key: null,
        vendor: null,
        owner: null,
        pending_owner: null,
        lfdi: ZERO_LFDI,
        next_lfdi: 'ff'.repeat(20),
        status: 'Head',
        data_json: '{}',
        signature: at.signature,
      });
      return true;
    }
    case 'CompressedDeviceChanged':
      await writeLeaf(trx, at, String(d.merkle_tree), Number(d.index), Number(d.seq), {
        ...deviceColumns(d.device as Json),
        leaf: hexOf(d.leaf),
        signature: at.signature,
      });
      return true;
    case 'CompressedDeviceActivated': {
      // 1. The low leaf (the head or an active device) now ends at this LFDI.
      const lowTree = String(d.low_merkle_tree);
      const lowIndex = Number(d.low_index);
      const lfdi = d.lfdi as number[];
      const low = await leafRow(trx, lowTree, lowIndex);
      if (low) {
        const device = low.kind === 'device' ? { ...(JSON.parse(low.data_json) as Json), next_lfdi: lfdi } : null;
        await writeLeaf(trx, at, lowTree, lowIndex, Number(d.low_seq), {
          ...(device ? deviceColumns(device) : low),
          next_lfdi: hexOf(lfdi),
          leaf: hexOf(d.low_leaf),
          signature: at.signature,
        });
      }
      // 2. The provisioned leaf is active and linked.
      const merkleTree = String(d.merkle_tree);
      const index = Number(d.index);
      const prev = await leafRow(trx, merkleTree, index);
      if (prev && prev.kind === 'device') {
        const device = { ...(JSON.parse(prev.data_json) as Json), status: { Active: {} }, next_lfdi: d.next_lfdi };
        await writeLeaf(trx, at, merkleTree, index, Number(d.seq), {
          ...deviceColumns(device),
          leaf: hexOf(d.leaf),
          signature: at.signature,
        });
      }
      return true;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Queries.

/** A compressed device as the index holds it: where its leaf is and its current preimage. */
export interface CompressedDeviceView {
  merkleTree: string;
  index: number;
  /** The leaf hash (hex). */
  leaf: string;
  deviceKey: string;
  vendor: string;
  owner: string | null;
  pendingOwner: string | null;
  lfdi: string;
  nextLfdi: string;
  /** 'Provisioned' | 'Active' | 'Suspended' | 'Revoked'. */
  status: string;
  /** The tree's sequence number when this version was written. */
  seq: number;
  /** The preimage, ready for the SDK's builders and `verifyCompressedDevice`. */
  device: CompressedDevice;
}

/** A leaf's proof as the index serves it (hex nodes, leaf level first, canopy levels left out). */
export interface CompressedProof {
  merkleTree: string;
  index: number;
  leaf: string;
  root: string;
  proof: string[];
  /** The tree's sequence number the root is at. */
  seq: number;
  /** False while changes are missing (the root then differs from the chain's: backfill). */
  complete: boolean;
}

/** A served proof in the SDK's form (`CompressedLeafProof`). */
export const toLeafProof = (p: CompressedProof): CompressedLeafProof => ({
  merkleTree: new PublicKey(p.merkleTree),
  index: p.index,
  root: Uint8Array.from(Buffer.from(p.root, 'hex')),
  proof: p.proof.map((n) => Uint8Array.from(Buffer.from(n, 'hex'))),
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function checkKey(field: string, v: string) {
  try {
    new PublicKey(v);
  } catch {
    throw new IndexerQueryError('InvalidAddress', `${field} is not a base58 public key`);
  }
}

function checkLfdi(lfdi: string): string {
  const l = lfdi.toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(l)) throw new IndexerQueryError('InvalidLfdi', 'lfdi is 20 bytes of hex');
  return l;
}

function view(r: Selectable<CompressedLeavesTable>): CompressedDeviceView {
  return {
    merkleTree: r.merkle_tree,
    index: r.leaf_index,
    leaf: r.leaf,
    deviceKey: r.device_key!,
    vendor: r.vendor!,
    owner: r.owner,
    pendingOwner: r.pending_owner,
    lfdi: r.lfdi,
    nextLfdi: r.next_lfdi,
    status: r.status,
    seq: num(r.seq),
    device: compressedDeviceFromEvent(JSON.parse(r.data_json)),
  };
}

/** The compressed part of the app's read model (exposed as `Queries.compressed*`). */
export class CompressedQueries {
  private readonly trees = new Map<string, { seq: number; changes: number; tree: MerkleTree; canopy: number }>();

  constructor(readonly db: Kysely<Database>) {}

  /** The tree rebuilt from its stored leaves (reused while its sequence number is unchanged). */
  private async rebuilt(merkleTree: string) {
    const row = await this.db
      .selectFrom('compressed_trees')
      .selectAll()
      .where('merkle_tree', '=', merkleTree)
      .executeTakeFirst();
    if (!row) throw new IndexerQueryError('NotFound', `no compressed-device tree ${merkleTree} in the index`);
    const seq = num(row.seq);
    const changes = num(row.changes);
    const cached = this.trees.get(merkleTree);
    if (cached && cached.seq === seq && cached.changes === changes) return { ...cached, complete: changes === seq };
    const leaves = await this.db
      .selectFrom('compressed_leaves')
      .select(['leaf_index', 'leaf'])
      .where('merkle_tree', '=', merkleTree)
      .orderBy('leaf_index')
      .execute();
    const tree = new MerkleTree(row.max_depth);
    for (const l of leaves) {
      // A missing lower index (a gap) is an empty leaf until it is backfilled.
      while (tree.leafCount < l.leaf_index) tree.append(new Uint8Array(32));
      tree.set(l.leaf_index, Buffer.from(l.leaf, 'hex'));
    }
    const entry = { seq, changes, tree, canopy: row.canopy_depth };
    this.trees.set(merkleTree, entry);
    return { ...entry, complete: changes === seq };
  }

  /** The index's root of a tree and whether every change up to its sequence number is applied. */
  async compressedRoot(merkleTree: string): Promise<{ root: string; seq: number; complete: boolean }> {
    checkKey('merkleTree', merkleTree);
    const t = await this.rebuilt(merkleTree);
    return { root: hex(t.tree.root()), seq: t.seq, complete: t.complete };
  }

  /** The proof of leaf `index` of `merkleTree` against the index's current root. */
  async compressedProof(merkleTree: string, index: number): Promise<CompressedProof> {
    checkKey('merkleTree', merkleTree);
    const t = await this.rebuilt(merkleTree);
    if (!Number.isInteger(index) || index < 0 || index >= t.tree.leafCount) {
      throw new IndexerQueryError('NotFound', `no leaf ${index} in tree ${merkleTree}`);
    }
    return {
      merkleTree,
      index,
      leaf: hex(t.tree.leaf(index)),
      root: hex(t.tree.root()),
      proof: t.tree.proof(index, { canopyDepth: t.canopy }).map(hex),
      seq: t.seq,
      complete: t.complete,
    };
  }

  /** Lookup by key: the compressed devices of a device key (activated first). */
  async compressedDevicesByKey(deviceKey: string): Promise<CompressedDeviceView[]> {
    checkKey('deviceKey', deviceKey);
    const rows = await this.db
      .selectFrom('compressed_leaves')
      .selectAll()
      .where('device_key', '=', deviceKey)
      .orderBy('slot')
      .execute();
    return rows.map(view).sort((a, b) => Number(a.status === 'Provisioned') - Number(b.status === 'Provisioned'));
  }

  /** Lookup by certificate: the compressed device of an LFDI (the activated one when several were provisioned). */
  async compressedDeviceByLfdi(lfdi: string): Promise<CompressedDeviceView | null> {
    const l = checkLfdi(lfdi);
    const rows = await this.db
      .selectFrom('compressed_leaves')
      .selectAll()
      .where('kind', '=', 'device')
      .where('lfdi', '=', l)
      .execute();
    const views = rows.map(view);
    return views.find((v) => v.status !== 'Provisioned') ?? views[0] ?? null;
  }

  /** Lookup by owner: the compressed devices an owner has claimed. */
  async compressedDevicesOf(owner: string): Promise<CompressedDeviceView[]> {
    checkKey('owner', owner);
    const rows = await this.db
      .selectFrom('compressed_leaves')
      .selectAll()
      .where('owner', '=', owner)
      .orderBy('merkle_tree')
      .orderBy('leaf_index')
      .execute();
    return rows.map(view);
  }

  /**
   * The LFDI chain's low leaf for inserting `lfdi`: the linked leaf (the head or an activated
   * device) whose interval strictly holds it; null when a linked leaf holds `lfdi` itself.
   */
  async compressedLowLeaf(
    lfdi: string,
  ): Promise<{ proof: CompressedProof; link: { lfdi: string; nextLfdi: string; body: string } } | null> {
    const l = checkLfdi(lfdi);
    const taken = await this.db
      .selectFrom('compressed_leaves')
      .select('leaf_index')
      .where('lfdi', '=', l)
      .where('next_lfdi', '!=', ZERO_LFDI)
      .executeTakeFirst();
    if (taken) return null;
    const low = await this.db
      .selectFrom('compressed_leaves')
      .selectAll()
      .where('lfdi', '<', l)
      .where('next_lfdi', '>', l)
      .executeTakeFirst();
    if (!low) throw new IndexerQueryError('NotFound', 'no LFDI chain link holds this LFDI (is the chain indexed?)');
    const body = low.kind === 'head' ? lfdiChainHeadLink().body : compressedDeviceBody(view(low).device);
    return {
      proof: await this.compressedProof(low.merkle_tree, low.leaf_index),
      link: { lfdi: low.lfdi, nextLfdi: low.next_lfdi, body: hex(body) },
    };
  }
}
