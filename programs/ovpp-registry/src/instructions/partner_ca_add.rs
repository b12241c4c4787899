use anchor_lang::prelude::*;

use crate::constants::{MAX_CA_FINGERPRINTS, SEED_PARTNER};
use crate::errors::RegistryError;
use crate::events::PartnerCaAdded;
use crate::state::Partner;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PartnerCaAddArgs {
    /// SHA-256 of the CA root certificate (DER).
    pub fingerprint: [u8; 32],
}

#[derive(Accounts)]
pub struct PartnerCaAdd<'info> {
    #[account(
        mut,
        seeds = [SEED_PARTNER, authority.key().as_ref()],
        bump = partner.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub partner: Box<Account<'info, Partner>>,
    pub authority: Signer<'info>,
}

impl PartnerCaAdd<'_> {
    fn validate(&self, args: &PartnerCaAddArgs) -> Result<()> {
        self.partner.require_active()?;
        require!(
            args.fingerprint != [0; 32],
            RegistryError::InvalidFingerprint
        );
        require!(
            !self.partner.ca_fingerprints.contains(&args.fingerprint),
            RegistryError::CaFingerprintExists
        );
        require!(
            self.partner.ca_fingerprints.len() < MAX_CA_FINGERPRINTS,
            RegistryError::TooManyCaFingerprints
        );
        Ok(())
    }
}

/// Adds a CA root the partner issues device certificates from.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<PartnerCaAdd>, args: PartnerCaAddArgs) -> Result<()> {
    let partner = &mut ctx.accounts.partner;
    partner.ca_fingerprints.push(args.fingerprint);
    partner.updated_at = Clock::get()?.unix_timestamp;
    emit!(PartnerCaAdded {
        partner: partner.key(),
        fingerprint: args.fingerprint,
    });
    Ok(())
}
