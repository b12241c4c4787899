use anchor_lang::prelude::*;

use crate::constants::MAX_NAME_LEN;

/// What a name points at.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum NameTargetKind {
    Partner,
    Device,
}

/// Forward record `name -> target`, at `["name", sha256(name)]`.
#[account]
#[derive(InitSpace)]
pub struct NameRecord {
    /// Canonical bump.
    pub bump: u8,
    /// Kind of the target account.
    pub target_kind: NameTargetKind,
    /// The partner or device account the name resolves to.
    pub target: Pubkey,
    /// Who may release the name (the target's owner or partner authority at registration).
    pub authority: Pubkey,
    /// The name itself, so the record is self-describing.
    #[max_len(MAX_NAME_LEN)]
    pub name: String,
    /// Unix time of registration.
    pub created_at: i64,
    /// Reserved for future fields (e.g. expiry).
    pub reserved: [u8; 32],
}

/// Reverse record `target -> name`, at `["reverse", target]`.
#[account]
#[derive(InitSpace)]
pub struct ReverseRecord {
    /// Canonical bump.
    pub bump: u8,
    /// The forward record that owns this reverse entry.
    pub name_record: Pubkey,
    /// The name, for one-read reverse lookups.
    #[max_len(MAX_NAME_LEN)]
    pub name: String,
}
