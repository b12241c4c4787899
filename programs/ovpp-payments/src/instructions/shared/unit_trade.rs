//! What `unit_buy` and `unit_sell` share: the checks of a trade and its price at the oracle.
//! They differ only in direction: a buy pays USDE in and mints units at the ask, a sale burns
//! units and pays USDE out of the market's backing at the bid.
use anchor_lang::prelude::*;

use crate::errors::PaymentsError;
use crate::math::{ask_price, bid_price, units_for_usde, usde_for_units};
use crate::oracle::load_price;
use crate::state::{require_participant, UnitMarket};

/// The direction of a unit trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// USDE in, units out, at the ask.
    Buy,
    /// Units in, USDE out, at the bid.
    Sell,
}

/// A trade priced at the oracle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    /// What the trader receives: units for a buy, USDE for a sale (raw, 6 decimals).
    pub out: u64,
    /// The oracle value the trade was priced at (USD per unit, 18 decimals), for the event.
    pub oracle_value: i128,
}

/// Checks a trade before it is priced: a non-zero amount, and the wallet that holds the units
/// (a buy's recipient, the seller) an active registry participant.
pub fn require_trade(
    amount_in: u64,
    holder: &Pubkey,
    partner: &AccountInfo,
    member: &AccountInfo,
) -> Result<()> {
    require!(amount_in > 0, PaymentsError::ZeroAmount);
    require_participant(holder, partner, member)
}

/// Prices `amount_in` at the market's feed (every check of [`load_price`]): a buy at the ask
/// (`MathOverflow` if it does not fit), a sale at the bid (`ConfidenceTooWide` when the
/// confidence interval reaches zero). The output must be positive (`ZeroOutput`); each
/// instruction checks its own slippage bound, so an `AnchorError` names the instruction's file.
pub fn quote(feed: &AccountInfo, market: &UnitMarket, side: Side, amount_in: u64) -> Result<Quote> {
    let price = load_price(feed, market, &Clock::get()?)?;
    let out = match side {
        Side::Buy => {
            let ask = ask_price(price.value, price.std_dev, market.spread_bps)
                .ok_or(PaymentsError::MathOverflow)?;
            units_for_usde(amount_in, ask).ok_or(PaymentsError::MathOverflow)?
        }
        Side::Sell => {
            let bid = bid_price(price.value, price.std_dev, market.spread_bps)
                .ok_or(PaymentsError::ConfidenceTooWide)?;
            usde_for_units(amount_in, bid).ok_or(PaymentsError::MathOverflow)?
        }
    };
    require!(out > 0, PaymentsError::ZeroOutput);
    Ok(Quote {
        out,
        oracle_value: i128::try_from(price.value).map_err(|_| PaymentsError::MathOverflow)?,
    })
}
