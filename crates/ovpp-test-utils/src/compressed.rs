//! Builders for compressed devices (`ovpp_registry` compressed_* instructions) and an
//! off-chain mirror of a tree that serves proofs and roots, as the indexer does.
use anchor_lang::solana_program::keccak::hashv;
use ovpp_registry::accounts as acc;
use ovpp_registry::compressed::{device_leaf, tree_account_size, NOOP_PROGRAM_ID};
use ovpp_registry::constants::*;
use ovpp_registry::instruction as ix;
use ovpp_registry::instructions::*;
use ovpp_registry::state::*;
use ovpp_registry::ID;
use solana_sdk::instruction::{AccountMeta, Instruction};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::rent::Rent;

use crate::harness::anchor_ix;
use crate::registry::{ca_index_pda, cert_pda, config_pda, partner_pda};

pub use spl_account_compression::error::AccountCompressionError;
pub use spl_account_compression::ID as COMPRESSION_ID;

/// What account-compression returns for a forged, stale, foreign or replayed proof (its
/// `ConcurrentMerkleTreeError`, code 6001).
pub fn merkle_error() -> u32 {
    6000 + AccountCompressionError::ConcurrentMerkleTreeError as u32
}

pub fn compressed_tree_pda(merkle_tree: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_COMPRESSED_TREE, merkle_tree.as_ref()], &ID).0
}

pub fn lfdi_chain_pda() -> Pubkey {
    Pubkey::find_program_address(&[SEED_LFDI_CHAIN], &ID).0
}

/// The system instruction allocating an empty tree account for account-compression.
pub fn tree_account_create(
    payer: Pubkey,
    merkle_tree: Pubkey,
    max_depth: u32,
    max_buffer_size: u32,
    canopy_depth: u32,
) -> Instruction {
    let space = tree_account_size(max_depth, max_buffer_size, canopy_depth).expect("size");
    solana_system_interface::instruction::create_account(
        &payer,
        &merkle_tree,
        Rent::default().minimum_balance(space as usize),
        space,
        &COMPRESSION_ID,
    )
}

/// `vendor_authority`: `Some` for a vendor tree (it signs), `None` for a protocol tree (the
/// protocol authority `authority` signs).
pub fn compressed_tree_create(
    authority: Pubkey,
    vendor_authority: Option<Pubkey>,
    merkle_tree: Pubkey,
    payer: Pubkey,
    args: CompressedTreeCreateArgs,
) -> Instruction {
    anchor_ix(
        ID,
        acc::CompressedTreeCreate {
            config: config_pda(),
            authority,
            vendor: vendor_authority.map(|a| partner_pda(&a)),
            merkle_tree,
            tree: compressed_tree_pda(&merkle_tree),
            payer,
            compression_program: COMPRESSION_ID,
            noop_program: NOOP_PROGRAM_ID,
            system_program: anchor_lang::system_program::ID,
        },
        ix::CompressedTreeCreate { args },
    )
}

pub fn lfdi_chain_init(authority: Pubkey, merkle_tree: Pubkey, payer: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::LfdiChainInit {
            config: config_pda(),
            authority,
            chain: lfdi_chain_pda(),
            tree: compressed_tree_pda(&merkle_tree),
            merkle_tree,
            payer,
            compression_program: COMPRESSION_ID,
            noop_program: NOOP_PROGRAM_ID,
            system_program: anchor_lang::system_program::ID,
        },
        ix::LfdiChainInit {},
    )
}

pub fn compressed_device_register(
    vendor_authority: Pubkey,
    merkle_tree: Pubkey,
    args: CompressedDeviceRegisterArgs,
) -> Instruction {
    anchor_ix(
        ID,
        acc::CompressedDeviceRegister {
            vendor: partner_pda(&vendor_authority),
            vendor_authority,
            issuer_ca_index: ca_index_pda(&args.issuer_ca),
            tree: compressed_tree_pda(&merkle_tree),
            merkle_tree,
            compression_program: COMPRESSION_ID,
            noop_program: NOOP_PROGRAM_ID,
        },
        ix::CompressedDeviceRegister { args },
    )
}

fn with_proof(mut ix: Instruction, proof: &[[u8; 32]]) -> Instruction {
    ix.accounts.extend(
        proof
            .iter()
            .map(|n| AccountMeta::new_readonly(Pubkey::new_from_array(*n), false)),
    );
    ix
}

/// `low_merkle_tree`: the low leaf's tree when it is not `merkle_tree`.
pub fn compressed_device_activate(
    device_key: Pubkey,
    vendor: Pubkey,
    merkle_tree: Pubkey,
    low_merkle_tree: Option<Pubkey>,
    args: CompressedDeviceActivateArgs,
    low_proof: &[[u8; 32]],
    proof: &[[u8; 32]],
) -> Instruction {
    let mut args = args;
    args.low_proof_len = u8::try_from(low_proof.len()).expect("proof");
    let cert_index = cert_pda(&{
        let mut fp = [0u8; 32];
        fp[..20].copy_from_slice(&args.lfdi);
        fp
    });
    let mut all = low_proof.to_vec();
    all.extend_from_slice(proof);
    with_proof(
        anchor_ix(
            ID,
            acc::CompressedDeviceActivate {
                device_key,
                vendor,
                tree: compressed_tree_pda(&merkle_tree),
                merkle_tree,
                low_tree: low_merkle_tree.map(|t| compressed_tree_pda(&t)),
                low_merkle_tree,
                cert_index,
                compression_program: COMPRESSION_ID,
                noop_program: NOOP_PROGRAM_ID,
            },
            ix::CompressedDeviceActivate { args },
        ),
        &all,
    )
}

