//! Compressed devices: the leaf schema (pure functions, mirrored by the SDK) and the CPIs into
//! `spl-account-compression`, signed by the tree's registry PDA `["ctree", merkle_tree]`.
//!
//! ```text
//! leaf      = keccak(0x01 ‖ lfdi ‖ next_lfdi ‖ body)
//! body      = keccak(0x02 ‖ device_key ‖ vendor ‖ status ‖ data_hash)
//! data_hash = keccak(0x03 ‖ borsh(CompressedDeviceData))
//! head body = keccak(0x04 ‖ "ovpp:lfdi-chain-head")
//! ```
//! Inner tree nodes hash exactly 64 bytes without a prefix, so no leaf preimage (prefixed,
//! 73 bytes) can be presented as a node or the other way round.
use anchor_lang::prelude::*;
use anchor_lang::solana_program::keccak::hashv;
use spl_account_compression::cpi::accounts::{Modify, VerifyLeaf};
use spl_account_compression::state::CONCURRENT_MERKLE_TREE_HEADER_SIZE_V1;

use crate::constants::{LFDI_LEN, SEED_COMPRESSED_TREE};
use crate::errors::RegistryError;
use crate::state::{ChainLink, CompressedDevice, CompressedDeviceData, CompressedStatus};

/// spl-noop, the program account-compression logs its changelogs through.
pub const NOOP_PROGRAM_ID: Pubkey = pubkey!("noopb9bkMVfRPU8AsbpTUg8AQkHtKwMYZiFUjNRtMmV");

pub const LEAF_PREFIX: u8 = 0x01;
pub const BODY_PREFIX: u8 = 0x02;
pub const DATA_PREFIX: u8 = 0x03;
pub const HEAD_PREFIX: u8 = 0x04;
/// The chain's lower bound (the head's LFDI) and upper bound (its first `next_lfdi`); neither
/// is a device's LFDI.
pub const LFDI_MIN: [u8; LFDI_LEN] = [0; LFDI_LEN];
pub const LFDI_MAX: [u8; LFDI_LEN] = [0xFF; LFDI_LEN];

pub fn data_hash(data: &CompressedDeviceData) -> Result<[u8; 32]> {
    let bytes = data.try_to_vec()?;
    Ok(hashv(&[&[DATA_PREFIX], &bytes]).to_bytes())
}

pub fn body_hash(
    device_key: &Pubkey,
    vendor: &Pubkey,
    status: CompressedStatus,
    data_hash: &[u8; 32],
) -> [u8; 32] {
    hashv(&[
        &[BODY_PREFIX],
        device_key.as_ref(),
        vendor.as_ref(),
        &[status.byte()],
        data_hash,
    ])
    .to_bytes()
}

pub fn head_body() -> [u8; 32] {
    hashv(&[&[HEAD_PREFIX], b"ovpp:lfdi-chain-head"]).to_bytes()
}

pub fn leaf_hash(lfdi: &[u8; LFDI_LEN], next_lfdi: &[u8; LFDI_LEN], body: &[u8; 32]) -> [u8; 32] {
    hashv(&[&[LEAF_PREFIX], lfdi, next_lfdi, body]).to_bytes()
}

pub fn link_leaf(link: &ChainLink) -> [u8; 32] {
    leaf_hash(&link.lfdi, &link.next_lfdi, &link.body)
}

/// The leaf of a compressed device.
pub fn device_leaf(device: &CompressedDevice) -> Result<[u8; 32]> {
    let body = body_hash(
        &device.device_key,
        &device.vendor,
        device.status,
        &data_hash(&device.data)?,
    );
    Ok(leaf_hash(&device.lfdi, &device.next_lfdi, &body))
}

/// An LFDI a device may hold: not one of the chain's bounds.
pub fn is_valid_lfdi(lfdi: &[u8; LFDI_LEN]) -> bool {
    *lfdi != LFDI_MIN && *lfdi != LFDI_MAX
}

/// The tree's sequence number (number of changes so far) after a CPI, for events: the first
/// field of the `ConcurrentMerkleTree` after the account header.
pub fn sequence_number(merkle_tree: &AccountInfo) -> Result<u64> {
    let data = merkle_tree.try_borrow_data()?;
    let start = CONCURRENT_MERKLE_TREE_HEADER_SIZE_V1;
    let bytes = data
        .get(start..start.saturating_add(8))
        .ok_or(RegistryError::InvalidTreeParams)?;
    let mut out = [0u8; 8];
    out.copy_from_slice(bytes);
    Ok(u64::from_le_bytes(out))
}

