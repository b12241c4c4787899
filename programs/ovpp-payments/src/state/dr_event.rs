use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::SEED_DR_EVENT;
use crate::errors::PaymentsError;
use crate::token_ops::TokenCpi;

/// A demand-response event a utility pays flexibility rewards for (OpenADR 3 event).
#[account]
#[derive(InitSpace)]
pub struct DrEvent {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["dr_event", utility, event_id]`.
    pub bump: u8,
    /// Canonical bump of the escrow vault.
    pub vault_bump: u8,
    /// The utility's registry partner account.
    pub utility: Pubkey,
    /// The utility's authority (attests and pays rewards).
    pub authority: Pubkey,
    /// Utility-chosen id (e.g. the OpenADR event id hash).
    pub event_id: u32,
    /// Event window, unix seconds.
    pub start: i64,
    pub end: i64,
    /// Raw USDE paid per kWh of verified flexibility.
    pub reward_per_kwh: u64,
    /// USDE escrowed at creation.
    pub budget: u64,
    /// USDE paid so far.
    pub paid: u64,
    /// Devices paid so far.
    pub participants: u32,
    /// Set once the remainder is returned; no more rewards.
    pub closed: bool,
    /// Reserved for future fields.
    pub reserved: [u8; 64],
}

impl DrEvent {
    /// The event's window is over (`DrEventNotEnded` before `end`): rewards are paid, and the
    /// remainder returned, only then.
    pub fn require_ended(&self) -> Result<()> {
        require!(
            Clock::get()?.unix_timestamp >= self.end,
            PaymentsError::DrEventNotEnded
        );
        Ok(())
    }
}

/// One device's reward for one event; its existence makes payment once-only.
#[account]
#[derive(InitSpace)]
pub struct DrReward {
    /// Canonical bump of `["dr_reward", event, device]`.
    pub bump: u8,
    pub event: Pubkey,
    pub device: Pubkey,
    /// Verified flexibility delivered, Wh.
    pub flex_wh: u64,
    /// USDE paid to the device owner.
    pub amount: u64,
    /// Unix time of payment.
    pub paid_at: i64,
}

/// Pays `amount` USDE out of an event's escrow vault to `to`, signed by the event PDA; the
/// vault must shrink by exactly `amount`.
pub fn pay_from_event_vault<'info>(
    event: &Account<'info, DrEvent>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    usde_mint: AccountInfo<'info>,
    to: AccountInfo<'info>,
    token_program: AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    let id = event.event_id.to_le_bytes();
    let bump = [event.bump];
    let seeds: &[&[u8]] = &[SEED_DR_EVENT, event.utility.as_ref(), &id, &bump];
    TokenCpi {
        token_program,
        authority: event.to_account_info(),
        signer: &[seeds],
    }
    .transfer_out_exact(vault, usde_mint, to, amount)
}
