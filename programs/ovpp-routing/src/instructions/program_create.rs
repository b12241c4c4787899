use anchor_lang::prelude::*;
use ovpp_registry::state::Partner;

use crate::constants::*;
use crate::errors::RoutingError;
use crate::events::ProgramCreated;
use crate::state::{ProgramKind, UtilityProgram};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct ProgramCreateArgs {
    pub program_id: u32,
    pub kind: ProgramKind,
    pub name: String,
}

#[derive(Accounts)]
#[instruction(args: ProgramCreateArgs)]
pub struct ProgramCreate<'info> {
    /// The utility's registry partner account (owner-checked by `Account`).
    #[account(
        constraint = utility.authority == authority.key() @ RoutingError::Unauthorized,
        constraint = utility.is_active_utility() @ RoutingError::NotActiveUtility,
    )]
    pub utility: Box<Account<'info, Partner>>,
    pub authority: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + UtilityProgram::INIT_SPACE,
        seeds = [SEED_PROGRAM, utility.key().as_ref(), &args.program_id.to_le_bytes()],
        bump,
    )]
    pub program: Box<Account<'info, UtilityProgram>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl ProgramCreate<'_> {
    fn validate(&self, args: &ProgramCreateArgs) -> Result<()> {
        require!(
            !args.name.is_empty() && args.name.len() <= MAX_PROGRAM_NAME_LEN,
            RoutingError::InvalidProgramName
        );
        Ok(())
    }
}

/// Creates a utility program, open for enrollment.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<ProgramCreate>, args: ProgramCreateArgs) -> Result<()> {
    let program = &mut ctx.accounts.program;
    program.version = 1;
    program.bump = ctx.bumps.program;
    program.kind = args.kind;
    program.open = true;
    program.utility = ctx.accounts.utility.key();
    program.authority = ctx.accounts.authority.key();
    program.program_id = args.program_id;
    program.name = args.name;
    program.enrolled = 0;
    program.created_at = Clock::get()?.unix_timestamp;
    program.reserved = [0; 64];
    emit!(ProgramCreated {
        program: program.key(),
        utility: program.utility,
        program_id: program.program_id,
        kind: program.kind,
        name: program.name.clone(),
    });
    Ok(())
}
