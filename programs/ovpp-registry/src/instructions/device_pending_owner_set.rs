use anchor_lang::prelude::*;

use crate::constants::{SEED_DEVICE, SEED_PARTNER};
use crate::errors::RegistryError;
use crate::events::DeviceTransferProposed;
use crate::state::{Device, Partner};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DevicePendingOwnerSetArgs {
    /// Who may claim the device instead (for a mistyped owner at registration).
    pub pending_owner: Pubkey,
}

#[derive(Accounts)]
pub struct DevicePendingOwnerSet<'info> {
    /// The device's (active) vendor.
    #[account(
        seeds = [SEED_PARTNER, vendor_authority.key().as_ref()],
        bump = vendor.bump,
        constraint = vendor.authority == vendor_authority.key() @ RegistryError::Unauthorized,
    )]
    pub vendor: Box<Account<'info, Partner>>,
    pub vendor_authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
        constraint = device.vendor == vendor.key() @ RegistryError::VendorMismatch,
    )]
    pub device: Box<Account<'info, Device>>,
}

impl DevicePendingOwnerSet<'_> {
    fn validate(&self, args: &DevicePendingOwnerSetArgs) -> Result<()> {
        self.vendor.require_active()?;
        self.device.require_active()?;
        // Only while nobody owns the device: the vendor re-points its own registration choice
        // and never touches a claimed device.
        require!(
            self.device.owner == Pubkey::default(),
            RegistryError::InvalidOwner
        );
        require!(
            args.pending_owner != Pubkey::default(),
            RegistryError::InvalidOwner
        );
        Ok(())
    }
}

/// Changes who may claim a device that is still unclaimed (vendor signs).
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<DevicePendingOwnerSet>, args: DevicePendingOwnerSetArgs) -> Result<()> {
    let device = &mut ctx.accounts.device;
    device.pending_owner = args.pending_owner;
    device.updated_at = Clock::get()?.unix_timestamp;
    emit!(DeviceTransferProposed {
        device: device.key(),
        owner: device.owner,
        pending_owner: args.pending_owner,
    });
    Ok(())
}
