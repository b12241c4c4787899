//! # OpenVPP payments: USDE on-ramp and energy unit tokens
//!
//! * USDE is a Token-2022 mint (6 decimals) whose supply always equals the USDC held in the
//!   vault: `usde_wrap` deposits USDC and mints USDE, `usde_unwrap` burns USDE and pays USDC.
//!   Both re-read the vault and mint after their CPIs and fail unless the reserve invariant
//!   holds exactly.
//! * Unit markets (kWh, kg CO2) mint Token-2022 unit tokens against USDE at a Switchboard
//!   on-demand pull-feed price. The USDE stays in the treasury (it is never minted or
//!   burned by conversions), so conversions cannot break the reserve invariant. Prices carry
//!   a confidence haircut and a spread, always in the protocol's favour.
//!
//! * Tariffs: utilities (active registry partners) publish versioned time-of-use tariffs.
//! * Settlement: a device signs a domain-separated meter reading (ed25519 precompile in the
//!   same transaction); `meter_settle` checks key, message and a strictly increasing
//!   sequence, then moves USDE from the owner (who approved the `["settlement"]` delegate)
//!   to the utility treasury at the interval's price. Anyone may submit the reading.
//!
//! * Rewards: a utility escrows a demand-response event budget; after the event it pays each
//!   device owner for the flexibility it verified (once per device, enforced by a PDA) and
//!   takes back the remainder.
//!
//! Authorities: the config authority creates markets and pauses wraps, conversions and
//! settlement; unwrapping is never paused.
#![allow(unexpected_cfgs)]
// anchor 0.31's `#[program]` expansion calls `AccountInfo::realloc`, deprecated in
// solana-account-info 2.3; nothing in this crate calls it directly.
#![allow(deprecated)]
#![deny(arithmetic_overflow)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod math;
pub mod oracle;
pub mod signature;
pub mod state;
pub mod token_ops;

use instructions::*;

declare_id!("4BiRo3RvCMhHHwT2L1rcWvhZu6KV2pCgaEWxDHgWaBiJ");

#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "OpenVPP Payments",
    project_url: "https://github.com/openvpp/openvpp",
    contacts: "link:https://github.com/openvpp/openvpp/security/advisories/new",
    policy: "https://github.com/openvpp/openvpp/blob/main/SECURITY.md",
    source_code: "https://github.com/openvpp/openvpp"
}

#[program]
pub mod ovpp_payments {
    use super::*;

    /// Creates the USDE mint, the USDC vault and the treasury (once).
    pub fn payments_init(ctx: Context<PaymentsInit>, args: PaymentsInitArgs) -> Result<()> {
        instructions::payments_init::handler(ctx, args)
    }

    /// Pauses or resumes wraps and conversions (authority).
    pub fn payments_pause_set(
        ctx: Context<PaymentsPauseSet>,
        args: PaymentsPauseSetArgs,
    ) -> Result<()> {
        instructions::payments_pause_set::handler(ctx, args)
    }

    /// Deposits USDC and mints the same amount of USDE.
    pub fn usde_wrap(ctx: Context<UsdeWrap>, args: UsdeWrapArgs) -> Result<()> {
        instructions::usde_wrap::handler(ctx, args)
    }

    /// Burns USDE and withdraws the same amount of USDC.
    pub fn usde_unwrap(ctx: Context<UsdeUnwrap>, args: UsdeUnwrapArgs) -> Result<()> {
        instructions::usde_unwrap::handler(ctx, args)
    }

    /// Creates a kWh or kg-CO2 unit market priced by a Switchboard feed (authority).
    pub fn unit_market_create(
        ctx: Context<UnitMarketCreate>,
        args: UnitMarketCreateArgs,
    ) -> Result<()> {
        instructions::unit_market_create::handler(ctx, args)
    }

    /// Buys unit tokens with USDE at the oracle ask.
    pub fn unit_buy(ctx: Context<UnitBuy>, args: UnitBuyArgs) -> Result<()> {
        instructions::unit_buy::handler(ctx, args)
    }

    /// Sells unit tokens for USDE at the oracle bid.
    pub fn unit_sell(ctx: Context<UnitSell>, args: UnitSellArgs) -> Result<()> {
        instructions::unit_sell::handler(ctx, args)
    }

