use anchor_lang::prelude::*;

use crate::constants::{MAX_CA_FINGERPRINTS, SEED_CA, SEED_CONFIG, SEED_PARTNER};
use crate::errors::RegistryError;
use crate::events::PartnerCaAdded;
use crate::state::{CaIndex, Config, Partner};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PartnerCaAddArgs {
    /// SHA-256 of the CA root certificate (DER).
    pub fingerprint: [u8; 32],
}

#[derive(Accounts)]
#[instruction(args: PartnerCaAddArgs)]
pub struct PartnerCaAdd<'info> {
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The protocol authority approves every CA root (it has checked the partner controls it).
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_PARTNER, partner_authority.key().as_ref()],
        bump = partner.bump,
        constraint = partner.authority == partner_authority.key() @ RegistryError::Unauthorized,
    )]
    pub partner: Box<Account<'info, Partner>>,
    pub partner_authority: Signer<'info>,
    /// The root's global index. Created here; when it already exists it belongs to a partner
    /// and `validate` refuses (`CaFingerprintTaken` / `CaFingerprintExists`).
    #[account(
        init_if_needed,
        payer = payer,
        space = 8 + CaIndex::INIT_SPACE,
        seeds = [SEED_CA, args.fingerprint.as_ref()],
        bump,
    )]
    pub ca_index: Box<Account<'info, CaIndex>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl PartnerCaAdd<'_> {
    fn validate(&self, args: &PartnerCaAddArgs) -> Result<()> {
        self.partner.require_active()?;
        let owner = self.ca_index.partner;
        require!(
            owner == Pubkey::default() || owner == self.partner.key(),
            RegistryError::CaFingerprintTaken
        );
        require!(
            owner == Pubkey::default(),
            RegistryError::CaFingerprintExists
        );
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

/// Adds a CA root the partner issues device certificates from (partner + protocol sign).
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<PartnerCaAdd>, args: PartnerCaAddArgs) -> Result<()> {
    let partner = &mut ctx.accounts.partner;
    partner.ca_fingerprints.push(args.fingerprint);
    partner.updated_at = Clock::get()?.unix_timestamp;
    let index = &mut ctx.accounts.ca_index;
    index.bump = ctx.bumps.ca_index;
    index.partner = partner.key();
    index.fingerprint = args.fingerprint;
    emit!(PartnerCaAdded {
        partner: partner.key(),
        fingerprint: args.fingerprint,
    });
    Ok(())
}
