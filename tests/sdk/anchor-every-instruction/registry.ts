// The instruction table's rows for the registry program (see instructions.test.ts).
import { Keypair, PublicKey } from '@solana/web3.js';

import {
  LOCALNET_ADMIN,
  attestationIssueInstructions,
  attestationRevokeInstructions,
  compressedDeviceActivateInstructions,
  compressedDeviceClaimInstructions,
  compressedDeviceOwnerTransferInstructions,
  compressedDeviceRegisterInstructions,
  compressedDeviceStatusSetInstructions,
  compressedDeviceVerifyInstructions,
  compressedTreeCreateInstructions,
  lfdiChainInitInstructions,
  endpointAttestInstructions,
  endpointAttestationRevokeInstructions,
  configAuthoritySetInstructions,
  configInitInstructions,
  deviceCapabilitiesUpdateInstructions,
  deviceClaimInstructions,
  deviceOwnerTransferInstructions,
  devicePendingOwnerSetInstructions,
  deviceRegisterInstructions,
  deviceStatusSetInstructions,
  deviceTransferCancelInstructions,
  memberRegisterInstructions,
  memberStatusSetInstructions,
  nameRegisterInstructions,
  nameReleaseInstructions,
  partnerCaAddInstructions,
  partnerCaRemoveInstructions,
  partnerRegisterInstructions,
  partnerStatusSetInstructions,
} from '@openvpp/sdk/web3';

import { CAPS, CA_FINGERPRINT, CERT_NOT_AFTER, fakeFingerprint } from '../../utils/harness';
import { type Entry, type Rich, capsV2, row } from './world';

/** The active compressed device of the world, its preimage and its served proof. */
const activeLeaf = (w: Rich) => ({
  device: w.compressed.active.device!,
  leaf: w.fleet.mirror.proof(w.fleet.vendorTree, w.compressed.active.index),
});

/** A provisioned compressed device with its proof and the chain's low leaf for its LFDI. */
const activation = (w: Rich, at: { merkleTree: PublicKey; index: number }) => {
  const device = w.fleet.mirror.leaf(at.merkleTree, at.index)!.device!;
  return { device, leaf: w.fleet.mirror.proof(at.merkleTree, at.index), low: w.fleet.mirror.lowLeaf(device.lfdi) };
};

