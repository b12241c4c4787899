import { PublicKey } from '@solana/web3.js';

import { type AccountReader, big, enumName, fetchDecoded } from '../common/anchor';
import { REGISTRY_PROGRAM_ID } from './constants';
import {
  findAttestationPda,
  findCaIndexPda,
  findCertIndexPda,
  findConfigPda,
  findDevicePda,
  findMemberPda,
  findNamePda,
  findPartnerPda,
  findReversePda,
} from './pdas';
import { registryCoder } from './program';
import type {
  Attestation,
  AttestationKind,
  CaIndex,
  CertIndex,
  Config,
  Device,
  Member,
  NameRecord,
  Partner,
  RegistryEvent,
  ReverseRecord,
} from './types';

type ProgramOpt = { programId?: PublicKey };
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const bytes = (v: number[] | Uint8Array): Uint8Array => Uint8Array.from(v);

/** Reads and decodes a registry account (owner- and discriminator-checked), or null. */
const fetchRaw = (reader: AccountReader, name: string, address: PublicKey, programId: PublicKey): Promise<Raw | null> =>
  fetchDecoded(reader, registryCoder, name, address, programId);

export function decodeConfig(address: PublicKey, r: Raw): Config {
  return { address, version: r.version, bump: r.bump, authority: r.authority };
}

export function decodePartner(address: PublicKey, r: Raw): Partner {
  return {
    address,
    version: r.version,
    bump: r.bump,
    kind: enumName(r.kind),
    status: enumName(r.status),
    authority: r.authority,
    name: r.name,
    caFingerprints: r.ca_fingerprints.map(bytes),
    createdAt: big(r.created_at),
    updatedAt: big(r.updated_at),
    handle: r.handle,
  };
}

/** True once an owner has claimed the device (an unclaimed device is ownerless). */
export const isDeviceClaimed = (device: Pick<Device, 'owner'>): boolean => !device.owner.equals(PublicKey.default);

export function decodeDevice(address: PublicKey, r: Raw): Device {
  const c = r.capabilities;
  return {
    address,
    version: r.version,
    bump: r.bump,
    deviceType: enumName(r.device_type),
    status: enumName(r.status),
    deviceKey: r.device_key,
    vendor: r.vendor,
    owner: r.owner,
    pendingOwner: r.pending_owner,
    member: r.member,
    suspendedBy: enumName(r.suspended_by),
    certFingerprint: bytes(r.cert_fingerprint),
    issuerCa: bytes(r.issuer_ca),
    certNotAfter: big(r.cert_not_after),
    lfdi: bytes(r.lfdi),
    sfdi: big(r.sfdi),
    capabilities: {
      flags: c.flags,
      protocols: c.protocols,
      maxImportW: c.max_import_w,
      maxExportW: c.max_export_w,
      energyCapacityWh: big(c.energy_capacity_wh),
    },
    registeredAt: big(r.registered_at),
    updatedAt: big(r.updated_at),
  };
}

export async function fetchConfig(reader: AccountReader, { programId = REGISTRY_PROGRAM_ID }: ProgramOpt = {}) {
  const address = findConfigPda({ programId })[0];
  const raw = await fetchRaw(reader, 'Config', address, programId);
  return raw && decodeConfig(address, raw);
}

/** A partner by its authority key (or by account address). */
export async function fetchPartner(
  reader: AccountReader,
  { authority, address, programId = REGISTRY_PROGRAM_ID }: { authority?: PublicKey; address?: PublicKey } & ProgramOpt,
): Promise<Partner | null> {
  const key = address ?? findPartnerPda({ authority: authority!, programId })[0];
  const raw = await fetchRaw(reader, 'Partner', key, programId);
  return raw && decodePartner(key, raw);
}

/** Lookup by key: the device registered for an ed25519 device key (or by account address). */
export async function fetchDevice(
  reader: AccountReader,
  { deviceKey, address, programId = REGISTRY_PROGRAM_ID }: { deviceKey?: PublicKey; address?: PublicKey } & ProgramOpt,
): Promise<Device | null> {
  const key = address ?? findDevicePda({ deviceKey: deviceKey!, programId })[0];
  const raw = await fetchRaw(reader, 'Device', key, programId);
  return raw && decodeDevice(key, raw);
}

export async function fetchCertIndex(
  reader: AccountReader,
  { lfdi, programId = REGISTRY_PROGRAM_ID }: { lfdi: Uint8Array } & ProgramOpt,
): Promise<CertIndex | null> {
  const address = findCertIndexPda({ lfdi, programId })[0];
  const r = await fetchRaw(reader, 'CertIndex', address, programId);
  return r && { address, bump: r.bump, device: r.device, certFingerprint: bytes(r.cert_fingerprint) };
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
  const r = await fetchRaw(reader, 'NameRecord', address, programId);
  return (
    r && {
      address,
      bump: r.bump,
      targetKind: enumName(r.target_kind),
      target: r.target,
      authority: r.authority,
      name: r.name,
      createdAt: big(r.created_at),
    }
  );
}

/** Reverse lookup: target account -> its name. */
export async function fetchReverseRecord(
  reader: AccountReader,
  { target, programId = REGISTRY_PROGRAM_ID }: { target: PublicKey } & ProgramOpt,
): Promise<ReverseRecord | null> {
  const address = findReversePda({ target, programId })[0];
  const r = await fetchRaw(reader, 'ReverseRecord', address, programId);
  return r && { address, bump: r.bump, nameRecord: r.name_record, name: r.name };
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
  const r = await fetchRaw(reader, 'Member', address, programId);
  return (
    r && {
      address,
      status: enumName(r.status),
      wallet: r.wallet,
      device: r.device,
      createdAt: big(r.created_at),
      suspendedWithDevice: r.suspended_with_device,
    }
  );
}

/** The partner that owns a CA root, or null when the root is not registered. */
export async function fetchCaIndex(
  reader: AccountReader,
  { fingerprint, programId = REGISTRY_PROGRAM_ID }: { fingerprint: Uint8Array } & ProgramOpt,
): Promise<CaIndex | null> {
  const address = findCaIndexPda({ fingerprint, programId })[0];
  const r = await fetchRaw(reader, 'CaIndex', address, programId);
  return r && { address, bump: r.bump, partner: r.partner, fingerprint: bytes(r.fingerprint) };
}

/** An attestation, or null when none was issued (or it was revoked). Check `expiresAt`. */
export async function fetchAttestation(
  reader: AccountReader,
  { subject, kind, programId = REGISTRY_PROGRAM_ID }: { subject: PublicKey; kind: AttestationKind } & ProgramOpt,
): Promise<Attestation | null> {
  const address = findAttestationPda({ subject, kind, programId })[0];
  const r = await fetchRaw(reader, 'Attestation', address, programId);
  return (
    r && {
      address,
      kind: enumName(r.kind),
      subject: r.subject,
      issuer: r.issuer,
      evidenceHash: bytes(r.evidence_hash),
      issuedAt: big(r.issued_at),
      expiresAt: big(r.expires_at),
    }
  );
}

/** Decodes registry events from transaction logs (`Program data:` lines). */
export function parseRegistryEvents(logs: string[]): RegistryEvent[] {
  const events: RegistryEvent[] = [];
  for (const line of logs) {
    if (!line.startsWith('Program data: ')) continue;
    const decoded = registryCoder.events.decode(line.slice('Program data: '.length).split(' ')[0]);
    if (decoded) events.push({ name: decoded.name, data: decoded.data as Record<string, unknown> });
  }
  return events;
}
