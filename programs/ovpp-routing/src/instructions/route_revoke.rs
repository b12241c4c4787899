use anchor_lang::prelude::*;
use ovpp_registry::state::Partner;

use crate::constants::*;
use crate::errors::RoutingError;
use crate::events::RouteRevoked;
use crate::state::{Route, UtilityProgram};

#[derive(Accounts)]
pub struct RouteRevoke<'info> {
    #[account(
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
        seeds = [SEED_ROUTE, route.enrollment.as_ref()],
        bump = route.bump,
        constraint = route.program == program.key() @ RoutingError::Unauthorized,
        constraint = !route.revoked @ RoutingError::RouteRevoked,
    )]
    pub route: Box<Account<'info, Route>>,
}

/// Withdraws a route (endpoint compromised or decommissioned); terminal.
pub fn handler(ctx: Context<RouteRevoke>) -> Result<()> {
    let route = &mut ctx.accounts.route;
    route.revoked = true;
    route.version = route
        .version
        .checked_add(1)
        .ok_or(RoutingError::MathOverflow)?;
    emit!(RouteRevoked {
        route: route.key(),
        enrollment: route.enrollment,
        version: route.version,
    });
    Ok(())
}
