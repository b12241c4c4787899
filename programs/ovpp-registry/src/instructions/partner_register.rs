use anchor_lang::prelude::*;

use crate::constants::{SEED_CONFIG, SEED_NAME, SEED_PARTNER, SEED_REVERSE, SEED_SKELETON};
use crate::errors::RegistryError;
use crate::events::{HandleSkeletonReserved, PartnerRegistered};
use crate::identity::{is_valid_handle, name_hash, skeleton_hash};
use crate::pda::create_pda_account;
use crate::state::{
    skeleton_pda, validate_partner_name, write_name_records, Config, NameRecord, NameTarget,
    NameTargetKind, Partner, PartnerKind, ReverseRecord, SkeletonRecord, Status,
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
    /// CHECK: address checked and account created by `reserve_skeleton` (refused if it exists).
    /// The handle's confusable-skeleton reservation `["skeleton", sha256(skeleton(handle))]`;
    /// if it already exists, another partner's handle looks the same (`HandleConfusable`).
    #[account(mut)]
    pub skeleton_record: UncheckedAccount<'info>,
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

impl<'info> PartnerRegister<'info> {
    /// Creates the handle's skeleton record, reserving its look-alikes to this partner. A record
    /// at that address means another partner's handle has the same skeleton
    /// (`HandleConfusable`); an address that only holds lamports cannot block the creation.
    fn reserve_skeleton(&self, handle: &str, partner: Pubkey) -> Result<()> {
        let (address, bump) = skeleton_pda(handle);
        let account = self.skeleton_record.to_account_info();
        require_keys_eq!(
            account.key(),
            address,
            RegistryError::SkeletonAccountMismatch
        );
        require_keys_neq!(*account.owner, crate::ID, RegistryError::HandleConfusable);
        let seed = skeleton_hash(handle);
        create_pda_account(
            &self.payer.to_account_info(),
            &account,
            &self.system_program.to_account_info(),
            8 + SkeletonRecord::INIT_SPACE,
            &crate::ID,
            &[&[SEED_SKELETON, seed.as_ref(), &[bump]]],
        )?;
        let record = SkeletonRecord {
            bump,
            partner,
            authority: self.partner_authority.key(),
            handle: handle.to_string(),
            reserved: [0; 32],
        };
        record.try_serialize(&mut &mut account.try_borrow_mut_data()?[..])?;
        emit!(HandleSkeletonReserved {
            skeleton_record: address,
            partner,
            handle: record.handle,
        });
        Ok(())
    }
}

/// Onboards a utility or vendor partner and reserves its handle and the handle's look-alikes. CA roots are added with
/// `partner_ca_add` (protocol co-signed), usually in the same transaction.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<PartnerRegister>, args: PartnerRegisterArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let partner_key = ctx.accounts.partner.key();
    ctx.accounts.reserve_skeleton(&args.handle, partner_key)?;
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
