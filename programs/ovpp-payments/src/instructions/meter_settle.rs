use anchor_lang::prelude::*;
use anchor_lang::solana_program::sysvar;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use ovpp_registry::state::{Device, Partner, Status};
use ovpp_routing::state::{Enrollment, EnrollmentStatus};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::ReadingSettled;
use crate::math::{energy_cap_wh, export_credit, settlement_amount};
use crate::signature::{reading_context, reading_message_in, verify_previous_ed25519, Reading};
use crate::state::{
    interval_at, load_account, pay_export_debt, spend_mandate, store_account, Meter, Payee,
    PaymentsConfig, Tariff, TariffBinding, TariffInterval, TariffRevision,
};
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
    /// The tariff revision the readings were signed for (all readings of a batch name it).
    #[account(
        seeds = [SEED_TARIFF_REVISION, tariff.key().as_ref(), &revision.revision.to_le_bytes()],
        bump = revision.bump,
    )]
    pub revision: Box<Account<'info, TariffRevision>>,
    /// CHECK: `["binding", tariff, device]`, pinned by seeds; loaded by `relationship`: the
    /// device may settle against this tariff only through it (`NotEnrolled` when missing).
    #[account(mut, seeds = [SEED_BINDING, tariff.key().as_ref(), device.key().as_ref()], bump)]
    pub binding: UncheckedAccount<'info>,
    /// CHECK: the routing enrollment the binding was opened from, loaded by `relationship`: it
    /// must be that enrollment, owned by the routing program, and still approved
    /// (`NotEnrolled` otherwise).
    pub enrollment: UncheckedAccount<'info>,
    #[account(constraint = utility.is_active_utility() @ PaymentsError::NotActiveUtility)]
    pub utility: Box<Account<'info, Partner>>,
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The USDE account of the owner the readings bill and pay (the device's owner when the
    /// intervals began, checked by the handler): pays imports through the settlement
    /// delegate, within that owner's mandate, and receives export payments.
    #[account(mut, token::mint = usde_mint)]
    pub owner_usde: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = tariff.treasury @ PaymentsError::ConfigMismatch)]
    pub utility_treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The tariff's export escrow.
    #[account(mut, address = tariff.export_vault @ PaymentsError::ConfigMismatch)]
    pub export_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: loaded by `spend_mandate` only when the readings bill something: it must then
    /// be a live `Mandate` of this device, granted by the billed owner in the billed
    /// ownership epoch, naming this utility (a reading that only exports needs none).
    #[account(mut)]
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

impl MeterSettle<'_> {
    /// The settlement relationship, loaded once: the device's binding to this tariff (a device
    /// settles against a tariff only through one) and, behind it, an approved, unrevoked
    /// enrollment of the device in a program of the tariff's utility (`NotEnrolled`).
    /// Not inlined: the enrollment it reads stays out of `settle_readings`'s stack frame.
    #[inline(never)]
    fn relationship(&self) -> Result<TariffBinding> {
        let binding: TariffBinding =
            load_account(&self.binding, &crate::ID, PaymentsError::NotEnrolled)?;
        let enrollment: Enrollment = load_account(
            &self.enrollment,
            &ovpp_routing::ID,
            PaymentsError::NotEnrolled,
        )?;
        require!(
            binding.enrollment == self.enrollment.key()
                && enrollment.device == self.device.key()
                && enrollment.program == binding.program
                && enrollment.status == EnrollmentStatus::Approved,
            PaymentsError::NotEnrolled
        );
        Ok(binding)
    }
}

