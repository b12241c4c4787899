use anchor_lang::prelude::*;

use crate::constants::{SEED_NAME, SEED_REVERSE};
use crate::errors::RegistryError;
use crate::events::NameReleased;
use crate::identity::name_hash;
use crate::state::{Device, NameRecord, NameTargetKind, ReverseRecord};

#[derive(Accounts)]
pub struct NameRelease<'info> {
    #[account(
        mut,
        close = authority,
        seeds = [SEED_NAME, &name_hash(&name_record.name)],
        bump = name_record.bump,
    )]
    pub name_record: Box<Account<'info, NameRecord>>,
    #[account(
        mut,
        close = authority,
        seeds = [SEED_REVERSE, name_record.target.as_ref()],
        bump = reverse_record.bump,
    )]
    pub reverse_record: Box<Account<'info, ReverseRecord>>,
    /// CHECK: the name's target (address pinned to the record); `validate` refuses partner
    /// handles and loads a device (owner and discriminator checked) to read its owner.
    #[account(address = name_record.target @ RegistryError::InvalidNameTarget)]
    pub target: UncheckedAccount<'info>,
    /// The device's current claimed owner; receives the rent of both records.
    #[account(mut)]
    pub authority: Signer<'info>,
}

impl NameRelease<'_> {
    fn validate(&self) -> Result<()> {
        // Partner handles are reserved for good; `target` being a `Device` refuses them too.
        require!(
            self.name_record.target_kind == NameTargetKind::Device,
            RegistryError::NameReserved
        );
        require_keys_eq!(
            *self.target.owner,
            crate::ID,
            RegistryError::InvalidNameTarget
        );
        let device = Device::try_deserialize(&mut &self.target.try_borrow_data()?[..])
            .map_err(|_| error!(RegistryError::InvalidNameTarget))?;
        device.require_owner(self.authority.key)
    }
}

/// Releases a device name and its reverse record (the device's current owner signs); the rent
/// returns to it. Partner handles cannot be released.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<NameRelease>) -> Result<()> {
    emit!(NameReleased {
        name_record: ctx.accounts.name_record.key(),
        name: ctx.accounts.name_record.name.clone(),
        target: ctx.accounts.name_record.target,
    });
    Ok(())
}
