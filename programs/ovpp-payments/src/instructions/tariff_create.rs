use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use ovpp_registry::state::{Partner, PartnerKind, PartnerStatus};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::TariffPublished;
use crate::state::{validate_intervals, PaymentsConfig, Tariff, TariffInterval};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct TariffCreateArgs {
    pub tariff_id: u32,
    pub effective_from: i64,
    pub intervals: Vec<TariffInterval>,
}

#[derive(Accounts)]
#[instruction(args: TariffCreateArgs)]
pub struct TariffCreate<'info> {
    #[account(seeds = [SEED_PAYMENTS], bump = config.bump)]
    pub config: Box<Account<'info, PaymentsConfig>>,
    /// The utility's registry partner account (owner-checked by `Account`).
    #[account(
        constraint = utility.authority == authority.key() @ PaymentsError::Unauthorized,
        constraint = utility.kind == PartnerKind::Utility
            && utility.status == PartnerStatus::Active @ PaymentsError::NotActiveUtility,
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
    /// The utility's USDE account that receives settlements.
    #[account(token::mint = config.usde_mint)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

/// Publishes a utility's time-of-use tariff (revision 1).
pub fn handler(ctx: Context<TariffCreate>, args: TariffCreateArgs) -> Result<()> {
    validate_intervals(&args.intervals)?;
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
    tariff.reserved = [0; 64];
    emit!(TariffPublished {
        tariff: tariff.key(),
        utility: tariff.utility,
        tariff_id: tariff.tariff_id,
        revision: tariff.revision,
        effective_from: tariff.effective_from,
    });
    Ok(())
}
