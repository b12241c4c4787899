use anchor_lang::prelude::*;
use ovpp_registry::state::Device;

use crate::constants::*;
use crate::events::MeterOpened;
use crate::state::Meter;

#[derive(Accounts)]
pub struct MeterOpen<'info> {
    /// The registry device (owner-checked by `Account`).
    pub device: Box<Account<'info, Device>>,
    #[account(
        init,
        payer = payer,
        space = 8 + Meter::INIT_SPACE,
        seeds = [SEED_METER, device.key().as_ref()],
        bump,
    )]
    pub meter: Box<Account<'info, Meter>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

/// Opens the settlement state of a device (anyone may pay for it).
pub fn handler(ctx: Context<MeterOpen>) -> Result<()> {
    let meter = &mut ctx.accounts.meter;
    meter.bump = ctx.bumps.meter;
    meter.device = ctx.accounts.device.key();
    meter.open(&ctx.accounts.device);
    meter.reserved = [0; 32];
    emit!(MeterOpened {
        meter: meter.key(),
        device: meter.device,
    });
    Ok(())
}
