use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::MAX_EXPORT_DEBTS;
use crate::errors::PaymentsError;
use crate::state::ExportCap;
use crate::token_ops::TokenCpi;

/// Export credit a tariff's escrow owes one owner of one device, earned in one ownership
/// epoch (`owed == 0` marks a free slot).
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, Default, InitSpace,
)]
pub struct ExportDebt {
    /// The owner who earned the credit (paid only to this wallet's USDE account).
    pub owner: Pubkey,
    /// The device's ownership epoch in which it was earned.
    pub epoch: u32,
    /// USDE (raw) still owed.
    pub owed: u64,
}

/// The relationship that lets one device settle against one utility tariff, opened from an
/// approved enrollment of the device in a program of the tariff's utility (`tariff_bind`).
/// Settlement re-reads that enrollment every time, so a revoked enrollment stops it at once.
/// It also keeps what is per (tariff, device): the export-credit cap's running total and the
/// escrow's debts, so debt on one tariff never blocks credit on another.
/// PDA `["binding", tariff, device]`.
#[account]
#[derive(InitSpace)]
pub struct TariffBinding {
    /// Canonical bump of `["binding", tariff, device]`.
    pub bump: u8,
    /// The tariff.
    pub tariff: Pubkey,
    /// The registry device.
    pub device: Pubkey,
    /// The routing enrollment (approved when the binding was opened) settlement re-reads.
    pub enrollment: Pubkey,
    /// The utility program of that enrollment (a program of the tariff's utility).
    pub program: Pubkey,
    /// Unix time the binding was opened.
    pub opened_at: i64,
    /// Index of the export-cap period (`interval_start / period_secs`) `credit_in_period`
    /// counts.
    pub cap_period: i64,
    /// Export credit granted in `cap_period`, raw USDE.
    pub credit_in_period: u64,
    /// Lifetime export credit granted by this tariff to this device, raw USDE.
    pub total_export_credit: u64,
    /// Lifetime export credit paid from the escrow, raw USDE.
    pub total_export_paid: u64,
    /// Unpaid export credit, per owner and ownership epoch.
    pub debts: [ExportDebt; MAX_EXPORT_DEBTS],
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}

impl TariffBinding {
    /// The part of `credit` (earned by a reading starting at `interval_start`) the cap still
    /// allows in that reading's period; the rest is not owed. A reading from a period before
    /// the one counted shares the later period's total (never resets it).
    pub fn capped_credit(&mut self, cap: &ExportCap, interval_start: i64, credit: u64) -> u64 {
        let period = interval_start.div_euclid(i64::from(cap.period_secs.max(1)));
        if period > self.cap_period {
            self.cap_period = period;
            self.credit_in_period = 0;
        }
        let room = cap.max_credit.saturating_sub(self.credit_in_period);
        let granted = credit.min(room);
        // granted <= room = max_credit - credit_in_period, so this cannot overflow.
        self.credit_in_period = self.credit_in_period.saturating_add(granted);
        granted
    }

    /// Records `credit` owed to `owner` for `epoch`. Fails with `ExportDebtSlotsFull` when
    /// `MAX_EXPORT_DEBTS` other (owner, epoch) pairs are still owed.
    pub fn owe(&mut self, owner: &Pubkey, epoch: u32, credit: u64) -> Result<()> {
        if credit == 0 {
            return Ok(());
        }
        let slot = match self
            .debts
            .iter()
            .position(|d| d.owed > 0 && d.owner == *owner && d.epoch == epoch)
        {
            Some(i) => i,
            None => self
                .debts
                .iter()
                .position(|d| d.owed == 0)
                .ok_or(PaymentsError::ExportDebtSlotsFull)?,
        };
        let debt = &mut self.debts[slot];
        debt.owner = *owner;
        debt.epoch = epoch;
        debt.owed = debt
            .owed
            .checked_add(credit)
            .ok_or(PaymentsError::MathOverflow)?;
        self.total_export_credit = self
            .total_export_credit
            .checked_add(credit)
            .ok_or(PaymentsError::MathOverflow)?;
        Ok(())
    }

