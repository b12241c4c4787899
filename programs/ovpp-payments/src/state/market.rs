use anchor_lang::prelude::*;

use crate::errors::PaymentsError;

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
    /// USDE (raw) this market's buyers paid into the treasury, less what its sellers took
    /// out: the most its sales can ever redeem. Markets never draw on each other's backing.
    pub backing: u64,
    /// Reserved for future fields.
    pub reserved: [u8; 64],
}

impl UnitMarket {
    /// Records USDE paid in by a buyer of this market's units.
    pub fn add_backing(&mut self, usde_in: u64) -> Result<()> {
        self.backing = self
            .backing
            .checked_add(usde_in)
            .ok_or(PaymentsError::MathOverflow)?;
        Ok(())
    }

    /// Takes USDE out for a seller of this market's units; never more than the market holds.
    pub fn take_backing(&mut self, usde_out: u64) -> Result<()> {
        self.backing = self
            .backing
            .checked_sub(usde_out)
            .ok_or(PaymentsError::InsufficientMarketBacking)?;
        Ok(())
    }
}

/// Unit tokens stay with active registry participants: the same check the transfer hook runs
/// on every transfer, applied to whoever receives newly minted units or redeems units.
pub fn require_participant(
    wallet: &Pubkey,
    partner: &AccountInfo,
    member: &AccountInfo,
) -> Result<()> {
    // The hook's errors carry the hook's codes; report them as this program's own.
    let participant = ovpp_hook::participant::is_participant(wallet, partner, member)
        .map_err(|_| error!(PaymentsError::ParticipantAccountMismatch))?;
    require!(participant, PaymentsError::NotParticipant);
    Ok(())
}
