use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use ovpp_registry::state::Partner;

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::TariffPublished;
use crate::state::{
    validate_export_cap, validate_interval_secs, validate_intervals, validate_settlement_window,
    ExportCap, PaymentsConfig, Tariff, TariffInterval, TariffRevision,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct TariffCreateArgs {
    pub tariff_id: u32,
    pub effective_from: i64,
    pub intervals: Vec<TariffInterval>,
    /// Length of one metering interval, seconds (300..=86400, dividing a day).
    pub interval_secs: u32,
    /// How long a revision still settles after the next takes over, and a previous owner's
    /// readings after a sale (1..=90 days).
    pub settlement_window_secs: u32,
    /// Export-credit cap per device and period of revision 1.
    pub export_cap: ExportCap,
}

#[derive(Accounts)]
#[instruction(args: TariffCreateArgs)]
pub struct TariffCreate<'info> {
    #[account(seeds = [SEED_PAYMENTS], bump = config.bump, has_one = usde_mint @ PaymentsError::ConfigMismatch)]
    pub config: Box<Account<'info, PaymentsConfig>>,
    /// The utility's registry partner account (owner-checked by `Account`).
    #[account(
        constraint = utility.authority == authority.key() @ PaymentsError::Unauthorized,
        constraint = utility.is_active_utility() @ PaymentsError::NotActiveUtility,
    )]
    pub utility: Box<Account<'info, Partner>>,
    pub authority: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + Tariff::INIT_SPACE,
        seeds = [SEED_TARIFF, utility.key().as_ref(), &args.tariff_id.to_le_bytes()],
        bump,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    /// Revision 1.
    #[account(
        init,
        payer = payer,
        space = 8 + TariffRevision::INIT_SPACE,
        seeds = [SEED_TARIFF_REVISION, tariff.key().as_ref(), &1u32.to_le_bytes()],
        bump,
    )]
    pub revision: Box<Account<'info, TariffRevision>>,
    /// The utility's USDE account that receives settlements.
    #[account(token::mint = usde_mint, token::token_program = token_2022_program)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    /// USDE escrow paying the owners of exporting devices; the utility funds it.
    #[account(
        init,
        payer = payer,
        seeds = [SEED_EXPORT_VAULT, tariff.key().as_ref()],
        bump,
        token::mint = usde_mint,
        token::authority = config,
        token::token_program = token_2022_program,
    )]
    pub export_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

impl TariffCreate<'_> {
    fn validate(&self, args: &TariffCreateArgs) -> Result<()> {
        validate_intervals(&args.intervals)?;
        validate_interval_secs(args.interval_secs)?;
        validate_settlement_window(args.settlement_window_secs)?;
        validate_export_cap(&args.export_cap, args.interval_secs)
    }
}

/// Publishes a utility's time-of-use tariff (revision 1) with its export escrow.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<TariffCreate>, args: TariffCreateArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let tariff_key = ctx.accounts.tariff.key();
    ctx.accounts.revision.set_inner(TariffRevision {
        bump: ctx.bumps.revision,
        tariff: tariff_key,
        revision: 1,
        effective_from: args.effective_from,
        superseded_at: i64::MAX,
        intervals: args.intervals.clone(),
        export_cap: args.export_cap,
        published_at: now,
        reserved: [0; 32],
    });
    let tariff = &mut ctx.accounts.tariff;
    tariff.version = 1;
    tariff.bump = ctx.bumps.tariff;
    tariff.utility = ctx.accounts.utility.key();
    tariff.authority = ctx.accounts.authority.key();
    tariff.tariff_id = args.tariff_id;
    tariff.revision = 1;
    tariff.treasury = ctx.accounts.treasury.key();
    tariff.effective_from = args.effective_from;
    tariff.intervals = args.intervals;
    tariff.interval_secs = args.interval_secs;
    tariff.settlement_window_secs = args.settlement_window_secs;
    tariff.export_vault = ctx.accounts.export_vault.key();
    tariff.export_vault_bump = ctx.bumps.export_vault;
    tariff.withdraw_amount = 0;
    tariff.withdraw_ready_at = 0;
    tariff.reserved = [0; 48];
    emit!(TariffPublished {
        tariff: tariff.key(),
        utility: tariff.utility,
        tariff_id: tariff.tariff_id,
        revision: tariff.revision,
        effective_from: tariff.effective_from,
    });
    Ok(())
}
