use anchor_lang::prelude::*;

use crate::constants::SEED_DEVICE;
use crate::errors::RegistryError;
use crate::events::DeviceOwnerTransferred;
use crate::membership::{device_member, end_with_device};
use crate::state::{Device, Member};

#[derive(Accounts)]
pub struct DeviceClaim<'info> {
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
    )]
    pub device: Box<Account<'info, Device>>,
    /// The pending owner accepts the device.
    pub new_owner: Signer<'info>,
    /// The device's member (required when `device.member` is set): the previous owner's
    /// membership ends with the ownership.
    #[account(mut)]
    pub member: Option<Box<Account<'info, Member>>>,
}

impl DeviceClaim<'_> {
    fn validate(&self) -> Result<()> {
        require!(
            self.device.pending_owner != Pubkey::default()
                && self.device.pending_owner == self.new_owner.key(),
            RegistryError::NotPendingOwner
        );
        self.device.require_active()
    }
}

/// The pending owner accepts: it becomes the owner, and the previous owner's membership (if
/// any) ends.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<DeviceClaim>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let device = &mut accounts.device;
    if let Some(member) = device_member(device, &mut accounts.member)? {
        end_with_device(device, member);
    }
    let now = Clock::get()?.unix_timestamp;
    let old_owner = device.owner;
    let new_owner = device.pending_owner;
    device.begin_ownership(new_owner, now)?;
    device.pending_owner = Pubkey::default();
    device.updated_at = now;
    emit!(DeviceOwnerTransferred {
        device: device.key(),
        old_owner,
        new_owner: device.owner,
        epoch: device.owner_epoch,
        since: now,
    });
    Ok(())
}
