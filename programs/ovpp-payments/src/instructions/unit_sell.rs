use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{
    burn, transfer_checked, Burn, Mint, TokenAccount, TransferChecked,
};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UnitsSold;
use crate::math::{bid_price, usde_for_units};
use crate::oracle::load_price;
use crate::state::{PaymentsConfig, UnitMarket};

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
    pub token_2022_program: Program<'info, Token2022>,
}

/// Burns units and pays USDE from the treasury at the oracle bid.
pub fn handler(ctx: Context<UnitSell>, args: UnitSellArgs) -> Result<()> {
    require!(args.unit_amount > 0, PaymentsError::ZeroAmount);
    let a = ctx.accounts;
    let price = load_price(&a.feed.to_account_info(), &a.market, &Clock::get()?)?;
    let bid = bid_price(price.value, price.std_dev, a.market.spread_bps)
        .ok_or(PaymentsError::ConfidenceTooWide)?;
    let usde = usde_for_units(args.unit_amount, bid).ok_or(PaymentsError::MathOverflow)?;
    require!(usde > 0, PaymentsError::ZeroOutput);
    require!(usde >= args.min_usde_out, PaymentsError::SlippageExceeded);
    require!(
        a.usde_treasury.amount >= usde,
        PaymentsError::InsufficientTreasury
    );

    burn(
        CpiContext::new(
            a.token_2022_program.to_account_info(),
            Burn {
                mint: a.unit_mint.to_account_info(),
                from: a.user_units.to_account_info(),
                authority: a.user.to_account_info(),
            },
        ),
        args.unit_amount,
    )?;
    let treasury_before = a.usde_treasury.amount;
    let seeds: &[&[u8]] = &[SEED_PAYMENTS, &[a.config.bump]];
    transfer_checked(
        CpiContext::new_with_signer(
            a.token_2022_program.to_account_info(),
            TransferChecked {
                from: a.usde_treasury.to_account_info(),
                mint: a.usde_mint.to_account_info(),
                to: a.user_usde.to_account_info(),
                authority: a.config.to_account_info(),
            },
            &[seeds],
        ),
        usde,
        TOKEN_DECIMALS,
    )?;
    a.usde_treasury.reload()?;
    require!(
        Some(a.usde_treasury.amount) == treasury_before.checked_sub(usde),
        PaymentsError::UnexpectedBalanceChange
    );
    emit!(UnitsSold {
        user: a.user.key(),
        kind: a.market.kind,
        units_in: args.unit_amount,
        usde_out: usde,
        oracle_value: i128::try_from(price.value).map_err(|_| PaymentsError::MathOverflow)?,
    });
    Ok(())
}
