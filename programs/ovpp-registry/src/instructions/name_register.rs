use anchor_lang::prelude::*;

use crate::constants::{SEED_NAME, SEED_REVERSE};
use crate::errors::RegistryError;
use crate::identity::{is_valid_name, name_hash, parent_label};
use crate::state::{
    check_confusable, write_name_records, Device, NameRecord, NameTarget, NameTargetKind, Partner,
    ReverseRecord,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct NameRegisterArgs {
    /// The name, `[a-z0-9][a-z0-9.-]*`, at most 63 bytes.
    pub name: String,
    /// `sha256(name)`, the PDA seed; checked on-chain.
    pub name_hash: [u8; 32],
}

#[derive(Accounts)]
#[instruction(args: NameRegisterArgs)]
pub struct NameRegister<'info> {
    /// CHECK: must be owned by this program and carry the `Device` or `Partner` discriminator;
    /// `resolve_target` checks both before anything is written.
    pub target: UncheckedAccount<'info>,
    /// The device owner or the partner authority.
    pub authority: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + NameRecord::INIT_SPACE,
        seeds = [SEED_NAME, args.name_hash.as_ref()],
        bump,
    )]
    pub name_record: Box<Account<'info, NameRecord>>,
    #[account(
        init,
        payer = payer,
        space = 8 + ReverseRecord::INIT_SPACE,
        seeds = [SEED_REVERSE, target.key().as_ref()],
        bump,
    )]
    pub reverse_record: Box<Account<'info, ReverseRecord>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
    /// CHECK: required for a dotted name: the forward record of its last label,
    /// `["name", sha256(label)]` (address checked in `check_namespace`; it may not exist).
    /// When that label is a partner's handle, only that partner's devices may use it.
    pub parent_name: Option<UncheckedAccount<'info>>,
    /// CHECK: address checked in `check_confusable`; read only if this program owns it.
    /// The skeleton reservation of the whole name, `["skeleton", sha256(skeleton(name))]`,
    /// always required. Usually nothing exists there: the name looks like no partner's handle.
    pub skeleton: UncheckedAccount<'info>,
    /// CHECK: address checked in `check_confusable`; read only if this program owns it.
    /// Required for a dotted name: the skeleton reservation of its last label (its namespace),
    /// `["skeleton", sha256(skeleton(label))]`.
    pub parent_skeleton: Option<UncheckedAccount<'info>>,
}

/// A resolved name target.
struct Target {
    kind: NameTargetKind,
    /// The key that may name it: the device's claimed owner or the partner's authority.
    controller: Pubkey,
    /// The partner the target belongs to: the device's vendor, or the partner itself.
    partner: Pubkey,
}

/// Loads the target as a device or partner and returns its kind and controlling key.
/// Fails on an account of another program, of another registry type (type cosplay), or on a
/// target that is not active.
/// An unclaimed device has no owner and cannot be named.
fn resolve_target(target: &AccountInfo) -> Result<Target> {
    require_keys_eq!(*target.owner, crate::ID, RegistryError::InvalidNameTarget);
    let data = target.try_borrow_data()?;
    if let Ok(device) = Device::try_deserialize(&mut &data[..]) {
        device.require_active()?;
        require!(device.is_claimed(), RegistryError::DeviceUnclaimed);
        return Ok(Target {
            kind: NameTargetKind::Device,
            controller: device.owner,
            partner: device.vendor,
        });
    }
    if let Ok(partner) = Partner::try_deserialize(&mut &data[..]) {
        partner.require_active()?;
        return Ok(Target {
            kind: NameTargetKind::Partner,
            controller: partner.authority,
            partner: target.key(),
        });
    }
    err!(RegistryError::InvalidNameTarget)
}

/// A dotted name `x.label` whose `label` is a partner's handle lives in that partner's
/// namespace: only the partner itself or a device it vendors may take it. Other dotted names
/// (the label is unregistered, or names a device) are free.
fn check_namespace(name: &str, target: &Target, parent: Option<&AccountInfo>) -> Result<()> {
    let Some(label) = parent_label(name) else {
        return Ok(());
    };
    let parent = parent.ok_or(RegistryError::ParentNameMismatch)?;
    let expected =
        Pubkey::find_program_address(&[SEED_NAME, name_hash(label).as_ref()], &crate::ID).0;
    require_keys_eq!(parent.key(), expected, RegistryError::ParentNameMismatch);
    if *parent.owner != crate::ID {
        return Ok(());
    }
    let record = NameRecord::try_deserialize(&mut &parent.try_borrow_data()?[..])?;
    if record.target_kind == NameTargetKind::Partner {
        require_keys_eq!(record.target, target.partner, RegistryError::NameReserved);
    }
    Ok(())
}

/// A name that looks like a partner's handle is reserved to that partner's authority: both the
/// whole name (separators dropped: `gr1dco`, `grid.co`) and, for a dotted name, its namespace
/// label (`meter.gr1dco`) are checked against the skeleton reservations. Other labels are not
/// namespaces: `gridco.x` is free today, and so are its look-alikes.
fn check_look_alikes(accounts: &NameRegister, name: &str) -> Result<()> {
    let registrant = accounts.authority.key();
    check_confusable(&accounts.skeleton.to_account_info(), name, &registrant)?;
    if let Some(label) = parent_label(name) {
        let account = accounts
            .parent_skeleton
            .as_ref()
            .ok_or(RegistryError::SkeletonAccountMismatch)?;
        check_confusable(&account.to_account_info(), label, &registrant)?;
    }
    Ok(())
}

impl NameRegister<'_> {
    fn validate(&self, args: &NameRegisterArgs) -> Result<()> {
        require!(is_valid_name(&args.name), RegistryError::InvalidName);
        require!(
            name_hash(&args.name) == args.name_hash,
            RegistryError::NameHashMismatch
        );
        Ok(())
    }
}

/// Registers a unique human-readable name for a device or partner, with its reverse record.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<NameRegister>, args: NameRegisterArgs) -> Result<()> {
    let target = resolve_target(&ctx.accounts.target.to_account_info())?;
    require_keys_eq!(
        target.controller,
        ctx.accounts.authority.key(),
        RegistryError::Unauthorized
    );
    let parent = ctx
        .accounts
        .parent_name
        .as_ref()
        .map(|p| p.to_account_info());
    check_namespace(&args.name, &target, parent.as_ref())?;
    check_look_alikes(ctx.accounts, &args.name)?;
    let (target_kind, controller) = (target.kind, target.controller);

    write_name_records(
        &mut ctx.accounts.name_record,
        ctx.bumps.name_record,
        &mut ctx.accounts.reverse_record,
        ctx.bumps.reverse_record,
        args.name,
        NameTarget {
            kind: target_kind,
            target: ctx.accounts.target.key(),
            authority: controller,
        },
        Clock::get()?.unix_timestamp,
    );
    Ok(())
}
