use anchor_lang::prelude::*;
use anchor_lang::solana_program::sysvar;
use ovpp_registry::state::Device;

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::MeterGapSkipped;
use crate::signature::{gap_message, verify_previous_ed25519};
use crate::state::Meter;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct MeterGapArgs {
    /// First void sequence: exactly one more than the meter's last settled reading.
    pub from_seq: u64,
    /// First sequence after the gap (the next reading to settle).
    pub to_seq: u64,
}

#[derive(Accounts)]
pub struct MeterGap<'info> {
    /// The registry device (owner-checked by `Account`).
    pub device: Box<Account<'info, Device>>,
    #[account(
        mut,
        seeds = [SEED_METER, device.key().as_ref()],
        bump = meter.bump,
        has_one = device @ PaymentsError::ConfigMismatch,
    )]
    pub meter: Box<Account<'info, Meter>>,
    /// CHECK: the instructions sysvar, pinned by address.
    #[account(address = sysvar::instructions::ID)]
    pub instructions: UncheckedAccount<'info>,
}

/// The device itself declares readings it signed void (lost, or past their revision's
/// settlement window), so the readings after them settle. Only the device can: a relayer
/// cannot drop a reading, and a device could anyway sign a smaller one. The ed25519
/// instruction just before carries the device's signature over `gap_message`.
pub fn handler(ctx: Context<MeterGap>, args: MeterGapArgs) -> Result<()> {
    let device = &ctx.accounts.device;
    let meter = &mut ctx.accounts.meter;
    meter.follow(device);
    require!(
        !meter.fresh
            && Some(args.from_seq) == meter.last_seq.checked_add(1)
            && args.to_seq > args.from_seq,
        PaymentsError::InvalidGap
    );
    verify_previous_ed25519(
        &ctx.accounts.instructions,
        &device.device_key,
        &[gap_message(&device.device_key, args.from_seq, args.to_seq)],
    )?;
    meter.last_seq = args.to_seq - 1;
    emit!(MeterGapSkipped {
        device: device.key(),
        from_seq: args.from_seq,
        to_seq: args.to_seq,
    });
    Ok(())
}
