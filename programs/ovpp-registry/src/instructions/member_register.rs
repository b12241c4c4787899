use anchor_lang::prelude::*;

use crate::constants::{SEED_DEVICE, SEED_MEMBER};
use crate::errors::RegistryError;
use crate::events::MemberRegistered;
use crate::state::{Device, Member, Status};

#[derive(Accounts)]
pub struct MemberRegister<'info> {
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
    )]
    pub device: Box<Account<'info, Device>>,
    /// The device's claimed owner becomes a member.
    pub owner: Signer<'info>,
    /// Created, or re-used when the wallet's previous membership has `Ended`.
    #[account(
        init_if_needed,
        payer = payer,
        space = 8 + Member::INIT_SPACE,
        seeds = [SEED_MEMBER, owner.key().as_ref()],
        bump,
    )]
    pub member: Box<Account<'info, Member>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl MemberRegister<'_> {
    fn validate(&self) -> Result<()> {
        self.device.require_owner(self.owner.key)?;
        self.device.require_active()?;
        // One membership per device.
        require!(
            self.device.member == Pubkey::default(),
            RegistryError::DeviceHasMember
        );
        // A fresh account (zeroed wallet) or an ended membership may be (re)registered; an
        // active, suspended or revoked one may not.
        require!(
            self.member.wallet == Pubkey::default() || self.member.status == Status::Ended,
            RegistryError::MemberNotActive
        );
        Ok(())
    }
}

/// Registers the claimed owner of an active device as a participant (e.g. to hold unit
/// tokens); the device records its one member.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<MemberRegister>) -> Result<()> {
    let member_key = ctx.accounts.member.key();
    let member = &mut ctx.accounts.member;
    member.bump = ctx.bumps.member;
    member.status = Status::Active;
    member.wallet = ctx.accounts.owner.key();
    member.device = ctx.accounts.device.key();
    member.created_at = Clock::get()?.unix_timestamp;
    member.suspended_with_device = false;
    member.reserved = [0; 32];
    ctx.accounts.device.member = member_key;
    emit!(MemberRegistered {
        member: member_key,
        wallet: ctx.accounts.owner.key(),
        device: ctx.accounts.device.key(),
    });
    Ok(())
}
