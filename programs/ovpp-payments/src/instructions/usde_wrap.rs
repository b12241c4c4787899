use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{
    mint_to, transfer_checked, Mint, MintTo, TokenAccount, TokenInterface, TransferChecked,
};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::UsdeWrapped;
use crate::state::PaymentsConfig;

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

/// Deposits USDC into the vault and mints the same amount of USDE.
pub fn handler(ctx: Context<UsdeWrap>, args: UsdeWrapArgs) -> Result<()> {
    require!(args.amount > 0, PaymentsError::ZeroAmount);
    let a = ctx.accounts;
    let vault_before = a.usdc_vault.amount;
    transfer_checked(
        CpiContext::new(
            a.usdc_token_program.to_account_info(),
            TransferChecked {
                from: a.user_usdc.to_account_info(),
                mint: a.usdc_mint.to_account_info(),
                to: a.usdc_vault.to_account_info(),
                authority: a.user.to_account_info(),
            },
        ),
        args.amount,
        TOKEN_DECIMALS,
    )?;
    a.usdc_vault.reload()?;
    // A fee-bearing or hooked USDC must not make USDE under-collateralised.
    require!(
        Some(a.usdc_vault.amount) == vault_before.checked_add(args.amount),
        PaymentsError::UnexpectedBalanceChange
    );

    let seeds: &[&[u8]] = &[SEED_PAYMENTS, &[a.config.bump]];
    mint_to(
        CpiContext::new_with_signer(
            a.token_2022_program.to_account_info(),
            MintTo {
                mint: a.usde_mint.to_account_info(),
                to: a.user_usde.to_account_info(),
                authority: a.config.to_account_info(),
            },
            &[seeds],
        ),
        args.amount,
    )?;
    a.usde_mint.reload()?;
    require!(
        a.usde_mint.supply == a.usdc_vault.amount,
        PaymentsError::ReserveMismatch
    );
    emit!(UsdeWrapped {
        user: a.user.key(),
        amount: args.amount,
        supply: a.usde_mint.supply,
    });
    Ok(())
}
