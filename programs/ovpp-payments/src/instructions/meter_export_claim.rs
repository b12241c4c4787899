use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use ovpp_registry::state::Device;

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::ExportDebtPaid;
use crate::state::{pay_export_owed, Meter, PaymentsConfig, Tariff};
use crate::token_ops::TokenCpi;

#[derive(Accounts)]
pub struct MeterExportClaim<'info> {
    #[account(seeds = [SEED_PAYMENTS], bump = config.bump, has_one = usde_mint @ PaymentsError::ConfigMismatch)]
    pub config: Box<Account<'info, PaymentsConfig>>,
    #[account(constraint = device.owner != Pubkey::default() @ PaymentsError::DeviceUnclaimed)]
    pub device: Box<Account<'info, Device>>,
    #[account(
        mut,
        seeds = [SEED_METER, device.key().as_ref()],
        bump = meter.bump,
        has_one = device @ PaymentsError::ConfigMismatch,
        constraint = meter.export_owed > 0 @ PaymentsError::NothingOwed,
    )]
    pub meter: Box<Account<'info, Meter>>,
    /// The tariff whose escrow owes the debt.
    #[account(address = meter.export_tariff @ PaymentsError::ConfigMismatch)]
    pub tariff: Box<Account<'info, Tariff>>,
    #[account(mut, address = tariff.export_vault @ PaymentsError::ConfigMismatch)]
    pub export_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The device owner's USDE account.
    #[account(mut, token::mint = usde_mint, token::authority = device.owner)]
    pub owner_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_2022_program: Program<'info, Token2022>,
}

/// Pays a meter's outstanding export debt from its tariff's escrow once the utility has
/// refilled it (anyone may crank it; the money only goes to the device owner).
pub fn handler(ctx: Context<MeterExportClaim>) -> Result<()> {
    let a = ctx.accounts;
    let seeds: &[&[u8]] = &[SEED_PAYMENTS, &[a.config.bump]];
    let paid = pay_export_owed(
        &mut a.meter,
        &mut a.export_vault,
        &TokenCpi {
            token_program: a.token_2022_program.to_account_info(),
            authority: a.config.to_account_info(),
            signer: &[seeds],
        },
        a.usde_mint.to_account_info(),
        a.owner_usde.to_account_info(),
    )?;
    require!(paid > 0, PaymentsError::InsufficientTreasury);
    emit!(ExportDebtPaid {
        meter: a.meter.key(),
        owner: a.device.owner,
        paid,
        owed: a.meter.export_owed,
    });
    Ok(())
}
