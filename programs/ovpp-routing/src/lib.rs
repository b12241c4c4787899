//! # OpenVPP routing: programs, enrollments and routes
//!
//! 1. A utility (active registry partner) creates programs: demand response, tariff, EV
//!    charging (`program_create`), and opens or closes them (`program_status_set`).
//! 2. A device owner, or the device's vendor, requests enrollment of an active device
//!    (`enrollment_request`); the utility approves or rejects it (`enrollment_decide`); the
//!    utility or the owner can end it (`enrollment_revoke`).
//! 3. For an approved enrollment the utility publishes the route the device connects to
//!    (`route_set`): protocol (OpenADR 3 VTN, IEEE 2030.5, OCPP 2.0.1 CSMS; the device must
//!    declare it in its registry capabilities), endpoint URL, TLS certificate pins, version,
//!    expiry. `route_revoke` withdraws it. A device resolves `["route", enrollment]`.
#![allow(unexpected_cfgs)]
// anchor 0.31's `#[program]` expansion calls `AccountInfo::realloc`, deprecated in
// solana-account-info 2.3; nothing in this crate calls it directly.
#![allow(deprecated)]
#![deny(arithmetic_overflow)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;

use instructions::*;

declare_id!("55Ac3GLbSxPxf2Fymv2Dp9MpGzPyCagpVvfKxhdCu2Bh");

#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "OpenVPP Routing",
    project_url: "https://github.com/openvpp/openvpp",
    contacts: "link:https://github.com/openvpp/openvpp/security/advisories/new",
    policy: "https://github.com/openvpp/openvpp/blob/main/SECURITY.md",
    source_code: "https://github.com/openvpp/openvpp"
}

#[program]
pub mod ovpp_routing {
    use super::*;

    /// Creates a utility program (utility authority).
    pub fn program_create(ctx: Context<ProgramCreate>, args: ProgramCreateArgs) -> Result<()> {
        instructions::program_create::handler(ctx, args)
    }

    /// Opens or closes a program to new enrollments (utility authority).
    pub fn program_status_set(
        ctx: Context<ProgramStatusSet>,
        args: ProgramStatusSetArgs,
    ) -> Result<()> {
        instructions::program_status_set::handler(ctx, args)
    }

    /// Requests enrollment of a device (device owner or vendor authority).
    pub fn enrollment_request(ctx: Context<EnrollmentRequest>) -> Result<()> {
        instructions::enrollment_request::handler(ctx)
    }

    /// Approves or rejects a requested enrollment (utility authority).
    pub fn enrollment_decide(
        ctx: Context<EnrollmentDecide>,
        args: EnrollmentDecideArgs,
    ) -> Result<()> {
        instructions::enrollment_decide::handler(ctx, args)
    }

    /// Ends an enrollment (utility authority or device owner).
    pub fn enrollment_revoke(ctx: Context<EnrollmentRevoke>) -> Result<()> {
        instructions::enrollment_revoke::handler(ctx)
    }

    /// Publishes or updates the route of an approved enrollment (utility authority).
    pub fn route_set(ctx: Context<RouteSet>, args: RouteSetArgs) -> Result<()> {
        instructions::route_set::handler(ctx, args)
    }

    /// Withdraws a route (utility authority).
    pub fn route_revoke(ctx: Context<RouteRevoke>) -> Result<()> {
        instructions::route_revoke::handler(ctx)
    }
}
