// Compressed devices through the registry lookups: their leaves live in concurrent Merkle trees,
// so only the indexer (@openvpp/indexer's `Queries`, rebuilt from the registry's leaf events) can
// find them by key or LFDI; the chain holds only the trees' roots. A service without an indexer
// answers 503 NotConfigured where a lookup would have to consult compressed devices.
import { sfdiFromLfdi } from '@openvpp/sdk';
import type { CompressedDevice } from '@openvpp/sdk/web3';

import { HttpError } from './errors';
import { toJson } from './json';

/** A compressed device as the indexer holds it (the parts of `CompressedDeviceView` read here). */
export interface CompressedDeviceRow {
  merkleTree: string;
  index: number;
  /** The leaf hash (hex). */
  leaf: string;
  /** The tree's sequence number when this version was written. */
  seq: number;
  device: CompressedDevice;
}

/** A leaf's proof as the indexer serves it (hex nodes, leaf level first, canopy levels left out). */
export interface CompressedProofRow {
  merkleTree: string;
  index: number;
  leaf: string;
  root: string;
  proof: string[];
  /** The tree's sequence number the root is at. */
  seq: number;
  /** False while the index misses changes of the tree (its root then differs from the chain's). */
  complete: boolean;
}

/** The indexer's compressed-device lookups (`Queries` in @openvpp/indexer). */
export interface CompressedLookups {
  /** The proof of leaf `index` against the index's current root (IndexerQueryError NotFound otherwise). */
  compressedProof(merkleTree: string, index: number): Promise<CompressedProofRow>;
  /** Compressed devices by device key (activated first). */
  compressedDevicesByKey(deviceKey: string): Promise<CompressedDeviceRow[]>;
  /** The compressed device of an LFDI (hex), or null. */
  compressedDeviceByLfdi(lfdi: string): Promise<CompressedDeviceRow | null>;
}

const notConfigured = () =>
  new HttpError(
    503,
    'NotConfigured',
    'compressed devices are looked up in the indexer and this service runs without one (start it with `openvpp serve`); no full device matches',
  );

/** The lookups of `queries` when it has them; otherwise lookups that answer 503 NotConfigured. */
export function compressedLookups(queries: unknown): CompressedLookups {
  const q = (queries ?? {}) as Partial<CompressedLookups>;
  return {
    compressedProof: (t, i) => (q.compressedProof ? q.compressedProof(t, i) : Promise.reject(notConfigured())),
    compressedDevicesByKey: (k) =>
      q.compressedDevicesByKey ? q.compressedDevicesByKey(k) : Promise.reject(notConfigured()),
    compressedDeviceByLfdi: (l) =>
      q.compressedDeviceByLfdi ? q.compressedDeviceByLfdi(l) : Promise.reject(notConfigured()),
  };
}

/** A compressed device's record: the full device record's fields it has, plus where its leaf is. */
export function compressedRecord(row: CompressedDeviceRow) {
  const d = row.device;
  return {
    compressed: { merkleTree: row.merkleTree, index: row.index, leaf: row.leaf.toLowerCase(), seq: row.seq },
    deviceType: d.data.deviceType,
    status: d.status,
    deviceKey: d.deviceKey.toBase58(),
    vendor: d.vendor.toBase58(),
    owner: d.data.owner.toBase58(),
    pendingOwner: d.data.pendingOwner.toBase58(),
    ownerEpoch: d.data.ownerEpoch,
    suspendedBy: d.data.suspendedBy,
    certFingerprint: toJson(d.data.certFingerprint),
    issuerCa: toJson(d.data.issuerCa),
    certNotAfter: d.data.certNotAfter.toString(),
    lfdi: toJson(d.lfdi),
    nextLfdi: toJson(d.nextLfdi),
    sfdi: sfdiFromLfdi(d.lfdi).toString(),
    capabilities: toJson(d.data.capabilities),
    nameHash: toJson(d.data.nameHash),
    registeredAt: d.data.registeredAt.toString(),
    nonce: d.data.nonce.toString(),
  };
}
