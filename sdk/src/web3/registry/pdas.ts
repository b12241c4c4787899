import { PublicKey } from '@solana/web3.js';

import { addr, findPda, toKitEnum } from '../common/kit';
import * as gen from '../../generated/registry';
import type { AttestationKind } from './types';
import { BPF_LOADER_UPGRADEABLE_ID, LFDI_LEN, REGISTRY_PROGRAM_ID, SEED_CERT, SEED_SKELETON } from './constants';
import { nameHash, skeletonHash } from '../../registry/identity';

type ProgramOpt = { programId?: PublicKey };

// Every seed list comes from the generated `*Seeds` builders (rendered from the IDL's PDAs).
export function findRegistryConfigPda({ programId = REGISTRY_PROGRAM_ID }: ProgramOpt = {}): [PublicKey, number] {
  return findPda(gen.configSeeds(), programId);
}

export function findPartnerPda({
  authority,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey } & ProgramOpt): [PublicKey, number] {
  return findPda(gen.partnerSeeds({ partnerAuthority: addr(authority) }), programId);
}

export function findDevicePda({
  deviceKey,
  programId = REGISTRY_PROGRAM_ID,
}: { deviceKey: PublicKey } & ProgramOpt): [PublicKey, number] {
  return findPda(gen.deviceSeeds({ deviceKey: addr(deviceKey) }), programId);
}

/**
 * Certificate index from either the 32-byte fingerprint or the 20-byte LFDI: `["cert", lfdi]`.
 * Its seed is derived in the program (`device_register` hashes nothing, it slices the
 * fingerprint), so the IDL carries no PDA for it and this one seed list is written here.
 */
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
  return findPda(gen.nameSeeds({ nameHash: nameHash(name) }), programId);
}

/**
 * The skeleton reservation of a name's look-alikes, `["skeleton", sha256(skeleton(name))]`:
 * created for a partner's handle by `partner_register`, passed (existing or not) to
 * `name_register`. The program derives it from the name, so the IDL carries no PDA for it.
 */
export function findSkeletonPda({
  name,
  programId = REGISTRY_PROGRAM_ID,
}: { name: string } & ProgramOpt): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SEED_SKELETON, Buffer.from(skeletonHash(name))], programId);
}

export function findReversePda({
  target,
  programId = REGISTRY_PROGRAM_ID,
}: { target: PublicKey } & ProgramOpt): [PublicKey, number] {
  return findPda(gen.reverseSeeds({ target: addr(target) }), programId);
}

/** An end-user participant: `["member", wallet]`. */
export function findMemberPda({
  wallet,
  programId = REGISTRY_PROGRAM_ID,
}: { wallet: PublicKey } & ProgramOpt): [PublicKey, number] {
  return findPda(gen.memberSeeds({ owner: addr(wallet) }), programId);
}

/** Seed byte of an attestation kind, as `AttestationKind::seed` in the program. */
export const attestationKindSeed = (kind: AttestationKind): Buffer =>
  Buffer.from(gen.getAttestationKindEncoder().encode(toKitEnum(gen.AttestationKind, kind)));

/** `["attestation", subject, kind]`. */
export function findAttestationPda({
  subject,
  kind,
  programId = REGISTRY_PROGRAM_ID,
}: { subject: PublicKey; kind: AttestationKind } & ProgramOpt): [PublicKey, number] {
  return findPda(
    gen.attestationSeeds({ subject: addr(subject), kind: toKitEnum(gen.AttestationKind, kind) }),
    programId,
  );
}

/** `["ca", fingerprint]`: the global index of a CA root (root -> its one partner). */
export function findCaIndexPda({
  fingerprint,
  programId = REGISTRY_PROGRAM_ID,
}: { fingerprint: Uint8Array } & ProgramOpt): [PublicKey, number] {
  return findPda(gen.caSeeds({ fingerprint }), programId);
}

/** SHA-256 of an endpoint URL (the seed of its attestation). */
export const endpointHash = (endpoint: string): Uint8Array => nameHash(endpoint);

/** `["endpoint", sha256(endpoint)]`: the integration service's attestation of a utility endpoint. */
export function findEndpointAttestationPda({
  endpoint,
  programId = REGISTRY_PROGRAM_ID,
}: { endpoint: string } & ProgramOpt): [PublicKey, number] {
  return findPda(gen.endpointSeeds({ endpointHash: endpointHash(endpoint) }), programId);
}

/** The ProgramData account of a program deployed through the BPF upgradeable loader. */
export function findProgramDataAddress({ programId = REGISTRY_PROGRAM_ID }: ProgramOpt = {}): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([programId.toBuffer()], BPF_LOADER_UPGRADEABLE_ID);
}

/** `["ctree", merkleTree]`: the registry's record of a compressed-device tree and its authority. */
export function findCompressedTreePda({
  merkleTree,
  programId = REGISTRY_PROGRAM_ID,
}: { merkleTree: PublicKey } & ProgramOpt): [PublicKey, number] {
  return findPda(gen.compressedTreeSeeds({ merkleTree: addr(merkleTree) }), programId);
}

/** `["lfdi_chain"]`: marks that the registry-wide LFDI chain's head exists (and where). */
export function findLfdiChainPda({ programId = REGISTRY_PROGRAM_ID }: ProgramOpt = {}): [PublicKey, number] {
  return findPda(gen.lfdiChainSeeds(), programId);
}
