//! The member lifecycle follows its device: one member per device (`Device::member`),
//! suspended and reinstated with the device, ended when the device is revoked or changes
//! owner. Instructions that change a device's status or owner take the device's member account
//! (optional, required when `device.member` is set) and call these.
use anchor_lang::prelude::*;

use crate::errors::RegistryError;
use crate::events::MemberStatusChanged;
use crate::state::{Device, Member, Status};

/// Returns the device's member account, checking it is the one the device records. `None`
/// when the device has no member; a member passed for a device without one is refused.
pub fn device_member<'a, 'info>(
    device: &Device,
    member: &'a mut Option<Box<Account<'info, Member>>>,
) -> Result<Option<&'a mut Box<Account<'info, Member>>>> {
    if device.member == Pubkey::default() {
        require!(member.is_none(), RegistryError::MemberMismatch);
        return Ok(None);
    }
    let m = member.as_mut().ok_or(RegistryError::MemberMismatch)?;
    require_keys_eq!(m.key(), device.member, RegistryError::MemberMismatch);
    Ok(Some(m))
}

fn set_status(member: &mut Account<Member>, status: Status) {
    let old_status = member.status;
    if old_status == status {
        return;
    }
    member.status = status;
    emit!(MemberStatusChanged {
        member: member.key(),
        old_status,
        new_status: status,
        device: member.device,
    });
}

/// The device was suspended: an active member is suspended with it.
pub fn suspend_with_device(member: &mut Account<Member>) {
    if member.status == Status::Active {
        member.suspended_with_device = true;
        set_status(member, Status::Suspended);
    }
}

/// The device was reinstated: a member suspended with it (not one the protocol suspended on
/// its own) is reinstated too.
pub fn reinstate_with_device(member: &mut Account<Member>) {
    if member.status == Status::Suspended && member.suspended_with_device {
        member.suspended_with_device = false;
        set_status(member, Status::Active);
    }
}

/// The device was revoked or changed owner: the membership ends (a protocol revocation stays
/// as it is) and the device no longer has a member.
pub fn end_with_device(device: &mut Device, member: &mut Account<Member>) {
    if member.status != Status::Revoked {
        member.suspended_with_device = false;
        set_status(member, Status::Ended);
    }
    device.member = Pubkey::default();
}