/// Settles `readings` (consecutive on one cursor of the meter, in order) of one device against
/// its tariff: every check of a single reading, applied one after another, then one signature
/// check over all of them (the ed25519 instruction just before carries one signature per
/// reading), one charge to the owner within its mandate, and one export payment. Every
/// reading of a batch must bill the same owner in the same ownership epoch. Shared by
/// `meter_settle` and `meter_settle_batch`.
pub fn settle_readings(
    a: &mut MeterSettle,
    settlement_bump: u8,
    readings: &[MeterSettleArgs],
) -> Result<()> {
    let mut binding = a.relationship()?;
    require!(
        !readings.is_empty() && readings.len() <= MAX_SETTLE_BATCH,
        PaymentsError::InvalidBatch
    );
    let now = Clock::get()?.unix_timestamp;
    let secs = i64::from(a.tariff.interval_secs);
    let window = i64::from(a.tariff.settlement_window_secs);
    let context = reading_context(&a.device.device_key, &a.tariff.key());
    let caps = a.device.capabilities;
    let meter = &mut a.meter;
    meter.follow(&a.device);
    let mut payee: Option<Payee> = None;
    let mut messages = Vec::with_capacity(readings.len());
    // (amount, credit granted, credit clipped, the interval priced at) per reading.
    let mut priced = Vec::with_capacity(readings.len());
    for r in readings {
        let this = meter.admit(r.seq, r.interval_start, secs, now, window)?;
        require!(
            payee.is_none_or(|p| p == this),
            PaymentsError::BatchSpansOwners
        );
        payee = Some(this);
        let intervals = a.revision.prices_for(
            r.revision,
            r.interval_start,
            now,
            a.tariff.settlement_window_secs,
        )?;
        let price =
            *interval_at(intervals, r.interval_start).ok_or(PaymentsError::InvalidTariff)?;
        require!(
            r.import_wh <= energy_cap_wh(caps.max_import_w, a.tariff.interval_secs)
                && r.export_wh <= energy_cap_wh(caps.max_export_w, a.tariff.interval_secs),
            PaymentsError::ReadingExceedsCapability
        );
        let amount = settlement_amount(r.import_wh, price.import_price)
            .ok_or(PaymentsError::MathOverflow)?;
        let earned =
            export_credit(r.export_wh, price.export_price).ok_or(PaymentsError::MathOverflow)?;
        let granted = binding.capped_credit(&a.revision.export_cap, r.interval_start, earned);
        messages.push(reading_message_in(&context, &Reading::from(r)));
        priced.push((amount, granted, earned.saturating_sub(granted), price));
    }
    let payee = payee.ok_or(PaymentsError::InvalidBatch)?;
    require!(
        payee.owner != Pubkey::default(),
        PaymentsError::DeviceUnclaimed
    );
    require_keys_eq!(
        a.owner_usde.owner,
        payee.owner,
        PaymentsError::OwnerAccountMismatch
    );
    verify_previous_ed25519(&a.instructions, &a.device.device_key, &messages)?;

    let sum = |pick: fn(&(u64, u64, u64, TariffInterval)) -> u64| {
        priced
            .iter()
            .try_fold(0u64, |acc, p| acc.checked_add(pick(p)))
            .ok_or(PaymentsError::MathOverflow)
    };
    let (amount, credit) = (sum(|p| p.0)?, sum(|p| p.1)?);
    if amount > 0 {
        spend_mandate(
            &a.mandate,
            &a.device.key(),
            &payee,
            &a.utility.key(),
            amount,
            now,
        )?;
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

    // Exports are owed by this tariff's escrow to the owner who earned them; what that owner
    // is owed from before is paid first, since it is part of the same balance.
    binding.owe(&payee.owner, payee.epoch, credit)?;
    let config_seeds = a.config.signer_seeds();
    let export_paid = pay_export_debt(
        &mut binding,
        &payee.owner,
        &mut a.export_vault,
        &TokenCpi {
            token_program: a.token_2022_program.to_account_info(),
            authority: a.config.to_account_info(),
            signer: &[&config_seeds],
        },
        a.usde_mint.to_account_info(),
        a.owner_usde.to_account_info(),
    )?;
    store_account(&a.binding, &binding)?;
    let export_owed = binding.owed_to(&payee.owner);

    let meter = &mut a.meter;
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
    meter.total_export_credit = meter
        .total_export_credit
        .checked_add(credit)
        .ok_or(PaymentsError::MathOverflow)?;
    meter.total_export_paid = meter
        .total_export_paid
        .checked_add(export_paid)
        .ok_or(PaymentsError::MathOverflow)?;
    for (i, (r, (amount, credit, clipped, price))) in readings.iter().zip(priced).enumerate() {
        let is_last = i + 1 == readings.len();
        emit!(ReadingSettled {
            device: a.device.key(),
            tariff: a.tariff.key(),
            revision: r.revision,
            seq: r.seq,
            interval_start: r.interval_start,
            import_wh: r.import_wh,
            export_wh: r.export_wh,
            owner: payee.owner,
            epoch: payee.epoch,
            amount,
            export_credit: credit,
            export_clipped: clipped,
            export_paid: if is_last { export_paid } else { 0 },
            export_owed,
            band_start_minute: price.start_minute,
            import_price: price.import_price,
            export_price: price.export_price,
        });
    }
    Ok(())
}

/// Settles one device-signed meter reading at the prices of the revision it was signed for:
/// the owner of the device when the interval began pays the utility for imports (within that
/// owner's mandate), and the tariff's export escrow pays that owner for exports, within the
/// utility's cap (debt first; a shortfall is recorded, never lost).
pub fn handler(ctx: Context<MeterSettle>, args: MeterSettleArgs) -> Result<()> {
    let bump = ctx.bumps.settlement_authority;
    settle_readings(ctx.accounts, bump, std::slice::from_ref(&args))
}
