use anchor_lang::prelude::*;

/// `["extra-account-metas", mint]`: the transfer-hook validation account (interface-defined).
#[constant]
pub const SEED_EXTRA_ACCOUNT_METAS: &[u8] = b"extra-account-metas";

/// The payments program, whose configuration PDA is the mint authority of every unit mint
/// this hook serves (checked to refuse foreign mints that point their hook here).
pub const PAYMENTS_PROGRAM_ID: Pubkey = pubkey!("4BiRo3RvCMhHHwT2L1rcWvhZu6KV2pCgaEWxDHgWaBiJ");

/// Seed of the payments configuration PDA (`ovpp_payments::constants::SEED_PAYMENTS`).
pub const PAYMENTS_CONFIG_SEED: &[u8] = b"payments";

/// Offset of the owner field in an SPL token account.
pub const TOKEN_ACCOUNT_OWNER_OFFSET: u8 = 32;
