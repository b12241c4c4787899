use anchor_lang::prelude::*;

use crate::compressed::{tree_account_size, NOOP_PROGRAM_ID};
use crate::constants::{SEED_COMPRESSED_TREE, SEED_CONFIG};
use crate::errors::RegistryError;
use crate::events::CompressedTreeCreated;
use crate::state::{CompressedTree, Config, Partner, PartnerKind};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct CompressedTreeCreateArgs {
    /// A (depth, buffer) pair `spl-account-compression` supports, e.g. (20, 64).
    pub max_depth: u32,
    pub max_buffer_size: u32,
    /// Canopy levels kept on chain; the account must be sized for exactly this canopy.
    pub canopy_depth: u32,
}

#[derive(Accounts)]
pub struct CompressedTreeCreate<'info> {
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The protocol authority (a protocol tree), or the vendor's authority (a vendor tree).
    pub authority: Signer<'info>,
    /// The vendor, for a vendor tree (its authority signs).
    pub vendor: Option<Box<Account<'info, Partner>>>,
    /// CHECK: the empty tree account, allocated by the client for the account-compression
    /// program (`validate` checks owner and size; account-compression initialises it).
    #[account(mut)]
    pub merkle_tree: UncheckedAccount<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + CompressedTree::INIT_SPACE,
        seeds = [SEED_COMPRESSED_TREE, merkle_tree.key().as_ref()],
        bump,
    )]
    pub tree: Box<Account<'info, CompressedTree>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    /// CHECK: address pinned to spl-account-compression.
    #[account(address = spl_account_compression::ID)]
    pub compression_program: UncheckedAccount<'info>,
    /// CHECK: address pinned to spl-noop.
    #[account(address = NOOP_PROGRAM_ID)]
    pub noop_program: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl CompressedTreeCreate<'_> {
    fn validate(&self, args: &CompressedTreeCreateArgs) -> Result<()> {
        match &self.vendor {
            Some(vendor) => {
                require_keys_eq!(
                    vendor.authority,
                    self.authority.key(),
                    RegistryError::Unauthorized
                );
                require!(
                    vendor.kind == PartnerKind::Vendor,
                    RegistryError::PartnerNotVendor
                );
                vendor.require_active()?;
            }
            None => require_keys_eq!(
                self.config.authority,
                self.authority.key(),
                RegistryError::Unauthorized
            ),
        }
        require!(
            args.canopy_depth < args.max_depth
                && *self.merkle_tree.owner == spl_account_compression::ID
                && tree_account_size(args.max_depth, args.max_buffer_size, args.canopy_depth)
                    == Some(self.merkle_tree.data_len() as u64),
            RegistryError::InvalidTreeParams
        );
        Ok(())
    }
}

/// Creates a compressed-device tree whose authority is the registry PDA `["ctree", tree]`.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<CompressedTreeCreate>, args: CompressedTreeCreateArgs) -> Result<()> {
    let tree_key = ctx.accounts.merkle_tree.key();
    let bump = ctx.bumps.tree;
    let seeds: &[&[u8]] = &[SEED_COMPRESSED_TREE, tree_key.as_ref(), &[bump]];
    // Built by hand: account-compression's `Initialize` context declares the tree read-only,
    // but `init_empty_merkle_tree` writes it, so the CPI must pass it writable.
    let ix = anchor_lang::solana_program::instruction::Instruction {
        program_id: spl_account_compression::ID,
        accounts: vec![
            AccountMeta::new(tree_key, false),
            AccountMeta::new_readonly(ctx.accounts.tree.key(), true),
            AccountMeta::new_readonly(NOOP_PROGRAM_ID, false),
        ],
        data: anchor_lang::InstructionData::data(
            &spl_account_compression::instruction::InitEmptyMerkleTree {
                max_depth: args.max_depth,
                max_buffer_size: args.max_buffer_size,
            },
        ),
    };
    anchor_lang::solana_program::program::invoke_signed(
        &ix,
        &[
            ctx.accounts.merkle_tree.to_account_info(),
            ctx.accounts.tree.to_account_info(),
            ctx.accounts.noop_program.to_account_info(),
            ctx.accounts.compression_program.to_account_info(),
        ],
        &[seeds],
    )?;
    let vendor = ctx
        .accounts
        .vendor
        .as_ref()
        .map_or(Pubkey::default(), |v| v.key());
    let tree = &mut ctx.accounts.tree;
    tree.version = 1;
    tree.bump = bump;
    tree.merkle_tree = tree_key;
    tree.vendor = vendor;
    tree.creator = ctx.accounts.authority.key();
    tree.max_depth = args.max_depth;
    tree.max_buffer_size = args.max_buffer_size;
    tree.canopy_depth = args.canopy_depth;
    tree.leaf_count = 0;
    tree.created_at = Clock::get()?.unix_timestamp;
    tree.reserved = [0; 32];
    emit!(CompressedTreeCreated {
        tree: tree.key(),
        merkle_tree: tree_key,
        vendor,
        creator: tree.creator,
        max_depth: args.max_depth,
        max_buffer_size: args.max_buffer_size,
        canopy_depth: args.canopy_depth,
    });
    Ok(())
}
