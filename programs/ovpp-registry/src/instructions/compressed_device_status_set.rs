use anchor_lang::prelude::*;

use super::compressed_device_claim::{tree_cpi, write_leaf, CompressedLeafArgs};
use crate::compressed::NOOP_PROGRAM_ID;
use crate::constants::{SEED_COMPRESSED_TREE, SEED_CONFIG};
use crate::errors::RegistryError;
use crate::state::{
    CompressedChange, CompressedStatus, CompressedTree, Config, Partner, SuspendedBy,
};

#[derive(Accounts)]
#[instruction(args: CompressedLeafArgs)]
pub struct CompressedDeviceStatusSet<'info> {
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device's vendor account (the leaf names it).
    #[account(address = args.device.vendor @ RegistryError::VendorMismatch)]
    pub vendor: Box<Account<'info, Partner>>,
    /// The protocol authority or the vendor's authority.
    pub authority: Signer<'info>,
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

impl CompressedDeviceStatusSet<'_> {
    /// The protocol authority, or the device's active vendor (the rule of `device_status_set`).
    fn level(&self) -> Result<SuspendedBy> {
        let signer = self.authority.key();
        if signer == self.config.authority {
            return Ok(SuspendedBy::Protocol);
        }
        require_keys_eq!(signer, self.vendor.authority, RegistryError::Unauthorized);
        self.vendor.require_active()?;
        Ok(SuspendedBy::Vendor)
    }

    fn validate(&self, args: &CompressedLeafArgs, status: CompressedStatus) -> Result<()> {
        let level = self.level()?;
        let device = &args.device;
        let escalation = device.status == CompressedStatus::Suspended
            && status == CompressedStatus::Suspended
            && device.data.suspended_by == SuspendedBy::Vendor
            && level == SuspendedBy::Protocol;
        require!(
            device.status.can_become(status) || escalation,
            RegistryError::InvalidStatusTransition
        );
        if status == CompressedStatus::Active {
            require!(
                !(device.data.suspended_by == SuspendedBy::Protocol
                    && level != SuspendedBy::Protocol),
                RegistryError::SuspendedByProtocol
            );
        }
        Ok(())
    }
}

/// Suspends, reinstates or revokes (terminal; the LFDI stays in the chain) a compressed device.
#[access_control(ctx.accounts.validate(&args, status))]
pub fn handler<'info>(
    ctx: Context<'_, '_, 'info, 'info, CompressedDeviceStatusSet<'info>>,
    args: CompressedLeafArgs,
    status: CompressedStatus,
) -> Result<()> {
    let level = ctx.accounts.level()?;
    let mut next = args.device;
    next.status = status;
    next.data.suspended_by = match status {
        CompressedStatus::Suspended => level,
        _ => SuspendedBy::None,
    };
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
        CompressedChange::StatusChanged,
    )
}
