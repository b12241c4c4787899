//! Device-signed meter readings, verified through the ed25519 precompile.
//!
//! The transaction carries `Ed25519Program` immediately before `meter_settle`. The runtime
//! has already checked that signature when this program runs; what remains is to make sure
//! the precompile checked *our* message with *the device's* key, and that all its offsets
//! point inside that same instruction (so a signature over other bytes cannot be substituted).
use anchor_lang::prelude::*;
use anchor_lang::solana_program::hash::hashv;
use anchor_lang::solana_program::sysvar::instructions::{
    load_current_index_checked, load_instruction_at_checked,
};

use crate::constants::{GAP_DOMAIN, READING_DOMAIN};
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

/// What every reading of `device_key` against `tariff` is bound to:
/// `sha256(READING_DOMAIN ‖ program id ‖ device key ‖ tariff)`. Hashing the context keeps each
/// signed message at 68 bytes, so several readings fit one transaction.
pub fn reading_context(device_key: &Pubkey, tariff: &Pubkey) -> [u8; 32] {
    hashv(&[
        READING_DOMAIN,
        crate::ID.as_ref(),
        device_key.as_ref(),
        tariff.as_ref(),
    ])
    .to_bytes()
}

/// Length of a signed reading: context (32) ‖ revision (4) ‖ seq, interval start, import,
/// export (8 each), little-endian.
pub const READING_MESSAGE_LEN: usize = 32 + 4 + 32;

/// The exact bytes a device signs for one reading.
pub fn reading_message(device_key: &Pubkey, tariff: &Pubkey, r: &Reading) -> Vec<u8> {
    reading_message_in(&reading_context(device_key, tariff), r)
}

/// [`reading_message`] with the context computed once (batches).
pub fn reading_message_in(context: &[u8; 32], r: &Reading) -> Vec<u8> {
    let mut m = Vec::with_capacity(READING_MESSAGE_LEN);
    m.extend_from_slice(context);
    m.extend_from_slice(&r.revision.to_le_bytes());
    m.extend_from_slice(&r.seq.to_le_bytes());
    m.extend_from_slice(&r.interval_start.to_le_bytes());
    m.extend_from_slice(&r.import_wh.to_le_bytes());
    m.extend_from_slice(&r.export_wh.to_le_bytes());
    m
}

fn u16_at(data: &[u8], at: usize) -> Result<u16> {
    let bytes = data
        .get(at..at.saturating_add(2))
        .ok_or(PaymentsError::InvalidSignatureInstruction)?;
    Ok(u16::from_le_bytes([bytes[0], bytes[1]]))
}

/// Checks that the instruction just before the current one is an ed25519 precompile call
/// carrying exactly `messages.len()` signatures, the i-th by `signer` over `messages[i]`, with
/// every offset pointing inside that same instruction.
pub fn verify_previous_ed25519(
    instructions_sysvar: &AccountInfo,
    signer: &Pubkey,
    messages: &[Vec<u8>],
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
        data.first().map(|n| usize::from(*n)) == Some(messages.len()),
        PaymentsError::InvalidSignatureInstruction
    );
    for (i, message) in messages.iter().enumerate() {
        // Offsets struct i at 2 + 14 i: sig_off, sig_ix, pk_off, pk_ix, msg_off, msg_size, msg_ix.
        let at = 2 + 14 * i;
        let sig_ix = u16_at(data, at + 2)?;
        let pk_off = usize::from(u16_at(data, at + 4)?);
        let pk_ix = u16_at(data, at + 6)?;
        let msg_off = usize::from(u16_at(data, at + 8)?);
        let msg_size = usize::from(u16_at(data, at + 10)?);
        let msg_ix = u16_at(data, at + 12)?;
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
        require!(signed == message.as_slice(), PaymentsError::MessageMismatch);
    }
    Ok(())
}

/// The exact bytes a device signs to declare its readings `from_seq..to_seq` void (never to be
/// settled): `sha256(GAP_DOMAIN ‖ program id ‖ device key) ‖ from_seq ‖ to_seq` (LE).
pub fn gap_message(device_key: &Pubkey, from_seq: u64, to_seq: u64) -> Vec<u8> {
    let mut m = Vec::with_capacity(48);
    m.extend_from_slice(&hashv(&[GAP_DOMAIN, crate::ID.as_ref(), device_key.as_ref()]).to_bytes());
    m.extend_from_slice(&from_seq.to_le_bytes());
    m.extend_from_slice(&to_seq.to_le_bytes());
    m
}
