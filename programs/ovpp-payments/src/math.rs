//! Conversion math: pure, checked `u128`, rounding always in the protocol's favour.
//! Mirrored exactly by the SDK's `quoteUnitBuy` / `quoteUnitSell`.
//!
//! Oracle value `v` and standard deviation `s` are USD per unit with 18 decimals. USDE and
//! unit tokens both have 6 decimals, so raw amounts convert with the 1e18 scale alone:
//!
//! * buying units, the user pays the ask: `ask = (v + s) * (BPS + spread) / BPS`
//!   (rounded up), `units_out = floor(usde_in * 1e18 / ask)`;
//! * selling units, the user receives the bid: `bid = (v - s) * (BPS - spread) / BPS`
//!   (rounded down), `usde_out = floor(units_in * bid / 1e18)`.
use crate::constants::BPS;

const SCALE: u128 = 1_000_000_000_000_000_000;

/// Ask price (USD per unit, 18 decimals) including confidence and spread; rounded up.
pub fn ask_price(value: u128, std_dev: u128, spread_bps: u16) -> Option<u128> {
    let base = value.checked_add(std_dev)?;
    let num = base.checked_mul(u128::from(BPS) + u128::from(spread_bps))?;
    num.checked_add(u128::from(BPS) - 1)?
        .checked_div(u128::from(BPS))
}

/// Bid price (USD per unit, 18 decimals) net of confidence and spread; rounded down.
/// `None` when the confidence interval reaches zero.
pub fn bid_price(value: u128, std_dev: u128, spread_bps: u16) -> Option<u128> {
    let base = value.checked_sub(std_dev).filter(|b| *b > 0)?;
    base.checked_mul(u128::from(BPS).checked_sub(u128::from(spread_bps))?)?
        .checked_div(u128::from(BPS))
}

/// Units (raw, 6 decimals) bought for `usde_in` (raw, 6 decimals) at `ask`.
pub fn units_for_usde(usde_in: u64, ask: u128) -> Option<u64> {
    if ask == 0 {
        return None;
    }
    let units = u128::from(usde_in).checked_mul(SCALE)?.checked_div(ask)?;
    u64::try_from(units).ok()
}

/// USDE (raw) paid for `units_in` (raw) at `bid`.
pub fn usde_for_units(units_in: u64, bid: u128) -> Option<u64> {
    let usde = u128::from(units_in).checked_mul(bid)?.checked_div(SCALE)?;
    u64::try_from(usde).ok()
}

/// `std_dev <= value * max_bps / BPS`, without division.
pub fn confidence_ok(value: u128, std_dev: u128, max_confidence_bps: u16) -> bool {
    match (
        std_dev.checked_mul(u128::from(BPS)),
        value.checked_mul(u128::from(max_confidence_bps)),
    ) {
        (Some(lhs), Some(rhs)) => lhs <= rhs,
        _ => false,
    }
}

/// USDE (raw) owed for `import_wh` at `price_per_kwh` (raw USDE per kWh), rounded up:
/// `ceil(import_wh * price / 1000)`.
pub fn settlement_amount(import_wh: u64, price_per_kwh: u64) -> Option<u64> {
    let num = u128::from(import_wh).checked_mul(u128::from(price_per_kwh))?;
    let amount = num.checked_add(999)?.checked_div(1_000)?;
    u64::try_from(amount).ok()
}

/// USDE (raw) earned for `export_wh` at `export_price` (raw USDE per kWh), rounded down (the
/// payer's favour): `floor(export_wh * price / 1000)`.
pub fn export_credit(export_wh: u64, export_price: u64) -> Option<u64> {
    reward_amount(export_wh, export_price)
}

/// Most Wh a device rated `power_w` can move in `secs`: `floor(power_w * secs / 3600)`.
pub fn energy_cap_wh(power_w: u32, secs: u32) -> u64 {
    // u32 * u32 fits in u64; no overflow possible.
    u64::from(power_w).saturating_mul(u64::from(secs)) / 3_600
}

