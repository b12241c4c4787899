use anchor_lang::prelude::*;

use super::compressed_device_claim::{tree_cpi, write_leaf, CompressedLeafArgs};
use crate::compressed::NOOP_PROGRAM_ID;
use crate::constants::SEED_COMPRESSED_TREE;
use crate::errors::RegistryError;
use crate::state::{CompressedChange, CompressedStatus, CompressedTree};

#[derive(Accounts)]
pub struct CompressedDeviceOwnerTransfer<'info> {
    /// The current (claimed) owner.
    pub owner: Signer<'info>,
    #[account(seeds = [SEED_COMPRESSED_TREE, merkle_tree.key().as_ref()], bump = tree.bump)]
    pub tree: Box<Account<'info, CompressedTree>>,
    /// CHECK: the tree account of `tree` (its PDA seeds); account-compression checks the rest.
    #[account(mut)]
    pub merkle_tree: UncheckedAccount<'info>,
    /// CHECK: address pinned to spl-account-compression.
    #[account(address = spl_account_compression::ID)]
    pub compression_program: UncheckedAccount<'info>,
    /// CHECK: address pinned to spl-noop.
    #[account(address = NOOP_PROGRAM_ID)]
    pub noop_program: UncheckedAccount<'info>,
}

impl CompressedDeviceOwnerTransfer<'_> {
    fn validate(&self, args: &CompressedLeafArgs, new_owner: &Pubkey) -> Result<()> {
        let data = &args.device.data;
        require!(
            data.owner != Pubkey::default(),
            RegistryError::DeviceUnclaimed
        );
        require_keys_eq!(data.owner, self.owner.key(), RegistryError::Unauthorized);
        require!(
            args.device.status == CompressedStatus::Active,
            RegistryError::DeviceNotActive
        );
        require!(
            *new_owner != Pubkey::default() && *new_owner != data.owner,
            RegistryError::InvalidOwner
        );
        Ok(())
    }
}

/// The owner proposes a new owner; it owns the device once it signs
/// `compressed_device_claim`.
#[access_control(ctx.accounts.validate(&args, &new_owner))]
pub fn handler<'info>(
    ctx: Context<'_, '_, 'info, 'info, CompressedDeviceOwnerTransfer<'info>>,
    args: CompressedLeafArgs,
    new_owner: Pubkey,
) -> Result<()> {
    let mut next = args.device;
    next.data.pending_owner = new_owner;
    next.data.nonce = next
        .data
        .nonce
        .checked_add(1)
        .ok_or(RegistryError::EpochOverflow)?;
    let accounts = &ctx.accounts;
    let (tree, merkle_tree) = (
        accounts.tree.to_account_info(),
        accounts.merkle_tree.to_account_info(),
    );
    let compression = accounts.compression_program.to_account_info();
    let noop = accounts.noop_program.to_account_info();
    write_leaf(
        &tree_cpi(&tree, accounts.tree.bump, &merkle_tree, &compression, &noop),
        ctx.remaining_accounts,
        &args,
        next,
        CompressedChange::TransferProposed,
    )
}
