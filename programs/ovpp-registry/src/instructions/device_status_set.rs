use anchor_lang::prelude::*;

use crate::constants::{SEED_CONFIG, SEED_DEVICE};
use crate::errors::RegistryError;
use crate::events::DeviceStatusChanged;
use crate::membership::{
    device_member, end_with_device, reinstate_with_device, suspend_with_device,
};
use crate::state::{Config, Device, Member, Partner, Status, SuspendedBy};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DeviceStatusSetArgs {
    pub status: Status,
}

#[derive(Accounts)]
pub struct DeviceStatusSet<'info> {
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device's vendor account (its authority may act on its own devices while active).
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
    /// The device's member (required when `device.member` is set): suspended, reinstated or
    /// ended together with the device.
    #[account(mut)]
    pub member: Option<Box<Account<'info, Member>>>,
}

impl DeviceStatusSet<'_> {
    /// The level the signer acts at: the protocol authority, or the device's active vendor.
    fn level(&self) -> Result<SuspendedBy> {
        let signer = self.authority.key();
        if signer == self.config.authority {
            return Ok(SuspendedBy::Protocol);
        }
        require_keys_eq!(signer, self.vendor.authority, RegistryError::Unauthorized);
        self.vendor.require_active()?;
        Ok(SuspendedBy::Vendor)
    }

    fn validate(&self, args: &DeviceStatusSetArgs) -> Result<()> {
        let level = self.level()?;
        // The protocol may also take over a vendor's suspension (so the vendor cannot lift it).
        let escalation = self.device.status == Status::Suspended
            && args.status == Status::Suspended
            && self.device.suspended_by == SuspendedBy::Vendor
            && level == SuspendedBy::Protocol;
        require!(
            self.device.status.can_become(args.status) || escalation,
            RegistryError::InvalidStatusTransition
        );
        // Lifting a suspension needs the level that imposed it, or above.
        if args.status == Status::Active {
            require!(
                !(self.device.suspended_by == SuspendedBy::Protocol
                    && level != SuspendedBy::Protocol),
                RegistryError::SuspendedByProtocol
            );
        }
        Ok(())
    }
}

/// Suspends, reinstates or revokes (terminal) a device; its member follows.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<DeviceStatusSet>, args: DeviceStatusSetArgs) -> Result<()> {
    let level = ctx.accounts.level()?;
    let accounts = &mut *ctx.accounts;
    let device = &mut accounts.device;
    let old_status = device.status;
    device.suspended_by = match args.status {
        Status::Suspended => level,
        _ => SuspendedBy::None,
    };
    if let Some(member) = device_member(device, &mut accounts.member)? {
        match args.status {
            Status::Suspended => suspend_with_device(member),
            Status::Active => reinstate_with_device(member),
            // `Ended` never passes `validate` (`can_become`); it would end the membership too.
            Status::Revoked | Status::Ended => end_with_device(device, member),
        }
    }
    let now = Clock::get()?.unix_timestamp;
    device.status = args.status;
    device.updated_at = now;
    emit!(DeviceStatusChanged {
        device: device.key(),
        old_status,
        new_status: args.status,
        authority: accounts.authority.key(),
        suspended_by: device.suspended_by,
        timestamp: now,
    });
    Ok(())
}
