use anchor_lang::prelude::*;

use super::{Capabilities, DeviceType, SuspendedBy};
use crate::constants::LFDI_LEN;

/// A registry tree of compressed devices: the `spl-account-compression` tree's authority
/// (`["ctree", merkle_tree]` signs every change), so only registry instructions write leaves.
#[account]
#[derive(InitSpace)]
pub struct CompressedTree {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["ctree", merkle_tree]`.
    pub bump: u8,
    /// The `spl-account-compression` tree account.
    pub merkle_tree: Pubkey,
    /// The vendor partner whose devices it holds, or `Pubkey::default()` for a protocol tree
    /// any active vendor may register into.
    pub vendor: Pubkey,
    /// Who created it (the protocol authority or the vendor's authority).
    pub creator: Pubkey,
    /// Tree depth (capacity 2^max_depth leaves).
    pub max_depth: u32,
    /// Changelog buffer: how many changes a proof may be behind.
    pub max_buffer_size: u32,
    /// Canopy depth (upper tree levels stored on chain; proofs are `max_depth - canopy` nodes).
    pub canopy_depth: u32,
    /// Leaves appended so far (the index of the next appended leaf).
    pub leaf_count: u64,
    /// Unix time of creation.
    pub created_at: i64,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}

/// The head of the registry-wide LFDI chain exists (created once by `lfdi_chain_init`).
#[account]
#[derive(InitSpace)]
pub struct LfdiChain {
    /// Canonical bump of `["lfdi_chain"]`.
    pub bump: u8,
    /// The tree holding the head leaf.
    pub merkle_tree: Pubkey,
    /// The head leaf's index in that tree.
    pub index: u32,
}

/// Lifecycle of a compressed device.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum CompressedStatus {
    /// Appended by its vendor, not yet activated by its device key: not usable.
    Provisioned,
    Active,
    Suspended,
    /// Terminal; an activated device's LFDI stays in the chain (never reused).
    Revoked,
}

impl CompressedStatus {
    /// Active <-> Suspended, Provisioned/Active/Suspended -> Revoked. Provisioned -> Active
    /// is `compressed_device_activate` only.
    pub fn can_become(self, next: CompressedStatus) -> bool {
        use CompressedStatus::*;
        matches!(
            (self, next),
            (Active, Suspended)
                | (Suspended, Active)
                | (Provisioned, Revoked)
                | (Active, Revoked)
                | (Suspended, Revoked)
        )
    }

    pub fn byte(self) -> u8 {
        self as u8
    }
}

/// The part of a compressed device's leaf hashed as `data_hash`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct CompressedDeviceData {
    /// Current owner (`Pubkey::default()` while unclaimed).
    pub owner: Pubkey,
    /// Owner-elect that must sign `compressed_device_claim` (`Pubkey::default()` when none).
    pub pending_owner: Pubkey,
    /// Who suspended the device.
    pub suspended_by: SuspendedBy,
    /// Ownership epoch (0 until the first claim, +1 per claim).
    pub owner_epoch: u32,
    /// What the device is.
    pub device_type: DeviceType,
    /// Declared capabilities.
    pub capabilities: Capabilities,
    /// SHA-256 of the issuing CA root (one of the vendor's).
    pub issuer_ca: [u8; 32],
    /// SHA-256 of the device certificate (DER); its first 20 bytes are the LFDI.
    pub cert_fingerprint: [u8; 32],
    /// Certificate `notAfter`, unix seconds.
    pub cert_not_after: i64,
    /// sha256 of the device's registry name, zero when it has none.
    pub name_hash: [u8; 32],
    /// Unix time of registration.
    pub registered_at: i64,
    /// Starts at the leaf index, +1 per change: no two leaves share a preimage.
    pub nonce: u64,
}

/// A compressed device's full leaf preimage (what instructions and events carry).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct CompressedDevice {
    /// The device's own ed25519 key (signs readings; signed its activation).
    pub device_key: Pubkey,
    /// The vendor partner account that provisioned it.
    pub vendor: Pubkey,
    /// IEEE 2030.5 LFDI.
    pub lfdi: [u8; LFDI_LEN],
    /// The next LFDI in the registry-wide chain; zero while provisioned (not in the chain).
    pub next_lfdi: [u8; LFDI_LEN],
    /// Lifecycle.
    pub status: CompressedStatus,
    /// The rest, hashed as `data_hash`.
    pub data: CompressedDeviceData,
}

/// A chain link as the low leaf of an insertion: its LFDI interval and its body hash.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct ChainLink {
    pub lfdi: [u8; LFDI_LEN],
    pub next_lfdi: [u8; LFDI_LEN],
    pub body: [u8; 32],
}

/// Which change a `CompressedDeviceChanged` event records.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub enum CompressedChange {
    Registered,
    Claimed,
    TransferProposed,
    StatusChanged,
}
