use anchor_lang::prelude::*;

use crate::compressed::{
    body_hash, is_valid_lfdi, leaf_hash, link_leaf, sequence_number, TreeCpi, NOOP_PROGRAM_ID,
};
use crate::constants::{LFDI_LEN, SEED_CERT, SEED_COMPRESSED_TREE};
use crate::errors::RegistryError;
use crate::events::CompressedDeviceActivated;
use crate::state::{ChainLink, CompressedStatus, CompressedTree, Partner};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct CompressedDeviceActivateArgs {
    /// The device's LFDI (its leaf's first field).
    pub lfdi: [u8; LFDI_LEN],
    /// `data_hash` of the provisioned leaf (the data does not change here).
    pub data_hash: [u8; 32],
    /// The provisioned leaf's index and a recent root of its tree.
    pub index: u32,
    pub root: [u8; 32],
    /// The low leaf: the chain link whose interval strictly contains `lfdi`.
    pub low: ChainLink,
    pub low_index: u32,
    pub low_root: [u8; 32],
    /// The first `low_proof_len` remaining accounts prove the low leaf; the rest prove the
    /// device's leaf.
    pub low_proof_len: u8,
}

#[derive(Accounts)]
#[instruction(args: CompressedDeviceActivateArgs)]
pub struct CompressedDeviceActivate<'info> {
    /// The device key signs its own activation (proof of possession, as in `device_register`).
    pub device_key: Signer<'info>,
    /// The vendor named in the leaf (it enters the leaf hash); it must still be active.
    pub vendor: Box<Account<'info, Partner>>,
    #[account(seeds = [SEED_COMPRESSED_TREE, merkle_tree.key().as_ref()], bump = tree.bump)]
    pub tree: Box<Account<'info, CompressedTree>>,
    /// CHECK: the tree account of `tree` (its PDA seeds); account-compression checks the rest.
    #[account(mut)]
    pub merkle_tree: UncheckedAccount<'info>,
    /// The low leaf's registry tree, when it is not `tree` (`validate` checks it names
    /// `low_merkle_tree`; one registry tree account exists per tree).
    pub low_tree: Option<Box<Account<'info, CompressedTree>>>,
    /// CHECK: the tree account `low_tree` names (checked in `validate`).
    #[account(mut)]
    pub low_merkle_tree: Option<UncheckedAccount<'info>>,
    /// CHECK: `["cert", lfdi]`, a full device's LFDI index (address pinned by seeds); it must
    /// not be a registry account, or the LFDI is taken by a full device.
    #[account(seeds = [SEED_CERT, args.lfdi.as_ref()], bump)]
    pub cert_index: UncheckedAccount<'info>,
    /// CHECK: address pinned to spl-account-compression.
    #[account(address = spl_account_compression::ID)]
    pub compression_program: UncheckedAccount<'info>,
    /// CHECK: address pinned to spl-noop.
    #[account(address = NOOP_PROGRAM_ID)]
    pub noop_program: UncheckedAccount<'info>,
}

impl CompressedDeviceActivate<'_> {
    fn validate(&self, args: &CompressedDeviceActivateArgs) -> Result<()> {
        self.vendor.require_active()?;
        match (&self.low_tree, &self.low_merkle_tree) {
            (None, None) => {}
            (Some(tree), Some(merkle_tree)) => require_keys_eq!(
                tree.merkle_tree,
                merkle_tree.key(),
                RegistryError::InvalidTreeParams
            ),
            _ => return err!(RegistryError::InvalidTreeParams),
        }
        require!(is_valid_lfdi(&args.lfdi), RegistryError::InvalidFingerprint);
        // A full device holds this LFDI (its index is never closed).
        require!(
            *self.cert_index.owner != crate::ID,
            RegistryError::LfdiTaken
        );
        let low = &args.low;
        require!(
            args.lfdi != low.lfdi && args.lfdi != low.next_lfdi,
            RegistryError::LfdiTaken
        );
        // A linked leaf (provisioned leaves have next_lfdi = 0) whose interval holds lfdi.
        require!(
            low.lfdi < args.lfdi && args.lfdi < low.next_lfdi,
            RegistryError::LfdiNotInInterval
        );
        Ok(())
    }
}

/// The device key activates its provisioned leaf: proves its LFDI is in no linked leaf (the
/// low leaf's interval holds it) and links it into the registry-wide LFDI chain.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler<'info>(
    ctx: Context<'_, '_, 'info, 'info, CompressedDeviceActivate<'info>>,
    args: CompressedDeviceActivateArgs,
) -> Result<()> {
    let accounts = &ctx.accounts;
    let split = usize::from(args.low_proof_len);
    require!(
        split <= ctx.remaining_accounts.len(),
        RegistryError::InvalidTreeParams
    );
    let (low_proof, proof) = ctx.remaining_accounts.split_at(split);
    let device_key = accounts.device_key.key();
    let vendor = accounts.vendor.key();
    let low = &args.low;

    let compression_program = accounts.compression_program.to_account_info();
    let noop_program = accounts.noop_program.to_account_info();
    let merkle_tree = accounts.merkle_tree.to_account_info();
    let authority = accounts.tree.to_account_info();
    let (low_merkle_tree, low_authority, low_bump) =
        match (&accounts.low_tree, &accounts.low_merkle_tree) {
            (Some(t), Some(m)) => (m.to_account_info(), t.to_account_info(), t.bump),
            _ => (merkle_tree.clone(), authority.clone(), accounts.tree.bump),
        };

    // 1. The low leaf now ends at this LFDI.
    let low_old = link_leaf(low);
    let low_new = leaf_hash(&low.lfdi, &args.lfdi, &low.body);
    TreeCpi {
        compression_program: &compression_program,
        noop_program: &noop_program,
        merkle_tree: &low_merkle_tree,
        authority: &low_authority,
        authority_bump: low_bump,
    }
    .replace(args.low_root, low_old, low_new, args.low_index, low_proof)?;
    let low_seq = sequence_number(&low_merkle_tree)?;

    // 2. The provisioned leaf becomes active, linked to the low leaf's old successor.
    let old_body = body_hash(
        &device_key,
        &vendor,
        CompressedStatus::Provisioned,
        &args.data_hash,
    );
    let new_body = body_hash(
        &device_key,
        &vendor,
        CompressedStatus::Active,
        &args.data_hash,
    );
    let old_leaf = leaf_hash(&args.lfdi, &[0; LFDI_LEN], &old_body);
    let new_leaf = leaf_hash(&args.lfdi, &low.next_lfdi, &new_body);
    TreeCpi {
        compression_program: &compression_program,
        noop_program: &noop_program,
        merkle_tree: &merkle_tree,
        authority: &authority,
        authority_bump: accounts.tree.bump,
    }
    .replace(args.root, old_leaf, new_leaf, args.index, proof)?;

    emit!(CompressedDeviceActivated {
        merkle_tree: merkle_tree.key(),
        index: args.index,
        seq: sequence_number(&merkle_tree)?,
        leaf: new_leaf,
        device_key,
        vendor,
        lfdi: args.lfdi,
        next_lfdi: low.next_lfdi,
        data_hash: args.data_hash,
        low_merkle_tree: low_merkle_tree.key(),
        low_index: args.low_index,
        low_seq,
        low_leaf: low_new,
        low_lfdi: low.lfdi,
        low_body: low.body,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
