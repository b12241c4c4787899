import { PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';

import { addr, pdaAddress as pda, programAddress, signer, toKitEnum, toLegacyInstructions as one } from '../common/kit';
import * as gen from '../../generated/registry';
import { MAX_CA_FINGERPRINTS, MAX_PARTNER_NAME_LEN, REGISTRY_PROGRAM_ID } from './constants';
import { ClientError } from '../common/errors';
import { handleFromName, isValidHandle, isValidName, nameHash, parentLabel } from '../../registry/identity';
import { endpointHash } from './pdas';
import {
  findAttestationPda,
  findCaIndexPda,
  findCompressedTreePda,
  findLfdiChainPda,
  findProgramDataAddress,
  findCertIndexPda,
  findRegistryConfigPda,
  findDevicePda,
  findEndpointAttestationPda,
  findMemberPda,
  findNamePda,
  findSkeletonPda,
  findPartnerPda,
  findReversePda,
} from './pdas';
import { LFDI_LEN } from '../../registry/constants';
import {
  MAX_COMPRESSED_BATCH,
  compareBytes,
  isValidCompressedLfdi,
  merkleTreeAccountSize,
} from '../../registry/compressed';
import { ACCOUNT_COMPRESSION_PROGRAM_ID, compressedDeviceDataHash, toKitCompressedDevice } from './compressed';
import type {
  AttestationKind,
  Capabilities,
  ChainLink,
  CompressedDevice,
  CompressedLeafProof,
  CompressedStatus,
  DeviceStatus,
  DeviceType,
  MemberStatus,
  PartnerKind,
  PartnerStatus,
} from './types';

type ProgramOpt = { programId?: PublicKey };

const optional = (key: PublicKey | undefined) => (key ? addr(key) : undefined);
const SYSTEM = addr(SystemProgram.programId);

function fingerprint32(fp: Uint8Array, what: string): Uint8Array {
  if (fp.length !== 32) throw new ClientError('InvalidFingerprint', `${what} must be 32 bytes`);
  if (fp.every((b) => b === 0)) throw new ClientError('InvalidFingerprint', `${what} must not be zero`);
  return fp;
}

function capabilitiesArg(c: Capabilities): gen.CapabilitiesArgs {
  const u32 = (v: number) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
  if (![c.flags, c.maxImportW, c.maxExportW].every(u32) || !(c.protocols >= 0 && c.protocols <= 7)) {
    throw new ClientError('InvalidCapabilities', 'flags/powers must be u32, protocols a 3-bit set');
  }
  return { ...c };
}

/**
 * Creates the protocol config (once, at deploy). `deployer` must sign: the program's upgrade
 * authority on a cluster, `LOCALNET_ADMIN` when the program is natively hosted (the runtime
 * addon, solana-program-test). Defaults to `payer`.
 */
export function configInitInstructions({
  payer,
  authority,
  deployer = payer,
  programId = REGISTRY_PROGRAM_ID,
}: { payer: PublicKey; authority: PublicKey; deployer?: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getConfigInitInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        deployer: signer(deployer),
        program: addr(programId),
        programData: pda(findProgramDataAddress({ programId })),
        payer: signer(payer),
        systemProgram: SYSTEM,
        authority: addr(authority),
      },
      programAddress(programId),
    ),
  );
}

/** Hands the protocol authority over; both keys sign. */
export function configAuthoritySetInstructions({
  authority,
  newAuthority,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; newAuthority: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getConfigAuthoritySetInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        authority: signer(authority),
        newAuthority: signer(newAuthority),
      },
      programAddress(programId),
    ),
  );
}

/**
 * Onboards a partner: `partner_register` (reserving `handle`, by default derived from `name`)
 * then one `partner_ca_add` per CA root. The protocol authority and the partner key both sign.
 */
