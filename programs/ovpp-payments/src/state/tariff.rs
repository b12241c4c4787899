use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::{
    MAX_READING_INTERVAL_SECS, MAX_TARIFF_INTERVALS, MINUTES_PER_DAY, MIN_READING_INTERVAL_SECS,
    SECONDS_PER_DAY,
};
use crate::errors::PaymentsError;
use crate::token_ops::TokenCpi;

/// One time-of-use interval, from `start_minute` (UTC minute of day) to the next interval.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct TariffInterval {
    /// First minute of the day (UTC) this price applies to.
    pub start_minute: u16,
    /// Raw USDE (6 decimals) per kWh imported from the grid.
    pub import_price: u64,
    /// Raw USDE per kWh exported to the grid, paid to the owner from the export escrow.
    pub export_price: u64,
}

/// A utility's versioned time-of-use tariff (an OpenADR 3 PRICE / EXPORT_PRICE program).
///
/// Devices sign readings for a revision. The revision in force and the one before it are kept,
/// so a reading is always priced at the revision it was signed for and an update can never
/// reprice a signed reading; updates only take effect in the future.
#[account]
#[derive(InitSpace)]
pub struct Tariff {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["tariff", utility, tariff_id]`.
    pub bump: u8,
    /// The utility's registry partner account.
    pub utility: Pubkey,
    /// The utility's authority (may update the tariff).
    pub authority: Pubkey,
    /// Utility-chosen id.
    pub tariff_id: u32,
    /// Incremented on every update.
    pub revision: u32,
    /// USDE account receiving settlements.
    pub treasury: Pubkey,
    /// Unix time from which readings settle at `revision`.
    pub effective_from: i64,
    /// Intervals of `revision`, sorted by `start_minute`, the first starting at minute 0.
    #[max_len(MAX_TARIFF_INTERVALS)]
    pub intervals: Vec<TariffInterval>,
    /// Length of one metering interval, seconds (divides a day): readings cover exactly one
    /// aligned interval and are capped by the device's power over that length.
    pub interval_secs: u32,
    /// The revision before `revision` (0 when there is none).
    pub prev_revision: u32,
    /// Start of `prev_revision`; it covers readings up to `effective_from`.
    pub prev_effective_from: i64,
    /// Intervals of `prev_revision`.
    #[max_len(MAX_TARIFF_INTERVALS)]
    pub prev_intervals: Vec<TariffInterval>,
    /// `["export_vault", tariff]`: USDE escrow the utility funds to pay exports.
    pub export_vault: Pubkey,
    /// Canonical bump of the export vault.
    pub export_vault_bump: u8,
    /// Reserved for future fields.
    pub reserved: [u8; 64],
}

impl Tariff {
    /// The intervals of `revision`, if that revision covers a reading starting at
    /// `interval_start`: the revision in force from its `effective_from`, or the previous one
    /// up to it.
    pub fn intervals_for(&self, revision: u32, interval_start: i64) -> Result<&[TariffInterval]> {
        if revision == self.revision && interval_start >= self.effective_from {
            return Ok(&self.intervals);
        }
        if self.prev_revision != 0
            && revision == self.prev_revision
            && interval_start >= self.prev_effective_from
            && interval_start < self.effective_from
        {
            return Ok(&self.prev_intervals);
        }
        err!(PaymentsError::TariffRevisionMismatch)
    }
}

/// The interval in force at `unix_time` (UTC minute of day).
pub fn interval_at(intervals: &[TariffInterval], unix_time: i64) -> Option<&TariffInterval> {
    let minute = u16::try_from(unix_time.rem_euclid(86_400) / 60).ok()?;
    intervals.iter().rev().find(|i| i.start_minute <= minute)
}

/// A metering interval length: 5 minutes to a day, dividing the day evenly.
pub fn validate_interval_secs(secs: u32) -> Result<()> {
    require!(
        (MIN_READING_INTERVAL_SECS..=MAX_READING_INTERVAL_SECS).contains(&secs)
            && SECONDS_PER_DAY.is_multiple_of(secs),
        PaymentsError::InvalidIntervalLength
    );
    Ok(())
}

/// 1..=24 intervals, strictly increasing start minutes, the first at 0, all within a day.
pub fn validate_intervals(intervals: &[TariffInterval]) -> Result<()> {
    require!(
        !intervals.is_empty() && intervals.len() <= MAX_TARIFF_INTERVALS,
        PaymentsError::InvalidTariff
    );
    require!(intervals[0].start_minute == 0, PaymentsError::InvalidTariff);
    for pair in intervals.windows(2) {
        require!(
            pair[0].start_minute < pair[1].start_minute,
            PaymentsError::InvalidTariff
        );
    }
    require!(
        intervals.iter().all(|i| i.start_minute < MINUTES_PER_DAY),
        PaymentsError::InvalidTariff
    );
    Ok(())
}

/// Settlement state of one device.
#[account]
#[derive(InitSpace)]
pub struct Meter {
    /// Canonical bump of `["meter", device]`.
    pub bump: u8,
    /// The registry device account.
    pub device: Pubkey,
    /// Sequence of the last settled reading; the next one must be exactly `last_seq + 1`.
    pub last_seq: u64,
    /// Interval start of the last settled reading.
    pub last_interval_start: i64,
    /// End of the last settled interval; the next reading starts at or after it.
    pub next_interval_start: i64,
    /// Lifetime imported energy, Wh.
    pub total_import_wh: u64,
    /// Lifetime exported energy, Wh.
    pub total_export_wh: u64,
    /// Lifetime USDE paid (raw).
    pub total_paid: u64,
    /// Lifetime USDE (raw) earned by exports.
    pub total_export_credit: u64,
    /// Lifetime USDE (raw) paid out for exports.
    pub total_export_paid: u64,
    /// USDE (raw) earned by exports but not yet paid (the escrow was short); paid first
    /// when the escrow is refilled.
    pub export_owed: u64,
    /// The tariff whose export escrow owes `export_owed`.
    pub export_tariff: Pubkey,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}

impl Meter {
    /// Adds an export credit owed by `tariff`'s escrow. A meter owes from one tariff at a
    /// time: a credit from another tariff while older debt is unpaid is refused
    /// (`ExportDebtOutstanding`) rather than mixed into the wrong escrow's debt.
    pub fn credit_export(&mut self, tariff: &Pubkey, credit: u64) -> Result<()> {
        if credit == 0 {
            return Ok(());
        }
        require!(
            self.export_owed == 0 || self.export_tariff == *tariff,
            PaymentsError::ExportDebtOutstanding
        );
        self.export_tariff = *tariff;
        self.export_owed = self
            .export_owed
            .checked_add(credit)
            .ok_or(PaymentsError::MathOverflow)?;
        self.total_export_credit = self
            .total_export_credit
            .checked_add(credit)
            .ok_or(PaymentsError::MathOverflow)?;
        Ok(())
    }
}

/// Pays as much of the meter's export debt as `vault` (the escrow of `meter.export_tariff`)
/// holds to `to`, and returns the amount paid. Shared by settlement and `meter_export_claim`.
pub fn pay_export_owed<'info>(
    meter: &mut Meter,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    cpi: &TokenCpi<'_, 'info>,
    mint: AccountInfo<'info>,
    to: AccountInfo<'info>,
) -> Result<u64> {
    let pay = meter.export_owed.min(vault.amount);
    if pay == 0 {
        return Ok(0);
    }
    cpi.transfer_out_exact(vault, mint, to, pay)?;
    meter.export_owed = meter
        .export_owed
        .checked_sub(pay)
        .ok_or(PaymentsError::MathOverflow)?;
    meter.total_export_paid = meter
        .total_export_paid
        .checked_add(pay)
        .ok_or(PaymentsError::MathOverflow)?;
    Ok(pay)
}
