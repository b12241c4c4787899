use anchor_lang::prelude::*;

use crate::constants::{SEED_CONFIG, SEED_PARTNER};
use crate::errors::RegistryError;
use crate::events::PartnerRegistered;
use crate::state::{
    validate_ca_fingerprints, validate_partner_name, Config, Partner, PartnerKind, PartnerStatus,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PartnerRegisterArgs {
    /// Utility or vendor.
    pub kind: PartnerKind,
    /// Display name, 1..=64 bytes.
    pub name: String,
    /// SHA-256 fingerprints of the partner's CA roots (vendors need at least one to register
    /// devices).
    pub ca_fingerprints: Vec<[u8; 32]>,
}

#[derive(Accounts)]
pub struct PartnerRegister<'info> {
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The protocol authority approves every onboarding.
    pub authority: Signer<'info>,
    /// The partner's own key; signing proves it controls it.
    pub partner_authority: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + Partner::INIT_SPACE,
        seeds = [SEED_PARTNER, partner_authority.key().as_ref()],
        bump,
    )]
    pub partner: Box<Account<'info, Partner>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl PartnerRegister<'_> {
    fn validate(&self, args: &PartnerRegisterArgs) -> Result<()> {
        validate_partner_name(&args.name)?;
        validate_ca_fingerprints(&args.ca_fingerprints)
    }
}

/// Onboards a utility or vendor partner.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<PartnerRegister>, args: PartnerRegisterArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let partner = &mut ctx.accounts.partner;
    partner.version = 1;
    partner.bump = ctx.bumps.partner;
    partner.kind = args.kind;
    partner.status = PartnerStatus::Active;
    partner.authority = ctx.accounts.partner_authority.key();
    partner.name = args.name;
    partner.ca_fingerprints = args.ca_fingerprints;
    partner.created_at = now;
    partner.updated_at = now;
    partner.reserved = [0; 64];
    emit!(PartnerRegistered {
        partner: partner.key(),
        authority: partner.authority,
        kind: partner.kind,
        name: partner.name.clone(),
        timestamp: now,
    });
    Ok(())
}
