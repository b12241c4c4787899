use anchor_lang::prelude::*;
use ovpp_registry::state::Partner;

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::{TariffPublished, TariffRevisionSuperseded};
use crate::state::{
    validate_export_cap, validate_intervals, ExportCap, Tariff, TariffInterval, TariffRevision,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct TariffUpdateArgs {
    /// When the new revision takes effect: not in the past, and later than the latest
    /// revision's start (prices never change retroactively).
    pub effective_from: i64,
    pub intervals: Vec<TariffInterval>,
    /// Export-credit cap per device and period under the new revision.
    pub export_cap: ExportCap,
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
        constraint = utility.is_active_utility() @ PaymentsError::NotActiveUtility,
    )]
    pub utility: Box<Account<'info, Partner>>,
    pub authority: Signer<'info>,
    /// The latest revision: it stops being in force at the new revision's start.
    #[account(
        mut,
        seeds = [SEED_TARIFF_REVISION, tariff.key().as_ref(), &tariff.revision.to_le_bytes()],
        bump = latest.bump,
    )]
    pub latest: Box<Account<'info, TariffRevision>>,
    /// The new revision, `tariff.revision + 1`.
    #[account(
        init,
        payer = payer,
        space = 8 + TariffRevision::INIT_SPACE,
        seeds = [
            SEED_TARIFF_REVISION,
            tariff.key().as_ref(),
            &tariff.revision.checked_add(1).ok_or(PaymentsError::MathOverflow)?.to_le_bytes(),
        ],
        bump,
    )]
    pub revision: Box<Account<'info, TariffRevision>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl TariffUpdate<'_> {
    fn validate(&self, args: &TariffUpdateArgs) -> Result<()> {
        validate_intervals(&args.intervals)?;
        validate_export_cap(&args.export_cap, self.tariff.interval_secs)?;
        let now = Clock::get()?.unix_timestamp;
        require!(
            args.effective_from >= now && args.effective_from > self.tariff.effective_from,
            PaymentsError::TariffNotMonotonic
        );
        Ok(())
    }
}

/// Publishes a new revision from `effective_from` as its own immutable account. The latest
/// revision stops pricing intervals from then on, and readings signed for it (or any older
/// revision) still settle at its prices within the tariff's settlement window.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<TariffUpdate>, args: TariffUpdateArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let tariff_key = ctx.accounts.tariff.key();
    let tariff = &mut ctx.accounts.tariff;
    let latest = &mut ctx.accounts.latest;
    latest.superseded_at = args.effective_from;
    emit!(TariffRevisionSuperseded {
        tariff: tariff_key,
        revision: latest.revision,
        superseded_at: args.effective_from,
        settles_until: args
            .effective_from
            .checked_add(i64::from(tariff.settlement_window_secs))
            .ok_or(PaymentsError::MathOverflow)?,
    });
    tariff.revision = tariff
        .revision
        .checked_add(1)
        .ok_or(PaymentsError::MathOverflow)?;
    tariff.effective_from = args.effective_from;
    tariff.intervals = args.intervals.clone();
    ctx.accounts.revision.set_inner(TariffRevision {
        bump: ctx.bumps.revision,
        tariff: tariff_key,
        revision: tariff.revision,
        effective_from: args.effective_from,
        superseded_at: i64::MAX,
        intervals: args.intervals,
        export_cap: args.export_cap,
        published_at: now,
        reserved: [0; 32],
    });
    emit!(TariffPublished {
        tariff: tariff_key,
        utility: tariff.utility,
        tariff_id: tariff.tariff_id,
        revision: tariff.revision,
        effective_from: tariff.effective_from,
    });
    Ok(())
}