export const REGISTRY: Entry[] = [
  row(
    'configInitInstructions',
    (w) => ({ payer: w.payer, authority: Keypair.generate().publicKey, deployer: LOCALNET_ADMIN }),
    configInitInstructions,
  ),
  row(
    'configAuthoritySetInstructions',
    (w) => ({ authority: w.admin.publicKey, newAuthority: Keypair.generate().publicKey }),
    configAuthoritySetInstructions,
  ),
  row(
    'partnerRegisterInstructions (with a CA root: partner_register + partner_ca_add)',
    (w) => ({
      authority: w.admin.publicKey,
      partnerAuthority: Keypair.generate().publicKey,
      payer: w.payer,
      kind: 'vendor' as const,
      name: 'Volt Co',
      handle: 'voltco',
      caFingerprints: [fakeFingerprint(61)],
    }),
    partnerRegisterInstructions,
  ),
  row(
    'partnerCaAddInstructions',
    (w) => ({
      authority: w.admin.publicKey,
      partnerAuthority: w.vendor.publicKey,
      payer: w.payer,
      fingerprint: fakeFingerprint(62),
    }),
    partnerCaAddInstructions,
  ),
  row(
    'partnerCaRemoveInstructions',
    (w) => ({ authority: w.vendor.publicKey, partner: w.vendorPda, fingerprint: CA_FINGERPRINT }),
    partnerCaRemoveInstructions,
  ),
  row(
    'partnerStatusSetInstructions',
    (w) => ({ authority: w.admin.publicKey, partner: w.vendorPda, status: 'suspended' as const }),
    partnerStatusSetInstructions,
  ),
  ...[true, false].map((ownerSigns) =>
    row(
      `deviceRegisterInstructions (ownerSigns: ${ownerSigns})`,
      (w) => ({
        vendorAuthority: w.vendor.publicKey,
        deviceKey: Keypair.generate().publicKey,
        payer: w.payer,
        owner: Keypair.generate().publicKey,
        ownerSigns,
        deviceType: 'battery' as const,
        capabilities: CAPS,
        certFingerprint: fakeFingerprint(77),
        issuerCa: CA_FINGERPRINT,
        certNotAfter: CERT_NOT_AFTER,
      }),
      deviceRegisterInstructions,
    ),
  ),
  row(
    'deviceOwnerTransferInstructions',
    (w) => ({ deviceKey: w.deviceKey.publicKey, owner: w.owner.publicKey, newOwner: Keypair.generate().publicKey }),
    deviceOwnerTransferInstructions,
  ),
  row(
    'deviceClaimInstructions (with the member)',
    (w) => ({ deviceKey: w.deviceKey.publicKey, newOwner: Keypair.generate().publicKey, member: w.member }),
    deviceClaimInstructions,
  ),
  row(
    'deviceClaimInstructions (no member)',
    (w) => ({ deviceKey: w.deviceKey.publicKey, newOwner: Keypair.generate().publicKey }),
    deviceClaimInstructions,
  ),
  row(
    'devicePendingOwnerSetInstructions',
    (w) => ({
      vendorAuthority: w.vendor.publicKey,
      deviceKey: w.deviceKey.publicKey,
      pendingOwner: Keypair.generate().publicKey,
    }),
    devicePendingOwnerSetInstructions,
  ),
  row(
    'deviceTransferCancelInstructions',
    (w) => ({ deviceKey: w.deviceKey.publicKey, owner: w.owner.publicKey }),
    deviceTransferCancelInstructions,
  ),
  row(
    'deviceCapabilitiesUpdateInstructions',
    (w) => ({ vendorAuthority: w.vendor.publicKey, deviceKey: w.deviceKey.publicKey, capabilities: capsV2 }),
    deviceCapabilitiesUpdateInstructions,
  ),
  row(
    'deviceStatusSetInstructions (with the member)',
    (w) => ({
      authority: w.vendor.publicKey,
      vendor: w.vendorPda,
      deviceKey: w.deviceKey.publicKey,
      status: 'suspended' as const,
      member: w.member,
    }),
    deviceStatusSetInstructions,
  ),
  row(
    'deviceStatusSetInstructions (no member)',
    (w) => ({
      authority: w.admin.publicKey,
      vendor: w.vendorPda,
      deviceKey: w.deviceKey.publicKey,
      status: 'revoked' as const,
    }),
    deviceStatusSetInstructions,
  ),
  ...['meter-900', 'meter-900.acme'].map((name) =>
    row(
      `nameRegisterInstructions (${name})`,
      (w) => ({ target: w.device, authority: w.owner.publicKey, payer: w.payer, name }),
      nameRegisterInstructions,
    ),
  ),
  row(
    'nameReleaseInstructions',
    (w) => ({ name: w.name, target: w.device, authority: w.owner.publicKey }),
    nameReleaseInstructions,
  ),
  row(
    'memberRegisterInstructions',
    (w) => ({ deviceKey: w.deviceKey.publicKey, owner: w.owner.publicKey, payer: w.payer }),
    memberRegisterInstructions,
  ),
  row(
    'memberStatusSetInstructions',
    (w) => ({
      authority: w.admin.publicKey,
      wallet: w.owner.publicKey,
      device: w.device,
      status: 'suspended' as const,
    }),
    memberStatusSetInstructions,
  ),
  row(
    'attestationIssueInstructions',
    (w) => ({
      authority: w.admin.publicKey,
      subject: w.utilityPda,
      payer: w.payer,
      kind: 'certificateChain' as const,
      evidenceHash: fakeFingerprint(42),
      expiresAt: 4_000_000_000n,
    }),
    attestationIssueInstructions,
  ),
  row(
    'endpointAttestInstructions',
    (w) => ({
      authority: w.admin.publicKey,
      payer: w.payer,
      endpoint: 'https://vtn.gridco.example/v2',
      kind: 'openAdr3Conformance' as const,
      spkiSha256: w.route.certPins[0],
      evidenceHash: fakeFingerprint(43),
      expiresAt: 4_000_000_000n,
    }),
    endpointAttestInstructions,
  ),
  row(
    'endpointAttestationRevokeInstructions',
    (w) => ({ authority: w.admin.publicKey, endpoint: w.route.endpoint }),
    endpointAttestationRevokeInstructions,
  ),
  row(
    'attestationRevokeInstructions',
    (w) => ({ authority: w.admin.publicKey, subject: w.device, kind: 'openAdr3Conformance' as const }),
    attestationRevokeInstructions,
  ),
  // Compressed devices.
  row(
    'compressedTreeCreateInstructions (protocol tree: system create_account + compressed_tree_create)',
    (w) => ({
      authority: w.admin.publicKey,
      merkleTree: Keypair.generate().publicKey,
      payer: w.payer,
      maxDepth: 14,
      maxBufferSize: 64,
      canopyDepth: 0,
    }),
    compressedTreeCreateInstructions,
  ),
  row(
    'compressedTreeCreateInstructions (vendor tree)',
    (w) => ({
      authority: w.vendor.publicKey,
      vendor: w.vendorPda,
      merkleTree: Keypair.generate().publicKey,
      payer: w.payer,
      maxDepth: 20,
      maxBufferSize: 64,
      canopyDepth: 10,
    }),
    compressedTreeCreateInstructions,
  ),
  row(
    'lfdiChainInitInstructions',
    (w) => ({ authority: w.admin.publicKey, merkleTree: w.fleet.vendorTree, payer: w.payer }),
    lfdiChainInitInstructions,
  ),
  row(
    'compressedDeviceRegisterInstructions (a batch of 8)',
    (w) => ({
      vendorAuthority: w.vendor.publicKey,
      merkleTree: w.fleet.vendorTree,
      owner: Keypair.generate().publicKey,
      deviceType: 'evCharger' as const,
      capabilities: CAPS,
      issuerCa: CA_FINGERPRINT,
      devices: Array.from({ length: 8 }, (_, i) => ({
        deviceKey: Keypair.generate().publicKey,
        certFingerprint: fakeFingerprint(600 + i),
        certNotAfter: CERT_NOT_AFTER,
      })),
    }),
    compressedDeviceRegisterInstructions,
  ),
  row(
    'compressedDeviceActivateInstructions (the low leaf in another tree)',
    (w) => activation(w, w.compressed.provisioned),
    compressedDeviceActivateInstructions,
  ),
  row(
    'compressedDeviceActivateInstructions (the low leaf in the same tree)',
    (w) => activation(w, w.compressed.inProtocolTree),
    compressedDeviceActivateInstructions,
  ),
  row(
    'compressedDeviceClaimInstructions',
    (w) => ({ newOwner: w.compressedOwner.publicKey, ...activeLeaf(w) }),
    compressedDeviceClaimInstructions,
  ),
  row(
    'compressedDeviceOwnerTransferInstructions',
    (w) => ({ owner: w.compressedOwner.publicKey, newOwner: Keypair.generate().publicKey, ...activeLeaf(w) }),
    compressedDeviceOwnerTransferInstructions,
  ),
  row(
    'compressedDeviceStatusSetInstructions',
    (w) => ({ authority: w.vendor.publicKey, status: 'suspended' as const, ...activeLeaf(w) }),
    compressedDeviceStatusSetInstructions,
  ),
  row('compressedDeviceVerifyInstructions', activeLeaf, compressedDeviceVerifyInstructions),
];
