import { PublicKey } from '@solana/web3.js';

import { eventDecoder } from '../common/events';
import { bytes, fetchWith, fromKitEnum, pubkey, type AccountReader } from '../common/kit';
import * as gen from '../../generated/registry';
import { REGISTRY_PROGRAM_ID } from './constants';
import {
  findAttestationPda,
  findCaIndexPda,
  findCertIndexPda,
  findCompressedTreePda,
  findLfdiChainPda,
  findRegistryConfigPda,
  findDevicePda,
  findEndpointAttestationPda,
  findMemberPda,
  findNamePda,
  findPartnerPda,
  findReversePda,
} from './pdas';
import idl from '../../../idl/ovpp_registry.json';
import type {
  Attestation,
  CaIndex,
  CertIndex,
  CompressedTree,
  Config,
  Device,
  EndpointAttestation,
  LfdiChain,
  Member,
  NameRecord,
  Partner,
  RegistryEvent,
  ReverseRecord,
  AttestationKind,
} from './types';

type ProgramOpt = { programId?: PublicKey };

export function decodeConfig(address: PublicKey, r: gen.Config): Config {
  return { address, version: r.version, bump: r.bump, authority: pubkey(r.authority) };
}

export function decodePartner(address: PublicKey, r: gen.Partner): Partner {
  return {
    address,
    version: r.version,
    bump: r.bump,
    kind: fromKitEnum(gen.PartnerKind, r.kind),
    status: fromKitEnum(gen.Status, r.status),
    authority: pubkey(r.authority),
    name: r.name,
    caFingerprints: r.caFingerprints.map(bytes),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    handle: r.handle,
  };
}

/** True once an owner has claimed the device (an unclaimed device is ownerless). */
export const isDeviceClaimed = (device: Pick<Device, 'owner'>): boolean => !device.owner.equals(PublicKey.default);

export function decodeDevice(address: PublicKey, r: gen.Device): Device {
  const c = r.capabilities;
  return {
    address,
    version: r.version,
    bump: r.bump,
    deviceType: fromKitEnum(gen.DeviceType, r.deviceType),
    status: fromKitEnum(gen.Status, r.status),
    deviceKey: pubkey(r.deviceKey),
    vendor: pubkey(r.vendor),
    owner: pubkey(r.owner),
    pendingOwner: pubkey(r.pendingOwner),
    member: pubkey(r.member),
    suspendedBy: fromKitEnum(gen.SuspendedBy, r.suspendedBy),
    certFingerprint: bytes(r.certFingerprint),
    issuerCa: bytes(r.issuerCa),
    certNotAfter: r.certNotAfter,
    lfdi: bytes(r.lfdi),
    sfdi: r.sfdi,
    capabilities: { ...c },
    registeredAt: r.registeredAt,
    updatedAt: r.updatedAt,
    ownerEpoch: r.ownerEpoch,
    ownerSince: r.ownerSince,
    prevOwner: pubkey(r.prevOwner),
    prevOwnerSince: r.prevOwnerSince,
  };
}

export async function fetchRegistryConfig(reader: AccountReader, { programId = REGISTRY_PROGRAM_ID }: ProgramOpt = {}) {
  const address = findRegistryConfigPda({ programId })[0];
  const r = await fetchWith(reader, gen.getConfigDecoder(), address, programId, gen.CONFIG_DISCRIMINATOR);
  return r && decodeConfig(address, r);
}

/** A partner by its authority key (or by account address). */
export async function fetchPartner(
  reader: AccountReader,
  { authority, address, programId = REGISTRY_PROGRAM_ID }: { authority?: PublicKey; address?: PublicKey } & ProgramOpt,
): Promise<Partner | null> {
  const key = address ?? findPartnerPda({ authority: authority!, programId })[0];
  const r = await fetchWith(reader, gen.getPartnerDecoder(), key, programId, gen.PARTNER_DISCRIMINATOR);
  return r && decodePartner(key, r);
}

