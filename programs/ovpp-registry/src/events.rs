//! One event per state change. Indexers rebuild the registry from these alone.
use anchor_lang::prelude::*;

use crate::state::{
    AttestationKind, CompressedChange, CompressedDevice, PartnerKind, Status, SuspendedBy,
};

#[event]
pub struct ConfigInitialized {
    pub config: Pubkey,
    pub authority: Pubkey,
}

#[event]
pub struct ConfigAuthorityChanged {
    pub config: Pubkey,
    pub old_authority: Pubkey,
    pub new_authority: Pubkey,
}

#[event]
pub struct PartnerRegistered {
    pub partner: Pubkey,
    pub authority: Pubkey,
    pub kind: PartnerKind,
    pub name: String,
    pub timestamp: i64,
}

#[event]
pub struct PartnerCaAdded {
    pub partner: Pubkey,
    pub fingerprint: [u8; 32],
}

#[event]
pub struct PartnerCaRemoved {
    pub partner: Pubkey,
    pub fingerprint: [u8; 32],
}

#[event]
pub struct PartnerStatusChanged {
    pub partner: Pubkey,
    pub old_status: Status,
    pub new_status: Status,
    pub timestamp: i64,
}

#[event]
pub struct DeviceRegistered {
    pub device: Pubkey,
    pub device_key: Pubkey,
    pub vendor: Pubkey,
    /// `Pubkey::default()` while unclaimed.
    pub owner: Pubkey,
    /// The owner-elect that must claim it (`Pubkey::default()` when claimed at once).
    pub pending_owner: Pubkey,
    pub lfdi: [u8; 20],
    pub sfdi: u64,
    pub timestamp: i64,
}

/// The owner changed (`device_claim`); `old_owner` is `Pubkey::default()` for a first claim.
#[event]
pub struct DeviceOwnerTransferred {
    pub device: Pubkey,
    pub old_owner: Pubkey,
    pub new_owner: Pubkey,
    /// The new ownership epoch; the previous owner's epoch ended at `since`.
    pub epoch: u32,
    pub since: i64,
}

/// The owner named an owner-elect (`device_owner_transfer`); nothing changes until it claims.
#[event]
pub struct DeviceTransferProposed {
    pub device: Pubkey,
    pub owner: Pubkey,
    pub pending_owner: Pubkey,
}

/// The owner withdrew a pending transfer.
#[event]
pub struct DeviceTransferCancelled {
    pub device: Pubkey,
    pub owner: Pubkey,
    pub cancelled_owner: Pubkey,
}

#[event]
pub struct DeviceCapabilitiesUpdated {
    pub device: Pubkey,
    pub flags: u32,
    pub protocols: u8,
}

#[event]
pub struct DeviceStatusChanged {
    pub device: Pubkey,
    pub old_status: Status,
    pub new_status: Status,
    pub authority: Pubkey,
    pub suspended_by: SuspendedBy,
    pub timestamp: i64,
}

#[event]
pub struct NameRegistered {
    pub name_record: Pubkey,
    pub name: String,
    pub target: Pubkey,
    pub authority: Pubkey,
}

#[event]
pub struct NameReleased {
    pub name_record: Pubkey,
    pub name: String,
    pub target: Pubkey,
}

#[event]
pub struct MemberRegistered {
    pub member: Pubkey,
    pub wallet: Pubkey,
    pub device: Pubkey,
}

#[event]
pub struct MemberStatusChanged {
    pub member: Pubkey,
    pub old_status: Status,
    pub new_status: Status,
    /// The member's device (its status or owner change moves the member with it).
    pub device: Pubkey,
}

#[event]
pub struct AttestationIssued {
    pub attestation: Pubkey,
    pub subject: Pubkey,
    pub kind: AttestationKind,
    pub evidence_hash: [u8; 32],
    pub expires_at: i64,
}

#[event]
pub struct AttestationRevoked {
    pub attestation: Pubkey,
    pub subject: Pubkey,
    pub kind: AttestationKind,
}

#[event]
pub struct EndpointAttested {
    pub attestation: Pubkey,
    pub endpoint: String,
    pub kind: AttestationKind,
    pub spki_sha256: [u8; 32],
    pub evidence_hash: [u8; 32],
    pub expires_at: i64,
}

#[event]
pub struct EndpointAttestationRevoked {
    pub attestation: Pubkey,
    pub endpoint: String,
}

#[event]
pub struct HandleSkeletonReserved {
    pub skeleton_record: Pubkey,
    pub partner: Pubkey,
    pub handle: String,
}

/// A compressed-device tree was created (its authority is the registry PDA `tree`).
#[event]
pub struct CompressedTreeCreated {
    pub tree: Pubkey,
    pub merkle_tree: Pubkey,
    /// `Pubkey::default()` for a protocol tree.
    pub vendor: Pubkey,
    pub creator: Pubkey,
    pub max_depth: u32,
    pub max_buffer_size: u32,
    pub canopy_depth: u32,
}

/// The head of the registry-wide LFDI chain was appended (once).
#[event]
pub struct LfdiChainInitialized {
    pub merkle_tree: Pubkey,
    pub index: u32,
    pub leaf: [u8; 32],
}

/// A compressed device's leaf was written, with its full preimage: an indexer rebuilds every
/// tree from these events alone (apply in `seq` order per tree).
#[event]
pub struct CompressedDeviceChanged {
    pub merkle_tree: Pubkey,
    pub index: u32,
    /// The tree's sequence number after this change.
    pub seq: u64,
    pub leaf: [u8; 32],
    pub change: CompressedChange,
    pub device: CompressedDevice,
    pub timestamp: i64,
}

/// A provisioned device was activated: its leaf became `Active` and linked after the low leaf
/// (two leaf changes; the data is unchanged, so `data_hash` stands for it).
#[event]
pub struct CompressedDeviceActivated {
    pub merkle_tree: Pubkey,
    pub index: u32,
    pub seq: u64,
    pub leaf: [u8; 32],
    pub device_key: Pubkey,
    pub vendor: Pubkey,
    pub lfdi: [u8; 20],
    pub next_lfdi: [u8; 20],
    pub data_hash: [u8; 32],
    pub low_merkle_tree: Pubkey,
    pub low_index: u32,
    pub low_seq: u64,
    /// The low leaf after the change: `(low_lfdi, lfdi, low_body)`.
    pub low_leaf: [u8; 32],
    pub low_lfdi: [u8; 20],
    pub low_body: [u8; 32],
    pub timestamp: i64,
}
