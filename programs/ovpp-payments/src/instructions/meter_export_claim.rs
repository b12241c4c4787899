use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::ExportDebtPaid;
use crate::state::{pay_export_debt, PaymentsConfig, Tariff, TariffBinding};
use crate::token_ops::TokenCpi;

#[derive(Accounts)]
pub struct MeterExportClaim<'info> {
    #[account(seeds = [SEED_PAYMENTS], bump = config.bump, has_one = usde_mint @ PaymentsError::ConfigMismatch)]
    pub config: Box<Account<'info, PaymentsConfig>>,
    /// The tariff whose escrow owes the debt.
    #[account(
        seeds = [SEED_TARIFF, tariff.utility.as_ref(), &tariff.tariff_id.to_le_bytes()],
        bump = tariff.bump,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    /// The device's binding to the tariff, which records what the escrow owes to whom.
    #[account(
        mut,
        seeds = [SEED_BINDING, tariff.key().as_ref(), binding.device.as_ref()],
        bump = binding.bump,
        constraint = binding.owed_to(&owner_usde.owner) > 0 @ PaymentsError::NothingOwed,
    )]
    pub binding: Box<Account<'info, TariffBinding>>,
    #[account(mut, address = tariff.export_vault @ PaymentsError::ConfigMismatch)]
    pub export_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    /// A USDE account of the owner the escrow owes (the owner who earned the credit, also
    /// after the device changed hands).
    #[account(mut, token::mint = usde_mint)]
    pub owner_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_2022_program: Program<'info, Token2022>,
}

/// Pays what a tariff's escrow owes an owner for one device's exports once the utility has
/// refilled it (anyone may crank it; the money only goes to the owner who earned it).
pub fn handler(ctx: Context<MeterExportClaim>) -> Result<()> {
    let a = ctx.accounts;
    let owner = a.owner_usde.owner;
    let seeds = a.config.signer_seeds();
    let paid = pay_export_debt(
        &mut a.binding,
        &owner,
        &mut a.export_vault,
        &TokenCpi {
            token_program: a.token_2022_program.to_account_info(),
            authority: a.config.to_account_info(),
            signer: &[&seeds],
        },
        a.usde_mint.to_account_info(),
        a.owner_usde.to_account_info(),
    )?;
    require!(paid > 0, PaymentsError::InsufficientTreasury);
    emit!(ExportDebtPaid {
        binding: a.binding.key(),
        owner,
        paid,
        owed: a.binding.owed_to(&owner),
    });
    Ok(())
}
