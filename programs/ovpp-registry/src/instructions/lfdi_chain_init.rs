use anchor_lang::prelude::*;

use crate::compressed::{head_body, leaf_hash, TreeCpi, LFDI_MAX, LFDI_MIN, NOOP_PROGRAM_ID};
use crate::constants::{SEED_COMPRESSED_TREE, SEED_CONFIG, SEED_LFDI_CHAIN};
use crate::errors::RegistryError;
use crate::events::LfdiChainInitialized;
use crate::state::{CompressedTree, Config, LfdiChain};

#[derive(Accounts)]
pub struct LfdiChainInit<'info> {
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The protocol authority.
    #[account(address = config.authority @ RegistryError::Unauthorized)]
    pub authority: Signer<'info>,
    /// Exists once: the chain has exactly one head.
    #[account(
        init,
        payer = payer,
        space = 8 + LfdiChain::INIT_SPACE,
        seeds = [SEED_LFDI_CHAIN],
        bump,
    )]
    pub chain: Box<Account<'info, LfdiChain>>,
    #[account(
        mut,
        seeds = [SEED_COMPRESSED_TREE, merkle_tree.key().as_ref()],
        bump = tree.bump,
    )]
    pub tree: Box<Account<'info, CompressedTree>>,
    /// CHECK: the tree account of `tree` (its PDA seeds); account-compression checks the rest.
    #[account(mut)]
    pub merkle_tree: UncheckedAccount<'info>,
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

/// Appends the head of the registry-wide LFDI chain, `(0^20, 0xFF^20)` (protocol authority,
/// once).
pub fn handler(ctx: Context<LfdiChainInit>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let index =
        u32::try_from(accounts.tree.leaf_count).map_err(|_| RegistryError::InvalidTreeParams)?;
    let leaf = leaf_hash(&LFDI_MIN, &LFDI_MAX, &head_body());
    TreeCpi {
        compression_program: &accounts.compression_program.to_account_info(),
        noop_program: &accounts.noop_program.to_account_info(),
        merkle_tree: &accounts.merkle_tree.to_account_info(),
        authority: &accounts.tree.to_account_info(),
        authority_bump: accounts.tree.bump,
    }
    .append(leaf)?;
    accounts.tree.leaf_count = accounts
        .tree
        .leaf_count
        .checked_add(1)
        .ok_or(RegistryError::InvalidTreeParams)?;
    let chain = &mut accounts.chain;
    chain.bump = ctx.bumps.chain;
    chain.merkle_tree = accounts.merkle_tree.key();
    chain.index = index;
    emit!(LfdiChainInitialized {
        merkle_tree: chain.merkle_tree,
        index,
        leaf,
    });
    Ok(())
}
