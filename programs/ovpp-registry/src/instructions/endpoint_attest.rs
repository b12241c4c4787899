use anchor_lang::prelude::*;
use anchor_lang::solana_program::hash::hash;

use crate::constants::{MAX_ENDPOINT_LEN, SEED_CONFIG, SEED_ENDPOINT};
use crate::errors::RegistryError;
use crate::events::EndpointAttested;
use crate::state::{AttestationKind, Config, EndpointAttestation};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct EndpointAttestArgs {
    /// The endpoint URL, byte for byte as routes publish it.
    pub endpoint: String,
    /// SHA-256 of `endpoint` (the PDA seed).
    pub endpoint_hash: [u8; 32],
    /// `OpenAdr3Conformance`, `Ieee2030Dot5Conformance` or `Ocpp201Conformance`.
    pub kind: AttestationKind,
    /// SHA-256 of the DER SubjectPublicKeyInfo of the server certificate the probe saw.
    pub spki_sha256: [u8; 32],
    /// SHA-256 of the probe report's canonical JSON.
    pub evidence_hash: [u8; 32],
    pub expires_at: i64,
}

#[derive(Accounts)]
#[instruction(args: EndpointAttestArgs)]
pub struct EndpointAttest<'info> {
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The protocol authority (the integration service's key).
    pub authority: Signer<'info>,
    /// Created on the first passing probe; a later one (new report, rotated server key)
    /// replaces its contents.
    #[account(
        init_if_needed,
        payer = payer,
        space = 8 + EndpointAttestation::INIT_SPACE,
        seeds = [SEED_ENDPOINT, args.endpoint_hash.as_ref()],
        bump,
    )]
    pub attestation: Box<Account<'info, EndpointAttestation>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl EndpointAttest<'_> {
    fn validate(&self, args: &EndpointAttestArgs) -> Result<()> {
        require!(
            !args.endpoint.is_empty()
                && args.endpoint.len() <= MAX_ENDPOINT_LEN
                && hash(args.endpoint.as_bytes()).to_bytes() == args.endpoint_hash,
            RegistryError::InvalidEndpoint
        );
        require!(
            EndpointAttestation::is_endpoint_kind(args.kind),
            RegistryError::InvalidEndpointKind
        );
        require!(
            args.spki_sha256 != [0; 32] && args.evidence_hash != [0; 32],
            RegistryError::InvalidFingerprint
        );
        require!(
            args.expires_at > Clock::get()?.unix_timestamp,
            RegistryError::InvalidAttestationExpiry
        );
        Ok(())
    }
}

/// Records (or renews) that an endpoint passed its protocol probe with a given server key.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<EndpointAttest>, args: EndpointAttestArgs) -> Result<()> {
    let attestation = &mut ctx.accounts.attestation;
    attestation.version = 1;
    attestation.bump = ctx.bumps.attestation;
    attestation.kind = args.kind;
    attestation.endpoint_hash = args.endpoint_hash;
    attestation.endpoint = args.endpoint;
    attestation.spki_sha256 = args.spki_sha256;
    attestation.evidence_hash = args.evidence_hash;
    attestation.issuer = ctx.accounts.authority.key();
    attestation.issued_at = Clock::get()?.unix_timestamp;
    attestation.expires_at = args.expires_at;
    attestation.reserved = [0; 32];
    emit!(EndpointAttested {
        attestation: attestation.key(),
        endpoint: attestation.endpoint.clone(),
        kind: args.kind,
        spki_sha256: args.spki_sha256,
        evidence_hash: args.evidence_hash,
        expires_at: args.expires_at,
    });
    Ok(())
}