    /// Publishes a utility's time-of-use tariff (utility authority).
    pub fn tariff_create(ctx: Context<TariffCreate>, args: TariffCreateArgs) -> Result<()> {
        instructions::tariff_create::handler(ctx, args)
    }

    /// Publishes a tariff's next revision as its own immutable account (utility authority).
    pub fn tariff_update(ctx: Context<TariffUpdate>, args: TariffUpdateArgs) -> Result<()> {
        instructions::tariff_update::handler(ctx, args)
    }

    /// Opens a device's settlement state.
    pub fn meter_open(ctx: Context<MeterOpen>) -> Result<()> {
        instructions::meter_open::handler(ctx)
    }

    /// Settles a device-signed meter reading against a tariff, once.
    pub fn meter_settle(ctx: Context<MeterSettle>, args: MeterSettleArgs) -> Result<()> {
        instructions::meter_settle::handler(ctx, args)
    }

    /// Settles up to 8 consecutive device-signed readings of one device in one transaction.
    pub fn meter_settle_batch(ctx: Context<MeterSettle>, args: MeterSettleBatchArgs) -> Result<()> {
        instructions::meter_settle_batch::handler(ctx, args)
    }

    /// Opens a demand-response event and escrows its reward budget (utility authority).
    pub fn dr_event_create(ctx: Context<DrEventCreate>, args: DrEventCreateArgs) -> Result<()> {
        instructions::dr_event_create::handler(ctx, args)
    }

    /// Pays a device owner for verified flexibility, once per device and event.
    pub fn dr_reward_pay(ctx: Context<DrRewardPay>, args: DrRewardPayArgs) -> Result<()> {
        instructions::dr_reward_pay::handler(ctx, args)
    }

    /// Returns an ended event's unspent budget and closes it.
    pub fn dr_event_close(ctx: Context<DrEventClose>) -> Result<()> {
        instructions::dr_event_close::handler(ctx)
    }

    /// Moves USDC the vault holds beyond the USDE supply to a destination (authority).
    pub fn usde_surplus_sweep(ctx: Context<UsdeSurplusSweep>) -> Result<()> {
        instructions::usde_surplus_sweep::handler(ctx)
    }

    /// Lets one utility bill one of the owner's devices within caps (device owner).
    pub fn mandate_create(ctx: Context<MandateCreate>, args: MandateCreateArgs) -> Result<()> {
        instructions::mandate_create::handler(ctx, args)
    }

    /// Withdraws a settlement mandate at once (owner).
    pub fn mandate_revoke(ctx: Context<MandateRevoke>) -> Result<()> {
        instructions::mandate_revoke::handler(ctx)
    }

    /// Adds USDE to a tariff's export escrow.
    pub fn tariff_export_fund(
        ctx: Context<TariffExportFund>,
        args: TariffExportFundArgs,
    ) -> Result<()> {
        instructions::tariff_export_fund::handler(ctx, args)
    }

    /// Pays what a tariff's refilled escrow owes an owner for a device's exports (anyone).
    pub fn meter_export_claim(ctx: Context<MeterExportClaim>) -> Result<()> {
        instructions::meter_export_claim::handler(ctx)
    }

    /// Voids readings the device signed but that can never settle (device-signed gap).
    pub fn meter_gap(ctx: Context<MeterGap>, args: MeterGapArgs) -> Result<()> {
        instructions::meter_gap::handler(ctx, args)
    }

    /// Puts a device with an approved enrollment on a tariff (the tariff's authority signs).
    pub fn tariff_bind(ctx: Context<TariffBind>) -> Result<()> {
        instructions::tariff_bind::handler(ctx)
    }

    /// Announces a withdrawal of unused export escrow (utility authority; 0 cancels).
    pub fn tariff_export_withdraw_request(
        ctx: Context<TariffExportWithdrawRequest>,
        args: TariffExportWithdrawRequestArgs,
    ) -> Result<()> {
        instructions::tariff_export_withdraw_request::handler(ctx, args)
    }

    /// Executes an announced escrow withdrawal after the notice period (utility authority).
    pub fn tariff_export_withdraw(ctx: Context<TariffExportWithdraw>) -> Result<()> {
        instructions::tariff_export_withdraw::handler(ctx)
    }
}
