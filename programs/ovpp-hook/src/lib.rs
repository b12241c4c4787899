//! # OpenVPP transfer hook
//!
//! Unit tokens (kWh, kg CO2) are compliance instruments: Token-2022 calls this hook on every
//! transfer, and it lets a transfer through only when both wallets are active registry
//! participants (an active `Partner` or `Member` record). It refuses direct invocation
//! (the source's `transferring` flag), mints not minted by the payments configuration, and
//! fails closed when the extra accounts are missing. USDE itself carries no hook: a dollar
//! stablecoin stays freely transferable.
#![allow(unexpected_cfgs)]
// anchor 0.31's `#[program]` expansion calls `AccountInfo::realloc`, deprecated in
// solana-account-info 2.3; nothing in this crate calls it directly.
#![allow(deprecated)]
#![deny(arithmetic_overflow)]

use anchor_lang::prelude::*;
use spl_discriminator::SplDiscriminate;
use spl_transfer_hook_interface::instruction::ExecuteInstruction;

pub mod constants;
pub mod errors;
pub mod instructions;
pub mod participant;

use instructions::*;

declare_id!("62ugcLjir73Y8mpLo6hCD7gRXm7qrrt2kMEjY9ApPeFp");

#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "OpenVPP Unit-Token Transfer Hook",
    project_url: "https://github.com/openvpp/openvpp",
    contacts: "link:https://github.com/openvpp/openvpp/security/advisories/new",
    policy: "https://github.com/openvpp/openvpp/blob/main/SECURITY.md",
    source_code: "https://github.com/openvpp/openvpp"
}

#[program]
pub mod ovpp_hook {
    use super::*;

    /// Creates the extra-account-metas validation account of a unit mint.
    pub fn meta_list_init(ctx: Context<MetaListInit>) -> Result<()> {
        instructions::meta_list_init::handler(ctx)
    }

    /// Transfer-hook `Execute`: both parties must be active registry participants.
    #[instruction(discriminator = ExecuteInstruction::SPL_DISCRIMINATOR_SLICE)]
    pub fn execute(ctx: Context<Execute>, amount: u64) -> Result<()> {
        instructions::execute::handler(ctx, amount)
    }
}