export function partnerRegisterInstructions({
  authority,
  partnerAuthority,
  payer,
  kind,
  name,
  handle = handleFromName(name),
  caFingerprints = [],
  programId = REGISTRY_PROGRAM_ID,
}: {
  authority: PublicKey;
  partnerAuthority: PublicKey;
  payer: PublicKey;
  kind: PartnerKind;
  name: string;
  /** The partner's reserved registry name, one label of `[a-z0-9-]`. */
  handle?: string;
  caFingerprints?: Uint8Array[];
} & ProgramOpt): TransactionInstruction[] {
  const len = Buffer.byteLength(name);
  if (len < 1 || len > MAX_PARTNER_NAME_LEN) {
    throw new ClientError('InvalidPartnerName', `partner name must be 1..=${MAX_PARTNER_NAME_LEN} bytes`);
  }
  if (!isValidHandle(handle)) {
    throw new ClientError('InvalidHandle', `${JSON.stringify(handle)} is not one [a-z0-9-] label`);
  }
  if (caFingerprints.length > MAX_CA_FINGERPRINTS) {
    throw new ClientError('TooManyCaFingerprints', `at most ${MAX_CA_FINGERPRINTS} CA fingerprints`);
  }
  const partner = findPartnerPda({ authority: partnerAuthority, programId })[0];
  return [
    ...one(
      gen.getPartnerRegisterInstruction(
        {
          config: pda(findRegistryConfigPda({ programId })),
          authority: signer(authority),
          partnerAuthority: signer(partnerAuthority),
          partner: addr(partner),
          nameRecord: pda(findNamePda({ name: handle, programId })),
          reverseRecord: pda(findReversePda({ target: partner, programId })),
          payer: signer(payer),
          systemProgram: SYSTEM,
          skeletonRecord: pda(findSkeletonPda({ name: handle, programId })),
          kind: toKitEnum(gen.PartnerKind, kind),
          name,
          handle,
          handleHash: nameHash(handle),
        },
        programAddress(programId),
      ),
    ),
    ...caFingerprints.flatMap((fingerprint) =>
      partnerCaAddInstructions({ authority, partnerAuthority, payer, fingerprint, programId }),
    ),
  ];
}

/** Adds a CA root to a partner: the protocol authority and the partner authority both sign. */
export function partnerCaAddInstructions({
  authority,
  partnerAuthority,
  payer,
  fingerprint,
  programId = REGISTRY_PROGRAM_ID,
}: {
  /** The protocol authority (approves the root). */
  authority: PublicKey;
  partnerAuthority: PublicKey;
  payer: PublicKey;
  fingerprint: Uint8Array;
} & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getPartnerCaAddInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        authority: signer(authority),
        partner: pda(findPartnerPda({ authority: partnerAuthority, programId })),
        partnerAuthority: signer(partnerAuthority),
        caIndex: pda(findCaIndexPda({ fingerprint, programId })),
        payer: signer(payer),
        systemProgram: SYSTEM,
        fingerprint: fingerprint32(fingerprint, 'CA fingerprint'),
      },
      programAddress(programId),
    ),
  );
}

/** Removes a CA root of `partner`: its (active) authority or the protocol authority signs. */
export function partnerCaRemoveInstructions({
  authority,
  partner,
  fingerprint,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; partner: PublicKey; fingerprint: Uint8Array } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getPartnerCaRemoveInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        partner: addr(partner),
        authority: signer(authority),
        caIndex: pda(findCaIndexPda({ fingerprint, programId })),
        fingerprint,
      },
      programAddress(programId),
    ),
  );
}

/** Protocol authority suspends, reinstates or revokes a partner. */
export function partnerStatusSetInstructions({
  authority,
  partner,
  status,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; partner: PublicKey; status: PartnerStatus } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getPartnerStatusSetInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        authority: signer(authority),
        partner: addr(partner),
        status: toKitEnum(gen.Status, status),
      },
      programAddress(programId),
    ),
  );
}

/**
 * Registers a device: the vendor authority and the device key both sign. With
 * `ownerSigns: true` the owner co-signs and owns the device at once; otherwise the device is
 * unclaimed until `owner` signs `deviceClaimInstructions`.
 */
