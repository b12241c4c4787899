use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::ExportEscrowFunded;
use crate::state::{PaymentsConfig, Tariff};
use crate::token_ops::TokenCpi;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct TariffExportFundArgs {
    /// USDE (raw) added to the escrow.
    pub amount: u64,
}

#[derive(Accounts)]
pub struct TariffExportFund<'info> {
    #[account(seeds = [SEED_PAYMENTS], bump = config.bump, has_one = usde_mint @ PaymentsError::ConfigMismatch)]
    pub config: Box<Account<'info, PaymentsConfig>>,
    #[account(
        seeds = [SEED_TARIFF, tariff.utility.as_ref(), &tariff.tariff_id.to_le_bytes()],
        bump = tariff.bump,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    #[account(mut, address = tariff.export_vault @ PaymentsError::ConfigMismatch)]
    pub export_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The funder's USDE account (usually the utility's treasury).
    #[account(mut, token::mint = usde_mint, token::authority = funder)]
    pub funding: Box<InterfaceAccount<'info, TokenAccount>>,
    pub funder: Signer<'info>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl TariffExportFund<'_> {
    fn validate(&self, args: &TariffExportFundArgs) -> Result<()> {
        require!(args.amount > 0, PaymentsError::ZeroAmount);
        Ok(())
    }
}

/// Adds USDE to a tariff's export escrow, from which exports are paid (debts first).
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<TariffExportFund>, args: TariffExportFundArgs) -> Result<()> {
    let a = ctx.accounts;
    TokenCpi {
        token_program: a.token_2022_program.to_account_info(),
        authority: a.funder.to_account_info(),
        signer: &[],
    }
    .transfer_exact(
        a.funding.to_account_info(),
        a.usde_mint.to_account_info(),
        &mut a.export_vault,
        args.amount,
    )?;
    emit!(ExportEscrowFunded {
        tariff: a.tariff.key(),
        amount: args.amount,
        balance: a.export_vault.amount,
    });
    Ok(())
}
