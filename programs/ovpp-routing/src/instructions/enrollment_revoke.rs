use anchor_lang::prelude::*;
use ovpp_registry::state::{Device, Partner};

use crate::constants::*;
use crate::errors::RoutingError;
use crate::events::EnrollmentChanged;
use crate::state::{require_claimed_owner, Enrollment, EnrollmentStatus, UtilityProgram};

#[derive(Accounts)]
pub struct EnrollmentRevoke<'info> {
    #[account(
        mut,
        seeds = [SEED_PROGRAM, program.utility.as_ref(), &program.program_id.to_le_bytes()],
        bump = program.bump,
    )]
    pub program: Box<Account<'info, UtilityProgram>>,
    /// The program's utility partner (its status is re-read when the utility signs).
    #[account(address = program.utility @ RoutingError::Unauthorized)]
    pub utility: Box<Account<'info, Partner>>,
    #[account(
        mut,
        seeds = [SEED_ENROLLMENT, program.key().as_ref(), device.key().as_ref()],
        bump = enrollment.bump,
        constraint = matches!(enrollment.status, EnrollmentStatus::Requested | EnrollmentStatus::Approved)
            @ RoutingError::InvalidEnrollmentStatus,
    )]
    pub enrollment: Box<Account<'info, Enrollment>>,
    pub device: Box<Account<'info, Device>>,
    /// The utility authority or the device owner (opt-out).
    pub authority: Signer<'info>,
}

impl EnrollmentRevoke<'_> {
    /// The program's (active) utility, or the device's claimed owner, who may always opt out.
    fn validate(&self) -> Result<()> {
        let signer = self.authority.key();
        if signer == self.program.authority {
            require!(
                self.utility.is_active_utility(),
                RoutingError::NotActiveUtility
            );
            Ok(())
        } else {
            require_claimed_owner(&self.device, &signer)
        }
    }
}

/// Ends an enrollment (utility or device owner); terminal. Its route stops resolving.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<EnrollmentRevoke>) -> Result<()> {
    let signer = ctx.accounts.authority.key();
    let now = Clock::get()?.unix_timestamp;
    let enrollment = &mut ctx.accounts.enrollment;
    if enrollment.status == EnrollmentStatus::Approved {
        let program = &mut ctx.accounts.program;
        program.enrolled = program
            .enrolled
            .checked_sub(1)
            .ok_or(RoutingError::MathOverflow)?;
    }
    enrollment.status = EnrollmentStatus::Revoked;
    enrollment.updated_at = now;
    emit!(EnrollmentChanged {
        enrollment: enrollment.key(),
        program: enrollment.program,
        device: enrollment.device,
        status: enrollment.status,
        by: signer,
        timestamp: now,
    });
    Ok(())
}