export function deviceRegisterInstructions({
  vendorAuthority,
  deviceKey,
  payer,
  owner,
  ownerSigns = false,
  deviceType,
  capabilities,
  certFingerprint,
  issuerCa,
  certNotAfter,
  programId = REGISTRY_PROGRAM_ID,
}: {
  vendorAuthority: PublicKey;
  deviceKey: PublicKey;
  payer: PublicKey;
  owner: PublicKey;
  ownerSigns?: boolean;
  deviceType: DeviceType;
  capabilities: Capabilities;
  certFingerprint: Uint8Array;
  issuerCa: Uint8Array;
  certNotAfter: bigint;
} & ProgramOpt): TransactionInstruction[] {
  const certFp = fingerprint32(certFingerprint, 'certificate fingerprint');
  return one(
    gen.getDeviceRegisterInstruction(
      {
        vendor: pda(findPartnerPda({ authority: vendorAuthority, programId })),
        vendorAuthority: signer(vendorAuthority),
        deviceKey: signer(deviceKey),
        issuerCaIndex: pda(findCaIndexPda({ fingerprint: issuerCa, programId })),
        owner: ownerSigns ? signer(owner) : undefined,
        device: pda(findDevicePda({ deviceKey, programId })),
        certIndex: pda(findCertIndexPda({ lfdi: certFingerprint, programId })),
        payer: signer(payer),
        systemProgram: SYSTEM,
        ownerArg: addr(owner),
        deviceType: toKitEnum(gen.DeviceType, deviceType),
        capabilities: capabilitiesArg(capabilities),
        certFingerprint: certFp,
        issuerCa: fingerprint32(issuerCa, 'issuer CA fingerprint'),
        certNotAfter,
      },
      programAddress(programId),
    ),
  );
}

/** Proposes `newOwner` (the current owner signs); it owns the device once it claims. */
export function deviceOwnerTransferInstructions({
  deviceKey,
  owner,
  newOwner,
  programId = REGISTRY_PROGRAM_ID,
}: { deviceKey: PublicKey; owner: PublicKey; newOwner: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getDeviceOwnerTransferInstruction(
      { device: pda(findDevicePda({ deviceKey, programId })), owner: signer(owner), newOwner: addr(newOwner) },
      programAddress(programId),
    ),
  );
}

/**
 * The pending owner accepts a device (it signs). `member` is the device's member account
 * (`device.member`), required when it has one: the previous owner's membership ends.
 */
export function deviceClaimInstructions({
  deviceKey,
  newOwner,
  member,
  programId = REGISTRY_PROGRAM_ID,
}: { deviceKey: PublicKey; newOwner: PublicKey; member?: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getDeviceClaimInstruction(
      { device: pda(findDevicePda({ deviceKey, programId })), newOwner: signer(newOwner), member: optional(member) },
      programAddress(programId),
    ),
  );
}

/** The vendor re-points who may claim a device that is still unclaimed (vendor authority signs). */
export function devicePendingOwnerSetInstructions({
  vendorAuthority,
  deviceKey,
  pendingOwner,
  programId = REGISTRY_PROGRAM_ID,
}: {
  vendorAuthority: PublicKey;
  deviceKey: PublicKey;
  pendingOwner: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getDevicePendingOwnerSetInstruction(
      {
        vendor: pda(findPartnerPda({ authority: vendorAuthority, programId })),
        vendorAuthority: signer(vendorAuthority),
        device: pda(findDevicePda({ deviceKey, programId })),
        pendingOwner: addr(pendingOwner),
      },
      programAddress(programId),
    ),
  );
}

/** Withdraws a pending ownership transfer (the current owner signs). */
export function deviceTransferCancelInstructions({
  deviceKey,
  owner,
  programId = REGISTRY_PROGRAM_ID,
}: { deviceKey: PublicKey; owner: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getDeviceTransferCancelInstruction(
      { device: pda(findDevicePda({ deviceKey, programId })), owner: signer(owner) },
      programAddress(programId),
    ),
  );
}

export function deviceCapabilitiesUpdateInstructions({
  vendorAuthority,
  deviceKey,
  capabilities,
  programId = REGISTRY_PROGRAM_ID,
}: {
  vendorAuthority: PublicKey;
  deviceKey: PublicKey;
  capabilities: Capabilities;
} & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getDeviceCapabilitiesUpdateInstruction(
      {
        vendor: pda(findPartnerPda({ authority: vendorAuthority, programId })),
        vendorAuthority: signer(vendorAuthority),
        device: pda(findDevicePda({ deviceKey, programId })),
        capabilities: capabilitiesArg(capabilities),
      },
      programAddress(programId),
    ),
  );
}

