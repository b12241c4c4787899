use anchor_lang::prelude::*;

use crate::constants::SEED_DEVICE;
use crate::errors::RegistryError;
use crate::events::DeviceOwnerTransferred;
use crate::state::Device;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DeviceOwnerTransferArgs {
    pub new_owner: Pubkey,
}

#[derive(Accounts)]
pub struct DeviceOwnerTransfer<'info> {
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
        has_one = owner @ RegistryError::Unauthorized,
    )]
    pub device: Box<Account<'info, Device>>,
    pub owner: Signer<'info>,
}

impl DeviceOwnerTransfer<'_> {
    fn validate(&self, args: &DeviceOwnerTransferArgs) -> Result<()> {
        self.device.require_active()?;
        require!(
            args.new_owner != Pubkey::default() && args.new_owner != self.device.owner,
            RegistryError::InvalidOwner
        );
        Ok(())
    }
}

/// Hands a device to a new owner (house sale, fleet transfer).
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<DeviceOwnerTransfer>, args: DeviceOwnerTransferArgs) -> Result<()> {
    let device = &mut ctx.accounts.device;
    let old_owner = device.owner;
    device.owner = args.new_owner;
    device.updated_at = Clock::get()?.unix_timestamp;
    emit!(DeviceOwnerTransferred {
        device: device.key(),
        old_owner,
        new_owner: args.new_owner,
    });
    Ok(())
}
