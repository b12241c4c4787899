use anchor_lang::prelude::*;

use crate::constants::{SEED_CONFIG, SEED_MEMBER};
use crate::errors::RegistryError;
use crate::events::MemberStatusChanged;
use crate::state::{Config, Device, Member, Status};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct MemberStatusSetArgs {
    pub status: Status,
}

#[derive(Accounts)]
pub struct MemberStatusSet<'info> {
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::Unauthorized,
    )]
    pub config: Box<Account<'info, Config>>,
    /// Only the protocol authority suspends, reinstates or revokes members.
    pub authority: Signer<'info>,
    #[account(mut, seeds = [SEED_MEMBER, member.wallet.as_ref()], bump = member.bump)]
    pub member: Box<Account<'info, Member>>,
    /// The member's device: a member is reinstated only while it is still the active device's
    /// member and its wallet the device's owner.
    #[account(address = member.device @ RegistryError::MemberMismatch)]
    pub device: Box<Account<'info, Device>>,
}

impl MemberStatusSet<'_> {
    fn validate(&self, args: &MemberStatusSetArgs) -> Result<()> {
        if args.status == Status::Active {
            self.device.require_active()?;
            require!(
                self.device.member == self.member.key() && self.device.owner == self.member.wallet,
                RegistryError::MemberMismatch
            );
        }
        Ok(())
    }
}

/// Suspends, reinstates or revokes (terminal) a member.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<MemberStatusSet>, args: MemberStatusSetArgs) -> Result<()> {
    let member = &mut ctx.accounts.member;
    let old_status = member.status;
    require!(
        old_status.can_become(args.status),
        RegistryError::InvalidStatusTransition
    );
    member.status = args.status;
    // The protocol's own decision: a later device reinstatement does not undo it.
    member.suspended_with_device = false;
    emit!(MemberStatusChanged {
        member: member.key(),
        old_status,
        new_status: args.status,
        device: member.device,
    });
    Ok(())
}