/**
 * Vendor authority or protocol authority changes a device's status. `member` is the device's
 * member account (`device.member`), required when it has one (it follows the device).
 */
export function deviceStatusSetInstructions({
  authority,
  vendor,
  deviceKey,
  status,
  member,
  programId = REGISTRY_PROGRAM_ID,
}: {
  authority: PublicKey;
  /** The device's vendor partner account (`device.vendor`). */
  vendor: PublicKey;
  deviceKey: PublicKey;
  status: DeviceStatus;
  member?: PublicKey;
} & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getDeviceStatusSetInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        vendor: addr(vendor),
        authority: signer(authority),
        device: pda(findDevicePda({ deviceKey, programId })),
        member: optional(member),
        status: toKitEnum(gen.Status, status),
      },
      programAddress(programId),
    ),
  );
}

/**
 * Claims `name` for a device (its claimed owner signs). A dotted name passes the record of its
 * last label: under another partner's handle it is refused (`NameReserved`). The skeleton
 * reservations of the name and of its last label are passed too: a name that looks like
 * another partner's handle (`gr1dco`, `meter.gr1dco`) is refused (`NameConfusableWithHandle`).
 */
export function nameRegisterInstructions({
  target,
  authority,
  payer,
  name,
  programId = REGISTRY_PROGRAM_ID,
}: { target: PublicKey; authority: PublicKey; payer: PublicKey; name: string } & ProgramOpt): TransactionInstruction[] {
  if (!isValidName(name)) {
    throw new ClientError('InvalidName', `${JSON.stringify(name)} is not [a-z0-9][a-z0-9.-]* (<= 63 bytes)`);
  }
  const parent = parentLabel(name);
  return one(
    gen.getNameRegisterInstruction(
      {
        target: addr(target),
        authority: signer(authority),
        nameRecord: pda(findNamePda({ name, programId })),
        reverseRecord: pda(findReversePda({ target, programId })),
        payer: signer(payer),
        systemProgram: SYSTEM,
        parentName: parent === null ? undefined : pda(findNamePda({ name: parent, programId })),
        skeleton: pda(findSkeletonPda({ name, programId })),
        parentSkeleton: parent === null ? undefined : pda(findSkeletonPda({ name: parent, programId })),
        name,
        nameHash: nameHash(name),
      },
      programAddress(programId),
    ),
  );
}

export function nameReleaseInstructions({
  name,
  target,
  authority,
  programId = REGISTRY_PROGRAM_ID,
}: { name: string; target: PublicKey; authority: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getNameReleaseInstruction(
      {
        nameRecord: pda(findNamePda({ name, programId })),
        reverseRecord: pda(findReversePda({ target, programId })),
        target: addr(target),
        authority: signer(authority),
      },
      programAddress(programId),
    ),
  );
}

/** The claimed owner of an active device registers as its one member (may then hold unit tokens). */
export function memberRegisterInstructions({
  deviceKey,
  owner,
  payer,
  programId = REGISTRY_PROGRAM_ID,
}: { deviceKey: PublicKey; owner: PublicKey; payer: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getMemberRegisterInstruction(
      {
        device: pda(findDevicePda({ deviceKey, programId })),
        owner: signer(owner),
        member: pda(findMemberPda({ wallet: owner, programId })),
        payer: signer(payer),
        systemProgram: SYSTEM,
      },
      programAddress(programId),
    ),
  );
}

/**
 * Protocol authority suspends, reinstates or revokes a member. `device` is the member's device
 * (`member.device`); reinstating needs it active with the member still its owner's member.
 */
export function memberStatusSetInstructions({
  authority,
  wallet,
  device,
  status,
  programId = REGISTRY_PROGRAM_ID,
}: {
  authority: PublicKey;
  wallet: PublicKey;
  device: PublicKey;
  status: MemberStatus;
} & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getMemberStatusSetInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        authority: signer(authority),
        member: pda(findMemberPda({ wallet, programId })),
        device: addr(device),
        status: toKitEnum(gen.Status, status),
      },
      programAddress(programId),
    ),
  );
}

