use anchor_lang::prelude::*;

use crate::constants::{SEED_CONFIG, SEED_NAME, SEED_PARTNER, SEED_REVERSE};
use crate::errors::RegistryError;
use crate::events::PartnerRegistered;
use crate::identity::{is_valid_handle, name_hash};
use crate::state::{
    validate_partner_name, write_name_records, Config, NameRecord, NameTarget, NameTargetKind,
    Partner, PartnerKind, ReverseRecord, Status,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PartnerRegisterArgs {
    /// Utility or vendor.
    pub kind: PartnerKind,
    /// Display name, 1..=64 bytes.
    pub name: String,
    /// The partner's registry name, one label of `[a-z0-9-]` (e.g. `gridco`): reserved for it
    /// here, with its forward and reverse records, and the namespace of names `*.handle`.
    pub handle: String,
    /// `sha256(handle)`, the name record's PDA seed; checked on-chain.
    pub handle_hash: [u8; 32],
}

#[derive(Accounts)]
#[instruction(args: PartnerRegisterArgs)]
pub struct PartnerRegister<'info> {
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// The protocol authority approves every onboarding.
    pub authority: Signer<'info>,
    /// The partner's own key; signing proves it controls it.
    pub partner_authority: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + Partner::INIT_SPACE,
        seeds = [SEED_PARTNER, partner_authority.key().as_ref()],
        bump,
    )]
    pub partner: Box<Account<'info, Partner>>,
    /// The handle's forward record `["name", sha256(handle)]`.
    #[account(
        init,
        payer = payer,
        space = 8 + NameRecord::INIT_SPACE,
        seeds = [SEED_NAME, args.handle_hash.as_ref()],
        bump,
    )]
    pub name_record: Box<Account<'info, NameRecord>>,
    /// The partner's reverse record `["reverse", partner]`.
    #[account(
        init,
        payer = payer,
        space = 8 + ReverseRecord::INIT_SPACE,
        seeds = [SEED_REVERSE, partner.key().as_ref()],
        bump,
    )]
    pub reverse_record: Box<Account<'info, ReverseRecord>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl PartnerRegister<'_> {
    fn validate(&self, args: &PartnerRegisterArgs) -> Result<()> {
        validate_partner_name(&args.name)?;
        require!(is_valid_handle(&args.handle), RegistryError::InvalidHandle);
        require!(
            name_hash(&args.handle) == args.handle_hash,
            RegistryError::NameHashMismatch
        );
        Ok(())
    }
}

/// Onboards a utility or vendor partner and reserves its handle. CA roots are added with
/// `partner_ca_add` (protocol co-signed), usually in the same transaction.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<PartnerRegister>, args: PartnerRegisterArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let partner_key = ctx.accounts.partner.key();
    let partner = &mut ctx.accounts.partner;
    partner.version = 1;
    partner.bump = ctx.bumps.partner;
    partner.kind = args.kind;
    partner.status = Status::Active;
    partner.authority = ctx.accounts.partner_authority.key();
    partner.name = args.name;
    partner.ca_fingerprints = Vec::new();
    partner.created_at = now;
    partner.updated_at = now;
    partner.handle = args.handle.clone();
    partner.reserved = [0; 64];
    emit!(PartnerRegistered {
        partner: partner_key,
        authority: partner.authority,
        kind: partner.kind,
        name: partner.name.clone(),
        timestamp: now,
    });

    write_name_records(
        &mut ctx.accounts.name_record,
        ctx.bumps.name_record,
        &mut ctx.accounts.reverse_record,
        ctx.bumps.reverse_record,
        args.handle,
        NameTarget {
            kind: NameTargetKind::Partner,
            target: partner_key,
            authority: ctx.accounts.partner_authority.key(),
        },
        now,
    );
    Ok(())
}
