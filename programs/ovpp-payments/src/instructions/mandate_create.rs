use anchor_lang::prelude::*;
use ovpp_registry::state::{Device, Partner, Status};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::MandateCreated;
use crate::state::Mandate;

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct MandateCreateArgs {
    /// Most USDE (raw) the utility may bill per period.
    pub max_per_period: u64,
    /// Period length, seconds (1..=366 days).
    pub period_secs: u32,
    /// Most USDE (raw) the utility may bill over the mandate's life.
    pub max_total: u64,
}

#[derive(Accounts)]
pub struct MandateCreate<'info> {
    /// The owner's claimed, active device.
    #[account(
        has_one = owner @ PaymentsError::Unauthorized,
        constraint = device.status == Status::Active @ PaymentsError::DeviceNotActive,
    )]
    pub device: Box<Account<'info, Device>>,
    /// The device owner grants the mandate.
    pub owner: Signer<'info>,
    /// The utility allowed to bill.
    #[account(
        constraint = utility.is_active_utility() @ PaymentsError::NotActiveUtility,
    )]
    pub utility: Box<Account<'info, Partner>>,
    #[account(
        init,
        payer = payer,
        space = 8 + Mandate::INIT_SPACE,
        seeds = [SEED_MANDATE, owner.key().as_ref(), device.key().as_ref()],
        bump,
    )]
    pub mandate: Box<Account<'info, Mandate>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl MandateCreate<'_> {
    fn validate(&self, args: &MandateCreateArgs) -> Result<()> {
        require!(
            self.device.owner != Pubkey::default(),
            PaymentsError::DeviceUnclaimed
        );
        Mandate::validate_caps(args.max_per_period, args.period_secs, args.max_total)
    }
}

/// Lets one utility bill one of the owner's devices, within caps per period and in total,
/// for the readings of the owner's current ownership epoch only.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<MandateCreate>, args: MandateCreateArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mandate = &mut ctx.accounts.mandate;
    mandate.bump = ctx.bumps.mandate;
    mandate.owner = ctx.accounts.owner.key();
    mandate.device = ctx.accounts.device.key();
    mandate.utility = ctx.accounts.utility.key();
    mandate.max_per_period = args.max_per_period;
    mandate.period_secs = args.period_secs;
    mandate.max_total = args.max_total;
    mandate.period_start = now;
    mandate.spent_in_period = 0;
    mandate.spent_total = 0;
    mandate.created_at = now;
    mandate.epoch = ctx.accounts.device.owner_epoch;
    mandate.reserved = [0; 28];
    emit!(MandateCreated {
        mandate: mandate.key(),
        owner: mandate.owner,
        device: mandate.device,
        utility: mandate.utility,
        epoch: mandate.epoch,
        max_per_period: args.max_per_period,
        period_secs: args.period_secs,
        max_total: args.max_total,
    });
    Ok(())
}
