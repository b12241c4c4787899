use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::TariffPublished;
use crate::state::{validate_intervals, Tariff, TariffInterval};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct TariffUpdateArgs {
    pub effective_from: i64,
    pub intervals: Vec<TariffInterval>,
}

#[derive(Accounts)]
pub struct TariffUpdate<'info> {
    #[account(
        mut,
        seeds = [SEED_TARIFF, tariff.utility.as_ref(), &tariff.tariff_id.to_le_bytes()],
        bump = tariff.bump,
        has_one = authority @ PaymentsError::Unauthorized,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    pub authority: Signer<'info>,
}

/// Replaces the intervals and bumps the revision.
pub fn handler(ctx: Context<TariffUpdate>, args: TariffUpdateArgs) -> Result<()> {
    validate_intervals(&args.intervals)?;
    let tariff = &mut ctx.accounts.tariff;
    tariff.revision = tariff
        .revision
        .checked_add(1)
        .ok_or(PaymentsError::MathOverflow)?;
    tariff.effective_from = args.effective_from;
    tariff.intervals = args.intervals;
    emit!(TariffPublished {
        tariff: tariff.key(),
        utility: tariff.utility,
        tariff_id: tariff.tariff_id,
        revision: tariff.revision,
        effective_from: tariff.effective_from,
    });
    Ok(())
}
