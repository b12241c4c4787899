import type { PublicKey } from '@solana/web3.js';

export type PartnerKind = 'utility' | 'vendor';
export type PartnerStatus = 'active' | 'suspended' | 'revoked';
export type DeviceType = 'meter' | 'evCharger' | 'battery' | 'inverter' | 'thermostat' | 'other';
export type DeviceStatus = 'active' | 'suspended' | 'revoked';
export type NameTargetKind = 'partner' | 'device';
export type MemberStatus = 'active' | 'suspended' | 'revoked';
export type AttestationKind =
  'certificateChain' | 'openAdr3Conformance' | 'ieee2030_5Conformance' | 'ocpp201Conformance' | 'securityProfile3';

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
}

export interface Device {
  address: PublicKey;
  version: number;
  bump: number;
  deviceType: DeviceType;
  status: DeviceStatus;
  deviceKey: PublicKey;
  vendor: PublicKey;
  owner: PublicKey;
  certFingerprint: Uint8Array;
  issuerCa: Uint8Array;
  certNotAfter: bigint;
  lfdi: Uint8Array;
  sfdi: bigint;
  capabilities: Capabilities;
  registeredAt: bigint;
  updatedAt: bigint;
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
export interface RegistryEvent {
  name: string;
  data: Record<string, unknown>;
}

export interface Member {
  address: PublicKey;
  status: MemberStatus;
  wallet: PublicKey;
  device: PublicKey;
  createdAt: bigint;
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