/** Records a capability attestation about a device or partner (protocol authority). */
export function attestationIssueInstructions({
  authority,
  subject,
  payer,
  kind,
  evidenceHash,
  expiresAt,
  programId = REGISTRY_PROGRAM_ID,
}: {
  authority: PublicKey;
  subject: PublicKey;
  payer: PublicKey;
  kind: AttestationKind;
  /** SHA-256 of the evidence report. */
  evidenceHash: Uint8Array;
  expiresAt: bigint;
} & ProgramOpt): TransactionInstruction[] {
  if (evidenceHash.length !== 32) throw new ClientError('InvalidFingerprint', 'evidenceHash must be 32 bytes');
  return one(
    gen.getAttestationIssueInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        authority: signer(authority),
        subject: addr(subject),
        attestation: pda(findAttestationPda({ subject, kind, programId })),
        payer: signer(payer),
        systemProgram: SYSTEM,
        kind: toKitEnum(gen.AttestationKind, kind),
        evidenceHash,
        expiresAt,
      },
      programAddress(programId),
    ),
  );
}

export function attestationRevokeInstructions({
  authority,
  subject,
  kind,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; subject: PublicKey; kind: AttestationKind } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getAttestationRevokeInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        authority: signer(authority),
        attestation: pda(findAttestationPda({ subject, kind, programId })),
      },
      programAddress(programId),
    ),
  );
}

/** The attestation kind of each routed protocol's endpoint probe. */
export const ENDPOINT_ATTESTATION_KINDS = {
  openAdr3Vtn: 'openAdr3Conformance',
  ieee2030Dot5: 'ieee2030Dot5Conformance',
  ocpp201Csms: 'ocpp201Conformance',
} as const;

/**
 * Records (or renews) that a utility endpoint passed its protocol probe, with the SPKI SHA-256
 * of the server key it presented and the SHA-256 of the probe report (protocol authority).
 * `route_set` accepts a route to `endpoint` only while this is live and its SPKI is pinned.
 */
export function endpointAttestInstructions({
  authority,
  payer,
  endpoint,
  kind,
  spkiSha256,
  evidenceHash,
  expiresAt,
  programId = REGISTRY_PROGRAM_ID,
}: {
  authority: PublicKey;
  payer: PublicKey;
  endpoint: string;
  kind: (typeof ENDPOINT_ATTESTATION_KINDS)[keyof typeof ENDPOINT_ATTESTATION_KINDS];
  spkiSha256: Uint8Array;
  /** SHA-256 of the probe report's canonical JSON. */
  evidenceHash: Uint8Array;
  expiresAt: bigint;
} & ProgramOpt): TransactionInstruction[] {
  if (endpoint.length === 0 || Buffer.byteLength(endpoint) > 200) {
    throw new ClientError('InvalidEndpoint', 'endpoint must be 1..=200 bytes');
  }
  return one(
    gen.getEndpointAttestInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        authority: signer(authority),
        attestation: pda(findEndpointAttestationPda({ endpoint, programId })),
        payer: signer(payer),
        systemProgram: SYSTEM,
        endpoint,
        endpointHash: endpointHash(endpoint),
        kind: toKitEnum(gen.AttestationKind, kind),
        spkiSha256: fingerprint32(spkiSha256, 'spkiSha256'),
        evidenceHash: fingerprint32(evidenceHash, 'evidenceHash'),
        expiresAt,
      },
      programAddress(programId),
    ),
  );
}

/** Withdraws an endpoint attestation (protocol authority): no new route to it until it passes again. */
export function endpointAttestationRevokeInstructions({
  authority,
  endpoint,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; endpoint: string } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getEndpointAttestationRevokeInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        authority: signer(authority),
        attestation: pda(findEndpointAttestationPda({ endpoint, programId })),
      },
      programAddress(programId),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Compressed devices (leaves of `spl-account-compression` trees owned by the registry).

