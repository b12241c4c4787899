use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UnitsSold;
use crate::instructions::shared::unit_trade::{quote, require_trade, Side};
use crate::state::{PaymentsConfig, UnitMarket};
use crate::token_ops::TokenCpi;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct UnitSellArgs {
    /// Units burned (raw, 6 decimals).
    pub unit_amount: u64,
    /// Least USDE the caller accepts (slippage bound).
    pub min_usde_out: u64,
}

#[derive(Accounts)]
pub struct UnitSell<'info> {
    #[account(
        seeds = [SEED_PAYMENTS],
        bump = config.bump,
        has_one = usde_mint @ PaymentsError::ConfigMismatch,
        has_one = usde_treasury @ PaymentsError::ConfigMismatch,
        constraint = !config.paused @ PaymentsError::Paused,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    #[account(
        mut,
        seeds = [SEED_MARKET, market.kind.seed()],
        bump = market.bump,
        constraint = market.mint == unit_mint.key() @ PaymentsError::ConfigMismatch,
    )]
    pub market: Box<Account<'info, UnitMarket>>,
    /// CHECK: verified by `load_price` (address = market.feed, Switchboard owner, pull-feed
    /// discriminator, staleness, samples, sign and confidence).
    pub feed: UncheckedAccount<'info>,
    pub user: Signer<'info>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, mint::token_program = token_2022_program)]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, token::mint = unit_mint, token::authority = user)]
    pub user_units: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub usde_treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the USDE (any USDE account).
    #[account(mut, token::mint = usde_mint)]
    pub user_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["partner", user]` in the registry; verified by `require_participant`.
    pub user_partner: UncheckedAccount<'info>,
    /// CHECK: `["member", user]` in the registry; verified by `require_participant`.
    pub user_member: UncheckedAccount<'info>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl UnitSell<'_> {
    fn validate(&self, args: &UnitSellArgs) -> Result<()> {
        require_trade(
            args.unit_amount,
            &self.user.key(),
            &self.user_partner,
            &self.user_member,
        )
    }
}

/// Burns units and pays USDE from the treasury at the oracle bid, out of this market's
/// backing only.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<UnitSell>, args: UnitSellArgs) -> Result<()> {
    let a = ctx.accounts;
    let trade = quote(
        &a.feed.to_account_info(),
        &a.market,
        Side::Sell,
        args.unit_amount,
    )?;
    require!(
        trade.out >= args.min_usde_out,
        PaymentsError::SlippageExceeded
    );
    let usde = trade.out;
    a.market.take_backing(usde)?;
    require!(
        a.usde_treasury.amount >= usde,
        PaymentsError::InsufficientTreasury
    );

    TokenCpi {
        token_program: a.token_2022_program.to_account_info(),
        authority: a.user.to_account_info(),
        signer: &[],
    }
    .burn_exact(
        &mut a.unit_mint,
        a.user_units.to_account_info(),
        args.unit_amount,
    )?;
    let seeds = a.config.signer_seeds();
    TokenCpi {
        token_program: a.token_2022_program.to_account_info(),
        authority: a.config.to_account_info(),
        signer: &[&seeds],
    }
    .transfer_out_exact(
        &mut a.usde_treasury,
        a.usde_mint.to_account_info(),
        a.user_usde.to_account_info(),
        usde,
    )?;
    emit!(UnitsSold {
        user: a.user.key(),
        kind: a.market.kind,
        units_in: args.unit_amount,
        usde_out: usde,
        oracle_value: trade.oracle_value,
    });
    Ok(())
}
