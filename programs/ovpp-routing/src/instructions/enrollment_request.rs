use anchor_lang::prelude::*;
use ovpp_registry::state::{Device, Partner, Status};

use crate::constants::*;
use crate::errors::RoutingError;
use crate::events::EnrollmentChanged;
use crate::state::{require_claimed_owner, Enrollment, EnrollmentStatus, UtilityProgram};

#[derive(Accounts)]
pub struct EnrollmentRequest<'info> {
    #[account(
        seeds = [SEED_PROGRAM, program.utility.as_ref(), &program.program_id.to_le_bytes()],
        bump = program.bump,
        constraint = program.open @ RoutingError::ProgramClosed,
    )]
    pub program: Box<Account<'info, UtilityProgram>>,
    #[account(constraint = device.status == Status::Active @ RoutingError::DeviceNotActive)]
    pub device: Box<Account<'info, Device>>,
    /// The device's vendor (its authority may enroll on the owner's behalf).
    #[account(address = device.vendor @ RoutingError::Unauthorized)]
    pub vendor: Box<Account<'info, Partner>>,
    /// The device owner or the vendor's authority.
    pub requester: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + Enrollment::INIT_SPACE,
        seeds = [SEED_ENROLLMENT, program.key().as_ref(), device.key().as_ref()],
        bump,
    )]
    pub enrollment: Box<Account<'info, Enrollment>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl EnrollmentRequest<'_> {
    /// The device's vendor (while active) or its claimed owner asks.
    fn validate(&self) -> Result<()> {
        let requester = self.requester.key();
        if requester == self.vendor.authority {
            require!(
                self.vendor.status == Status::Active,
                RoutingError::VendorNotActive
            );
            Ok(())
        } else {
            require_claimed_owner(&self.device, &requester)
        }
    }
}

/// Asks to enroll a device in a program; the utility approves or rejects.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<EnrollmentRequest>) -> Result<()> {
    let requester = ctx.accounts.requester.key();
    let now = Clock::get()?.unix_timestamp;
    let enrollment = &mut ctx.accounts.enrollment;
    enrollment.bump = ctx.bumps.enrollment;
    enrollment.status = EnrollmentStatus::Requested;
    enrollment.program = ctx.accounts.program.key();
    enrollment.device = ctx.accounts.device.key();
    enrollment.requested_by = requester;
    enrollment.requested_at = now;
    enrollment.updated_at = now;
    enrollment.reserved = [0; 32];
    emit!(EnrollmentChanged {
        enrollment: enrollment.key(),
        program: enrollment.program,
        device: enrollment.device,
        status: enrollment.status,
        by: requester,
        timestamp: now,
    });
    Ok(())
}
