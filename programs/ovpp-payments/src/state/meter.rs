use anchor_lang::prelude::*;
use ovpp_registry::state::Device;

use crate::errors::PaymentsError;

/// The previous ownership epoch's reading cursor, kept after a device changes hands so the
/// readings metered before the claim settle to the owner who owned the device then.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, Default, InitSpace,
)]
pub struct Backlog {
    /// Owner of the previous epoch (`Pubkey::default()`: none, nothing before the claim
    /// settles).
    pub owner: Pubkey,
    /// The previous epoch.
    pub epoch: u32,
    /// Start of the previous epoch: readings of intervals before it never settle.
    pub from: i64,
    /// Sequence of the last reading settled through the backlog.
    pub last_seq: u64,
    /// End of the last interval settled through the backlog.
    pub next_interval_start: i64,
    /// First sequence the current epoch settled (`u64::MAX` until it settles one): the
    /// backlog holds the sequences before it.
    pub end_seq: u64,
    /// Interval start of that first reading (`i64::MAX` until then).
    pub end_interval_start: i64,
}

/// Who a reading is billed to and paid to: an owner in one ownership epoch.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Payee {
    pub owner: Pubkey,
    pub epoch: u32,
}

/// Settlement state of one device.
///
/// Readings settle in the device's sequence order on one cursor per ownership epoch: the
/// current owner's, and the previous owner's backlog (kept after a claim for the tariff's
/// settlement window). A reading whose interval starts before the current owner's claim is
/// the previous owner's: billed to its mandate and paid to it, never to the new owner.
#[account]
#[derive(InitSpace)]
pub struct Meter {
    /// Canonical bump of `["meter", device]`.
    pub bump: u8,
    /// The registry device account.
    pub device: Pubkey,
    /// Sequence of the last reading settled in the current epoch; the next one must be
    /// exactly `last_seq + 1` (the first after a claim may skip what the backlog holds).
    pub last_seq: u64,
    /// Interval start of the last reading settled in the current epoch.
    pub last_interval_start: i64,
    /// End of that interval; the next reading starts at or after it.
    pub next_interval_start: i64,
    /// Lifetime imported energy, Wh.
    pub total_import_wh: u64,
    /// Lifetime exported energy, Wh.
    pub total_export_wh: u64,
    /// Lifetime USDE paid (raw).
    pub total_paid: u64,
    /// Lifetime USDE (raw) of export credit granted (all tariffs).
    pub total_export_credit: u64,
    /// Lifetime USDE (raw) paid out for exports at settlement (all tariffs).
    pub total_export_paid: u64,
    /// The device's ownership epoch this meter follows.
    pub epoch: u32,
    /// The owner in that epoch.
    pub owner: Pubkey,
    /// When that epoch began (the claim).
    pub epoch_start: i64,
    /// True from a claim until the new epoch settles its first reading.
    pub fresh: bool,
    /// The previous epoch's cursor.
    pub backlog: Backlog,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}

impl Meter {
    /// Starts the meter at the device's current epoch. A device that already changed hands
    /// starts with the previous owner's backlog open, from sequence 0.
    pub fn open(&mut self, device: &Device) {
        self.epoch = device.owner_epoch;
        self.owner = device.owner;
        self.epoch_start = device.owner_since;
        self.fresh = false;
        self.backlog = Backlog::default();
        if device.prev_owner != Pubkey::default() {
            self.epoch = device.owner_epoch.saturating_sub(1);
            self.follow(device);
        }
    }

    /// Follows the device into its current ownership epoch after a claim: the cursor so far
    /// becomes the previous owner's backlog (an older, unsettled backlog is closed), and the
    /// new epoch starts fresh at the claim.
    pub fn follow(&mut self, device: &Device) {
        if device.owner_epoch == self.epoch {
            return;
        }
        // Where the device's readings stand: the current cursor, or the backlog when a claim
        // came before the current epoch settled anything (the backlog is then ahead of it).
        // Nothing at or before it can settle again.
        let last_seq = self.last_seq.max(self.backlog.last_seq);
        let next_interval_start = self
            .next_interval_start
            .max(self.backlog.next_interval_start);
        self.last_seq = last_seq;
        self.next_interval_start = next_interval_start;
        self.backlog = Backlog {
            owner: device.prev_owner,
            epoch: device.owner_epoch.saturating_sub(1),
            from: device.prev_owner_since,
            last_seq,
            next_interval_start,
            end_seq: u64::MAX,
            end_interval_start: i64::MAX,
        };
        self.epoch = device.owner_epoch;
        self.owner = device.owner;
        self.epoch_start = device.owner_since;
        self.fresh = true;
    }