/** Rent-exempt lamports for `space` bytes at the default rent (what a cluster charges today). */
export const rentExemptLamports = (space: number): bigint => BigInt(128 + space) * 6_960n;

/** A compressed-device instruction's tree accounts: the registry's tree record and the Merkle tree. */
function treeAccounts(merkleTree: PublicKey, programId: PublicKey) {
  return { tree: pda(findCompressedTreePda({ merkleTree, programId })), merkleTree: addr(merkleTree) };
}

/** Appends `proof` (sibling nodes, leaf level first) as read-only remaining accounts. */
function withProof(ixs: TransactionInstruction[], proof: Uint8Array[]): TransactionInstruction[] {
  const ix = ixs[ixs.length - 1];
  for (const node of proof) {
    if (node.length !== 32) throw new ClientError('InvalidProof', 'every proof node is 32 bytes');
    ix.keys.push({ pubkey: new PublicKey(node), isSigner: false, isWritable: false });
  }
  return ixs;
}

function leafArgs(device: CompressedDevice, leaf: CompressedLeafProof): gen.CompressedLeafArgsArgs {
  if (leaf.root.length !== 32) throw new ClientError('InvalidProof', 'root must be 32 bytes');
  return { device: toKitCompressedDevice(device), index: leaf.index, root: leaf.root };
}

/**
 * Creates a compressed-device tree: allocates the tree account (`merkleTree` signs) for
 * `spl-account-compression`, then `compressed_tree_create`, whose registry PDA
 * `["ctree", merkleTree]` becomes the tree's authority. A protocol tree (any active vendor
 * registers into it) is created by the protocol authority; a vendor tree by the vendor's
 * authority, with `vendor` its partner account. (depth, buffer) must be a pair account-compression
 * supports, e.g. (20, 64) with canopy 10 for a 1M-device tree.
 */
export function compressedTreeCreateInstructions({
  authority,
  vendor,
  merkleTree,
  payer,
  maxDepth,
  maxBufferSize,
  canopyDepth,
  lamports,
  programId = REGISTRY_PROGRAM_ID,
}: {
  authority: PublicKey;
  vendor?: PublicKey;
  merkleTree: PublicKey;
  payer: PublicKey;
  maxDepth: number;
  maxBufferSize: number;
  canopyDepth: number;
  /** Rent of the tree account; defaults to the default rent's minimum balance. */
  lamports?: bigint;
} & ProgramOpt): TransactionInstruction[] {
  if (!(canopyDepth >= 0 && canopyDepth < maxDepth)) {
    throw new ClientError('InvalidProof', 'canopyDepth must be below maxDepth');
  }
  const space = merkleTreeAccountSize(maxDepth, maxBufferSize, canopyDepth);
  return [
    SystemProgram.createAccount({
      fromPubkey: payer,
      newAccountPubkey: merkleTree,
      lamports: Number(lamports ?? rentExemptLamports(space)),
      space,
      programId: ACCOUNT_COMPRESSION_PROGRAM_ID,
    }),
    ...one(
      gen.getCompressedTreeCreateInstruction(
        {
          config: pda(findRegistryConfigPda({ programId })),
          authority: signer(authority),
          vendor: optional(vendor),
          merkleTree: addr(merkleTree),
          tree: pda(findCompressedTreePda({ merkleTree, programId })),
          payer: signer(payer),
          systemProgram: SYSTEM,
          maxDepth,
          maxBufferSize,
          canopyDepth,
        },
        programAddress(programId),
      ),
    ),
  ];
}

