use anchor_lang::prelude::*;

use crate::constants::{
    MAX_EXPORT_CAP_PERIOD_SECS, MAX_READING_INTERVAL_SECS, MAX_SETTLEMENT_WINDOW_SECS,
    MAX_TARIFF_INTERVALS, MINUTES_PER_DAY, MIN_READING_INTERVAL_SECS, MIN_SETTLEMENT_WINDOW_SECS,
    SECONDS_PER_DAY,
};
use crate::errors::PaymentsError;

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

/// A utility's time-of-use tariff (an OpenADR 3 PRICE / EXPORT_PRICE program).
///
/// Every revision is its own immutable `TariffRevision` account. Devices sign readings for a
/// revision, and a reading settles at that revision's prices for as long as the revision is
/// kept: while it is in force and for `settlement_window_secs` after the next revision takes
/// over, however many updates followed. Updates only take effect in the future.
#[account]
#[derive(InitSpace)]
pub struct Tariff {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["tariff", utility, tariff_id]`.
    pub bump: u8,
    /// The utility's registry partner account.
    pub utility: Pubkey,
    /// The utility's authority (may update the tariff and withdraw unused escrow).
    pub authority: Pubkey,
    /// Utility-chosen id.
    pub tariff_id: u32,
    /// The latest revision published (1 for a new tariff).
    pub revision: u32,
    /// USDE account receiving settlements.
    pub treasury: Pubkey,
    /// Unix time from which the latest revision is in force.
    pub effective_from: i64,
    /// Intervals of the latest revision (as in its `TariffRevision` account), for display.
    #[max_len(MAX_TARIFF_INTERVALS)]
    pub intervals: Vec<TariffInterval>,
    /// Length of one metering interval, seconds (divides a day): readings cover exactly one
    /// aligned interval and are capped by the device's power over that length.
    pub interval_secs: u32,
    /// How long a revision still settles after the next one takes over, and how long a
    /// previous owner's unsettled readings settle after a device changes hands (seconds).
    pub settlement_window_secs: u32,
    /// `["export_vault", tariff]`: USDE escrow the utility funds to pay exports.
    pub export_vault: Pubkey,
    /// Canonical bump of the export vault.
    pub export_vault_bump: u8,
    /// USDE (raw) the utility asked to withdraw from the export escrow (0: none pending).
    pub withdraw_amount: u64,
    /// Earliest unix time the pending withdrawal may execute (after the notice period).
    pub withdraw_ready_at: i64,
    /// Reserved for future fields.
    pub reserved: [u8; 48],
}

/// A utility's cap on export credit: at most `max_credit` raw USDE per device per
/// `period_secs` of metered time (periods aligned to the unix epoch).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct ExportCap {
    /// Most USDE (raw) of export credit one device earns per period.
    pub max_credit: u64,
    /// Period length, seconds (a multiple of the tariff's interval length, at most a year).
    pub period_secs: u32,
}

/// One published revision of a tariff, immutable except for `superseded_at`, which the next
/// revision sets once. PDA `["tariff_revision", tariff, revision]`.
#[account]
#[derive(InitSpace)]
pub struct TariffRevision {
    /// Canonical bump of `["tariff_revision", tariff, revision]`.
    pub bump: u8,
    /// The tariff this revision belongs to.
    pub tariff: Pubkey,
    /// Revision number (1, 2, ...).
    pub revision: u32,
    /// First unix time whose readings this revision prices.
    pub effective_from: i64,
    /// Unix time the next revision takes over (`i64::MAX` while none is published).
    pub superseded_at: i64,
    /// Prices, sorted by `start_minute`, the first starting at minute 0.
    #[max_len(MAX_TARIFF_INTERVALS)]
    pub intervals: Vec<TariffInterval>,
    /// The export-credit cap per device and period under this revision.
    pub export_cap: ExportCap,
    /// Unix time of publication.
    pub published_at: i64,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}

impl TariffRevision {
    /// The prices of this revision for a reading starting at `interval_start`, settled at
    /// `now`: the interval must lie in the revision's span, and a superseded revision settles
    /// only within the tariff's settlement window after it stopped being in force.
    pub fn prices_for(
        &self,
        revision: u32,
        interval_start: i64,
        now: i64,
        window_secs: u32,
    ) -> Result<&[TariffInterval]> {
        require!(
            revision == self.revision
                && interval_start >= self.effective_from
                && interval_start < self.superseded_at,
            PaymentsError::TariffRevisionMismatch
        );
        if self.superseded_at != i64::MAX {
            let closes = self
                .superseded_at
                .checked_add(i64::from(window_secs))
                .ok_or(PaymentsError::MathOverflow)?;
            require!(now < closes, PaymentsError::TariffRevisionExpired);
        }
        Ok(&self.intervals)
    }
}

/// A settlement window: one day to 90 days.
pub fn validate_settlement_window(secs: u32) -> Result<()> {
    require!(
        (MIN_SETTLEMENT_WINDOW_SECS..=MAX_SETTLEMENT_WINDOW_SECS).contains(&secs),
        PaymentsError::InvalidSettlementWindow
    );
    Ok(())
}

/// An export cap: a positive credit per a whole number of metering intervals, at most a year.
pub fn validate_export_cap(cap: &ExportCap, interval_secs: u32) -> Result<()> {
    require!(
        cap.max_credit > 0
            && cap.period_secs >= interval_secs
            && cap.period_secs <= MAX_EXPORT_CAP_PERIOD_SECS
            && cap.period_secs.is_multiple_of(interval_secs),
        PaymentsError::InvalidExportCap
    );
    Ok(())
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
