use anchor_lang::prelude::*;

use crate::constants::SEED_DEVICE;
use crate::errors::RegistryError;
use crate::events::DeviceTransferCancelled;
use crate::state::Device;

#[derive(Accounts)]
pub struct DeviceTransferCancel<'info> {
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
    )]
    pub device: Box<Account<'info, Device>>,
    /// The current (claimed) owner.
    pub owner: Signer<'info>,
}

impl DeviceTransferCancel<'_> {
    fn validate(&self) -> Result<()> {
        self.device.require_owner(self.owner.key)?;
        require!(
            self.device.pending_owner != Pubkey::default(),
            RegistryError::NotPendingOwner
        );
        Ok(())
    }
}

/// Withdraws a pending ownership transfer (the owner signs).
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<DeviceTransferCancel>) -> Result<()> {
    let device = &mut ctx.accounts.device;
    let cancelled_owner = device.pending_owner;
    device.pending_owner = Pubkey::default();
    device.updated_at = Clock::get()?.unix_timestamp;
    emit!(DeviceTransferCancelled {
        device: device.key(),
        owner: device.owner,
        cancelled_owner,
    });
    Ok(())
}
