use anchor_lang::prelude::*;

use crate::compressed::{device_leaf, sequence_number, TreeCpi, NOOP_PROGRAM_ID};
use crate::constants::SEED_COMPRESSED_TREE;
use crate::errors::RegistryError;
use crate::events::CompressedDeviceChanged;
use crate::state::{CompressedChange, CompressedDevice, CompressedStatus, CompressedTree};

/// A compressed device as it is now, where it is, and a recent root of its tree; the proof
/// nodes are the remaining accounts.
#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct CompressedLeafArgs {
    pub device: CompressedDevice,
    pub index: u32,
    pub root: [u8; 32],
}

#[derive(Accounts)]
pub struct CompressedDeviceClaim<'info> {
    /// The pending owner accepts the device.
    pub new_owner: Signer<'info>,
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

impl CompressedDeviceClaim<'_> {
    fn validate(&self, args: &CompressedLeafArgs) -> Result<()> {
        let data = &args.device.data;
        require!(
            data.pending_owner != Pubkey::default() && data.pending_owner == self.new_owner.key(),
            RegistryError::NotPendingOwner
        );
        require!(
            args.device.status == CompressedStatus::Active,
            RegistryError::DeviceNotActive
        );
        Ok(())
    }
}

/// The leaf CPI accounts of a single-tree instruction.
pub fn tree_cpi<'a, 'info>(
    tree: &'a AccountInfo<'info>,
    bump: u8,
    merkle_tree: &'a AccountInfo<'info>,
    compression_program: &'a AccountInfo<'info>,
    noop_program: &'a AccountInfo<'info>,
) -> TreeCpi<'a, 'info> {
    TreeCpi {
        compression_program,
        noop_program,
        merkle_tree,
        authority: tree,
        authority_bump: bump,
    }
}

/// Replaces the leaf `args` proves with `next` (a registry change with its event).
pub fn write_leaf<'info>(
    cpi: &TreeCpi<'_, 'info>,
    proof: &[AccountInfo<'info>],
    args: &CompressedLeafArgs,
    next: CompressedDevice,
    change: CompressedChange,
) -> Result<()> {
    let old_leaf = device_leaf(&args.device)?;
    let new_leaf = device_leaf(&next)?;
    cpi.replace(args.root, old_leaf, new_leaf, args.index, proof)?;
    emit!(CompressedDeviceChanged {
        merkle_tree: cpi.merkle_tree.key(),
        index: args.index,
        seq: sequence_number(cpi.merkle_tree)?,
        leaf: new_leaf,
        change,
        device: next,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}

/// The pending owner of an active compressed device accepts it: a new ownership epoch.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler<'info>(
    ctx: Context<'_, '_, 'info, 'info, CompressedDeviceClaim<'info>>,
    args: CompressedLeafArgs,
) -> Result<()> {
    let mut next = args.device;
    next.data.owner = next.data.pending_owner;
    next.data.pending_owner = Pubkey::default();
    next.data.owner_epoch = next
        .data
        .owner_epoch
        .checked_add(1)
        .ok_or(RegistryError::EpochOverflow)?;
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
        CompressedChange::Claimed,
    )
}
