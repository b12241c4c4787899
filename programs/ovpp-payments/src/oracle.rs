//! Switchboard on-demand pull-feed loading: every check in one place.
use anchor_lang::prelude::*;
use switchboard_on_demand::{CurrentResult, Discriminator, PullFeedAccountData};

use crate::errors::PaymentsError;
use crate::math::confidence_ok;
use crate::state::UnitMarket;

/// Switchboard on-demand program (mainnet and devnet ids; the same account layout).
pub const SWITCHBOARD_ON_DEMAND_IDS: [Pubkey; 2] = [
    switchboard_on_demand::ON_DEMAND_MAINNET_PID,
    switchboard_on_demand::ON_DEMAND_DEVNET_PID,
];

/// A checked oracle price: USD per unit, 18 decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OraclePrice {
    pub value: u128,
    pub std_dev: u128,
    pub slot: u64,
}

/// Loads the market's feed and returns its current result, or a typed error when the account
/// is not the configured feed, not owned by Switchboard, not a pull feed, stale or
/// future-dated, short of samples, non-positive, or too uncertain.
pub fn load_price(feed: &AccountInfo, market: &UnitMarket, clock: &Clock) -> Result<OraclePrice> {
    require_keys_eq!(feed.key(), market.feed, PaymentsError::InvalidOracleFeed);
    require!(
        SWITCHBOARD_ON_DEMAND_IDS.contains(feed.owner),
        PaymentsError::InvalidOracleOwner
    );
    let result = read_current_result(&feed.try_borrow_data()?)?;

    require!(result.slot <= clock.slot, PaymentsError::FutureOraclePrice);
    let age = clock
        .slot
        .checked_sub(result.slot)
        .ok_or(PaymentsError::FutureOraclePrice)?;
    require!(
        age <= u64::from(market.max_staleness_slots),
        PaymentsError::StaleOraclePrice
    );
    require!(
        result.num_samples >= market.min_samples,
        PaymentsError::NotEnoughSamples
    );
    require!(result.value > 0, PaymentsError::NonPositivePrice);
    let value = u128::try_from(result.value).map_err(|_| PaymentsError::NonPositivePrice)?;
    let std_dev = u128::try_from(result.std_dev).map_err(|_| PaymentsError::InvalidOracleData)?;
    require!(
        confidence_ok(value, std_dev, market.max_confidence_bps),
        PaymentsError::ConfidenceTooWide
    );
    Ok(OraclePrice {
        value,
        std_dev,
        slot: result.slot,
    })
}

/// Reads the `result` field of a pull feed after checking discriminator and length.
///
/// Only the 128-byte `CurrentResult` is copied out (unaligned read): the whole feed is several
/// KiB, too large for an SBF stack frame, and account data is only 8-byte aligned while a
/// host `i128` wants 16, so a zero-copy cast of the whole struct is not portable.
pub fn read_current_result(data: &[u8]) -> Result<CurrentResult> {
    let disc = <PullFeedAccountData as Discriminator>::DISCRIMINATOR;
    require!(
        data.len() >= disc.len() + std::mem::size_of::<PullFeedAccountData>()
            && &data[..disc.len()] == disc,
        PaymentsError::InvalidOracleData
    );
    let start = disc.len() + std::mem::offset_of!(PullFeedAccountData, result);
    let end = start + std::mem::size_of::<CurrentResult>();
    Ok(bytemuck::pod_read_unaligned(&data[start..end]))
}
