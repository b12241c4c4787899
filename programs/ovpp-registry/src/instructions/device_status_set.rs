use anchor_lang::prelude::*;

use crate::constants::{SEED_CONFIG, SEED_DEVICE};
use crate::errors::RegistryError;
use crate::events::DeviceStatusChanged;
use crate::state::{Config, Device, DeviceStatus, Partner};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DeviceStatusSetArgs {
    pub status: DeviceStatus,
}

#[derive(Accounts)]
pub struct DeviceStatusSet<'info> {
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device's vendor account (its authority may act on its own devices).
    #[account(address = device.vendor @ RegistryError::VendorMismatch)]
    pub vendor: Box<Account<'info, Partner>>,
    /// Either the protocol authority or the vendor's authority.
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
    )]
    pub device: Box<Account<'info, Device>>,
}

impl DeviceStatusSet<'_> {
    fn validate(&self) -> Result<()> {
        let signer = self.authority.key();
        require!(
            signer == self.config.authority || signer == self.vendor.authority,
            RegistryError::Unauthorized
        );
        Ok(())
    }
}

/// Suspends, reinstates or revokes (terminal) a device.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<DeviceStatusSet>, args: DeviceStatusSetArgs) -> Result<()> {
    let device = &mut ctx.accounts.device;
    let old_status = device.status;
    require!(
        old_status.can_become(args.status),
        RegistryError::InvalidStatusTransition
    );
    let now = Clock::get()?.unix_timestamp;
    device.status = args.status;
    device.updated_at = now;
    emit!(DeviceStatusChanged {
        device: device.key(),
        old_status,
        new_status: args.status,
        authority: ctx.accounts.authority.key(),
        timestamp: now,
    });
    Ok(())
}
