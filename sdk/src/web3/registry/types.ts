import type { ProgramEvent } from '../common/events';
import type { PublicKey } from '@solana/web3.js';

export type PartnerKind = 'utility' | 'vendor';
/** The one lifecycle of partners, devices and members (`ended` is a member's only). */
export type Status = 'active' | 'suspended' | 'revoked' | 'ended';
export type PartnerStatus = Exclude<Status, 'ended'>;
export type DeviceType = 'meter' | 'evCharger' | 'battery' | 'inverter' | 'thermostat' | 'other';
export type DeviceStatus = Exclude<Status, 'ended'>;
export type NameTargetKind = 'partner' | 'device';
export type MemberStatus = Status;
/** Who suspended a device (only that level or above may reinstate it). */
export type SuspendedBy = 'none' | 'vendor' | 'protocol';
export type AttestationKind =
  'certificateChain' | 'openAdr3Conformance' | 'ieee2030Dot5Conformance' | 'ocpp201Conformance' | 'securityProfile3';

/** What a device can do (see `CAP_*` and `PROTOCOL_*`). */
export interface Capabilities {
  flags: number;
  protocols: number;
  maxImportW: number;
  maxExportW: number;
  energyCapacityWh: bigint;
}

export interface Config {
  address: PublicKey;
  version: number;
  bump: number;
  authority: PublicKey;
}

export interface Partner {
  address: PublicKey;
  version: number;
  bump: number;
  kind: PartnerKind;
  status: PartnerStatus;
  authority: PublicKey;
  name: string;
  caFingerprints: Uint8Array[];
  createdAt: bigint;
  updatedAt: bigint;
  /** The partner's reserved registry name (e.g. `gridco`). */
  handle: string;
}

/** `["ca", fingerprint]`: which partner owns a CA root. */
export interface CaIndex {
  address: PublicKey;
  bump: number;
  partner: PublicKey;
  fingerprint: Uint8Array;
}

export interface Device {
  address: PublicKey;
  version: number;
  bump: number;
  deviceType: DeviceType;
  status: DeviceStatus;
  deviceKey: PublicKey;
  vendor: PublicKey;
  /** `PublicKey.default` while unclaimed (ownerless); see `isDeviceClaimed`. */
  owner: PublicKey;
  /** The owner-elect that must sign `device_claim` (`PublicKey.default` when none). */
  pendingOwner: PublicKey;
  /** The device's member account (`PublicKey.default` when none). */
  member: PublicKey;
  suspendedBy: SuspendedBy;
  certFingerprint: Uint8Array;
  issuerCa: Uint8Array;
  certNotAfter: bigint;
  lfdi: Uint8Array;
  sfdi: bigint;
  capabilities: Capabilities;
  registeredAt: bigint;
  updatedAt: bigint;
  /** Ownership epoch: 0 while never claimed, +1 per claim (owner-scoped payments state belongs to one epoch). */
  ownerEpoch: number;
  /** When the current epoch began (the claim): earlier intervals never bill or pay the current owner. */
  ownerSince: bigint;
  /** Owner of the previous epoch (`PublicKey.default` when none). */
  prevOwner: PublicKey;
  /** When the previous epoch began (it ended at `ownerSince`). */
  prevOwnerSince: bigint;
}

export interface CertIndex {
  address: PublicKey;
  bump: number;
  device: PublicKey;
  certFingerprint: Uint8Array;
}

export interface NameRecord {
  address: PublicKey;
  bump: number;
  targetKind: NameTargetKind;
  target: PublicKey;
  authority: PublicKey;
  name: string;
  createdAt: bigint;
}

export interface ReverseRecord {
  address: PublicKey;
  bump: number;
  nameRecord: PublicKey;
  name: string;
}

/** A decoded registry event: `name` is the event struct (e.g. `DeviceRegistered`). */
export type RegistryEvent = ProgramEvent;

export interface Member {
  address: PublicKey;
  status: MemberStatus;
  wallet: PublicKey;
  device: PublicKey;
  createdAt: bigint;
  suspendedWithDevice: boolean;
}

export interface Attestation {
  address: PublicKey;
  kind: AttestationKind;
  subject: PublicKey;
  issuer: PublicKey;
  evidenceHash: Uint8Array;
  issuedAt: bigint;
  expiresAt: bigint;
}

/** The integration service's attestation that an endpoint passed its protocol probe. */
export interface EndpointAttestation {
  address: PublicKey;
  kind: AttestationKind;
  endpoint: string;
  endpointHash: Uint8Array;
  /** SHA-256 of the DER SubjectPublicKeyInfo of the server key the probe saw. */
  spkiSha256: Uint8Array;
  /** SHA-256 of the probe report's canonical JSON (the report is served by the service). */
  evidenceHash: Uint8Array;
  issuer: PublicKey;
  issuedAt: bigint;
  expiresAt: bigint;
}

/** Lifecycle of a compressed device (`provisioned` until its device key activates it). */
export type CompressedStatus = 'provisioned' | 'active' | 'suspended' | 'revoked';

/** The part of a compressed device's leaf hashed as `data_hash`. */
export interface CompressedDeviceData {
  /** `PublicKey.default` while unclaimed. */
  owner: PublicKey;
  /** The owner-elect that must sign `compressed_device_claim` (`PublicKey.default` when none). */
  pendingOwner: PublicKey;
  suspendedBy: SuspendedBy;
  ownerEpoch: number;
  deviceType: DeviceType;
  capabilities: Capabilities;
  issuerCa: Uint8Array;
  certFingerprint: Uint8Array;
  certNotAfter: bigint;
  /** sha256 of the device's registry name (zero when none). */
  nameHash: Uint8Array;
  registeredAt: bigint;
  /** Starts at the leaf index, +1 per change. */
  nonce: bigint;
}

/** A compressed device's full leaf preimage (what instructions and events carry). */
export interface CompressedDevice {
  deviceKey: PublicKey;
  /** The vendor partner account. */
  vendor: PublicKey;
  lfdi: Uint8Array;
  /** The next LFDI in the registry-wide chain (zero while provisioned). */
  nextLfdi: Uint8Array;
  status: CompressedStatus;
  data: CompressedDeviceData;
}

/** A link of the LFDI chain, as the low leaf of an activation: its interval and its body hash. */
export interface ChainLink {
  lfdi: Uint8Array;
  nextLfdi: Uint8Array;
  body: Uint8Array;
}

/** Where a leaf is and how to prove it: what an indexer serves for a compressed device. */
export interface CompressedLeafProof {
  merkleTree: PublicKey;
  index: number;
  /** The root the proof was built against (the tree accepts it while within its buffer). */
  root: Uint8Array;
  /** Sibling nodes, leaf level first, without the canopy's levels. */
  proof: Uint8Array[];
}

/** `["ctree", merkleTree]`: a registry tree of compressed devices. */
export interface CompressedTree {
  address: PublicKey;
  version: number;
  bump: number;
  merkleTree: PublicKey;
  /** The vendor partner whose devices it holds; `PublicKey.default` for a protocol tree. */
  vendor: PublicKey;
  creator: PublicKey;
  maxDepth: number;
  maxBufferSize: number;
  canopyDepth: number;
  leafCount: bigint;
  createdAt: bigint;
}

/** `["lfdi_chain"]`: where the head of the registry-wide LFDI chain is. */
export interface LfdiChain {
  address: PublicKey;
  bump: number;
  merkleTree: PublicKey;
  index: number;
}
