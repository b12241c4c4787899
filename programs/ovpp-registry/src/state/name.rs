use anchor_lang::prelude::*;

use crate::constants::MAX_NAME_LEN;
use crate::events::NameRegistered;

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

/// The target a new name points at, and who may release it.
pub struct NameTarget {
    pub kind: NameTargetKind,
    pub target: Pubkey,
    pub authority: Pubkey,
}

/// Writes a freshly created name's forward and reverse records and emits `NameRegistered`.
/// Shared by `name_register` and the handle reservation in `partner_register`.
pub fn write_name_records(
    name_record: &mut Account<NameRecord>,
    name_bump: u8,
    reverse: &mut Account<ReverseRecord>,
    reverse_bump: u8,
    name: String,
    to: NameTarget,
    now: i64,
) {
    name_record.bump = name_bump;
    name_record.target_kind = to.kind;
    name_record.target = to.target;
    name_record.authority = to.authority;
    name_record.name = name.clone();
    name_record.created_at = now;
    name_record.reserved = [0; 32];
    reverse.bump = reverse_bump;
    reverse.name_record = name_record.key();
    reverse.name = name.clone();
    emit!(NameRegistered {
        name_record: name_record.key(),
        name,
        target: to.target,
        authority: to.authority,
    });
}
