use anchor_lang::prelude::*;

use crate::constants::{SEED_CA, SEED_CONFIG};
use crate::errors::RegistryError;
use crate::events::PartnerCaRemoved;
use crate::state::{CaIndex, Config, Partner};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PartnerCaRemoveArgs {
    /// SHA-256 of the CA root to stop trusting.
    pub fingerprint: [u8; 32],
}

#[derive(Accounts)]
#[instruction(args: PartnerCaRemoveArgs)]
pub struct PartnerCaRemove<'info> {
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub partner: Box<Account<'info, Partner>>,
    /// The active partner's authority, or the protocol authority (any partner status).
    /// Receives the index's rent.
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(
        mut,
        close = authority,
        seeds = [SEED_CA, args.fingerprint.as_ref()],
        bump = ca_index.bump,
        constraint = ca_index.partner == partner.key() @ RegistryError::CaFingerprintTaken,
    )]
    pub ca_index: Box<Account<'info, CaIndex>>,
}

impl PartnerCaRemove<'_> {
    fn validate(&self) -> Result<()> {
        let signer = self.authority.key();
        if signer != self.config.authority {
            require_keys_eq!(signer, self.partner.authority, RegistryError::Unauthorized);
            self.partner.require_active()?;
        }
        Ok(())
    }
}

/// Removes a CA root (e.g. after a compromise) and frees its index. Devices already issued
/// keep their record; revoke them individually.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<PartnerCaRemove>, args: PartnerCaRemoveArgs) -> Result<()> {
    let partner = &mut ctx.accounts.partner;
    let position = partner
        .ca_fingerprints
        .iter()
        .position(|fp| *fp == args.fingerprint)
        .ok_or(RegistryError::CaFingerprintNotFound)?;
    partner.ca_fingerprints.remove(position);
    partner.updated_at = Clock::get()?.unix_timestamp;
    emit!(PartnerCaRemoved {
        partner: partner.key(),
        fingerprint: args.fingerprint,
    });
    Ok(())
}
