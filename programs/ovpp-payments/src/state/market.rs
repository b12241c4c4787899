use anchor_lang::prelude::*;

/// What a unit token measures.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum UnitKind {
    /// One token = 1 kWh of energy.
    Kwh,
    /// One token = 1 kg of CO2 avoided.
    Co2Kg,
}

impl UnitKind {
    /// Seed of this kind's market and mint PDAs: `[0]` for kWh, `[1]` for kg CO2.
    pub fn seed(self) -> &'static [u8] {
        match self {
            UnitKind::Kwh => &[0],
            UnitKind::Co2Kg => &[1],
        }
    }
}

/// A unit token and how it is priced against USDE.
#[account]
#[derive(InitSpace)]
pub struct UnitMarket {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["market", kind]`.
    pub bump: u8,
    /// Canonical bump of `["unit", kind]`.
    pub mint_bump: u8,
    /// kWh or kg CO2.
    pub kind: UnitKind,
    /// The unit token mint (Token-2022, 6 decimals).
    pub mint: Pubkey,
    /// Switchboard on-demand pull feed: USD per unit, 18 decimals.
    pub feed: Pubkey,
    /// Oldest accepted result, in slots behind the clock.
    pub max_staleness_slots: u32,
    /// Fewest oracle samples accepted in the result.
    pub min_samples: u8,
    /// Widest accepted standard deviation, in basis points of the value.
    pub max_confidence_bps: u16,
    /// Spread charged on both sides, in basis points, on top of the confidence haircut.
    pub spread_bps: u16,
    /// Reserved for future fields.
    pub reserved: [u8; 64],
}