/** Appends the head of the registry-wide LFDI chain to a tree (protocol authority, once). */
export function lfdiChainInitInstructions({
  authority,
  merkleTree,
  payer,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; merkleTree: PublicKey; payer: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return one(
    gen.getLfdiChainInitInstruction(
      {
        config: pda(findRegistryConfigPda({ programId })),
        authority: signer(authority),
        chain: pda(findLfdiChainPda({ programId })),
        ...treeAccounts(merkleTree, programId),
        payer: signer(payer),
        systemProgram: SYSTEM,
      },
      programAddress(programId),
    ),
  );
}

/** One device of a compressed registration batch. */
export interface CompressedDeviceEntry {
  deviceKey: PublicKey;
  certFingerprint: Uint8Array;
  certNotAfter: bigint;
}

/**
 * Provisions a batch of 1..=16 compressed devices (the vendor authority signs; 8 fit a legacy
 * transaction, 11 with a lookup table): every vendor-side check of `device_register`. Each is
 * usable once its device key signs `compressedDeviceActivateInstructions`; `owner` may then
 * claim it.
 */
export function compressedDeviceRegisterInstructions({
  vendorAuthority,
  merkleTree,
  owner,
  deviceType,
  capabilities,
  issuerCa,
  devices,
  programId = REGISTRY_PROGRAM_ID,
}: {
  vendorAuthority: PublicKey;
  merkleTree: PublicKey;
  owner: PublicKey;
  deviceType: DeviceType;
  capabilities: Capabilities;
  issuerCa: Uint8Array;
  devices: CompressedDeviceEntry[];
} & ProgramOpt): TransactionInstruction[] {
  if (devices.length < 1 || devices.length > MAX_COMPRESSED_BATCH) {
    throw new ClientError('InvalidBatch', `a batch holds 1..=${MAX_COMPRESSED_BATCH} devices`);
  }
  const seen = new Set<string>();
  for (const d of devices) {
    fingerprint32(d.certFingerprint, 'certificate fingerprint');
    if (!isValidCompressedLfdi(d.certFingerprint.subarray(0, LFDI_LEN))) {
      throw new ClientError('InvalidFingerprint', 'an LFDI of all zero or all 0xFF bytes is reserved');
    }
    const lfdi = Buffer.from(d.certFingerprint.subarray(0, LFDI_LEN)).toString('hex');
    if (seen.has(lfdi)) throw new ClientError('DuplicateLfdi', `LFDI ${lfdi} appears twice in the batch`);
    seen.add(lfdi);
  }
  return one(
    gen.getCompressedDeviceRegisterInstruction(
      {
        vendor: pda(findPartnerPda({ authority: vendorAuthority, programId })),
        vendorAuthority: signer(vendorAuthority),
        issuerCaIndex: pda(findCaIndexPda({ fingerprint: issuerCa, programId })),
        ...treeAccounts(merkleTree, programId),
        owner: addr(owner),
        deviceType: toKitEnum(gen.DeviceType, deviceType),
        capabilities: capabilitiesArg(capabilities),
        issuerCa: fingerprint32(issuerCa, 'issuer CA fingerprint'),
        devices: devices.map((d) => ({
          deviceKey: addr(d.deviceKey),
          certFingerprint: d.certFingerprint,
          certNotAfter: d.certNotAfter,
        })),
      },
      programAddress(programId),
    ),
  );
}

/**
 * The device key activates its provisioned leaf (it signs: proof of possession) and links its
 * LFDI into the registry-wide chain after `low`, the linked leaf whose interval strictly holds
 * it (an indexer's `lowLeaf`). Two proofs: the low leaf's then the device's (at depth 20 /
 * canopy 10 the transaction needs a lookup table).
 */
export function compressedDeviceActivateInstructions({
  device,
  leaf,
  low,
  programId = REGISTRY_PROGRAM_ID,
}: {
  /** The provisioned preimage, as registered. */
  device: CompressedDevice;
  leaf: CompressedLeafProof;
  low: CompressedLeafProof & { link: ChainLink };
} & ProgramOpt): TransactionInstruction[] {
  const { lfdi } = device;
  if (device.status !== 'provisioned') throw new ClientError('InvalidProof', 'only a provisioned device activates');
  if (compareBytes(lfdi, low.link.lfdi) === 0 || compareBytes(lfdi, low.link.nextLfdi) === 0) {
    throw new ClientError('LfdiTaken', 'the LFDI is already in the chain');
  }
  if (!(compareBytes(low.link.lfdi, lfdi) < 0 && compareBytes(lfdi, low.link.nextLfdi) < 0)) {
    throw new ClientError('InvalidProof', "the low leaf's interval does not hold this LFDI");
  }
  if (low.proof.length > 255) throw new ClientError('InvalidProof', 'the low proof is too long');
  const sameTree = low.merkleTree.equals(leaf.merkleTree);
  return withProof(
    one(
      gen.getCompressedDeviceActivateInstruction(
        {
          deviceKey: signer(device.deviceKey),
          vendor: addr(device.vendor),
          ...treeAccounts(leaf.merkleTree, programId),
          lowTree: sameTree ? undefined : pda(findCompressedTreePda({ merkleTree: low.merkleTree, programId })),
          lowMerkleTree: sameTree ? undefined : addr(low.merkleTree),
          certIndex: pda(findCertIndexPda({ lfdi, programId })),
          lfdi,
          dataHash: compressedDeviceDataHash(device),
          index: leaf.index,
          root: leaf.root,
          low: low.link,
          lowIndex: low.index,
          lowRoot: low.root,
          lowProofLen: low.proof.length,
        },
        programAddress(programId),
      ),
    ),
    [...low.proof, ...leaf.proof],
  );
}

/** The pending owner claims an active compressed device (it signs). */
export function compressedDeviceClaimInstructions({
  newOwner,
  device,
  leaf,
  programId = REGISTRY_PROGRAM_ID,
}: {
  newOwner: PublicKey;
  device: CompressedDevice;
  leaf: CompressedLeafProof;
} & ProgramOpt): TransactionInstruction[] {
  return withProof(
    one(
      gen.getCompressedDeviceClaimInstruction(
        {
          newOwner: signer(newOwner),
          ...treeAccounts(leaf.merkleTree, programId),
          args: leafArgs(device, leaf),
        },
        programAddress(programId),
      ),
    ),
    leaf.proof,
  );
}

/** The owner proposes `newOwner` (it owns the device once it claims). */
export function compressedDeviceOwnerTransferInstructions({
  owner,
  newOwner,
  device,
  leaf,
  programId = REGISTRY_PROGRAM_ID,
}: {
  owner: PublicKey;
  newOwner: PublicKey;
  device: CompressedDevice;
  leaf: CompressedLeafProof;
} & ProgramOpt): TransactionInstruction[] {
  return withProof(
    one(
      gen.getCompressedDeviceOwnerTransferInstruction(
        {
          owner: signer(owner),
          ...treeAccounts(leaf.merkleTree, programId),
          args: leafArgs(device, leaf),
          newOwner: addr(newOwner),
        },
        programAddress(programId),
      ),
    ),
    leaf.proof,
  );
}

/** The vendor's or the protocol authority suspends, reinstates or revokes a compressed device. */
export function compressedDeviceStatusSetInstructions({
  authority,
  status,
  device,
  leaf,
  programId = REGISTRY_PROGRAM_ID,
}: {
  authority: PublicKey;
  status: Exclude<CompressedStatus, 'provisioned'>;
  device: CompressedDevice;
  leaf: CompressedLeafProof;
} & ProgramOpt): TransactionInstruction[] {
  return withProof(
    one(
      gen.getCompressedDeviceStatusSetInstruction(
        {
          config: pda(findRegistryConfigPda({ programId })),
          vendor: addr(device.vendor),
          authority: signer(authority),
          ...treeAccounts(leaf.merkleTree, programId),
          args: leafArgs(device, leaf),
          status: toKitEnum(gen.CompressedStatus, status),
        },
        programAddress(programId),
      ),
    ),
    leaf.proof,
  );
}

/**
 * Proves an active compressed device on chain without writing its tree (the tree is read-only,
 * so any number of these share a block): what settlement CPIs or composes with.
 */
export function compressedDeviceVerifyInstructions({
  device,
  leaf,
  programId = REGISTRY_PROGRAM_ID,
}: { device: CompressedDevice; leaf: CompressedLeafProof } & ProgramOpt): TransactionInstruction[] {
  return withProof(
    one(
      gen.getCompressedDeviceVerifyInstruction(
        {
          ...treeAccounts(leaf.merkleTree, programId),
          args: leafArgs(device, leaf),
        },
        programAddress(programId),
      ),
    ),
    leaf.proof,
  );
}