/// USDE (raw) earned for `flex_wh` at `reward_per_kwh`, rounded down (the payer's favour):
/// `floor(flex_wh * rate / 1000)`.
pub fn reward_amount(flex_wh: u64, reward_per_kwh: u64) -> Option<u64> {
    let amount = u128::from(flex_wh)
        .checked_mul(u128::from(reward_per_kwh))?
        .checked_div(1_000)?;
    u64::try_from(amount).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energy_caps_scale_with_interval() {
        assert_eq!(energy_cap_wh(11_000, 3_600), 11_000);
        assert_eq!(energy_cap_wh(11_000, 900), 2_750);
        assert_eq!(energy_cap_wh(5_000, 300), 416);
        assert_eq!(energy_cap_wh(u32::MAX, 86_400), u64::from(u32::MAX) * 24);
        assert_eq!(energy_cap_wh(0, 900), 0);
    }

    #[test]
    fn rewards_round_down() {
        assert_eq!(reward_amount(2_500, 400_000), Some(1_000_000)); // 2.5 kWh at $0.40
        assert_eq!(reward_amount(1, 999), Some(0));
        assert_eq!(reward_amount(u64::MAX, u64::MAX), None);
    }

    #[test]
    fn settlement_rounds_up_in_the_utility_favour() {
        // 1.5 kWh at $0.30 = $0.45
        assert_eq!(settlement_amount(1_500, 300_000), Some(450_000));
        // 1 Wh at 1 raw unit per kWh = 0.001 -> 1
        assert_eq!(settlement_amount(1, 1), Some(1));
        assert_eq!(settlement_amount(0, 300_000), Some(0));
        assert_eq!(settlement_amount(u64::MAX, u64::MAX), None);
    }

    const CENTS_15: u128 = 150_000_000_000_000_000; // $0.15 per kWh

    #[test]
    fn buy_at_exact_price_without_spread() {
        let ask = ask_price(CENTS_15, 0, 0).unwrap();
        assert_eq!(ask, CENTS_15);
        // $15.00 buys 100 kWh.
        assert_eq!(units_for_usde(15_000_000, ask), Some(100_000_000));
    }

    #[test]
    fn confidence_and_spread_favour_the_protocol_on_both_sides() {
        let s = CENTS_15 / 100; // 1%
        let ask = ask_price(CENTS_15, s, 30).unwrap();
        let bid = bid_price(CENTS_15, s, 30).unwrap();
        assert!(ask > CENTS_15 && bid < CENTS_15);
        // A round trip never returns more than it took.
        for usde in [1u64, 7, 1_000_000, 15_000_000, 123_456_789_012] {
            let units = units_for_usde(usde, ask).unwrap();
            let back = usde_for_units(units, bid).unwrap();
            assert!(back <= usde, "{usde} -> {units} -> {back}");
        }
    }

    #[test]
    fn rounding_is_down_for_outputs_and_up_for_ask() {
        // ask rounds up: 1 * 10_001 / 10_000 = 1.0001 -> 2
        assert_eq!(ask_price(1, 0, 1), Some(2));
        // bid rounds down: 3 * 9_999 / 10_000 = 2.9997 -> 2
        assert_eq!(bid_price(3, 0, 1), Some(2));
        // 1 raw USDE at $3/unit buys 0.333.. raw units -> 0
        assert_eq!(units_for_usde(1, 3 * SCALE), Some(0));
    }

    #[test]
    fn extremes_do_not_overflow_silently() {
        assert_eq!(units_for_usde(u64::MAX, 1), None); // would exceed u64
        assert_eq!(units_for_usde(1, 0), None);
        assert_eq!(usde_for_units(u64::MAX, u128::MAX), None);
        assert_eq!(ask_price(u128::MAX, 1, 0), None);
        assert_eq!(bid_price(5, 5, 0), None); // interval reaches zero
        assert_eq!(bid_price(5, 6, 0), None);
        assert!(units_for_usde(u64::MAX, SCALE).is_some());
    }

    #[test]
    fn confidence_bound() {
        assert!(confidence_ok(10_000, 100, 100)); // exactly 1%
        assert!(!confidence_ok(10_000, 101, 100));
        assert!(!confidence_ok(u128::MAX, u128::MAX, 100));
    }
}