pub fn compressed_device_claim(
    new_owner: Pubkey,
    merkle_tree: Pubkey,
    args: CompressedLeafArgs,
    proof: &[[u8; 32]],
) -> Instruction {
    with_proof(
        anchor_ix(
            ID,
            acc::CompressedDeviceClaim {
                new_owner,
                tree: compressed_tree_pda(&merkle_tree),
                merkle_tree,
                compression_program: COMPRESSION_ID,
                noop_program: NOOP_PROGRAM_ID,
            },
            ix::CompressedDeviceClaim { args },
        ),
        proof,
    )
}

pub fn compressed_device_owner_transfer(
    owner: Pubkey,
    merkle_tree: Pubkey,
    args: CompressedLeafArgs,
    new_owner: Pubkey,
    proof: &[[u8; 32]],
) -> Instruction {
    with_proof(
        anchor_ix(
            ID,
            acc::CompressedDeviceOwnerTransfer {
                owner,
                tree: compressed_tree_pda(&merkle_tree),
                merkle_tree,
                compression_program: COMPRESSION_ID,
                noop_program: NOOP_PROGRAM_ID,
            },
            ix::CompressedDeviceOwnerTransfer { args, new_owner },
        ),
        proof,
    )
}

pub fn compressed_device_status_set(
    authority: Pubkey,
    merkle_tree: Pubkey,
    args: CompressedLeafArgs,
    status: CompressedStatus,
    proof: &[[u8; 32]],
) -> Instruction {
    with_proof(
        anchor_ix(
            ID,
            acc::CompressedDeviceStatusSet {
                config: config_pda(),
                vendor: args.device.vendor,
                authority,
                tree: compressed_tree_pda(&merkle_tree),
                merkle_tree,
                compression_program: COMPRESSION_ID,
                noop_program: NOOP_PROGRAM_ID,
            },
            ix::CompressedDeviceStatusSet { args, status },
        ),
        proof,
    )
}

pub fn compressed_device_verify(
    merkle_tree: Pubkey,
    args: CompressedLeafArgs,
    proof: &[[u8; 32]],
) -> Instruction {
    with_proof(
        anchor_ix(
            ID,
            acc::CompressedDeviceVerify {
                tree: compressed_tree_pda(&merkle_tree),
                merkle_tree,
                compression_program: COMPRESSION_ID,
            },
            ix::CompressedDeviceVerify { args },
        ),
        proof,
    )
}

/// An off-chain copy of one tree (what the indexer rebuilds from events): leaves by index,
/// roots and proofs. Empty leaves are zero, as in `spl-concurrent-merkle-tree`.
#[derive(Clone)]
pub struct TreeMirror {
    pub depth: u32,
    pub leaves: Vec<[u8; 32]>,
}

impl TreeMirror {
    pub fn new(depth: u32) -> Self {
        TreeMirror {
            depth,
            leaves: Vec::new(),
        }
    }

    pub fn append(&mut self, leaf: [u8; 32]) -> u32 {
        self.leaves.push(leaf);
        u32::try_from(self.leaves.len() - 1).unwrap()
    }

    pub fn set(&mut self, index: u32, leaf: [u8; 32]) {
        self.leaves[index as usize] = leaf;
    }

    /// Every level, leaves first (only the populated prefix plus empty-subtree hashes).
    fn levels(&self) -> Vec<Vec<[u8; 32]>> {
        let mut empty = [0u8; 32];
        let mut level: Vec<[u8; 32]> = self.leaves.clone();
        let mut out = Vec::new();
        for _ in 0..self.depth {
            if level.len() % 2 == 1 {
                level.push(empty);
            }
            out.push(level.clone());
            level = level
                .chunks(2)
                .map(|p| hashv(&[&p[0], &p[1]]).to_bytes())
                .collect();
            empty = hashv(&[&empty, &empty]).to_bytes();
            if level.is_empty() {
                level.push(empty);
            }
        }
        out.push(level);
        out
    }

    pub fn root(&self) -> [u8; 32] {
        self.levels().last().unwrap()[0]
    }

    /// The full proof (canopy 0): one sibling per level.
    pub fn proof(&self, index: u32) -> Vec<[u8; 32]> {
        let levels = self.levels();
        let mut empty = [0u8; 32];
        let mut proof = Vec::new();
        let mut i = index as usize;
        for level in levels.iter().take(self.depth as usize) {
            let sibling = i ^ 1;
            proof.push(level.get(sibling).copied().unwrap_or(empty));
            empty = hashv(&[&empty, &empty]).to_bytes();
            i >>= 1;
        }
        proof
    }

    pub fn leaf_args(&self, device: CompressedDevice, index: u32) -> CompressedLeafArgs {
        debug_assert_eq!(device_leaf(&device).unwrap(), self.leaves[index as usize]);
        CompressedLeafArgs {
            device,
            index,
            root: self.root(),
        }
    }
}
