use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{
    burn, transfer_checked, Burn, Mint, TokenAccount, TokenInterface, TransferChecked,
};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UsdeUnwrapped;
use crate::state::PaymentsConfig;

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

/// Burns USDE and pays the same amount of USDC out of the vault.
pub fn handler(ctx: Context<UsdeUnwrap>, args: UsdeUnwrapArgs) -> Result<()> {
    require!(args.amount > 0, PaymentsError::ZeroAmount);
    let a = ctx.accounts;
    burn(
        CpiContext::new(
            a.token_2022_program.to_account_info(),
            Burn {
                mint: a.usde_mint.to_account_info(),
                from: a.user_usde.to_account_info(),
                authority: a.user.to_account_info(),
            },
        ),
        args.amount,
    )?;
    let vault_before = a.usdc_vault.amount;
    let seeds: &[&[u8]] = &[SEED_PAYMENTS, &[a.config.bump]];
    transfer_checked(
        CpiContext::new_with_signer(
            a.usdc_token_program.to_account_info(),
            TransferChecked {
                from: a.usdc_vault.to_account_info(),
                mint: a.usdc_mint.to_account_info(),
                to: a.user_usdc.to_account_info(),
                authority: a.config.to_account_info(),
            },
            &[seeds],
        ),
        args.amount,
        TOKEN_DECIMALS,
    )?;
    a.usdc_vault.reload()?;
    a.usde_mint.reload()?;
    require!(
        Some(a.usdc_vault.amount) == vault_before.checked_sub(args.amount),
        PaymentsError::UnexpectedBalanceChange
    );
    require!(
        a.usde_mint.supply == a.usdc_vault.amount,
        PaymentsError::ReserveMismatch
    );
    emit!(UsdeUnwrapped {
        user: a.user.key(),
        amount: args.amount,
        supply: a.usde_mint.supply,
    });
    Ok(())
}
