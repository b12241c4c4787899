use anchor_lang::prelude::*;

use crate::constants::{SEED_CONFIG, SEED_ENDPOINT};
use crate::errors::RegistryError;
use crate::events::EndpointAttestationRevoked;
use crate::state::{Config, EndpointAttestation};

#[derive(Accounts)]
pub struct EndpointAttestationRevoke<'info> {
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// Receives the rent back.
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(
        mut,
        close = authority,
        seeds = [SEED_ENDPOINT, attestation.endpoint_hash.as_ref()],
        bump = attestation.bump,
    )]
    pub attestation: Box<Account<'info, EndpointAttestation>>,
}

/// Withdraws an endpoint attestation (closing it): no new route can be published to the
/// endpoint until it passes a probe again.
pub fn handler(ctx: Context<EndpointAttestationRevoke>) -> Result<()> {
    emit!(EndpointAttestationRevoked {
        attestation: ctx.accounts.attestation.key(),
        endpoint: ctx.accounts.attestation.endpoint.clone(),
    });
    Ok(())
}
