use anchor_lang::prelude::*;
use ovpp_registry::state::Partner;

use crate::constants::*;
use crate::errors::RoutingError;
use crate::events::ProgramStatusChanged;
use crate::state::UtilityProgram;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct ProgramStatusSetArgs {
    pub open: bool,
}

#[derive(Accounts)]
pub struct ProgramStatusSet<'info> {
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
}

/// Opens or closes a program to new enrollments.
pub fn handler(ctx: Context<ProgramStatusSet>, args: ProgramStatusSetArgs) -> Result<()> {
    ctx.accounts.program.open = args.open;
    emit!(ProgramStatusChanged {
        program: ctx.accounts.program.key(),
        open: args.open,
    });
    Ok(())
}
