use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{
    mint_to, transfer_checked, Mint, MintTo, TokenAccount, TransferChecked,
};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UnitsBought;
use crate::math::{ask_price, units_for_usde};
use crate::oracle::load_price;
use crate::state::{PaymentsConfig, UnitMarket};

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
    /// Receives the units (any account of the unit mint).
    #[account(mut, token::mint = unit_mint)]
    pub user_units: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_2022_program: Program<'info, Token2022>,
}

/// Pays USDE into the treasury and mints units at the oracle ask.
pub fn handler(ctx: Context<UnitBuy>, args: UnitBuyArgs) -> Result<()> {
    require!(args.usde_amount > 0, PaymentsError::ZeroAmount);
    let a = ctx.accounts;
    let price = load_price(&a.feed.to_account_info(), &a.market, &Clock::get()?)?;
    let ask = ask_price(price.value, price.std_dev, a.market.spread_bps)
        .ok_or(PaymentsError::MathOverflow)?;
    let units = units_for_usde(args.usde_amount, ask).ok_or(PaymentsError::MathOverflow)?;
    require!(units > 0, PaymentsError::ZeroOutput);
    require!(units >= args.min_units_out, PaymentsError::SlippageExceeded);

    let treasury_before = a.usde_treasury.amount;
    transfer_checked(
        CpiContext::new(
            a.token_2022_program.to_account_info(),
            TransferChecked {
                from: a.user_usde.to_account_info(),
                mint: a.usde_mint.to_account_info(),
                to: a.usde_treasury.to_account_info(),
                authority: a.user.to_account_info(),
            },
        ),
        args.usde_amount,
        TOKEN_DECIMALS,
    )?;
    a.usde_treasury.reload()?;
    require!(
        Some(a.usde_treasury.amount) == treasury_before.checked_add(args.usde_amount),
        PaymentsError::UnexpectedBalanceChange
    );
    let seeds: &[&[u8]] = &[SEED_PAYMENTS, &[a.config.bump]];
    mint_to(
        CpiContext::new_with_signer(
            a.token_2022_program.to_account_info(),
            MintTo {
                mint: a.unit_mint.to_account_info(),
                to: a.user_units.to_account_info(),
                authority: a.config.to_account_info(),
            },
            &[seeds],
        ),
        units,
    )?;
    emit!(UnitsBought {
        user: a.user.key(),
        kind: a.market.kind,
        usde_in: args.usde_amount,
        units_out: units,
        oracle_value: i128::try_from(price.value).map_err(|_| PaymentsError::MathOverflow)?,
    });
    Ok(())
}
