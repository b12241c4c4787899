use anchor_lang::prelude::*;

use crate::constants::SEED_CONFIG;
use crate::errors::RegistryError;
use crate::events::PartnerStatusChanged;
use crate::state::{Config, Partner, Status};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PartnerStatusSetArgs {
    pub status: Status,
}

#[derive(Accounts)]
pub struct PartnerStatusSet<'info> {
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// Only the protocol authority suspends, reinstates or revokes partners.
    pub authority: Signer<'info>,
    #[account(mut)]
    pub partner: Box<Account<'info, Partner>>,
}

impl PartnerStatusSet<'_> {
    fn validate(&self, args: &PartnerStatusSetArgs) -> Result<()> {
        require!(
            self.partner.status.can_become(args.status),
            RegistryError::InvalidStatusTransition
        );
        Ok(())
    }
}

/// Suspends, reinstates or revokes (terminal) a partner.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<PartnerStatusSet>, args: PartnerStatusSetArgs) -> Result<()> {
    let partner = &mut ctx.accounts.partner;
    let old_status = partner.status;
    let now = Clock::get()?.unix_timestamp;
    partner.status = args.status;
    partner.updated_at = now;
    emit!(PartnerStatusChanged {
        partner: partner.key(),
        old_status,
        new_status: args.status,
        timestamp: now,
    });
    Ok(())
}
