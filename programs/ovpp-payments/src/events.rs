use anchor_lang::prelude::*;

use crate::state::UnitKind;

#[event]
pub struct PaymentsInitialized {
    pub config: Pubkey,
    pub authority: Pubkey,
    pub usdc_mint: Pubkey,
    pub usde_mint: Pubkey,
}

#[event]
pub struct UsdeWrapped {
    pub user: Pubkey,
    pub amount: u64,
    /// USDE supply (== USDC vault balance) after the wrap.
    pub supply: u64,
}

#[event]
pub struct UsdeUnwrapped {
    pub user: Pubkey,
    pub amount: u64,
    /// USDE supply (== USDC vault balance) after the unwrap.
    pub supply: u64,
}

#[event]
pub struct UnitMarketCreated {
    pub market: Pubkey,
    pub kind: UnitKind,
    pub mint: Pubkey,
    pub feed: Pubkey,
}

#[event]
pub struct UnitsBought {
    pub user: Pubkey,
    pub kind: UnitKind,
    pub usde_in: u64,
    pub units_out: u64,
    /// Oracle value used (18 decimals, USD per unit, before spread and confidence).
    pub oracle_value: i128,
}

#[event]
pub struct UnitsSold {
    pub user: Pubkey,
    pub kind: UnitKind,
    pub units_in: u64,
    pub usde_out: u64,
    pub oracle_value: i128,
}

#[event]
pub struct PaymentsPauseChanged {
    pub config: Pubkey,
    pub paused: bool,
}

#[event]
pub struct TariffPublished {
    pub tariff: Pubkey,
    pub utility: Pubkey,
    pub tariff_id: u32,
    pub revision: u32,
    pub effective_from: i64,
}

#[event]
pub struct MeterOpened {
    pub meter: Pubkey,
    pub device: Pubkey,
}

#[event]
pub struct ReadingSettled {
    pub device: Pubkey,
    pub tariff: Pubkey,
    pub revision: u32,
    pub seq: u64,
    pub interval_start: i64,
    pub import_wh: u64,
    pub export_wh: u64,
    /// The owner billed for the imports and paid for the exports: the owner of the device
    /// when the interval began.
    pub owner: Pubkey,
    /// That owner's ownership epoch.
    pub epoch: u32,
    /// USDE (raw) moved from the owner to the utility treasury.
    pub amount: u64,
    /// USDE (raw) of export credit granted (the export price, within the utility's cap).
    pub export_credit: u64,
    /// USDE (raw) the exports earned above the cap, not owed.
    pub export_clipped: u64,
    /// USDE (raw) paid to the owner from the tariff's export escrow (older debt first).
    pub export_paid: u64,
    /// USDE (raw) the escrow still owes this owner for this device after this settlement.
    pub export_owed: u64,
    /// The time-of-use interval the reading was priced in: its first minute of the day (UTC).
    pub band_start_minute: u16,
    /// That interval's import price (raw USDE per kWh) in the revision the reading settled at.
    pub import_price: u64,
    /// That interval's export price (raw USDE per kWh) in the same revision.
    pub export_price: u64,
}

#[event]
pub struct DrEventCreated {
    pub event: Pubkey,
    pub utility: Pubkey,
    pub event_id: u32,
    pub start: i64,
    pub end: i64,
    pub reward_per_kwh: u64,
    pub budget: u64,
}

#[event]
pub struct DrRewardPaid {
    pub event: Pubkey,
    pub device: Pubkey,
    pub owner: Pubkey,
    pub flex_wh: u64,
    pub amount: u64,
}

#[event]
pub struct DrEventClosed {
    pub event: Pubkey,
    pub paid: u64,
    pub returned: u64,
    pub participants: u32,
}

#[event]
pub struct UsdeSurplusSwept {
    pub destination: Pubkey,
    pub amount: u64,
    pub supply: u64,
}

#[event]
pub struct MandateCreated {
    pub mandate: Pubkey,
    pub owner: Pubkey,
    pub device: Pubkey,
    pub utility: Pubkey,
    pub epoch: u32,
    pub max_per_period: u64,
    pub period_secs: u32,
    pub max_total: u64,
}

#[event]
pub struct MandateRevoked {
    pub mandate: Pubkey,
    pub owner: Pubkey,
    pub device: Pubkey,
    pub spent_total: u64,
}

#[event]
pub struct ExportEscrowFunded {
    pub tariff: Pubkey,
    pub amount: u64,
    pub balance: u64,
}

#[event]
pub struct ExportDebtPaid {
    pub binding: Pubkey,
    pub owner: Pubkey,
    pub paid: u64,
    pub owed: u64,
}

/// A device may settle against a tariff: opened from its approved enrollment.
#[event]
pub struct TariffBound {
    pub binding: Pubkey,
    pub tariff: Pubkey,
    pub device: Pubkey,
    pub enrollment: Pubkey,
    pub program: Pubkey,
}

/// A revision stopped being in force for new intervals at `superseded_at`; it still settles
/// until `settles_until`.
#[event]
pub struct TariffRevisionSuperseded {
    pub tariff: Pubkey,
    pub revision: u32,
    pub superseded_at: i64,
    pub settles_until: i64,
}

/// The utility asked to withdraw unused export escrow (`amount` 0 cancels a request).
#[event]
pub struct ExportWithdrawalRequested {
    pub tariff: Pubkey,
    pub amount: u64,
    pub ready_at: i64,
}

/// Unused export escrow went back to the utility's treasury after the notice period.
#[event]
pub struct ExportEscrowWithdrawn {
    pub tariff: Pubkey,
    pub amount: u64,
    pub balance: u64,
}

/// The device declared its readings `from_seq..to_seq` void; the next reading is `to_seq`.
#[event]
pub struct MeterGapSkipped {
    pub device: Pubkey,
    pub from_seq: u64,
    pub to_seq: u64,
}
