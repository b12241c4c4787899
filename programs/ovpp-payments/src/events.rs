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
    /// USDE (raw) moved from the device owner to the utility treasury.
    pub amount: u64,
    /// USDE (raw) earned by the reading's exports at the export price.
    pub export_credit: u64,
    /// USDE (raw) paid to the owner from the tariff's export escrow (older debt first).
    pub export_paid: u64,
    /// USDE (raw) still owed to the meter after this settlement (escrow short).
    pub export_owed: u64,
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
    pub meter: Pubkey,
    pub owner: Pubkey,
    pub paid: u64,
    pub owed: u64,
}
