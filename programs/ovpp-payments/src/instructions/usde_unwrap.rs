use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UsdeUnwrapped;
use crate::state::PaymentsConfig;
use crate::token_ops::TokenCpi;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct UsdeUnwrapArgs {
    /// USDE burned (raw); the same amount of USDC is paid out.
    pub amount: u64,
}

#[derive(Accounts)]
pub struct UsdeUnwrap<'info> {
    /// Unwrapping stays open while paused: holders can always exit.
    #[account(
        seeds = [SEED_PAYMENTS],
        bump = config.bump,
        has_one = usdc_mint @ PaymentsError::ConfigMismatch,
        has_one = usde_mint @ PaymentsError::ConfigMismatch,
        has_one = usdc_vault @ PaymentsError::ConfigMismatch,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    pub user: Signer<'info>,
    #[account(mint::token_program = usdc_token_program)]
    pub usdc_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, mint::token_program = token_2022_program)]
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        token::mint = usde_mint,
        token::authority = user,
        token::token_program = token_2022_program,
    )]
    pub user_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the USDC (any USDC account).
    #[account(mut, token::mint = usdc_mint, token::token_program = usdc_token_program)]
    pub user_usdc: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub usdc_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.usdc_token_program @ PaymentsError::ConfigMismatch)]
    pub usdc_token_program: Interface<'info, TokenInterface>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl UsdeUnwrap<'_> {
    fn validate(&self, args: &UsdeUnwrapArgs) -> Result<()> {
        require!(args.amount > 0, PaymentsError::ZeroAmount);
        Ok(())
    }
}

/// Burns USDE and pays the same amount of USDC out of the vault.
///
/// Never paused and never conditioned on a balance a third party can move: it burns exactly
/// `amount` and pays exactly `amount`, so the vault's cover of the supply is unchanged.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<UsdeUnwrap>, args: UsdeUnwrapArgs) -> Result<()> {
    let a = ctx.accounts;
    TokenCpi {
        token_program: a.token_2022_program.to_account_info(),
        authority: a.user.to_account_info(),
        signer: &[],
    }
    .burn_exact(&mut a.usde_mint, a.user_usde.to_account_info(), args.amount)?;
    let seeds = a.config.signer_seeds();
    TokenCpi {
        token_program: a.usdc_token_program.to_account_info(),
        authority: a.config.to_account_info(),
        signer: &[&seeds],
    }
    .transfer_out_exact(
        &mut a.usdc_vault,
        a.usdc_mint.to_account_info(),
        a.user_usdc.to_account_info(),
        args.amount,
    )?;
    emit!(UsdeUnwrapped {
        user: a.user.key(),
        amount: args.amount,
        supply: a.usde_mint.supply,
    });
    Ok(())
}
