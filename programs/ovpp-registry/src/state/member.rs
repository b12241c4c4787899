use anchor_lang::prelude::*;

use super::Status;

/// An end-user participant: a wallet that owns (or owned) an active device. Partners are
/// participants through their `Partner` record; everyone else through this one.
#[account]
#[derive(InitSpace)]
pub struct Member {
    /// Canonical bump of `["member", wallet]`.
    pub bump: u8,
    /// Active, suspended or revoked.
    pub status: Status,
    /// The member's wallet.
    pub wallet: Pubkey,
    /// The device whose ownership qualified the wallet.
    pub device: Pubkey,
    /// Unix time of registration.
    pub created_at: i64,
    /// Set when the member was suspended because its device was; reinstating the device
    /// reinstates only such members (not ones the protocol suspended itself).
    pub suspended_with_device: bool,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}