    /// What the escrow still owes `owner` (all epochs).
    pub fn owed_to(&self, owner: &Pubkey) -> u64 {
        self.debts
            .iter()
            .filter(|d| d.owed > 0 && d.owner == *owner)
            .fold(0u64, |acc, d| acc.saturating_add(d.owed))
    }

    /// What the escrow owes in all.
    pub fn owed_total(&self) -> u64 {
        self.debts
            .iter()
            .fold(0u64, |acc, d| acc.saturating_add(d.owed))
    }
}

/// Pays as much of what `binding`'s escrow owes `owner` as `vault` holds to `to` (a USDE
/// account of `owner`, checked by the caller), oldest epoch first, and returns the amount
/// paid. Shared by settlement and `meter_export_claim`.
pub fn pay_export_debt<'info>(
    binding: &mut TariffBinding,
    owner: &Pubkey,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    cpi: &TokenCpi<'_, 'info>,
    mint: AccountInfo<'info>,
    to: AccountInfo<'info>,
) -> Result<u64> {
    let pay = binding.owed_to(owner).min(vault.amount);
    if pay == 0 {
        return Ok(0);
    }
    cpi.transfer_out_exact(vault, mint, to, pay)?;
    let mut left = pay;
    let mut order: [usize; MAX_EXPORT_DEBTS] = core::array::from_fn(|i| i);
    order.sort_by_key(|&i| binding.debts[i].epoch);
    for i in order {
        let debt = &mut binding.debts[i];
        if left == 0 || debt.owed == 0 || debt.owner != *owner {
            continue;
        }
        let take = debt.owed.min(left);
        debt.owed -= take;
        left -= take;
        if debt.owed == 0 {
            *debt = ExportDebt::default();
        }
    }
    binding.total_export_paid = binding
        .total_export_paid
        .checked_add(pay)
        .ok_or(PaymentsError::MathOverflow)?;
    Ok(pay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding() -> TariffBinding {
        TariffBinding {
            bump: 0,
            tariff: Pubkey::default(),
            device: Pubkey::default(),
            enrollment: Pubkey::default(),
            program: Pubkey::default(),
            opened_at: 0,
            cap_period: 0,
            credit_in_period: 0,
            total_export_credit: 0,
            total_export_paid: 0,
            debts: [ExportDebt::default(); MAX_EXPORT_DEBTS],
            reserved: [0; 32],
        }
    }

    #[test]
    fn export_credit_is_capped_per_period() {
        let cap = ExportCap {
            max_credit: 100,
            period_secs: 86_400,
        };
        let mut b = binding();
        assert_eq!(b.capped_credit(&cap, 86_400, 60), 60);
        assert_eq!(b.capped_credit(&cap, 90_000, 60), 40, "clipped at the cap");
        assert_eq!(b.capped_credit(&cap, 90_000, 1), 0);
        assert_eq!(
            b.capped_credit(&cap, 3_000, 50),
            0,
            "an older period shares the total"
        );
        assert_eq!(
            b.capped_credit(&cap, 2 * 86_400, 70),
            70,
            "a new period starts at 0"
        );
        assert_eq!(b.capped_credit(&cap, 2 * 86_400, u64::MAX), 30);
    }

    #[test]
    fn debts_are_kept_per_owner_and_epoch() {
        let (a, c) = (Pubkey::new_unique(), Pubkey::new_unique());
        let mut b = binding();
        b.owe(&a, 1, 10).unwrap();
        b.owe(&a, 1, 5).unwrap();
        b.owe(&c, 2, 7).unwrap();
        b.owe(&a, 3, 1).unwrap();
        assert_eq!((b.owed_to(&a), b.owed_to(&c), b.owed_total()), (16, 7, 23));
        b.owe(&c, 4, 1).unwrap();
        assert!(b.owe(&a, 5, 1).is_err(), "five unpaid (owner, epoch) pairs");
        b.owe(&a, 1, 0).unwrap();
        assert_eq!(b.total_export_credit, 24);
    }
}
