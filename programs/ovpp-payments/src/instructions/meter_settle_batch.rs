use anchor_lang::prelude::*;

use crate::instructions::meter_settle::{settle_readings, MeterSettle, MeterSettleArgs};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct MeterSettleBatchArgs {
    /// 1..=8 consecutive readings of one device, in sequence order; the ed25519 instruction
    /// just before carries one device signature per reading, in the same order.
    pub readings: Vec<MeterSettleArgs>,
}

/// Settles several consecutive readings of one device in one transaction (same accounts and
/// checks as `meter_settle`, one charge and one export payment for the batch).
pub fn handler(ctx: Context<MeterSettle>, args: MeterSettleBatchArgs) -> Result<()> {
    let bump = ctx.bumps.settlement_authority;
    settle_readings(ctx.accounts, bump, &args.readings)
}
