use anchor_lang::prelude::*;

use crate::constants::SEED_PAYMENTS;
use crate::errors::PaymentsError;
use crate::events::PaymentsPauseChanged;
use crate::state::PaymentsConfig;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PaymentsPauseSetArgs {
    pub paused: bool,
}

#[derive(Accounts)]
pub struct PaymentsPauseSet<'info> {
    #[account(
        mut,
        seeds = [SEED_PAYMENTS],
        bump = config.bump,
        has_one = authority @ PaymentsError::Unauthorized,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    pub authority: Signer<'info>,
}

/// Pauses or resumes wraps and conversions (unwraps always stay open).
pub fn handler(ctx: Context<PaymentsPauseSet>, args: PaymentsPauseSetArgs) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.paused = args.paused;
    emit!(PaymentsPauseChanged {
        config: config.key(),
        paused: args.paused,
    });
    Ok(())
}
