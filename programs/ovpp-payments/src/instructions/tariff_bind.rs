use anchor_lang::prelude::*;
use ovpp_registry::state::Device;
use ovpp_routing::state::{Enrollment, EnrollmentStatus, UtilityProgram};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::TariffBound;
use crate::state::{ExportDebt, Tariff, TariffBinding};

#[derive(Accounts)]
pub struct TariffBind<'info> {
    #[account(
        seeds = [SEED_TARIFF, tariff.utility.as_ref(), &tariff.tariff_id.to_le_bytes()],
        bump = tariff.bump,
        has_one = authority @ PaymentsError::Unauthorized,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    /// The tariff's authority (the utility) puts the device on this tariff: an approved
    /// enrollment in one of its programs does not let a device pick any of its tariffs.
    pub authority: Signer<'info>,
    /// The registry device (owner-checked by `Account`).
    pub device: Box<Account<'info, Device>>,
    /// A program of the tariff's utility (owner-checked: the routing program's account).
    #[account(constraint = program.utility == tariff.utility @ PaymentsError::EnrollmentMismatch)]
    pub program: Box<Account<'info, UtilityProgram>>,
    /// The device's enrollment in that program, approved by the utility (owner-checked: the
    /// routing program only ever writes an `Enrollment` at `["enrollment", program, device]`
    /// of its own fields, so `validate` pins it by them).
    #[account(constraint = enrollment.status == EnrollmentStatus::Approved @ PaymentsError::NotEnrolled)]
    pub enrollment: Box<Account<'info, Enrollment>>,
    #[account(
        init,
        payer = payer,
        space = 8 + TariffBinding::INIT_SPACE,
        seeds = [SEED_BINDING, tariff.key().as_ref(), device.key().as_ref()],
        bump,
    )]
    pub binding: Box<Account<'info, TariffBinding>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl TariffBind<'_> {
    fn validate(&self) -> Result<()> {
        require!(
            self.enrollment.device == self.device.key()
                && self.enrollment.program == self.program.key(),
            PaymentsError::EnrollmentMismatch
        );
        Ok(())
    }
}

/// Lets a device settle against a tariff: the utility (the tariff's authority) opens the
/// binding for a device whose enrollment in one of its programs is approved (settlement
/// re-reads that enrollment every time, so revoking it stops settlement at once).
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<TariffBind>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let binding = &mut ctx.accounts.binding;
    binding.set_inner(TariffBinding {
        bump: ctx.bumps.binding,
        tariff: ctx.accounts.tariff.key(),
        device: ctx.accounts.device.key(),
        enrollment: ctx.accounts.enrollment.key(),
        program: ctx.accounts.program.key(),
        opened_at: now,
        cap_period: 0,
        credit_in_period: 0,
        total_export_credit: 0,
        total_export_paid: 0,
        debts: [ExportDebt::default(); MAX_EXPORT_DEBTS],
        reserved: [0; 32],
    });
    emit!(TariffBound {
        binding: binding.key(),
        tariff: binding.tariff,
        device: binding.device,
        enrollment: binding.enrollment,
        program: binding.program,
    });
    Ok(())
}
