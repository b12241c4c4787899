use anchor_lang::prelude::*;

use crate::constants::{SEED_NAME, SEED_REVERSE};
use crate::errors::RegistryError;
use crate::events::NameRegistered;
use crate::identity::{is_valid_name, name_hash};
use crate::state::{Device, NameRecord, NameTargetKind, Partner, ReverseRecord};

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
}

/// Loads the target as a device or partner and returns its kind and controlling key.
/// Fails on an account of another program, of another registry type (type cosplay), or on a
/// target that is not active.
fn resolve_target(target: &AccountInfo) -> Result<(NameTargetKind, Pubkey)> {
    require_keys_eq!(*target.owner, crate::ID, RegistryError::InvalidNameTarget);
    let data = target.try_borrow_data()?;
    if let Ok(device) = Device::try_deserialize(&mut &data[..]) {
        device.require_active()?;
        return Ok((NameTargetKind::Device, device.owner));
    }
    if let Ok(partner) = Partner::try_deserialize(&mut &data[..]) {
        partner.require_active()?;
        return Ok((NameTargetKind::Partner, partner.authority));
    }
    err!(RegistryError::InvalidNameTarget)
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
    let (target_kind, controller) = resolve_target(&ctx.accounts.target.to_account_info())?;
    require_keys_eq!(
        controller,
        ctx.accounts.authority.key(),
        RegistryError::Unauthorized
    );

    let name_record = &mut ctx.accounts.name_record;
    name_record.bump = ctx.bumps.name_record;
    name_record.target_kind = target_kind;
    name_record.target = ctx.accounts.target.key();
    name_record.authority = controller;
    name_record.name = args.name.clone();
    name_record.created_at = Clock::get()?.unix_timestamp;
    name_record.reserved = [0; 32];

    let reverse = &mut ctx.accounts.reverse_record;
    reverse.bump = ctx.bumps.reverse_record;
    reverse.name_record = name_record.key();
    reverse.name = args.name.clone();

    emit!(NameRegistered {
        name_record: name_record.key(),
        name: args.name,
        target: name_record.target,
        authority: controller,
    });
    Ok(())
}
