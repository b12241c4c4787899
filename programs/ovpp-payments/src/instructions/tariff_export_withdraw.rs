use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::ExportEscrowWithdrawn;
use crate::state::{PaymentsConfig, Tariff};
use crate::token_ops::TokenCpi;

#[derive(Accounts)]
pub struct TariffExportWithdraw<'info> {
    #[account(seeds = [SEED_PAYMENTS], bump = config.bump, has_one = usde_mint @ PaymentsError::ConfigMismatch)]
    pub config: Box<Account<'info, PaymentsConfig>>,
    #[account(
        mut,
        seeds = [SEED_TARIFF, tariff.utility.as_ref(), &tariff.tariff_id.to_le_bytes()],
        bump = tariff.bump,
        has_one = authority @ PaymentsError::Unauthorized,
        has_one = treasury @ PaymentsError::ConfigMismatch,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    pub authority: Signer<'info>,
    #[account(mut, address = tariff.export_vault @ PaymentsError::ConfigMismatch)]
    pub export_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The tariff's treasury receives the escrow back.
    #[account(mut, token::mint = usde_mint)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl TariffExportWithdraw<'_> {
    fn validate(&self) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        require!(
            self.tariff.withdraw_amount > 0 && now >= self.tariff.withdraw_ready_at,
            PaymentsError::WithdrawalNotReady
        );
        Ok(())
    }
}

/// Executes a withdrawal announced at least `EXPORT_WITHDRAW_NOTICE_SECS` ago: moves up to
/// the requested amount (what the escrow holds) to the tariff's treasury.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<TariffExportWithdraw>) -> Result<()> {
    let a = ctx.accounts;
    let amount = a.tariff.withdraw_amount.min(a.export_vault.amount);
    require!(amount > 0, PaymentsError::ZeroAmount);
    let seeds = a.config.signer_seeds();
    TokenCpi {
        token_program: a.token_2022_program.to_account_info(),
        authority: a.config.to_account_info(),
        signer: &[&seeds],
    }
    .transfer_out_exact(
        &mut a.export_vault,
        a.usde_mint.to_account_info(),
        a.treasury.to_account_info(),
        amount,
    )?;
    a.tariff.withdraw_amount = 0;
    a.tariff.withdraw_ready_at = 0;
    emit!(ExportEscrowWithdrawn {
        tariff: a.tariff.key(),
        amount,
        balance: a.export_vault.amount,
    });
    Ok(())
}
