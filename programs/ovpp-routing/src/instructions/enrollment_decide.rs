use anchor_lang::prelude::*;
use ovpp_registry::state::{Device, Partner, Status};

use crate::constants::*;
use crate::errors::RoutingError;
use crate::events::EnrollmentChanged;
use crate::state::{Enrollment, EnrollmentStatus, UtilityProgram};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct EnrollmentDecideArgs {
    /// Approve (true) or reject (false) a requested enrollment.
    pub approve: bool,
}

#[derive(Accounts)]
pub struct EnrollmentDecide<'info> {
    #[account(
        mut,
        seeds = [SEED_PROGRAM, program.utility.as_ref(), &program.program_id.to_le_bytes()],
        bump = program.bump,
        has_one = authority @ RoutingError::Unauthorized,
    )]
    pub program: Box<Account<'info, UtilityProgram>>,
    /// The program's utility partner: re-read so a suspended or revoked utility cannot act.
    #[account(
        constraint = utility.key() == program.utility @ RoutingError::Unauthorized,
        constraint = utility.is_active_utility() @ RoutingError::NotActiveUtility,
    )]
    pub utility: Box<Account<'info, Partner>>,
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_ENROLLMENT, program.key().as_ref(), device.key().as_ref()],
        bump = enrollment.bump,
        constraint = enrollment.status == EnrollmentStatus::Requested
            @ RoutingError::InvalidEnrollmentStatus,
    )]
    pub enrollment: Box<Account<'info, Enrollment>>,
    #[account(constraint = device.status == Status::Active @ RoutingError::DeviceNotActive)]
    pub device: Box<Account<'info, Device>>,
}

/// The utility approves or rejects (terminal) a requested enrollment.
pub fn handler(ctx: Context<EnrollmentDecide>, args: EnrollmentDecideArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let enrollment = &mut ctx.accounts.enrollment;
    if args.approve {
        enrollment.status = EnrollmentStatus::Approved;
        let program = &mut ctx.accounts.program;
        program.enrolled = program
            .enrolled
            .checked_add(1)
            .ok_or(RoutingError::MathOverflow)?;
    } else {
        enrollment.status = EnrollmentStatus::Rejected;
    }
    enrollment.updated_at = now;
    emit!(EnrollmentChanged {
        enrollment: enrollment.key(),
        program: enrollment.program,
        device: enrollment.device,
        status: enrollment.status,
        by: ctx.accounts.authority.key(),
        timestamp: now,
    });
    Ok(())
}
