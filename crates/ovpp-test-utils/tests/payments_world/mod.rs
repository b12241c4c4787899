//! The payments tests' world: the registry's partners (the utility is the user, a participant),
//! payments initialised against the localnet USDC with its own authority, 1,000 USDC for the
//! user and a kWh Switchboard feed; plus the reserve check. Shared by `payments_usde.rs` and
//! `payments_units.rs` (each test file uses part of it).
#![allow(dead_code, unused_imports)]
pub use anchor_lang::error::ErrorCode as AnchorError;
pub use anchor_spl::token::spl_token;
pub use ovpp_host::switchboard::{feed_account, FeedResult};
pub use ovpp_payments::errors::PaymentsError;
pub use ovpp_payments::events::{UnitsBought, UsdeWrapped};
pub use ovpp_payments::instructions::UnitMarketCreateArgs;
pub use ovpp_payments::math::{ask_price, bid_price, units_for_usde, usde_for_units};
pub use ovpp_payments::state::{PaymentsConfig, UnitKind, UnitMarket};
pub use ovpp_test_utils::fixtures;
pub use ovpp_test_utils::harness::{anchor_code, find_event, Env, TxFailure};
pub use ovpp_test_utils::payments::*;
pub use ovpp_test_utils::world;
pub use ovpp_test_utils::{assert_anchor_err, assert_send_err};
pub use solana_sdk::account::AccountSharedData;
pub use solana_sdk::program_pack::Pack;
pub use solana_sdk::pubkey::Pubkey;
pub use solana_sdk::signature::{Keypair, Signer};
pub use spl_associated_token_account::get_associated_token_address_with_program_id as ata;
pub use spl_associated_token_account::instruction::create_associated_token_account_idempotent;

pub const USDC: u64 = 1_000_000;
pub const PRICE: i128 = 150_000_000_000_000_000; // $0.15 per kWh, 18 decimals

pub struct World {
    pub env: Env,
    pub authority: Keypair,
    pub usdc_mint: Pubkey,
    pub user: Keypair,
    pub user_usdc: Pubkey,
    pub user_usde: Pubkey,
    pub feed: Pubkey,
}

pub async fn amount(env: &mut Env, account: Pubkey) -> u64 {
    let data = env.account(account).await.expect("token account").data;
    spl_token::state::Account::unpack(&data[..spl_token::state::Account::LEN])
        .unwrap()
        .amount
}

pub async fn supply(env: &mut Env, mint: Pubkey) -> u64 {
    let data = env.account(mint).await.expect("mint").data;
    spl_token::state::Mint::unpack(&data[..spl_token::state::Mint::LEN])
        .unwrap()
        .supply
}

/// USDE supply == USDC in the vault, always.
pub async fn assert_reserve(env: &mut Env) -> u64 {
    let s = supply(env, usde_mint_pda()).await;
    assert_eq!(s, amount(env, vault_pda()).await, "reserve invariant");
    s
}

pub fn feed_result(slot: u64) -> FeedResult {
    FeedResult {
        value: PRICE,
        std_dev: PRICE / 1_000, // 0.1%
        num_samples: 5,
        slot,
    }
}

pub fn market_args() -> UnitMarketCreateArgs {
    UnitMarketCreateArgs {
        kind: UnitKind::Kwh,
        max_staleness_slots: 100,
        min_samples: 3,
        max_confidence_bps: 100,
        spread_bps: 30,
    }
}

impl World {
    pub async fn new() -> Self {
        let authority = Keypair::new();
        // The user is a registry participant (the onboarded utility): unit tokens are for
        // participants only.
        let base = world::World::builder()
            .ca([7; 32])
            .with_payments_authority(authority.pubkey())
            .build()
            .await;
        let usdc_mint = base.usdc();
        let (mut env, user) = (base.env, base.utility);
        let payer = env.payer();

        let user_usdc = ata(&user.pubkey(), &usdc_mint, &TOKEN);
        let user_usde = ata(&user.pubkey(), &usde_mint_pda(), &TOKEN_2022);
        env.send(
            &[
                create_associated_token_account_idempotent(
                    &payer.pubkey(),
                    &user.pubkey(),
                    &usdc_mint,
                    &TOKEN,
                ),
                create_associated_token_account_idempotent(
                    &payer.pubkey(),
                    &user.pubkey(),
                    &usde_mint_pda(),
                    &TOKEN_2022,
                ),
                spl_token::instruction::mint_to(
                    &TOKEN,
                    &usdc_mint,
                    &user_usdc,
                    &payer.pubkey(),
                    &[],
                    1_000 * USDC,
                )
                .unwrap(),
            ],
            &[],
        )
        .await
        .unwrap();

        let feed = Pubkey::new_unique();
        let slot = env.clock().await.slot;
        env.ctx.set_account(
            &feed,
            &AccountSharedData::from(feed_account(feed_result(slot))),
        );
        World {
            env,
            authority,
            usdc_mint,
            user,
            user_usdc,
            user_usde,
            feed,
        }
    }

    pub async fn wrap(
        &mut self,
        amount: u64,
    ) -> Result<ovpp_test_utils::harness::TxOutcome, TxFailure> {
        let user = self.user.insecure_clone();
        let ix = usde_wrap(
            user.pubkey(),
            self.usdc_mint,
            self.user_usdc,
            self.user_usde,
            TOKEN,
            amount,
        );
        self.env.send(&[ix], &[&user]).await
    }

    pub async fn unwrap(
        &mut self,
        amount: u64,
    ) -> Result<ovpp_test_utils::harness::TxOutcome, TxFailure> {
        let user = self.user.insecure_clone();
        let ix = usde_unwrap(
            user.pubkey(),
            self.usdc_mint,
            self.user_usde,
            self.user_usdc,
            TOKEN,
            amount,
        );
        self.env.send(&[ix], &[&user]).await
    }

    pub async fn set_feed(&mut self, result: FeedResult) {
        self.env
            .ctx
            .set_account(&self.feed, &AccountSharedData::from(feed_account(result)));
    }

    pub async fn create_market(&mut self) -> Pubkey {
        let authority = self.authority.insecure_clone();
        let payer = self.env.payer().pubkey();
        self.env
            .send(
                &[unit_market_create(
                    authority.pubkey(),
                    payer,
                    self.feed,
                    market_args(),
                )],
                &[&authority],
            )
            .await
            .unwrap();
        let user_units = ata(
            &self.user.pubkey(),
            &unit_mint_pda(UnitKind::Kwh),
            &TOKEN_2022,
        );
        self.env
            .send(
                &[create_associated_token_account_idempotent(
                    &payer,
                    &self.user.pubkey(),
                    &unit_mint_pda(UnitKind::Kwh),
                    &TOKEN_2022,
                )],
                &[],
            )
            .await
            .unwrap();
        user_units
    }

    pub async fn buy(
        &mut self,
        user_units: Pubkey,
        usde: u64,
        min_out: u64,
    ) -> Result<ovpp_test_utils::harness::TxOutcome, TxFailure> {
        let user = self.user.insecure_clone();
        let ix = unit_buy(
            UnitKind::Kwh,
            self.feed,
            user.pubkey(),
            self.user_usde,
            user_units,
            user.pubkey(),
            usde,
            min_out,
        );
        self.env.send(&[ix], &[&user]).await
    }
}