    /// Admits one reading (sequence `seq`, interval `[start, start + secs)`) at `now` onto
    /// the cursor it belongs to and returns who it is billed to and paid to. Readings from
    /// before the claim go to the backlog, within `window` seconds of the claim.
    pub fn admit(
        &mut self,
        seq: u64,
        start: i64,
        secs: i64,
        now: i64,
        window: i64,
    ) -> Result<Payee> {
        let end = start.checked_add(secs).ok_or(PaymentsError::MathOverflow)?;
        require!(
            secs > 0 && start.rem_euclid(secs) == 0 && end <= now,
            PaymentsError::InvalidReadingInterval
        );
        if start < self.epoch_start || (!self.fresh && seq < self.backlog.end_seq) {
            return self.admit_backlog(seq, start, end, now, window);
        }
        let b = &mut self.backlog;
        if self.fresh {
            // The first reading of a new epoch may skip the sequences the backlog still holds.
            require!(
                seq > self.last_seq.max(b.last_seq),
                PaymentsError::ReplayedReading
            );
            require!(
                start >= self.next_interval_start.max(b.next_interval_start),
                PaymentsError::InvalidReadingInterval
            );
            b.end_seq = seq;
            b.end_interval_start = start;
            self.fresh = false;
        } else {
            require!(seq > self.last_seq, PaymentsError::ReplayedReading);
            require!(
                Some(seq) == self.last_seq.checked_add(1),
                PaymentsError::ReadingOutOfOrder
            );
            require!(
                start >= self.next_interval_start,
                PaymentsError::InvalidReadingInterval
            );
        }
        self.last_seq = seq;
        self.last_interval_start = start;
        self.next_interval_start = end;
        Ok(Payee {
            owner: self.owner,
            epoch: self.epoch,
        })
    }

