use anchor_lang::prelude::*;

use crate::constants::{MAX_TARIFF_INTERVALS, MINUTES_PER_DAY};
use crate::errors::PaymentsError;

/// One time-of-use interval, from `start_minute` (UTC minute of day) to the next interval.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct TariffInterval {
    /// First minute of the day (UTC) this price applies to.
    pub start_minute: u16,
    /// Raw USDE (6 decimals) per kWh imported from the grid.
    pub import_price: u64,
    /// Raw USDE per kWh exported to the grid (recorded for credits and rewards).
    pub export_price: u64,
}

/// A utility's versioned time-of-use tariff (an OpenADR 3 PRICE / EXPORT_PRICE program).
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
    /// Incremented on every update; readings settle at the revision in force.
    pub revision: u32,
    /// USDE account receiving settlements.
    pub treasury: Pubkey,
    /// Unix time from which readings may settle against this tariff.
    pub effective_from: i64,
    /// Intervals sorted by `start_minute`, the first starting at minute 0.
    #[max_len(MAX_TARIFF_INTERVALS)]
    pub intervals: Vec<TariffInterval>,
    /// Reserved for future fields.
    pub reserved: [u8; 64],
}

impl Tariff {
    /// The interval in force at `unix_time` (UTC minute of day).
    pub fn interval_at(&self, unix_time: i64) -> Option<&TariffInterval> {
        let minute = u16::try_from(unix_time.rem_euclid(86_400) / 60).ok()?;
        self.intervals
            .iter()
            .rev()
            .find(|i| i.start_minute <= minute)
    }
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
    /// Highest reading sequence settled; a reading must exceed it.
    pub last_seq: u64,
    /// Interval start of the last settled reading.
    pub last_interval_start: i64,
    /// Lifetime imported energy, Wh.
    pub total_import_wh: u64,
    /// Lifetime exported energy, Wh.
    pub total_export_wh: u64,
    /// Lifetime USDE paid (raw).
    pub total_paid: u64,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}
