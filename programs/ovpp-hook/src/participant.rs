//! "Active registry participant": a wallet with an active `Partner` or `Member` record.
//!
//! A member is active only while it is its device's one member and the device is active with
//! the wallet as its claimed owner: the registry suspends the member with the device and
//! ends it (`Status::Ended`) when the device is revoked or claimed by a new owner, so a
//! previous owner or the owner of a suspended or revoked device is not a participant here.
use anchor_lang::prelude::*;
use ovpp_registry::constants::{SEED_MEMBER, SEED_PARTNER};
use ovpp_registry::state::{Member, Partner, Status};

use crate::errors::HookError;

fn pda(seed: &[u8], wallet: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seed, wallet.as_ref()], &ovpp_registry::ID).0
}

/// True when `partner` or `member` is the wallet's active record. Both accounts must be at
/// their canonical addresses (so a look-alike cannot be substituted); either may be empty.
pub fn is_participant(
    wallet: &Pubkey,
    partner: &AccountInfo,
    member: &AccountInfo,
) -> Result<bool> {
    require_keys_eq!(
        partner.key(),
        pda(SEED_PARTNER, wallet),
        HookError::ParticipantAccountMismatch
    );
    require_keys_eq!(
        member.key(),
        pda(SEED_MEMBER, wallet),
        HookError::ParticipantAccountMismatch
    );
    if partner.owner == &ovpp_registry::ID {
        if let Ok(p) = Partner::try_deserialize(&mut &partner.try_borrow_data()?[..]) {
            if p.status == Status::Active {
                return Ok(true);
            }
        }
    }
    if member.owner == &ovpp_registry::ID {
        if let Ok(m) = Member::try_deserialize(&mut &member.try_borrow_data()?[..]) {
            return Ok(m.status == Status::Active);
        }
    }
    Ok(false)
}
