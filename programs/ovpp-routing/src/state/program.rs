use anchor_lang::prelude::*;

use crate::constants::MAX_PROGRAM_NAME_LEN;

/// What a utility program is for.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum ProgramKind {
    /// Demand response / flexibility events (OpenADR 3 events).
    DemandResponse,
    /// Dynamic tariff signals (OpenADR 3 PRICE programs, 2030.5 pricing).
    Tariff,
    /// Managed EV charging (OCPP 2.0.1 smart charging).
    EvCharging,
}

/// A utility program devices enroll in.
#[account]
#[derive(InitSpace)]
pub struct UtilityProgram {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["program", utility, program_id]`.
    pub bump: u8,
    /// What the program is for.
    pub kind: ProgramKind,
    /// Whether new enrollments are accepted.
    pub open: bool,
    /// The utility's registry partner account.
    pub utility: Pubkey,
    /// The utility's authority (approves enrollments, sets routes).
    pub authority: Pubkey,
    /// Utility-chosen id.
    pub program_id: u32,
    /// Display name.
    #[max_len(MAX_PROGRAM_NAME_LEN)]
    pub name: String,
    /// Enrollments approved and not revoked.
    pub enrolled: u32,
    /// Unix time of creation.
    pub created_at: i64,
    /// Reserved for future fields.
    pub reserved: [u8; 64],
}
