use anchor_lang::prelude::*;

use crate::errors::PaymentsError;
use crate::state::{load_account, store_account, Payee};

/// Longest mandate period (a year), so period arithmetic stays far from overflow.
pub const MAX_MANDATE_PERIOD_SECS: u32 = 366 * 86_400;

/// A device owner's standing permission for one utility to bill one device's readings to the
/// owner's USDE account, within caps. Settlement spends through the `["settlement"]` delegate
/// only while a mandate of the device's current owner names the billing utility; the owner
/// closes it (`mandate_revoke`) to stop all billing at once.
#[account]
#[derive(InitSpace)]
pub struct Mandate {
    /// Canonical bump of `["mandate", owner, device]`.
    pub bump: u8,
    /// The wallet that granted the mandate (the device owner when it was created).
    pub owner: Pubkey,
    /// The registry device whose readings may be billed.
    pub device: Pubkey,
    /// The utility partner allowed to bill.
    pub utility: Pubkey,
    /// Most USDE (raw) billed per period.
    pub max_per_period: u64,
    /// Period length, seconds.
    pub period_secs: u32,
    /// Most USDE (raw) billed over the mandate's life.
    pub max_total: u64,
    /// Start of the current period (unix seconds).
    pub period_start: i64,
    /// USDE (raw) billed in the current period.
    pub spent_in_period: u64,
    /// USDE (raw) billed since creation.
    pub spent_total: u64,
    /// Unix time of creation.
    pub created_at: i64,
    /// The device's ownership epoch the mandate was granted in: it bills only readings of
    /// that epoch, and never again once the device changed hands (even back to `owner`).
    pub epoch: u32,
    /// Reserved for future fields.
    pub reserved: [u8; 28],
}

impl Mandate {
    /// Checks caps and parameters of a new mandate.
    pub fn validate_caps(max_per_period: u64, period_secs: u32, max_total: u64) -> Result<()> {
        require!(
            max_per_period > 0
                && max_total > 0
                && period_secs > 0
                && period_secs <= MAX_MANDATE_PERIOD_SECS,
            PaymentsError::InvalidMandate
        );
        Ok(())
    }

    /// Records `amount` billed at `now`, rolling the period forward by whole periods first.
    /// Fails (changing nothing) when the period or lifetime cap would be exceeded.
    pub fn spend(&mut self, amount: u64, now: i64) -> Result<()> {
        let period = i64::from(self.period_secs);
        let (period_start, spent_in_period) = if now >= self.period_start {
            let elapsed = now
                .checked_sub(self.period_start)
                .ok_or(PaymentsError::MathOverflow)?;
            if elapsed >= period {
                let rolled = elapsed
                    .checked_sub(elapsed.rem_euclid(period))
                    .ok_or(PaymentsError::MathOverflow)?;
                (
                    self.period_start
                        .checked_add(rolled)
                        .ok_or(PaymentsError::MathOverflow)?,
                    0,
                )
            } else {
                (self.period_start, self.spent_in_period)
            }
        } else {
            (self.period_start, self.spent_in_period)
        };
        let in_period = spent_in_period
            .checked_add(amount)
            .filter(|s| *s <= self.max_per_period)
            .ok_or(PaymentsError::MandateCapExceeded)?;
        let total = self
            .spent_total
            .checked_add(amount)
            .filter(|s| *s <= self.max_total)
            .ok_or(PaymentsError::MandateCapExceeded)?;
        self.period_start = period_start;
        self.spent_in_period = in_period;
        self.spent_total = total;
        Ok(())
    }
}

/// Charges `amount` at `now` to the mandate at `info`, which must be a live mandate of
/// `device` granted by `payee.owner` in `payee.epoch` naming `utility`; writes it back. A
/// missing, closed or foreign mandate, or one of another owner or epoch, is
/// `MandateRequired`. (A `Mandate` only ever exists at `["mandate", owner, device]` of its
/// own fields, so its fields pin its address.)
pub fn spend_mandate(
    info: &AccountInfo,
    device: &Pubkey,
    payee: &Payee,
    utility: &Pubkey,
    amount: u64,
    now: i64,
) -> Result<()> {
    let mut mandate: Mandate = load_account(info, &crate::ID, PaymentsError::MandateRequired)?;
    require!(
        mandate.utility == *utility
            && mandate.device == *device
            && mandate.owner == payee.owner
            && mandate.epoch == payee.epoch,
        PaymentsError::MandateRequired
    );
    mandate.spend(amount, now)?;
    store_account(info, &mandate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mandate() -> Mandate {
        Mandate {
            bump: 0,
            owner: Pubkey::default(),
            device: Pubkey::default(),
            utility: Pubkey::default(),
            max_per_period: 100,
            period_secs: 10,
            max_total: 250,
            period_start: 1_000,
            spent_in_period: 0,
            spent_total: 0,
            created_at: 1_000,
            epoch: 1,
            reserved: [0; 28],
        }
    }

    #[test]
    fn period_cap_rolls_over() {
        let mut m = mandate();
        m.spend(60, 1_001).unwrap();
        assert!(m.spend(41, 1_009).is_err());
        assert_eq!(m.spent_in_period, 60, "a refused spend changes nothing");
        m.spend(40, 1_009).unwrap();
        // 25 s later: two whole periods rolled, aligned to the creation time.
        m.spend(100, 1_025).unwrap();
        assert_eq!(m.period_start, 1_020);
        assert_eq!(m.spent_total, 200);
    }

    #[test]
    fn lifetime_cap_holds() {
        let mut m = mandate();
        m.spend(100, 1_000).unwrap();
        m.spend(100, 1_010).unwrap();
        assert!(m.spend(51, 1_020).is_err());
        m.spend(50, 1_020).unwrap();
        assert!(m.spend(1, 1_030).is_err());
        assert!(m.spend(u64::MAX, 1_040).is_err());
    }

    #[test]
    fn caps_validate() {
        assert!(Mandate::validate_caps(1, 1, 1).is_ok());
        assert!(Mandate::validate_caps(0, 1, 1).is_err());
        assert!(Mandate::validate_caps(1, 0, 1).is_err());
        assert!(Mandate::validate_caps(1, 1, 0).is_err());
        assert!(Mandate::validate_caps(1, MAX_MANDATE_PERIOD_SECS + 1, 1).is_err());
    }
}
