use anchor_lang::prelude::*;
use ovpp_registry::state::{Partner, PartnerKind, Status};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::TariffPublished;
use crate::state::{validate_intervals, Tariff, TariffInterval};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct TariffUpdateArgs {
    /// When the new revision takes effect: not in the past, and later than the revision in
    /// force (prices never change retroactively).
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
        has_one = utility @ PaymentsError::ConfigMismatch,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    /// The utility partner, re-read on every update: a suspended or revoked utility cannot
    /// reprice.
    #[account(
        constraint = utility.authority == authority.key() @ PaymentsError::Unauthorized,
        constraint = utility.kind == PartnerKind::Utility
            && utility.status == Status::Active @ PaymentsError::NotActiveUtility,
    )]
    pub utility: Box<Account<'info, Partner>>,
    pub authority: Signer<'info>,
}

impl TariffUpdate<'_> {
    fn validate(&self, args: &TariffUpdateArgs) -> Result<()> {
        validate_intervals(&args.intervals)?;
        let now = Clock::get()?.unix_timestamp;
        require!(
            args.effective_from >= now && args.effective_from > self.tariff.effective_from,
            PaymentsError::TariffNotMonotonic
        );
        Ok(())
    }
}

/// Publishes a new revision from `effective_from`. The revision in force becomes the previous
/// one (readings signed for it still settle at its prices); a revision that has not taken
/// effect yet is simply replaced, since no reading can have been metered under it.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<TariffUpdate>, args: TariffUpdateArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let tariff = &mut ctx.accounts.tariff;
    if tariff.effective_from <= now {
        tariff.prev_revision = tariff.revision;
        tariff.prev_effective_from = tariff.effective_from;
        tariff.prev_intervals = std::mem::take(&mut tariff.intervals);
    }
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
