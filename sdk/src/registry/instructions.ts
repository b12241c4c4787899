import { PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';

import { bn, buildInstruction, enumValue } from '../common/anchor';
import { MAX_CA_FINGERPRINTS, MAX_PARTNER_NAME_LEN, REGISTRY_PROGRAM_ID } from './constants';
import { RegistryClientError } from './errors';
import { handleFromName, isValidHandle, isValidName, nameHash, parentLabel } from './identity';
import {
  findAttestationPda,
  findCaIndexPda,
  findProgramDataAddress,
  findCertIndexPda,
  findConfigPda,
  findDevicePda,
  findMemberPda,
  findNamePda,
  findPartnerPda,
  findReversePda,
} from './pdas';
import { REGISTRY_IDL, registryCoder } from './program';
import type {
  AttestationKind,
  Capabilities,
  DeviceStatus,
  DeviceType,
  MemberStatus,
  PartnerKind,
  PartnerStatus,
} from './types';

type ProgramOpt = { programId?: PublicKey };

const ix = (
  programId: PublicKey,
  name: string,
  accounts: Record<string, PublicKey | undefined>,
  args: Record<string, unknown> = {},
): TransactionInstruction[] => {
  // Absent optional accounts are encoded as the program id, read-only (Anchor's convention).
  const absent = Object.keys(accounts).filter((k) => accounts[k] === undefined);
  const filled = Object.fromEntries(Object.entries(accounts).map(([k, v]) => [k, v ?? programId]));
  const built = buildInstruction(REGISTRY_IDL, registryCoder, programId, name, filled, args);
  const idlIx = REGISTRY_IDL.instructions.find((i) => i.name === name)!;
  idlIx.accounts.forEach((a, i) => {
    if (absent.includes(a.name)) built.keys[i] = { pubkey: programId, isSigner: false, isWritable: false };
  });
  return [built];
};

function fingerprint32(fp: Uint8Array, what: string): number[] {
  if (fp.length !== 32) throw new RegistryClientError('InvalidFingerprint', `${what} must be 32 bytes`);
  if (fp.every((b) => b === 0)) throw new RegistryClientError('InvalidFingerprint', `${what} must not be zero`);
  return Array.from(fp);
}

function capabilitiesArg(c: Capabilities) {
  const u32 = (v: number) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
  if (![c.flags, c.maxImportW, c.maxExportW].every(u32) || !(c.protocols >= 0 && c.protocols <= 7)) {
    throw new RegistryClientError('InvalidCapabilities', 'flags/powers must be u32, protocols a 3-bit set');
  }
  return {
    flags: c.flags,
    protocols: c.protocols,
    max_import_w: c.maxImportW,
    max_export_w: c.maxExportW,
    energy_capacity_wh: bn(c.energyCapacityWh),
  };
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
  return ix(
    programId,
    'config_init',
    {
      config: findConfigPda({ programId })[0],
      deployer,
      program: programId,
      program_data: findProgramDataAddress({ programId })[0],
      payer,
      system_program: SystemProgram.programId,
    },
    { args: { authority } },
  );
}

/** Hands the protocol authority over; both keys sign. */
export function configAuthoritySetInstructions({
  authority,
  newAuthority,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; newAuthority: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return ix(programId, 'config_authority_set', {
    config: findConfigPda({ programId })[0],
    authority,
    new_authority: newAuthority,
  });
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
    throw new RegistryClientError('InvalidPartnerName', `partner name must be 1..=${MAX_PARTNER_NAME_LEN} bytes`);
  }
  if (!isValidHandle(handle)) {
    throw new RegistryClientError('InvalidHandle', `${JSON.stringify(handle)} is not one [a-z0-9-] label`);
  }
  if (caFingerprints.length > MAX_CA_FINGERPRINTS) {
    throw new RegistryClientError('TooManyCaFingerprints', `at most ${MAX_CA_FINGERPRINTS} CA fingerprints`);
  }
  const partner = findPartnerPda({ authority: partnerAuthority, programId })[0];
  return [
    ...ix(
      programId,
      'partner_register',
      {
        config: findConfigPda({ programId })[0],
        authority,
        partner_authority: partnerAuthority,
        partner,
        name_record: findNamePda({ name: handle, programId })[0],
        reverse_record: findReversePda({ target: partner, programId })[0],
        payer,
        system_program: SystemProgram.programId,
      },
      { args: { kind: enumValue(kind), name, handle, handle_hash: Array.from(nameHash(handle)) } },
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
  const fp = fingerprint32(fingerprint, 'CA fingerprint');
  return ix(
    programId,
    'partner_ca_add',
    {
      config: findConfigPda({ programId })[0],
      authority,
      partner: findPartnerPda({ authority: partnerAuthority, programId })[0],
      partner_authority: partnerAuthority,
      ca_index: findCaIndexPda({ fingerprint, programId })[0],
      payer,
      system_program: SystemProgram.programId,
    },
    { args: { fingerprint: fp } },
  );
}

/** Removes a CA root of `partner`: its (active) authority or the protocol authority signs. */
export function partnerCaRemoveInstructions({
  authority,
  partner,
  fingerprint,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; partner: PublicKey; fingerprint: Uint8Array } & ProgramOpt): TransactionInstruction[] {
  return ix(
    programId,
    'partner_ca_remove',
    {
      config: findConfigPda({ programId })[0],
      partner,
      authority,
      ca_index: findCaIndexPda({ fingerprint, programId })[0],
    },
    { args: { fingerprint: Array.from(fingerprint) } },
  );
}

/** Protocol authority suspends, reinstates or revokes a partner. */
export function partnerStatusSetInstructions({
  authority,
  partner,
  status,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; partner: PublicKey; status: PartnerStatus } & ProgramOpt): TransactionInstruction[] {
  return ix(
    programId,
    'partner_status_set',
    { config: findConfigPda({ programId })[0], authority, partner },
    { args: { status: enumValue(status) } },
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
  const fp = fingerprint32(certFingerprint, 'certificate fingerprint');
  return ix(
    programId,
    'device_register',
    {
      vendor: findPartnerPda({ authority: vendorAuthority, programId })[0],
      vendor_authority: vendorAuthority,
      device_key: deviceKey,
      issuer_ca_index: findCaIndexPda({ fingerprint: issuerCa, programId })[0],
      owner: ownerSigns ? owner : undefined,
      device: findDevicePda({ deviceKey, programId })[0],
      cert_index: findCertIndexPda({ lfdi: certFingerprint, programId })[0],
      payer,
      system_program: SystemProgram.programId,
    },
    {
      args: {
        owner,
        device_type: enumValue(deviceType),
        capabilities: capabilitiesArg(capabilities),
        cert_fingerprint: fp,
        issuer_ca: fingerprint32(issuerCa, 'issuer CA fingerprint'),
        cert_not_after: bn(certNotAfter),
      },
    },
  );
}

/** Proposes `newOwner` (the current owner signs); it owns the device once it claims. */
export function deviceOwnerTransferInstructions({
  deviceKey,
  owner,
  newOwner,
  programId = REGISTRY_PROGRAM_ID,
}: { deviceKey: PublicKey; owner: PublicKey; newOwner: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return ix(
    programId,
    'device_owner_transfer',
    { device: findDevicePda({ deviceKey, programId })[0], owner },
    { args: { new_owner: newOwner } },
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
  return ix(programId, 'device_claim', {
    device: findDevicePda({ deviceKey, programId })[0],
    new_owner: newOwner,
    member,
  });
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
  return ix(
    programId,
    'device_pending_owner_set',
    {
      vendor: findPartnerPda({ authority: vendorAuthority, programId })[0],
      vendor_authority: vendorAuthority,
      device: findDevicePda({ deviceKey, programId })[0],
    },
    { args: { pending_owner: pendingOwner } },
  );
}

/** Withdraws a pending ownership transfer (the current owner signs). */
export function deviceTransferCancelInstructions({
  deviceKey,
  owner,
  programId = REGISTRY_PROGRAM_ID,
}: { deviceKey: PublicKey; owner: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return ix(programId, 'device_transfer_cancel', { device: findDevicePda({ deviceKey, programId })[0], owner });
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
  return ix(
    programId,
    'device_capabilities_update',
    {
      vendor: findPartnerPda({ authority: vendorAuthority, programId })[0],
      vendor_authority: vendorAuthority,
      device: findDevicePda({ deviceKey, programId })[0],
    },
    { args: { capabilities: capabilitiesArg(capabilities) } },
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
  return ix(
    programId,
    'device_status_set',
    {
      config: findConfigPda({ programId })[0],
      vendor,
      authority,
      device: findDevicePda({ deviceKey, programId })[0],
      member,
    },
    { args: { status: enumValue(status) } },
  );
}

/**
 * Claims `name` for a device (its claimed owner signs). A dotted name passes the record of its
 * last label: under another partner's handle it is refused (`NameReserved`).
 */
export function nameRegisterInstructions({
  target,
  authority,
  payer,
  name,
  programId = REGISTRY_PROGRAM_ID,
}: { target: PublicKey; authority: PublicKey; payer: PublicKey; name: string } & ProgramOpt): TransactionInstruction[] {
  if (!isValidName(name)) {
    throw new RegistryClientError('InvalidName', `${JSON.stringify(name)} is not [a-z0-9][a-z0-9.-]* (<= 63 bytes)`);
  }
  return ix(
    programId,
    'name_register',
    {
      target,
      authority,
      name_record: findNamePda({ name, programId })[0],
      reverse_record: findReversePda({ target, programId })[0],
      payer,
      system_program: SystemProgram.programId,
      parent_name: ((label) => (label === null ? undefined : findNamePda({ name: label, programId })[0]))(
        parentLabel(name),
      ),
    },
    { args: { name, name_hash: Array.from(nameHash(name)) } },
  );
}

export function nameReleaseInstructions({
  name,
  target,
  authority,
  programId = REGISTRY_PROGRAM_ID,
}: { name: string; target: PublicKey; authority: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return ix(programId, 'name_release', {
    name_record: findNamePda({ name, programId })[0],
    reverse_record: findReversePda({ target, programId })[0],
    target,
    authority,
  });
}

/** The claimed owner of an active device registers as its one member (may then hold unit tokens). */
export function memberRegisterInstructions({
  deviceKey,
  owner,
  payer,
  programId = REGISTRY_PROGRAM_ID,
}: { deviceKey: PublicKey; owner: PublicKey; payer: PublicKey } & ProgramOpt): TransactionInstruction[] {
  return ix(programId, 'member_register', {
    device: findDevicePda({ deviceKey, programId })[0],
    owner,
    member: findMemberPda({ wallet: owner, programId })[0],
    payer,
    system_program: SystemProgram.programId,
  });
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
  return ix(
    programId,
    'member_status_set',
    { config: findConfigPda({ programId })[0], authority, member: findMemberPda({ wallet, programId })[0], device },
    { args: { status: enumValue(status) } },
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
  if (evidenceHash.length !== 32) throw new RegistryClientError('InvalidFingerprint', 'evidenceHash must be 32 bytes');
  return ix(
    programId,
    'attestation_issue',
    {
      config: findConfigPda({ programId })[0],
      authority,
      subject,
      attestation: findAttestationPda({ subject, kind, programId })[0],
      payer,
      system_program: SystemProgram.programId,
    },
    { args: { kind: enumValue(kind), evidence_hash: Array.from(evidenceHash), expires_at: bn(expiresAt) } },
  );
}

export function attestationRevokeInstructions({
  authority,
  subject,
  kind,
  programId = REGISTRY_PROGRAM_ID,
}: { authority: PublicKey; subject: PublicKey; kind: AttestationKind } & ProgramOpt): TransactionInstruction[] {
  return ix(programId, 'attestation_revoke', {
    config: findConfigPda({ programId })[0],
    authority,
    attestation: findAttestationPda({ subject, kind, programId })[0],
  });
}
