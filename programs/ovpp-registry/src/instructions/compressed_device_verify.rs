use anchor_lang::prelude::*;

use super::compressed_device_claim::CompressedLeafArgs;
use crate::compressed::{device_leaf, verify};
use crate::constants::SEED_COMPRESSED_TREE;
use crate::errors::RegistryError;
use crate::state::{CompressedStatus, CompressedTree};

#[derive(Accounts)]
pub struct CompressedDeviceVerify<'info> {
    #[account(seeds = [SEED_COMPRESSED_TREE, merkle_tree.key().as_ref()], bump = tree.bump)]
    pub tree: Box<Account<'info, CompressedTree>>,
    /// CHECK: the tree account of `tree` (its PDA seeds), read-only: verification does not
    /// write-lock the tree, so settlements in one block share it.
    pub merkle_tree: UncheckedAccount<'info>,
    /// CHECK: address pinned to spl-account-compression.
    #[account(address = spl_account_compression::ID)]
    pub compression_program: UncheckedAccount<'info>,
}

impl CompressedDeviceVerify<'_> {
    fn validate(&self, args: &CompressedLeafArgs) -> Result<()> {
        require!(
            args.device.status == CompressedStatus::Active,
            RegistryError::DeviceNotActive
        );
        Ok(())
    }
}

/// Succeeds only if `args.device` is an active compressed device at `args.index` of the
/// tree (the proof nodes are the remaining accounts). Changes nothing.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler<'info>(
    ctx: Context<'_, '_, 'info, 'info, CompressedDeviceVerify<'info>>,
    args: CompressedLeafArgs,
) -> Result<()> {
    verify(
        &ctx.accounts.compression_program.to_account_info(),
        &ctx.accounts.merkle_tree.to_account_info(),
        args.root,
        device_leaf(&args.device)?,
        args.index,
        ctx.remaining_accounts,
    )
}