    fn admit_backlog(
        &mut self,
        seq: u64,
        start: i64,
        end: i64,
        now: i64,
        window: i64,
    ) -> Result<Payee> {
        let b = &mut self.backlog;
        let before_claim = start < self.epoch_start;
        if before_claim {
            require!(
                b.owner != Pubkey::default() && start >= b.from,
                PaymentsError::ReadingBeforeOwnership
            );
        }
        let closes = self
            .epoch_start
            .checked_add(window)
            .ok_or(PaymentsError::MathOverflow)?;
        require!(now < closes, PaymentsError::BacklogWindowClosed);
        require!(seq > b.last_seq, PaymentsError::ReplayedReading);
        require!(
            Some(seq) == b.last_seq.checked_add(1) && seq < b.end_seq,
            PaymentsError::ReadingOutOfOrder
        );
        require!(
            start >= b.next_interval_start && end <= b.end_interval_start,
            PaymentsError::InvalidReadingInterval
        );
        b.last_seq = seq;
        b.next_interval_start = end;
        Ok(if before_claim {
            Payee {
                owner: b.owner,
                epoch: b.epoch,
            }
        } else {
            Payee {
                owner: self.owner,
                epoch: self.epoch,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600;
    const DAY: i64 = 86_400;

    fn device(epoch: u32, owner: Pubkey, since: i64, prev: Pubkey, prev_since: i64) -> Device {
        let zeros = [0u8; Device::INIT_SPACE];
        let mut d = Device::deserialize(&mut &zeros[..]).unwrap();
        d.owner_epoch = epoch;
        d.owner = owner;
        d.owner_since = since;
        d.prev_owner = prev;
        d.prev_owner_since = prev_since;
        d
    }

    fn meter() -> Meter {
        Meter {
            bump: 0,
            device: Pubkey::default(),
            last_seq: 0,
            last_interval_start: 0,
            next_interval_start: 0,
            total_import_wh: 0,
            total_export_wh: 0,
            total_paid: 0,
            total_export_credit: 0,
            total_export_paid: 0,
            epoch: 0,
            owner: Pubkey::default(),
            epoch_start: 0,
            fresh: false,
            backlog: Backlog::default(),
            reserved: [0; 32],
        }
    }

    #[test]
    fn account_sizes_and_rent_are_what_the_readme_says() {
        // (bytes + 128) * 6,960 lamports of rent (SIMD-0194 rates).
        let rent = |bytes: usize| (bytes as u64 + 128) * 6_960;
        assert_eq!(8 + Meter::INIT_SPACE, 258);
        assert_eq!(rent(8 + Meter::INIT_SPACE), 2_686_560);
        assert_eq!(8 + crate::state::TariffBinding::INIT_SPACE, 385);
        assert_eq!(rent(8 + crate::state::TariffBinding::INIT_SPACE), 3_570_480);
        assert_eq!(8 + crate::state::TariffRevision::INIT_SPACE, 549);
        assert_eq!(
            rent(8 + crate::state::TariffRevision::INIT_SPACE),
            4_711_920
        );
    }

    #[test]
    fn a_sale_splits_readings_by_interval_and_never_blocks_the_buyer() {
        let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
        let mut m = meter();
        m.open(&device(1, a, 0, Pubkey::default(), 0));
        let now = 30 * H;
        assert_eq!(m.admit(1, 0, H, now, DAY).unwrap().owner, a);
        // A sells at 10h; readings 2..=9 (hours 1..9) are still unsettled.
        m.follow(&device(2, b, 10 * H, a, 0));
        // The buyer's first reading (hour 10, seq 10) settles at once, skipping the backlog.
        let p = m.admit(10, 10 * H, H, now, DAY).unwrap();
        assert_eq!((p.owner, p.epoch), (b, 2));
        assert_eq!(m.admit(11, 11 * H, H, now, DAY).unwrap().owner, b);
        // The seller's backlog settles to the seller, in order, and only before the buyer's.
        assert_eq!(
            m.admit(3, 2 * H, H, now, DAY).unwrap_err(),
            error!(PaymentsError::ReadingOutOfOrder)
        );
        let p = m.admit(2, H, H, now, DAY).unwrap();
        assert_eq!((p.owner, p.epoch), (a, 1));
        assert_eq!(
            m.admit(2, H, H, now, DAY).unwrap_err(),
            error!(PaymentsError::ReplayedReading)
        );
        for s in 3..=9 {
            assert_eq!(
                m.admit(s, (s as i64 - 1) * H, H, now, DAY).unwrap().owner,
                a
            );
        }
        assert_eq!(
            m.admit(10, 10 * H, H, now, DAY).unwrap_err(),
            error!(PaymentsError::ReplayedReading)
        );
        assert_eq!(m.admit(12, 12 * H, H, now, DAY).unwrap().owner, b);
    }

    #[test]
    fn the_buyer_cannot_skip_its_own_readings_and_the_backlog_window_closes() {
        let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
        let mut m = meter();
        m.open(&device(1, a, 0, Pubkey::default(), 0));
        m.follow(&device(2, b, 10 * H, a, 0));
        let now = 30 * H;
        // The buyer skips its own first readings (seq 1..=12): they stay billable to it.
        assert_eq!(m.admit(13, 12 * H, H, now, DAY).unwrap().owner, b);
        for s in 1..=10 {
            assert_eq!(
                m.admit(s, (s as i64 - 1) * H, H, now, DAY).unwrap().owner,
                a
            );
        }
        let p = m.admit(11, 10 * H, H, now, DAY).unwrap();
        assert_eq!(p.owner, b, "after the claim: the buyer's");
        assert_eq!(
            m.admit(12, 11 * H, H, 10 * H + DAY, DAY).unwrap_err(),
            error!(PaymentsError::BacklogWindowClosed)
        );
        // A reading from before the seller owned it never settles.
        let mut m = meter();
        m.open(&device(2, b, 10 * H, a, 5 * H));
        assert_eq!(
            m.admit(1, 4 * H, H, now, DAY).unwrap_err(),
            error!(PaymentsError::ReadingBeforeOwnership)
        );
        assert_eq!(m.admit(1, 5 * H, H, now, DAY).unwrap().owner, a);
    }

    #[test]
    fn a_second_sale_before_the_buyer_settled_cannot_replay_the_first_backlog() {
        let (a, b, c) = (
            Pubkey::new_unique(),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
        );
        let mut m = meter();
        m.open(&device(1, a, 0, Pubkey::default(), 0));
        m.follow(&device(2, b, 10 * H, a, 0));
        // The seller's backlog settles readings 1..=5; the buyer settles nothing yet.
        for s in 1..=5 {
            m.admit(s, (s as i64 - 1) * H, H, 30 * H, DAY).unwrap();
        }
        m.follow(&device(3, c, 20 * H, b, 10 * H));
        for s in 1..=5 {
            assert!(
                m.admit(s, (s as i64 - 1) * H, H, 30 * H, DAY).is_err(),
                "seq {s} replayed"
            );
        }
        assert_eq!(m.admit(6, 20 * H, H, 30 * H, DAY).unwrap().owner, c);
    }

    #[test]
    fn without_a_previous_owner_nothing_before_the_claim_settles() {
        let a = Pubkey::new_unique();
        let mut m = meter();
        m.open(&device(1, a, 10 * H, Pubkey::default(), 0));
        assert_eq!(
            m.admit(1, 9 * H, H, 20 * H, DAY).unwrap_err(),
            error!(PaymentsError::ReadingBeforeOwnership)
        );
        assert_eq!(
            m.admit(2, 10 * H, H, 20 * H, DAY).unwrap_err(),
            error!(PaymentsError::ReadingOutOfOrder)
        );
        assert_eq!(m.admit(1, 10 * H, H, 20 * H, DAY).unwrap().owner, a);
        assert_eq!(
            m.admit(2, 11 * H + 1, H, 20 * H, DAY).unwrap_err(),
            error!(PaymentsError::InvalidReadingInterval)
        );
        assert_eq!(
            m.admit(2, 20 * H, H, 20 * H, DAY).unwrap_err(),
            error!(PaymentsError::InvalidReadingInterval),
            "unfinished"
        );
    }
}
