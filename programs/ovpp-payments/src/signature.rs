//! Device-signed meter readings, verified through the ed25519 precompile.
//!
//! The transaction carries `Ed25519Program` immediately before `meter_settle`. The runtime
//! has already checked that signature when this program runs; what remains is to make sure
//! the precompile checked *our* message with *the device's* key, and that all its offsets
//! point inside that same instruction (so a signature over other bytes cannot be substituted).
use anchor_lang::prelude::*;
use anchor_lang::solana_program::sysvar::instructions::{
    load_current_index_checked, load_instruction_at_checked,
};

use crate::constants::READING_DOMAIN;
use crate::errors::PaymentsError;

/// `Ed25519SigVerify111111111111111111111111111`
pub const ED25519_PROGRAM_ID: Pubkey = pubkey!("Ed25519SigVerify111111111111111111111111111");

/// Reading fields covered by the device signature.
#[derive(Clone, Copy, Debug)]
pub struct Reading {
    /// The tariff revision the device priced the reading at.
    pub revision: u32,
    pub seq: u64,
    pub interval_start: i64,
    pub import_wh: u64,
    pub export_wh: u64,
}

/// The exact bytes a device signs: domain tag, program id, device key, tariff, tariff
/// revision, then the little-endian reading fields.
pub fn reading_message(device_key: &Pubkey, tariff: &Pubkey, r: &Reading) -> Vec<u8> {
    let mut m = Vec::with_capacity(READING_DOMAIN.len() + 32 * 3 + 4 + 32);
    m.extend_from_slice(READING_DOMAIN);
    m.extend_from_slice(crate::ID.as_ref());
    m.extend_from_slice(device_key.as_ref());
    m.extend_from_slice(tariff.as_ref());
    m.extend_from_slice(&r.revision.to_le_bytes());
    m.extend_from_slice(&r.seq.to_le_bytes());
    m.extend_from_slice(&r.interval_start.to_le_bytes());
    m.extend_from_slice(&r.import_wh.to_le_bytes());
    m.extend_from_slice(&r.export_wh.to_le_bytes());
    m
}

fn u16_at(data: &[u8], at: usize) -> Result<u16> {
    let bytes = data
        .get(at..at + 2)
        .ok_or(PaymentsError::InvalidSignatureInstruction)?;
    Ok(u16::from_le_bytes([bytes[0], bytes[1]]))
}

/// Checks that the instruction just before the current one is an ed25519 precompile call
/// with exactly one signature by `signer` over `message`, all data inline.
pub fn verify_previous_ed25519(
    instructions_sysvar: &AccountInfo,
    signer: &Pubkey,
    message: &[u8],
) -> Result<()> {
    let current = load_current_index_checked(instructions_sysvar)?;
    let previous = current
        .checked_sub(1)
        .ok_or(PaymentsError::MissingSignature)?;
    let ix = load_instruction_at_checked(usize::from(previous), instructions_sysvar)?;
    require_keys_eq!(
        ix.program_id,
        ED25519_PROGRAM_ID,
        PaymentsError::MissingSignature
    );
    let data = &ix.data;
    require!(
        data.len() >= 16 && data[0] == 1,
        PaymentsError::InvalidSignatureInstruction
    );
    // Offsets struct at 2: sig_off, sig_ix, pk_off, pk_ix, msg_off, msg_size, msg_ix.
    let sig_ix = u16_at(data, 4)?;
    let pk_off = usize::from(u16_at(data, 6)?);
    let pk_ix = u16_at(data, 8)?;
    let msg_off = usize::from(u16_at(data, 10)?);
    let msg_size = usize::from(u16_at(data, 12)?);
    let msg_ix = u16_at(data, 14)?;
    require!(
        sig_ix == u16::MAX && pk_ix == u16::MAX && msg_ix == u16::MAX,
        PaymentsError::InvalidSignatureInstruction
    );
    let pk = data
        .get(pk_off..pk_off + 32)
        .ok_or(PaymentsError::InvalidSignatureInstruction)?;
    require!(pk == signer.as_ref(), PaymentsError::WrongSigner);
    let signed = data
        .get(msg_off..msg_off + msg_size)
        .ok_or(PaymentsError::InvalidSignatureInstruction)?;
    require!(signed == message, PaymentsError::MessageMismatch);
    Ok(())
}
