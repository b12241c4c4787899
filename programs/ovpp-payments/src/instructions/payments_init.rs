use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::PaymentsInitialized;
use crate::state::PaymentsConfig;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PaymentsInitArgs {
    /// Administers markets and the pause switch.
    pub authority: Pubkey,
}

#[derive(Accounts)]
pub struct PaymentsInit<'info> {
    #[account(
        init,
        payer = payer,
        space = 8 + PaymentsConfig::INIT_SPACE,
        seeds = [SEED_PAYMENTS],
        bump,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    #[account(
        mint::token_program = usdc_token_program,
        constraint = usdc_mint.decimals == TOKEN_DECIMALS @ PaymentsError::InvalidDecimals,
    )]
    pub usdc_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_USDE_MINT],
        bump,
        mint::decimals = TOKEN_DECIMALS,
        mint::authority = config,
        mint::token_program = token_2022_program,
    )]
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_VAULT],
        bump,
        token::mint = usdc_mint,
        token::authority = config,
        token::token_program = usdc_token_program,
    )]
    pub usdc_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_TREASURY],
        bump,
        token::mint = usde_mint,
        token::authority = config,
        token::token_program = token_2022_program,
    )]
    pub usde_treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    /// SPL Token or Token-2022, whichever owns the USDC mint.
    pub usdc_token_program: Interface<'info, TokenInterface>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

/// Creates the USDE mint (Token-2022), its USDC vault and the unit-market treasury.
pub fn handler(ctx: Context<PaymentsInit>, args: PaymentsInitArgs) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.version = 1;
    config.bump = ctx.bumps.config;
    config.usde_mint_bump = ctx.bumps.usde_mint;
    config.vault_bump = ctx.bumps.usdc_vault;
    config.treasury_bump = ctx.bumps.usde_treasury;
    config.paused = false;
    config.authority = args.authority;
    config.usdc_mint = ctx.accounts.usdc_mint.key();
    config.usdc_token_program = ctx.accounts.usdc_token_program.key();
    config.usde_mint = ctx.accounts.usde_mint.key();
    config.usdc_vault = ctx.accounts.usdc_vault.key();
    config.usde_treasury = ctx.accounts.usde_treasury.key();
    config.reserved = [0; 64];
    emit!(PaymentsInitialized {
        config: config.key(),
        authority: args.authority,
        usdc_mint: config.usdc_mint,
        usde_mint: config.usde_mint,
    });
    Ok(())
}
