use anchor_lang::prelude::*;

use crate::constants::{SEED_ATTESTATION, SEED_CONFIG};
use crate::errors::RegistryError;
use crate::events::AttestationIssued;
use crate::state::{Attestation, AttestationKind, Config, Device, Partner};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct AttestationIssueArgs {
    pub kind: AttestationKind,
    /// SHA-256 of the evidence report.
    pub evidence_hash: [u8; 32],
    pub expires_at: i64,
}

#[derive(Accounts)]
#[instruction(args: AttestationIssueArgs)]
pub struct AttestationIssue<'info> {
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The protocol authority (the integration service's key).
    pub authority: Signer<'info>,
    /// CHECK: must be a registry `Device` or `Partner` (owner and discriminator checked in
    /// `validate`).
    pub subject: UncheckedAccount<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + Attestation::INIT_SPACE,
        seeds = [SEED_ATTESTATION, subject.key().as_ref(), args.kind.seed()],
        bump,
    )]
    pub attestation: Box<Account<'info, Attestation>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl AttestationIssue<'_> {
    fn validate(&self, args: &AttestationIssueArgs) -> Result<()> {
        require_keys_eq!(
            *self.subject.owner,
            crate::ID,
            RegistryError::InvalidAttestationSubject
        );
        let data = self.subject.try_borrow_data()?;
        // Nothing is attested about a suspended or revoked subject.
        if let Ok(device) = Device::try_deserialize(&mut &data[..]) {
            device.require_active()?;
        } else if let Ok(partner) = Partner::try_deserialize(&mut &data[..]) {
            partner.require_active()?;
        } else {
            return err!(RegistryError::InvalidAttestationSubject);
        }
        require!(
            args.expires_at > Clock::get()?.unix_timestamp,
            RegistryError::InvalidAttestationExpiry
        );
        Ok(())
    }
}

/// Records a dated capability claim about a device or partner (protocol authority).
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<AttestationIssue>, args: AttestationIssueArgs) -> Result<()> {
    let attestation = &mut ctx.accounts.attestation;
    attestation.bump = ctx.bumps.attestation;
    attestation.kind = args.kind;
    attestation.subject = ctx.accounts.subject.key();
    attestation.issuer = ctx.accounts.authority.key();
    attestation.evidence_hash = args.evidence_hash;
    attestation.issued_at = Clock::get()?.unix_timestamp;
    attestation.expires_at = args.expires_at;
    attestation.reserved = [0; 32];
    emit!(AttestationIssued {
        attestation: attestation.key(),
        subject: attestation.subject,
        kind: args.kind,
        evidence_hash: args.evidence_hash,
        expires_at: args.expires_at,
    });
    Ok(())
}
