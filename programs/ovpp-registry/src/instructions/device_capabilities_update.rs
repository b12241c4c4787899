use anchor_lang::prelude::*;

use crate::constants::{SEED_DEVICE, SEED_PARTNER};
use crate::errors::RegistryError;
use crate::events::DeviceCapabilitiesUpdated;
use crate::state::{Capabilities, Device, Partner};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DeviceCapabilitiesUpdateArgs {
    pub capabilities: Capabilities,
}

#[derive(Accounts)]
pub struct DeviceCapabilitiesUpdate<'info> {
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
        has_one = vendor @ RegistryError::VendorMismatch,
    )]
    pub device: Box<Account<'info, Device>>,
}

impl DeviceCapabilitiesUpdate<'_> {
    fn validate(&self, args: &DeviceCapabilitiesUpdateArgs) -> Result<()> {
        self.vendor.require_active()?;
        self.device.require_active()?;
        args.capabilities.validate()
    }
}

/// The vendor re-declares what a device can do (firmware upgrade, derating).
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(
    ctx: Context<DeviceCapabilitiesUpdate>,
    args: DeviceCapabilitiesUpdateArgs,
) -> Result<()> {
    let device = &mut ctx.accounts.device;
    device.capabilities = args.capabilities;
    device.updated_at = Clock::get()?.unix_timestamp;
    emit!(DeviceCapabilitiesUpdated {
        device: device.key(),
        flags: args.capabilities.flags,
        protocols: args.capabilities.protocols,
    });
    Ok(())
}
