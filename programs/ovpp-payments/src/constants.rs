//! PDA seeds and limits. Every seed is an IDL `#[constant]`: the SDK's seed bytes and seed builders
//! (`sdk/src/generated/payments/{constants,seeds}.ts`) are generated from the IDL by
//! `scripts/dev/codegen.mjs`, never mirrored by hand.
use anchor_lang::prelude::*;

/// `["payments"]`: the payments configuration; mint authority of USDE and unit mints,
/// owner of the USDC vault and the USDE treasury.
#[constant]
pub const SEED_PAYMENTS: &[u8] = b"payments";

/// `["usde"]`: the USDE Token-2022 mint.
#[constant]
pub const SEED_USDE_MINT: &[u8] = b"usde";

/// `["vault"]`: USDC token account backing USDE 1:1.
#[constant]
pub const SEED_VAULT: &[u8] = b"vault";

/// `["treasury"]`: USDE received for unit tokens, paid back when units are sold.
#[constant]
pub const SEED_TREASURY: &[u8] = b"treasury";

/// `["market", kind]`: a unit market (kWh, kg CO2) with its oracle parameters.
#[constant]
pub const SEED_MARKET: &[u8] = b"market";

/// `["unit", kind]`: the unit token mint of a market.
#[constant]
pub const SEED_UNIT_MINT: &[u8] = b"unit";

/// Decimals of USDE, USDC and every unit token.
pub const TOKEN_DECIMALS: u8 = 6;

/// Switchboard on-demand results carry 18 decimals.
pub const ORACLE_DECIMALS: u32 = 18;

/// Basis points in one.
pub const BPS: u64 = 10_000;

/// Upper bounds for market parameters (sanity, not policy).
pub const MAX_SPREAD_BPS: u16 = 1_000;
pub const MAX_CONFIDENCE_BPS: u16 = 2_000;

/// `["tariff", utility_partner, tariff_id_le]`: a utility's time-of-use tariff.
#[constant]
pub const SEED_TARIFF: &[u8] = b"tariff";

/// `["meter", device]`: settlement state of one device (sequence, totals).
#[constant]
pub const SEED_METER: &[u8] = b"meter";

/// `["settlement"]`: the delegate device owners approve on their USDE account, so signed
/// readings settle without the owner online. It spends only through `meter_settle`, and only
/// within a mandate the device's current owner created for the billing utility.
#[constant]
pub const SEED_SETTLEMENT: &[u8] = b"settlement";

/// Domain tag hashed into every signed meter reading's context (v3: the context hash binds
/// program, device and tariff; the message carries the tariff revision).
pub const READING_DOMAIN: &[u8] = b"OVPP/meter-reading/v3";

/// Most readings one `meter_settle_batch` settles (one ed25519 instruction carries them all).
pub const MAX_SETTLE_BATCH: usize = 8;

/// Seconds in a day.
pub const SECONDS_PER_DAY: u32 = 86_400;

/// Shortest metering interval a tariff may declare (5 minutes).
pub const MIN_READING_INTERVAL_SECS: u32 = 300;

/// Longest metering interval a tariff may declare (a day).
pub const MAX_READING_INTERVAL_SECS: u32 = SECONDS_PER_DAY;

/// Most intervals in a tariff day.
pub const MAX_TARIFF_INTERVALS: usize = 24;

/// Minutes in a day.
pub const MINUTES_PER_DAY: u16 = 1_440;

/// `["dr_event", utility_partner, event_id_le]`: a demand-response event with its budget.
#[constant]
pub const SEED_DR_EVENT: &[u8] = b"dr_event";

/// `["dr_vault", dr_event]`: USDE escrow funding an event's rewards.
#[constant]
pub const SEED_DR_VAULT: &[u8] = b"dr_vault";

/// `["dr_reward", dr_event, device]`: proof a device was paid for an event (once).
#[constant]
pub const SEED_DR_REWARD: &[u8] = b"dr_reward";

/// `["mandate", owner, device]`: an owner's capped, revocable permission for one utility to
/// bill one device's readings.
#[constant]
pub const SEED_MANDATE: &[u8] = b"mandate";

/// `["export_vault", tariff]`: USDE escrow the utility funds to pay for exported energy.
#[constant]
pub const SEED_EXPORT_VAULT: &[u8] = b"export_vault";

/// USDC on mainnet-beta.
pub const USDC_MAINNET: Pubkey = pubkey!("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v");

/// USDC on devnet (Circle's faucet mint).
pub const USDC_DEVNET: Pubkey = pubkey!("4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU");

/// The test USDC of natively hosted runs (solana-program-test, the embedded runtime, the
/// local node); its keypair is `localnet/keys/usdc-localnet.json`. Accepted only when the
/// program is natively hosted, never on a cluster.
pub const USDC_LOCALNET: Pubkey = pubkey!("GQ1LxGAnhZQhLuV14a9FB7PTSwCktXBkRrwucDaC8SSd");

/// Seed of a tariff revision: `["tariff_revision", tariff, revision (u32 LE)]`.
#[constant]
pub const SEED_TARIFF_REVISION: &[u8] = b"tariff_revision";

/// Seed of a device's binding to a tariff: `["binding", tariff, device]`.
#[constant]
pub const SEED_BINDING: &[u8] = b"binding";

/// Shortest settlement window a tariff may declare (one day).
pub const MIN_SETTLEMENT_WINDOW_SECS: u32 = 86_400;

/// Longest settlement window a tariff may declare (90 days).
pub const MAX_SETTLEMENT_WINDOW_SECS: u32 = 90 * 86_400;

/// Longest export-cap period (a year).
pub const MAX_EXPORT_CAP_PERIOD_SECS: u32 = 366 * 86_400;

/// Notice between a utility's request to withdraw export escrow and its execution, so
/// owners' owed credit is claimed first (7 days).
pub const EXPORT_WITHDRAW_NOTICE_SECS: i64 = 7 * 86_400;

/// Owners (per ownership epoch) one binding can owe export credit to at once.
pub const MAX_EXPORT_DEBTS: usize = 4;

/// Domain tag of a device-signed sequence gap (`meter_gap`).
#[constant]
pub const GAP_DOMAIN: &[u8] = b"OVPP/meter-gap/v1";
