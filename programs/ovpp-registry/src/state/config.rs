use anchor_lang::prelude::*;

/// Protocol configuration. Its authority onboards partners and can suspend or revoke
/// any partner or device.
#[account]
#[derive(InitSpace)]
pub struct Config {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["config"]`.
    pub bump: u8,
    /// Protocol authority (a multisig in production).
    pub authority: Pubkey,
    /// Reserved for future fields.
    pub reserved: [u8; 64],
}
