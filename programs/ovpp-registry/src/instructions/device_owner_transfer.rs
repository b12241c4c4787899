use anchor_lang::prelude::*;

use crate::constants::SEED_DEVICE;
use crate::errors::RegistryError;
use crate::events::DeviceTransferProposed;
use crate::state::Device;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DeviceOwnerTransferArgs {
    /// The owner-elect; it must sign `device_claim` before it owns the device.
    pub new_owner: Pubkey,
}

#[derive(Accounts)]
pub struct DeviceOwnerTransfer<'info> {
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
    )]
    pub device: Box<Account<'info, Device>>,
    /// The current (claimed) owner.
    pub owner: Signer<'info>,
}

impl DeviceOwnerTransfer<'_> {
    fn validate(&self, args: &DeviceOwnerTransferArgs) -> Result<()> {
        self.device.require_owner(self.owner.key)?;
        self.device.require_active()?;
        require!(
            args.new_owner != Pubkey::default() && args.new_owner != self.device.owner,
            RegistryError::InvalidOwner
        );
        Ok(())
    }
}

/// Proposes a new owner (house sale, fleet transfer). Nothing changes hands until the new
/// owner accepts with `device_claim`; the owner can withdraw with `device_transfer_cancel`.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<DeviceOwnerTransfer>, args: DeviceOwnerTransferArgs) -> Result<()> {
    let device = &mut ctx.accounts.device;
    device.pending_owner = args.new_owner;
    device.updated_at = Clock::get()?.unix_timestamp;
    emit!(DeviceTransferProposed {
        device: device.key(),
        owner: device.owner,
        pending_owner: args.new_owner,
    });
    Ok(())
}
