use anchor_lang::prelude::*;

use crate::constants::{SEED_DEVICE, SEED_MEMBER};
use crate::errors::RegistryError;
use crate::events::MemberRegistered;
use crate::state::{Device, Member, MemberStatus};

#[derive(Accounts)]
pub struct MemberRegister<'info> {
    #[account(
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
        has_one = owner @ RegistryError::Unauthorized,
    )]
    pub device: Box<Account<'info, Device>>,
    /// The device owner becomes a member.
    pub owner: Signer<'info>,
    #[account(
        init,
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

/// Registers the owner of an active device as a participant (e.g. to hold unit tokens).
pub fn handler(ctx: Context<MemberRegister>) -> Result<()> {
    ctx.accounts.device.require_active()?;
    let member = &mut ctx.accounts.member;
    member.bump = ctx.bumps.member;
    member.status = MemberStatus::Active;
    member.wallet = ctx.accounts.owner.key();
    member.device = ctx.accounts.device.key();
    member.created_at = Clock::get()?.unix_timestamp;
    member.reserved = [0; 32];
    emit!(MemberRegistered {
        member: member.key(),
        wallet: member.wallet,
        device: member.device,
    });
    Ok(())
}
