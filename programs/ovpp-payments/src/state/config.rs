use anchor_lang::prelude::*;

use crate::constants::SEED_PAYMENTS;

/// The on-ramp: USDE mint, its USDC vault and the USDE treasury of the unit markets.
#[account]
#[derive(InitSpace)]
pub struct PaymentsConfig {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["payments"]` (signs for mints, vault and treasury).
    pub bump: u8,
    /// Canonical bump of the USDE mint.
    pub usde_mint_bump: u8,
    /// Canonical bump of the USDC vault.
    pub vault_bump: u8,
    /// Canonical bump of the USDE treasury.
    pub treasury_bump: u8,
    /// When set, wraps and conversions are refused (unwraps stay open).
    pub paused: bool,
    /// Administers markets and the pause switch.
    pub authority: Pubkey,
    /// The USDC mint backing USDE.
    pub usdc_mint: Pubkey,
    /// Token program of the USDC mint (SPL Token or Token-2022).
    pub usdc_token_program: Pubkey,
    /// The USDE mint (Token-2022).
    pub usde_mint: Pubkey,
    /// USDC vault; its balance always equals USDE supply.
    pub usdc_vault: Pubkey,
    /// USDE held against outstanding unit tokens.
    pub usde_treasury: Pubkey,
    /// Reserved for future fields.
    pub reserved: [u8; 64],
}

impl PaymentsConfig {
    /// The seeds the config PDA signs with (mints, vault, treasury, export escrows).
    pub fn signer_seeds(&self) -> [&[u8]; 2] {
        payments_signer_seeds(&self.bump)
    }
}

/// `["payments", bump]`: the config PDA's signer seeds, for a `bump` not yet stored in the
/// account (`payments_init`); everywhere else [`PaymentsConfig::signer_seeds`].
pub fn payments_signer_seeds(bump: &u8) -> [&[u8]; 2] {
    [SEED_PAYMENTS, core::slice::from_ref(bump)]
}
