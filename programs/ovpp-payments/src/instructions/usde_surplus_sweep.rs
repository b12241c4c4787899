use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UsdeSurplusSwept;
use crate::state::PaymentsConfig;
use crate::token_ops::TokenCpi;

#[derive(Accounts)]
pub struct UsdeSurplusSweep<'info> {
    #[account(
        seeds = [SEED_PAYMENTS],
        bump = config.bump,
        has_one = authority @ PaymentsError::Unauthorized,
        has_one = usdc_mint @ PaymentsError::ConfigMismatch,
        has_one = usde_mint @ PaymentsError::ConfigMismatch,
        has_one = usdc_vault @ PaymentsError::ConfigMismatch,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    pub authority: Signer<'info>,
    #[account(mint::token_program = usdc_token_program)]
    pub usdc_mint: Box<InterfaceAccount<'info, Mint>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub usdc_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the surplus USDC.
    #[account(mut, token::mint = usdc_mint, token::token_program = usdc_token_program)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.usdc_token_program @ PaymentsError::ConfigMismatch)]
    pub usdc_token_program: Interface<'info, TokenInterface>,
}

/// Moves USDC the vault holds beyond the USDE supply (donations, USDE burned outside
/// `usde_unwrap`) to `destination`. The vault keeps exactly the supply's cover.
pub fn handler(ctx: Context<UsdeSurplusSweep>) -> Result<()> {
    let a = ctx.accounts;
    let surplus = a
        .usdc_vault
        .amount
        .checked_sub(a.usde_mint.supply)
        .filter(|s| *s > 0)
        .ok_or(PaymentsError::NoSurplus)?;
    let seeds = a.config.signer_seeds();
    TokenCpi {
        token_program: a.usdc_token_program.to_account_info(),
        authority: a.config.to_account_info(),
        signer: &[&seeds],
    }
    .transfer_out_exact(
        &mut a.usdc_vault,
        a.usdc_mint.to_account_info(),
        a.destination.to_account_info(),
        surplus,
    )?;
    require!(
        a.usdc_vault.amount >= a.usde_mint.supply,
        PaymentsError::ReserveShortfall
    );
    emit!(UsdeSurplusSwept {
        destination: a.destination.key(),
        amount: surplus,
        supply: a.usde_mint.supply,
    });
    Ok(())
}
