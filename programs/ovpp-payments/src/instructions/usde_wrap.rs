use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UsdeWrapped;
use crate::state::PaymentsConfig;
use crate::token_ops::TokenCpi;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct UsdeWrapArgs {
    /// USDC in (raw, 6 decimals); the same amount of USDE comes out.
    pub amount: u64,
}

#[derive(Accounts)]
pub struct UsdeWrap<'info> {
    #[account(
        seeds = [SEED_PAYMENTS],
        bump = config.bump,
        has_one = usdc_mint @ PaymentsError::ConfigMismatch,
        has_one = usde_mint @ PaymentsError::ConfigMismatch,
        has_one = usdc_vault @ PaymentsError::ConfigMismatch,
        constraint = !config.paused @ PaymentsError::Paused,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    pub user: Signer<'info>,
    #[account(mint::token_program = usdc_token_program)]
    pub usdc_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, mint::token_program = token_2022_program)]
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        token::mint = usdc_mint,
        token::authority = user,
        token::token_program = usdc_token_program,
    )]
    pub user_usdc: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the USDE (any USDE account).
    #[account(mut, token::mint = usde_mint, token::token_program = token_2022_program)]
    pub user_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub usdc_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.usdc_token_program @ PaymentsError::ConfigMismatch)]
    pub usdc_token_program: Interface<'info, TokenInterface>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl UsdeWrap<'_> {
    fn validate(&self, args: &UsdeWrapArgs) -> Result<()> {
        require!(args.amount > 0, PaymentsError::ZeroAmount);
        Ok(())
    }
}

/// Deposits USDC into the vault and mints the same amount of USDE.
///
/// Checks only what this instruction controls: the vault grows by exactly `amount`, the supply
/// grows by exactly `amount`, and afterwards the vault still covers the supply. A donation to
/// the vault or a burn of USDE elsewhere only adds surplus; it can never block a wrap.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<UsdeWrap>, args: UsdeWrapArgs) -> Result<()> {
    let a = ctx.accounts;
    TokenCpi {
        token_program: a.usdc_token_program.to_account_info(),
        authority: a.user.to_account_info(),
        signer: &[],
    }
    .transfer_exact(
        a.user_usdc.to_account_info(),
        a.usdc_mint.to_account_info(),
        &mut a.usdc_vault,
        args.amount,
    )?;
    let seeds = a.config.signer_seeds();
    TokenCpi {
        token_program: a.token_2022_program.to_account_info(),
        authority: a.config.to_account_info(),
        signer: &[&seeds],
    }
    .mint_exact(&mut a.usde_mint, a.user_usde.to_account_info(), args.amount)?;
    require!(
        a.usdc_vault.amount >= a.usde_mint.supply,
        PaymentsError::ReserveShortfall
    );
    emit!(UsdeWrapped {
        user: a.user.key(),
        amount: args.amount,
        supply: a.usde_mint.supply,
    });
    Ok(())
}
