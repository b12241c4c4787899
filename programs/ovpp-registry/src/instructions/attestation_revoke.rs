use anchor_lang::prelude::*;

use crate::constants::{SEED_ATTESTATION, SEED_CONFIG};
use crate::errors::RegistryError;
use crate::events::AttestationRevoked;
use crate::state::{Attestation, Config};

#[derive(Accounts)]
pub struct AttestationRevoke<'info> {
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
        seeds = [SEED_ATTESTATION, attestation.subject.as_ref(), attestation.kind.seed()],
        bump = attestation.bump,
    )]
    pub attestation: Box<Account<'info, Attestation>>,
}

/// Withdraws an attestation (closing it; a fresh one can be issued later).
pub fn handler(ctx: Context<AttestationRevoke>) -> Result<()> {
    emit!(AttestationRevoked {
        attestation: ctx.accounts.attestation.key(),
        subject: ctx.accounts.attestation.subject,
        kind: ctx.accounts.attestation.kind,
    });
    Ok(())
}