/** Lookup by key: the device registered for an ed25519 device key (or by account address). */
export async function fetchDevice(
  reader: AccountReader,
  { deviceKey, address, programId = REGISTRY_PROGRAM_ID }: { deviceKey?: PublicKey; address?: PublicKey } & ProgramOpt,
): Promise<Device | null> {
  const key = address ?? findDevicePda({ deviceKey: deviceKey!, programId })[0];
  const r = await fetchWith(reader, gen.getDeviceDecoder(), key, programId, gen.DEVICE_DISCRIMINATOR);
  return r && decodeDevice(key, r);
}

export async function fetchCertIndex(
  reader: AccountReader,
  { lfdi, programId = REGISTRY_PROGRAM_ID }: { lfdi: Uint8Array } & ProgramOpt,
): Promise<CertIndex | null> {
  const address = findCertIndexPda({ lfdi, programId })[0];
  const r = await fetchWith(reader, gen.getCertIndexDecoder(), address, programId, gen.CERT_INDEX_DISCRIMINATOR);
  return r && { address, bump: r.bump, device: pubkey(r.device), certFingerprint: bytes(r.certFingerprint) };
}

/** Lookup by certificate: the device whose certificate has this LFDI (what a 2030.5 server sees). */
export async function fetchDeviceByLfdi(
  reader: AccountReader,
  { lfdi, programId = REGISTRY_PROGRAM_ID }: { lfdi: Uint8Array } & ProgramOpt,
): Promise<Device | null> {
  const index = await fetchCertIndex(reader, { lfdi, programId });
  return index && fetchDevice(reader, { address: index.device, programId });
}

/** Forward lookup: name -> record (target and kind). */
export async function fetchNameRecord(
  reader: AccountReader,
  { name, programId = REGISTRY_PROGRAM_ID }: { name: string } & ProgramOpt,
): Promise<NameRecord | null> {
  const address = findNamePda({ name, programId })[0];
  const r = await fetchWith(reader, gen.getNameRecordDecoder(), address, programId, gen.NAME_RECORD_DISCRIMINATOR);
  return (
    r && {
      address,
      bump: r.bump,
      targetKind: fromKitEnum(gen.NameTargetKind, r.targetKind),
      target: pubkey(r.target),
      authority: pubkey(r.authority),
      name: r.name,
      createdAt: r.createdAt,
    }
  );
}

/** Reverse lookup: target account -> its name. */
export async function fetchReverseRecord(
  reader: AccountReader,
  { target, programId = REGISTRY_PROGRAM_ID }: { target: PublicKey } & ProgramOpt,
): Promise<ReverseRecord | null> {
  const address = findReversePda({ target, programId })[0];
  const r = await fetchWith(
    reader,
    gen.getReverseRecordDecoder(),
    address,
    programId,
    gen.REVERSE_RECORD_DISCRIMINATOR,
  );
  return r && { address, bump: r.bump, nameRecord: pubkey(r.nameRecord), name: r.name };
}

/** Resolves a name straight to the device it names, or null. */
export async function resolveDeviceName(
  reader: AccountReader,
  { name, programId = REGISTRY_PROGRAM_ID }: { name: string } & ProgramOpt,
): Promise<Device | null> {
  const record = await fetchNameRecord(reader, { name, programId });
  if (!record || record.targetKind !== 'device') return null;
  return fetchDevice(reader, { address: record.target, programId });
}

/** A wallet's member record, or null. */
export async function fetchMember(
  reader: AccountReader,
  { wallet, programId = REGISTRY_PROGRAM_ID }: { wallet: PublicKey } & ProgramOpt,
): Promise<Member | null> {
  const address = findMemberPda({ wallet, programId })[0];
  const r = await fetchWith(reader, gen.getMemberDecoder(), address, programId, gen.MEMBER_DISCRIMINATOR);
  return (
    r && {
      address,
      status: fromKitEnum(gen.Status, r.status),
      wallet: pubkey(r.wallet),
      device: pubkey(r.device),
      createdAt: r.createdAt,
      suspendedWithDevice: r.suspendedWithDevice,
    }
  );
}

/** The partner that owns a CA root, or null when the root is not registered. */
export async function fetchCaIndex(
  reader: AccountReader,
  { fingerprint, programId = REGISTRY_PROGRAM_ID }: { fingerprint: Uint8Array } & ProgramOpt,
): Promise<CaIndex | null> {
  const address = findCaIndexPda({ fingerprint, programId })[0];
  const r = await fetchWith(reader, gen.getCaIndexDecoder(), address, programId, gen.CA_INDEX_DISCRIMINATOR);
  return r && { address, bump: r.bump, partner: pubkey(r.partner), fingerprint: bytes(r.fingerprint) };
}

