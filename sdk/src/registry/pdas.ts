import { PublicKey } from '@solana/web3.js';

import type { AttestationKind } from './types';
import {
  BPF_LOADER_UPGRADEABLE_ID,
  LFDI_LEN,
  SEED_CA,
  SEED_ATTESTATION,
  REGISTRY_PROGRAM_ID,
  SEED_CERT,
  SEED_CONFIG,
  SEED_DEVICE,
  SEED_MEMBER,
  SEED_NAME,
  SEED_PARTNER,
  SEED_REVERSE,
} from './constants';
import { nameHash } from './identity';

type ProgramOpt = { programId?: PublicKey };

export function findConfigPda({ programId = REGISTRY_PROGRAM_ID }: ProgramOpt = {}): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_CONFIG], programId);
}

export function findPartnerPda({
  authority,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey } & ProgramOpt): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_PARTNER, authority.toBuffer()], programId);
}

export function findDevicePda({
  deviceKey,
  programId = REGISTRY_PROGRAM_ID,
}: { deviceKey: PublicKey } & ProgramOpt): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_DEVICE, deviceKey.toBuffer()], programId);
}

/** Certificate index from either the 32-byte fingerprint or the 20-byte LFDI. */
export function findCertIndexPda({
  lfdi,
  programId = REGISTRY_PROGRAM_ID,
}: { lfdi: Uint8Array } & ProgramOpt): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_CERT, Buffer.from(lfdi.slice(0, LFDI_LEN))], programId);
}

export function findNamePda({
  name,
  programId = REGISTRY_PROGRAM_ID,
}: { name: string } & ProgramOpt): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_NAME, Buffer.from(nameHash(name))], programId);
}

export function findReversePda({
  target,
  programId = REGISTRY_PROGRAM_ID,
}: { target: PublicKey } & ProgramOpt): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_REVERSE, target.toBuffer()], programId);
}

/** An end-user participant: `["member", wallet]`. */
export function findMemberPda({
  wallet,
  programId = REGISTRY_PROGRAM_ID,
}: { wallet: PublicKey } & ProgramOpt): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_MEMBER, wallet.toBuffer()], programId);
}

const ATTESTATION_KINDS: AttestationKind[] = [
  'certificateChain',
  'openAdr3Conformance',
  'ieee2030Dot5Conformance',
  'ocpp201Conformance',
  'securityProfile3',
];

/** Seed byte of an attestation kind, as `AttestationKind::seed` in the program. */
export const attestationKindSeed = (kind: AttestationKind): Buffer => Buffer.from([ATTESTATION_KINDS.indexOf(kind)]);

/** `["attestation", subject, kind]`. */
export function findAttestationPda({
  subject,
  kind,
  programId = REGISTRY_PROGRAM_ID,
}: { subject: PublicKey; kind: AttestationKind } & ProgramOpt): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_ATTESTATION, subject.toBuffer(), attestationKindSeed(kind)], programId);
}

/** `["ca", fingerprint]`: the global index of a CA root (root -> its one partner). */
export function findCaIndexPda({
  fingerprint,
  programId = REGISTRY_PROGRAM_ID,
}: { fingerprint: Uint8Array } & ProgramOpt): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_CA, Buffer.from(fingerprint)], programId);
}

/** The ProgramData account of a program deployed through the BPF upgradeable loader. */
export function findProgramDataAddress({ programId = REGISTRY_PROGRAM_ID }: ProgramOpt = {}): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([programId.toBuffer()], BPF_LOADER_UPGRADEABLE_ID);
}
