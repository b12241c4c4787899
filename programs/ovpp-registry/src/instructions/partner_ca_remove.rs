use anchor_lang::prelude::*;

use crate::constants::SEED_PARTNER;
use crate::errors::RegistryError;
use crate::events::PartnerCaRemoved;
use crate::state::{Partner, PartnerStatus};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PartnerCaRemoveArgs {
    /// SHA-256 of the CA root to stop trusting.
    pub fingerprint: [u8; 32],
}

#[derive(Accounts)]
pub struct PartnerCaRemove<'info> {
    #[account(
        mut,
        seeds = [SEED_PARTNER, authority.key().as_ref()],
        bump = partner.bump,
        has_one = authority @ RegistryError::Unauthorized,
        constraint = partner.status != PartnerStatus::Revoked @ RegistryError::PartnerNotActive,
    )]
    pub partner: Box<Account<'info, Partner>>,
    pub authority: Signer<'info>,
}

/// Removes a CA root (e.g. after a compromise). Devices already issued keep their record;
/// revoke them individually.
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
