use anchor_lang::prelude::*;
use ovpp_registry::state::{Device, EndpointAttestation, Partner, Status};

use crate::constants::*;
use crate::errors::RoutingError;
use crate::events::RouteUpdated;
use crate::state::{
    require_endpoint_attested, validate_route, Enrollment, EnrollmentStatus, Protocol, Route,
    UtilityProgram,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct RouteSetArgs {
    pub protocol: Protocol,
    pub endpoint: String,
    pub cert_pins: Vec<[u8; 32]>,
    pub expires_at: i64,
}

#[derive(Accounts)]
pub struct RouteSet<'info> {
    #[account(
        seeds = [SEED_PROGRAM, program.utility.as_ref(), &program.program_id.to_le_bytes()],
        bump = program.bump,
        has_one = authority @ RoutingError::Unauthorized,
        constraint = program.open @ RoutingError::ProgramClosed,
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
        seeds = [SEED_ENROLLMENT, program.key().as_ref(), device.key().as_ref()],
        bump = enrollment.bump,
        constraint = enrollment.status == EnrollmentStatus::Approved
            @ RoutingError::InvalidEnrollmentStatus,
    )]
    pub enrollment: Box<Account<'info, Enrollment>>,
    #[account(constraint = device.status == Status::Active @ RoutingError::DeviceNotActive)]
    pub device: Box<Account<'info, Device>>,
    /// Created on first use; later calls update it and bump its version.
    #[account(
        init_if_needed,
        payer = payer,
        space = 8 + Route::INIT_SPACE,
        seeds = [SEED_ROUTE, enrollment.key().as_ref()],
        bump,
    )]
    pub route: Box<Account<'info, Route>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
    /// CHECK: the registry's `["endpoint", sha256(args.endpoint)]` attestation; owner,
    /// discriminator and contents checked in `validate` (`EndpointNotAttested` when absent).
    pub endpoint_attestation: UncheckedAccount<'info>,
}

impl RouteSet<'_> {
    fn validate(&self, args: &RouteSetArgs) -> Result<()> {
        require!(!self.route.revoked, RoutingError::RouteRevoked);
        require!(
            self.device.capabilities.protocols & args.protocol.capability_bit() != 0,
            RoutingError::ProtocolNotSupported
        );
        let now = Clock::get()?.unix_timestamp;
        validate_route(
            args.protocol,
            &args.endpoint,
            &args.cert_pins,
            args.expires_at,
            now,
        )?;
        require_endpoint_attested(
            &self.endpoint_attestation()?,
            args.protocol,
            &args.endpoint,
            &args.cert_pins,
            now,
        )
    }

    /// The registry endpoint attestation passed in, or `EndpointNotAttested`.
    fn endpoint_attestation(&self) -> Result<EndpointAttestation> {
        let info = &self.endpoint_attestation;
        require_keys_eq!(
            *info.owner,
            ovpp_registry::ID,
            RoutingError::EndpointNotAttested
        );
        let data = info.try_borrow_data()?;
        EndpointAttestation::try_deserialize(&mut &data[..])
            .map_err(|_| error!(RoutingError::EndpointNotAttested))
    }
}

/// Publishes (or updates) the connectivity parameters of an approved enrollment.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<RouteSet>, args: RouteSetArgs) -> Result<()> {
    let route = &mut ctx.accounts.route;
    // `init_if_needed`: a fresh account has version 0 and an empty enrollment.
    route.bump = ctx.bumps.route;
    route.enrollment = ctx.accounts.enrollment.key();
    route.device = ctx.accounts.device.key();
    route.program = ctx.accounts.program.key();
    route.protocol = args.protocol;
    route.endpoint = args.endpoint;
    route.cert_pins = args.cert_pins;
    route.version = route
        .version
        .checked_add(1)
        .ok_or(RoutingError::MathOverflow)?;
    route.expires_at = args.expires_at;
    emit!(RouteUpdated {
        route: route.key(),
        enrollment: route.enrollment,
        protocol: route.protocol,
        endpoint: route.endpoint.clone(),
        version: route.version,
        expires_at: route.expires_at,
    });
    Ok(())
}
