use anchor_lang::prelude::*;
use anchor_lang::solana_program::sysvar;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use ovpp_registry::state::{Device, Partner, Status};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::ReadingSettled;
use crate::math::{energy_cap_wh, export_credit, settlement_amount};
use crate::signature::{reading_context, reading_message_in, verify_previous_ed25519, Reading};
use crate::state::{interval_at, pay_export_owed, spend_mandate, Meter, PaymentsConfig, Tariff};
use crate::token_ops::TokenCpi;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct MeterSettleArgs {
    /// The tariff revision the device signed the reading for.
    pub revision: u32,
    /// Exactly one more than the last settled reading of this device.
    pub seq: u64,
    /// Start of the metering interval (unix seconds, UTC, aligned to the tariff's interval
    /// length); selects the tariff interval.
    pub interval_start: i64,
    /// Energy imported in the interval, Wh.
    pub import_wh: u64,
    /// Energy exported in the interval, Wh.
    pub export_wh: u64,
}

#[derive(Accounts)]
pub struct MeterSettle<'info> {
    #[account(
        seeds = [SEED_PAYMENTS],
        bump = config.bump,
        has_one = usde_mint @ PaymentsError::ConfigMismatch,
        constraint = !config.paused @ PaymentsError::Paused,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    #[account(
        constraint = device.status == Status::Active @ PaymentsError::DeviceNotActive,
        constraint = device.owner != Pubkey::default() @ PaymentsError::DeviceUnclaimed,
    )]
    pub device: Box<Account<'info, Device>>,
    #[account(
        mut,
        seeds = [SEED_METER, device.key().as_ref()],
        bump = meter.bump,
        has_one = device @ PaymentsError::ConfigMismatch,
    )]
    pub meter: Box<Account<'info, Meter>>,
    #[account(
        seeds = [SEED_TARIFF, tariff.utility.as_ref(), &tariff.tariff_id.to_le_bytes()],
        bump = tariff.bump,
        has_one = utility @ PaymentsError::ConfigMismatch,
    )]
    pub tariff: Box<Account<'info, Tariff>>,
    #[account(constraint = utility.status == Status::Active @ PaymentsError::NotActiveUtility)]
    pub utility: Box<Account<'info, Partner>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The device owner's USDE account: pays imports (through the settlement delegate, within
    /// the mandate) and receives export payments.
    #[account(mut, token::mint = usde_mint, token::authority = device.owner)]
    pub owner_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = tariff.treasury @ PaymentsError::ConfigMismatch)]
    pub utility_treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The tariff's export escrow.
    #[account(mut, address = tariff.export_vault @ PaymentsError::ConfigMismatch)]
    pub export_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["mandate", device.owner, device]`, pinned by seeds. Loaded by `spend_mandate`
    /// only when the reading bills something: it must then be a live `Mandate` of the device's
    /// current owner naming this utility (a reading that only exports needs none).
    #[account(mut, seeds = [SEED_MANDATE, device.owner.as_ref(), device.key().as_ref()], bump)]
    pub mandate: UncheckedAccount<'info>,
    /// CHECK: PDA `["settlement"]`, the delegate on owners' USDE accounts; signs only here.
    #[account(seeds = [SEED_SETTLEMENT], bump)]
    pub settlement_authority: UncheckedAccount<'info>,
    /// CHECK: the instructions sysvar, pinned by address.
    #[account(address = sysvar::instructions::ID)]
    pub instructions: UncheckedAccount<'info>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl From<&MeterSettleArgs> for Reading {
    fn from(r: &MeterSettleArgs) -> Self {
        Reading {
            revision: r.revision,
            seq: r.seq,
            interval_start: r.interval_start,
            import_wh: r.import_wh,
            export_wh: r.export_wh,
        }
    }
}

/// Settles `readings` (consecutive, in order) of one device against its tariff: every check
/// of a single reading, applied one after another, then one signature check over all of them
/// (the ed25519 instruction just before carries one signature per reading), one charge to the
/// owner within the mandate, and one export payment. Shared by `meter_settle` and
/// `meter_settle_batch`.
pub fn settle_readings(
    a: &mut MeterSettle,
    settlement_bump: u8,
    readings: &[MeterSettleArgs],
) -> Result<()> {
    require!(
        !readings.is_empty() && readings.len() <= MAX_SETTLE_BATCH,
        PaymentsError::InvalidBatch
    );
    let now = Clock::get()?.unix_timestamp;
    let secs = i64::from(a.tariff.interval_secs);
    let context = reading_context(&a.device.device_key, &a.tariff.key());
    let caps = a.device.capabilities;
    let (mut seq, mut next) = (a.meter.last_seq, a.meter.next_interval_start);
    let mut messages = Vec::with_capacity(readings.len());
    let mut priced = Vec::with_capacity(readings.len());
    for r in readings {
        require!(r.seq > seq, PaymentsError::ReplayedReading);
        require!(
            Some(r.seq) == seq.checked_add(1),
            PaymentsError::ReadingOutOfOrder
        );
        let end = r.interval_start.checked_add(secs);
        require!(
            r.interval_start.rem_euclid(secs) == 0
                && r.interval_start >= next
                && end.is_some_and(|e| e <= now),
            PaymentsError::InvalidReadingInterval
        );
        let price = *interval_at(
            a.tariff.intervals_for(r.revision, r.interval_start)?,
            r.interval_start,
        )
        .ok_or(PaymentsError::InvalidTariff)?;
        require!(
            r.import_wh <= energy_cap_wh(caps.max_import_w, a.tariff.interval_secs)
                && r.export_wh <= energy_cap_wh(caps.max_export_w, a.tariff.interval_secs),
            PaymentsError::ReadingExceedsCapability
        );
        let amount = settlement_amount(r.import_wh, price.import_price)
            .ok_or(PaymentsError::MathOverflow)?;
        let credit =
            export_credit(r.export_wh, price.export_price).ok_or(PaymentsError::MathOverflow)?;
        messages.push(reading_message_in(&context, &Reading::from(r)));
        priced.push((amount, credit));
        seq = r.seq;
        next = end.ok_or(PaymentsError::MathOverflow)?;
    }
    verify_previous_ed25519(&a.instructions, &a.device.device_key, &messages)?;

    let sum = |pick: fn(&(u64, u64)) -> u64| {
        priced
            .iter()
            .try_fold(0u64, |acc, p| acc.checked_add(pick(p)))
            .ok_or(PaymentsError::MathOverflow)
    };
    let (amount, credit) = (sum(|p| p.0)?, sum(|p| p.1)?);
    if amount > 0 {
        spend_mandate(&a.mandate, &a.utility.key(), amount, now)?;
        let bump = [settlement_bump];
        let seeds: &[&[u8]] = &[SEED_SETTLEMENT, &bump];
        TokenCpi {
            token_program: a.token_2022_program.to_account_info(),
            authority: a.settlement_authority.to_account_info(),
            signer: &[seeds],
        }
        .transfer_exact(
            a.owner_usde.to_account_info(),
            a.usde_mint.to_account_info(),
            &mut a.utility_treasury,
            amount,
        )?;
    }

    let meter = &mut a.meter;
    meter.credit_export(&a.tariff.key(), credit)?;
    // Only this tariff's escrow pays; older debt to the same escrow is paid first, since it is
    // part of the same balance.
    let config_seeds: &[&[u8]] = &[SEED_PAYMENTS, &[a.config.bump]];
    let export_paid = if meter.export_tariff == a.tariff.key() {
        pay_export_owed(
            meter,
            &mut a.export_vault,
            &TokenCpi {
                token_program: a.token_2022_program.to_account_info(),
                authority: a.config.to_account_info(),
                signer: &[config_seeds],
            },
            a.usde_mint.to_account_info(),
            a.owner_usde.to_account_info(),
        )?
    } else {
        0
    };
    let last = readings.last().ok_or(PaymentsError::InvalidBatch)?;
    meter.last_seq = last.seq;
    meter.last_interval_start = last.interval_start;
    meter.next_interval_start = next;
    for r in readings {
        meter.total_import_wh = meter
            .total_import_wh
            .checked_add(r.import_wh)
            .ok_or(PaymentsError::MathOverflow)?;
        meter.total_export_wh = meter
            .total_export_wh
            .checked_add(r.export_wh)
            .ok_or(PaymentsError::MathOverflow)?;
    }
    meter.total_paid = meter
        .total_paid
        .checked_add(amount)
        .ok_or(PaymentsError::MathOverflow)?;
    for (i, (r, (amount, credit))) in readings.iter().zip(priced).enumerate() {
        let is_last = i + 1 == readings.len();
        emit!(ReadingSettled {
            device: a.device.key(),
            tariff: a.tariff.key(),
            revision: r.revision,
            seq: r.seq,
            interval_start: r.interval_start,
            import_wh: r.import_wh,
            export_wh: r.export_wh,
            amount,
            export_credit: credit,
            export_paid: if is_last { export_paid } else { 0 },
            export_owed: meter.export_owed,
        });
    }
    Ok(())
}

/// Settles one device-signed meter reading at the prices of the revision it was signed for:
/// the owner's USDE pays the utility for imports (within the owner's mandate), and the tariff's
/// export escrow pays the owner for exports (debt first; a shortfall is recorded, never lost).
pub fn handler(ctx: Context<MeterSettle>, args: MeterSettleArgs) -> Result<()> {
    let bump = ctx.bumps.settlement_authority;
    settle_readings(ctx.accounts, bump, std::slice::from_ref(&args))
}
