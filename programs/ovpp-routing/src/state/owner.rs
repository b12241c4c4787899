use anchor_lang::prelude::*;
use ovpp_registry::state::Device;

use crate::errors::RoutingError;

/// `signer` is the device's claimed owner (an unclaimed device has no owner to act for it).
pub fn require_claimed_owner(device: &Device, signer: &Pubkey) -> Result<()> {
    require!(
        device.owner != Pubkey::default(),
        RoutingError::DeviceUnclaimed
    );
    require_keys_eq!(*signer, device.owner, RoutingError::Unauthorized);
    Ok(())
}
