use anchor_lang::prelude::*;

use crate::constants::{MAX_NAME_LEN, SEED_SKELETON};
use crate::errors::RegistryError;
use crate::identity::skeleton_hash;

/// A partner handle's confusable skeleton (`identity::skeleton`), at
/// `["skeleton", sha256(skeleton(handle))]`: names with this skeleton are reserved to the partner.
/// Created by `partner_register`; never closed (handles are never released).
#[account]
#[derive(InitSpace)]
pub struct SkeletonRecord {
    /// Canonical bump.
    pub bump: u8,
    /// The partner whose handle has this skeleton.
    pub partner: Pubkey,
    /// The partner's authority: the one key that may register look-alike names.
    pub authority: Pubkey,
    /// The handle itself (exactly this name keeps today's handle rules).
    #[max_len(MAX_NAME_LEN)]
    pub handle: String,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}

/// The skeleton record address of `name` and its bump.
pub fn skeleton_pda(name: &str) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[SEED_SKELETON, skeleton_hash(name).as_ref()], &crate::ID)
}

/// Reads the skeleton reservation at `account`, which must be the PDA of `name`'s skeleton
/// (`SkeletonAccountMismatch` otherwise). An account this program does not own there (nothing
/// created yet, or lamports only) is no reservation: only this program can create one.
pub fn read_skeleton(account: &AccountInfo, name: &str) -> Result<Option<SkeletonRecord>> {
    require_keys_eq!(
        account.key(),
        skeleton_pda(name).0,
        RegistryError::SkeletonAccountMismatch
    );
    if *account.owner != crate::ID {
        return Ok(None);
    }
    let record = SkeletonRecord::try_deserialize(&mut &account.try_borrow_data()?[..])?;
    Ok(Some(record))
}

/// Refuses `name` (a whole name or its namespace label) when it looks like another partner's
/// handle: a skeleton reservation exists for it, the name is not exactly that handle (the
/// handle itself keeps today's rules: it is taken, and `x.handle` is its namespace) and the
/// registrant is not the partner's authority (`NameConfusableWithHandle`).
pub fn check_confusable(account: &AccountInfo, name: &str, registrant: &Pubkey) -> Result<()> {
    if let Some(record) = read_skeleton(account, name)? {
        if record.handle != name {
            require_keys_eq!(
                record.authority,
                *registrant,
                RegistryError::NameConfusableWithHandle
            );
        }
    }
    Ok(())
}
