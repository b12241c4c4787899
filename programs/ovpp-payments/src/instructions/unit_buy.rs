use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UnitsBought;
use crate::instructions::shared::unit_trade::{quote, require_trade, Side};
use crate::state::{PaymentsConfig, UnitMarket};
use crate::token_ops::TokenCpi;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct UnitBuyArgs {
    /// USDE paid (raw, 6 decimals).
    pub usde_amount: u64,
    /// Fewest units the caller accepts (slippage bound).
    pub min_units_out: u64,
}

#[derive(Accounts)]
pub struct UnitBuy<'info> {
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
    #[account(mut, token::mint = usde_mint, token::authority = user)]
    pub user_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub usde_treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the units: an account of the unit mint whose owner is a participant.
    #[account(mut, token::mint = unit_mint)]
    pub user_units: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["partner", user_units.owner]` in the registry; verified by `require_participant`.
    pub recipient_partner: UncheckedAccount<'info>,
    /// CHECK: `["member", user_units.owner]` in the registry; verified by `require_participant`.
    pub recipient_member: UncheckedAccount<'info>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl UnitBuy<'_> {
    fn validate(&self, args: &UnitBuyArgs) -> Result<()> {
        require_trade(
            args.usde_amount,
            &self.user_units.owner,
            &self.recipient_partner,
            &self.recipient_member,
        )
    }
}

/// Pays USDE into the treasury (as this market's backing) and mints units at the oracle ask.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<UnitBuy>, args: UnitBuyArgs) -> Result<()> {
    let a = ctx.accounts;
    let trade = quote(
        &a.feed.to_account_info(),
        &a.market,
        Side::Buy,
        args.usde_amount,
    )?;
    require!(
        trade.out >= args.min_units_out,
        PaymentsError::SlippageExceeded
    );

    TokenCpi {
        token_program: a.token_2022_program.to_account_info(),
        authority: a.user.to_account_info(),
        signer: &[],
    }
    .transfer_exact(
        a.user_usde.to_account_info(),
        a.usde_mint.to_account_info(),
        &mut a.usde_treasury,
        args.usde_amount,
    )?;
    a.market.add_backing(args.usde_amount)?;
    let seeds = a.config.signer_seeds();
    TokenCpi {
        token_program: a.token_2022_program.to_account_info(),
        authority: a.config.to_account_info(),
        signer: &[&seeds],
    }
    .mint_exact(&mut a.unit_mint, a.user_units.to_account_info(), trade.out)?;
    emit!(UnitsBought {
        user: a.user.key(),
        kind: a.market.kind,
        usde_in: args.usde_amount,
        units_out: trade.out,
        oracle_value: trade.oracle_value,
    });
    Ok(())
}