/// Account size of an `spl-account-compression` tree (header, tree, canopy).
pub fn tree_account_size(max_depth: u32, max_buffer_size: u32, canopy_depth: u32) -> Option<u64> {
    let d = u64::from(max_depth);
    let b = u64::from(max_buffer_size);
    // changelog entry: root 32 + path 32*D + index 4 + padding 4
    let changelog = d.checked_mul(32)?.checked_add(40)?;
    let rightmost = d.checked_mul(32)?.checked_add(40)?;
    let canopy_nodes = 1u64
        .checked_shl(canopy_depth.checked_add(1)?)?
        .checked_sub(2)?;
    (CONCURRENT_MERKLE_TREE_HEADER_SIZE_V1 as u64)
        .checked_add(24)?
        .checked_add(b.checked_mul(changelog)?)?
        .checked_add(rightmost)?
        .checked_add(canopy_nodes.checked_mul(32)?)
}

/// The accounts every leaf CPI needs: the tree, its registry PDA (authority), the programs.
pub struct TreeCpi<'a, 'info> {
    pub compression_program: &'a AccountInfo<'info>,
    pub noop_program: &'a AccountInfo<'info>,
    pub merkle_tree: &'a AccountInfo<'info>,
    pub authority: &'a AccountInfo<'info>,
    pub authority_bump: u8,
}

impl<'info> TreeCpi<'_, 'info> {
    fn modify(&self) -> Modify<'info> {
        Modify {
            merkle_tree: self.merkle_tree.clone(),
            authority: self.authority.clone(),
            noop: self.noop_program.clone(),
        }
    }

    /// Appends `leaf` (no proof).
    pub fn append(&self, leaf: [u8; 32]) -> Result<()> {
        let tree_key = self.merkle_tree.key();
        let seeds: &[&[u8]] = &[
            SEED_COMPRESSED_TREE,
            tree_key.as_ref(),
            &[self.authority_bump],
        ];
        spl_account_compression::cpi::append(
            CpiContext::new_with_signer(self.compression_program.clone(), self.modify(), &[seeds]),
            leaf,
        )
    }

    /// Replaces `previous` with `new` at `index`, proven by `proof` against `root` (or a root
    /// up to the tree's buffer size older: the tree fast-forwards the proof).
    pub fn replace(
        &self,
        root: [u8; 32],
        previous: [u8; 32],
        new: [u8; 32],
        index: u32,
        proof: &[AccountInfo<'info>],
    ) -> Result<()> {
        let tree_key = self.merkle_tree.key();
        let seeds: &[&[u8]] = &[
            SEED_COMPRESSED_TREE,
            tree_key.as_ref(),
            &[self.authority_bump],
        ];
        spl_account_compression::cpi::replace_leaf(
            CpiContext::new_with_signer(self.compression_program.clone(), self.modify(), &[seeds])
                .with_remaining_accounts(proof.to_vec()),
            root,
            previous,
            new,
            index,
        )
    }
}

/// Proves `leaf` at `index` without writing the tree (it is passed read-only).
pub fn verify<'info>(
    compression_program: &AccountInfo<'info>,
    merkle_tree: &AccountInfo<'info>,
    root: [u8; 32],
    leaf: [u8; 32],
    index: u32,
    proof: &[AccountInfo<'info>],
) -> Result<()> {
    spl_account_compression::cpi::verify_leaf(
        CpiContext::new(
            compression_program.clone(),
            VerifyLeaf {
                merkle_tree: merkle_tree.clone(),
            },
        )
        .with_remaining_accounts(proof.to_vec()),
        root,
        leaf,
        index,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_size_matches_the_published_figures() {
        // depth 14 / buffer 64 / canopy 0: 31,800 bytes (checked against the JS helper).
        assert_eq!(tree_account_size(14, 64, 0), Some(31_800));
        // depth 20 / buffer 64 / canopy 10: 109,752 bytes.
        assert_eq!(tree_account_size(20, 64, 10), Some(109_752));
        assert_eq!(tree_account_size(20, 64, 0), Some(44_280));
    }

    #[test]
    fn leaf_is_domain_separated() {
        let lfdi = [1u8; 20];
        let body = [2u8; 32];
        let leaf = leaf_hash(&lfdi, &LFDI_MAX, &body);
        // Not the inner-node hash of any 64-byte split of the same bytes.
        let mut raw = Vec::new();
        raw.extend_from_slice(&lfdi);
        raw.extend_from_slice(&LFDI_MAX);
        raw.extend_from_slice(&body);
        assert_ne!(leaf, hashv(&[&raw]).to_bytes());
        assert_ne!(
            head_body(),
            body_hash(
                &Pubkey::default(),
                &Pubkey::default(),
                CompressedStatus::Active,
                &[0; 32]
            )
        );
        assert!(!is_valid_lfdi(&LFDI_MIN) && !is_valid_lfdi(&LFDI_MAX) && is_valid_lfdi(&lfdi));
    }
}