/** An attestation, or null when none was issued (or it was revoked). Check `expiresAt`. */
export async function fetchAttestation(
  reader: AccountReader,
  { subject, kind, programId = REGISTRY_PROGRAM_ID }: { subject: PublicKey; kind: AttestationKind } & ProgramOpt,
): Promise<Attestation | null> {
  const address = findAttestationPda({ subject, kind, programId })[0];
  const r = await fetchWith(reader, gen.getAttestationDecoder(), address, programId, gen.ATTESTATION_DISCRIMINATOR);
  return (
    r && {
      address,
      kind: fromKitEnum(gen.AttestationKind, r.kind),
      subject: pubkey(r.subject),
      issuer: pubkey(r.issuer),
      evidenceHash: bytes(r.evidenceHash),
      issuedAt: r.issuedAt,
      expiresAt: r.expiresAt,
    }
  );
}

/** An endpoint's attestation (by URL), or null when it was never attested (or was revoked). Check `expiresAt`. */
export async function fetchEndpointAttestation(
  reader: AccountReader,
  { endpoint, programId = REGISTRY_PROGRAM_ID }: { endpoint: string } & ProgramOpt,
): Promise<EndpointAttestation | null> {
  const address = findEndpointAttestationPda({ endpoint, programId })[0];
  const r = await fetchWith(
    reader,
    gen.getEndpointAttestationDecoder(),
    address,
    programId,
    gen.ENDPOINT_ATTESTATION_DISCRIMINATOR,
  );
  return (
    r && {
      address,
      kind: fromKitEnum(gen.AttestationKind, r.kind),
      endpoint: r.endpoint,
      endpointHash: bytes(r.endpointHash),
      spkiSha256: bytes(r.spkiSha256),
      evidenceHash: bytes(r.evidenceHash),
      issuer: pubkey(r.issuer),
      issuedAt: r.issuedAt,
      expiresAt: r.expiresAt,
    }
  );
}

export function decodeCompressedTree(address: PublicKey, r: gen.CompressedTree): CompressedTree {
  return {
    address,
    version: r.version,
    bump: r.bump,
    merkleTree: pubkey(r.merkleTree),
    vendor: pubkey(r.vendor),
    creator: pubkey(r.creator),
    maxDepth: r.maxDepth,
    maxBufferSize: r.maxBufferSize,
    canopyDepth: r.canopyDepth,
    leafCount: r.leafCount,
    createdAt: r.createdAt,
  };
}

/** The registry's record of a compressed-device tree, by its tree account (or by address). */
export async function fetchCompressedTree(
  reader: AccountReader,
  {
    merkleTree,
    address,
    programId = REGISTRY_PROGRAM_ID,
  }: { merkleTree?: PublicKey; address?: PublicKey } & ProgramOpt,
): Promise<CompressedTree | null> {
  const key = address ?? findCompressedTreePda({ merkleTree: merkleTree!, programId })[0];
  const r = await fetchWith(reader, gen.getCompressedTreeDecoder(), key, programId, gen.COMPRESSED_TREE_DISCRIMINATOR);
  return r && decodeCompressedTree(key, r);
}

/** Where the head of the registry-wide LFDI chain is, or null before `lfdi_chain_init`. */
export async function fetchLfdiChain(
  reader: AccountReader,
  { programId = REGISTRY_PROGRAM_ID }: ProgramOpt = {},
): Promise<LfdiChain | null> {
  const address = findLfdiChainPda({ programId })[0];
  const r = await fetchWith(reader, gen.getLfdiChainDecoder(), address, programId, gen.LFDI_CHAIN_DISCRIMINATOR);
  return r && { address, bump: r.bump, merkleTree: pubkey(r.merkleTree), index: r.index };
}

/** Decodes registry events from transaction logs (`Program data:` lines). */
export const parseRegistryEvents: (logs: string[]) => RegistryEvent[] = eventDecoder(idl);
