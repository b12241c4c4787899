use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::MandateRevoked;
use crate::state::Mandate;

#[derive(Accounts)]
pub struct MandateRevoke<'info> {
    /// Closed here; the rent goes back to the owner. Works whatever the device's state.
    #[account(
        mut,
        close = owner,
        seeds = [SEED_MANDATE, owner.key().as_ref(), mandate.device.as_ref()],
        bump = mandate.bump,
        has_one = owner @ PaymentsError::Unauthorized,
    )]
    pub mandate: Box<Account<'info, Mandate>>,
    #[account(mut)]
    pub owner: Signer<'info>,
}

/// Withdraws a mandate at once: no further reading of that device is billed to the owner.
pub fn handler(ctx: Context<MandateRevoke>) -> Result<()> {
    let mandate = &ctx.accounts.mandate;
    emit!(MandateRevoked {
        mandate: mandate.key(),
        owner: mandate.owner,
        device: mandate.device,
        spent_total: mandate.spent_total,
    });
    Ok(())
}
