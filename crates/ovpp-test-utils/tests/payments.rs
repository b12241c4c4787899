//! Payments integration tests: USDE wrap/unwrap against a USDC vault (legacy SPL Token) and
//! oracle-priced unit markets, with the reserve invariant checked after every step.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_spl::token::spl_token;
use ovpp_host::switchboard::{feed_account, FeedResult};
use ovpp_payments::errors::PaymentsError;
use ovpp_payments::events::{UnitsBought, UsdeWrapped};
use ovpp_payments::instructions::UnitMarketCreateArgs;
use ovpp_payments::math::{ask_price, bid_price, units_for_usde, usde_for_units};
use ovpp_payments::state::{PaymentsConfig, UnitKind, UnitMarket};
use ovpp_test_utils::fixtures;
use ovpp_test_utils::harness::{anchor_code, find_event, Env, TxFailure};
use ovpp_test_utils::payments::*;
use ovpp_test_utils::{assert_anchor_err, assert_send_err};
use solana_sdk::account::AccountSharedData;
use solana_sdk::program_pack::Pack;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use spl_associated_token_account::get_associated_token_address_with_program_id as ata;
use spl_associated_token_account::instruction::create_associated_token_account_idempotent;

const USDC: u64 = 1_000_000;
const PRICE: i128 = 150_000_000_000_000_000; // $0.15 per kWh, 18 decimals

struct World {
    env: Env,
    authority: Keypair,
    usdc_mint: Pubkey,
    user: Keypair,
    user_usdc: Pubkey,
    user_usde: Pubkey,
    feed: Pubkey,
}

async fn amount(env: &mut Env, account: Pubkey) -> u64 {
    let data = env.account(account).await.expect("token account").data;
    spl_token::state::Account::unpack(&data[..spl_token::state::Account::LEN])
        .unwrap()
        .amount
}

async fn supply(env: &mut Env, mint: Pubkey) -> u64 {
    let data = env.account(mint).await.expect("mint").data;
    spl_token::state::Mint::unpack(&data[..spl_token::state::Mint::LEN])
        .unwrap()
        .supply
}

/// USDE supply == USDC in the vault, always.
async fn assert_reserve(env: &mut Env) -> u64 {
    let s = supply(env, usde_mint_pda()).await;
    assert_eq!(s, amount(env, vault_pda()).await, "reserve invariant");
    s
}

fn feed_result(slot: u64) -> FeedResult {
    FeedResult {
        value: PRICE,
        std_dev: PRICE / 1_000, // 0.1%
        num_samples: 5,
        slot,
    }
}

fn market_args() -> UnitMarketCreateArgs {
    UnitMarketCreateArgs {
        kind: UnitKind::Kwh,
        max_staleness_slots: 100,
        min_samples: 3,
        max_confidence_bps: 100,
        spread_bps: 30,
    }
}

impl World {
    async fn new() -> Self {
        let mut env = Env::new().await;
        let payer = env.payer();
        let authority = Keypair::new();
        // The user is a registry participant (the onboarded utility): unit tokens are for
        // participants only.
        let user = fixtures::onboard(&mut env, [7; 32]).await.utility;
        let usdc_mint = fixtures::usdc_mint(&mut env).await;
        env.send(
            &[payments_init(
                payer.pubkey(),
                authority.pubkey(),
                usdc_mint,
                TOKEN,
            )],
            &[&ovpp_test_utils::keys::localnet_admin()],
        )
        .await
        .unwrap();

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

    async fn wrap(
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

    async fn unwrap(
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

    async fn set_feed(&mut self, result: FeedResult) {
        self.env
            .ctx
            .set_account(&self.feed, &AccountSharedData::from(feed_account(result)));
    }

    async fn create_market(&mut self) -> Pubkey {
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

    async fn buy(
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

#[tokio::test]
async fn wrap_and_unwrap_keep_usde_fully_backed_success() {
    let mut w = World::new().await;
    let config: PaymentsConfig = w.env.fetch(config_pda()).await;
    assert_eq!(config.usdc_mint, w.usdc_mint);
    assert_eq!(config.usde_mint, usde_mint_pda());
    let usde = w.env.account(usde_mint_pda()).await.unwrap();
    assert_eq!(usde.owner, TOKEN_2022, "USDE is a Token-2022 mint");
    {
        use spl_token_2022::extension::{BaseStateWithExtensions, StateWithExtensions};
        let mint = StateWithExtensions::<spl_token_2022::state::Mint>::unpack(&usde.data).unwrap();
        assert_eq!(mint.base.decimals, 6);
        let metadata = mint
            .get_variable_len_extension::<anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata>()
            .expect("token metadata in the mint");
        assert_eq!(
            (metadata.name.as_str(), metadata.symbol.as_str()),
            ("OpenVPP Dollar", "USDE")
        );
        assert_eq!(metadata.mint, usde_mint_pda());
    }
    assert_eq!(assert_reserve(&mut w.env).await, 0);

    let out = w.wrap(400 * USDC).await.unwrap();
    let ev: UsdeWrapped = find_event(&out.logs).expect("UsdeWrapped");
    assert_eq!((ev.amount, ev.supply), (400 * USDC, 400 * USDC));
    assert_eq!(amount(&mut w.env, w.user_usde).await, 400 * USDC);
    assert_eq!(amount(&mut w.env, w.user_usdc).await, 600 * USDC);
    assert_eq!(assert_reserve(&mut w.env).await, 400 * USDC);

    w.unwrap(150 * USDC).await.unwrap();
    assert_eq!(amount(&mut w.env, w.user_usde).await, 250 * USDC);
    assert_eq!(amount(&mut w.env, w.user_usdc).await, 750 * USDC);
    assert_eq!(assert_reserve(&mut w.env).await, 250 * USDC);

    // Rejections leave every balance where it was.
    assert_anchor_err!(w.wrap(0).await, PaymentsError::ZeroAmount);
    assert_anchor_err!(w.unwrap(0).await, PaymentsError::ZeroAmount);
    // More USDC than the user holds: SPL Token's InsufficientFunds (1) inside the CPI.
    assert_eq!(anchor_code(w.wrap(10_000 * USDC).await), 1);
    // More USDE than the user holds: Token-2022's InsufficientFunds.
    assert_eq!(anchor_code(w.unwrap(10_000 * USDC).await), 1);
    assert_eq!(amount(&mut w.env, w.user_usde).await, 250 * USDC);
    assert_eq!(assert_reserve(&mut w.env).await, 250 * USDC);
}

#[tokio::test]
async fn wrap_rejects_foreign_accounts_and_pause_failure() {
    let mut w = World::new().await;
    w.wrap(100 * USDC).await.unwrap();
    let user = w.user.insecure_clone();

    // Someone else's USDE account cannot be burned from.
    let thief = Keypair::new();
    let ix = usde_unwrap(
        thief.pubkey(),
        w.usdc_mint,
        w.user_usde,
        w.user_usdc,
        TOKEN,
        USDC,
    );
    assert_send_err!(w.env, &[ix], &[&thief], AnchorError::ConstraintTokenOwner);

    // A look-alike vault (the user's own USDC account) is not the configured vault.
    let mut ix = usde_wrap(
        user.pubkey(),
        w.usdc_mint,
        w.user_usdc,
        w.user_usde,
        TOKEN,
        USDC,
    );
    ix.accounts[6].pubkey = w.user_usdc;
    assert_send_err!(w.env, &[ix], &[&user], PaymentsError::ConfigMismatch);

    // The wrong token program for USDC.
    let ix = usde_wrap(
        user.pubkey(),
        w.usdc_mint,
        w.user_usdc,
        w.user_usde,
        TOKEN_2022,
        USDC,
    );
    let r = w.env.send(&[ix], &[&user]).await;
    assert!(r.is_err());

    // Pause stops wraps, never unwraps.
    let authority = w.authority.insecure_clone();
    assert_send_err!(
        w.env,
        &[payments_pause_set(user.pubkey(), true)],
        &[&user],
        PaymentsError::Unauthorized
    );
    w.env
        .send(
            &[payments_pause_set(authority.pubkey(), true)],
            &[&authority],
        )
        .await
        .unwrap();
    assert_anchor_err!(w.wrap(USDC).await, PaymentsError::Paused);
    w.unwrap(40 * USDC).await.unwrap();
    assert_eq!(assert_reserve(&mut w.env).await, 60 * USDC);
}

#[tokio::test]
async fn unit_market_buys_and_sells_at_the_haircut_oracle_price_success() {
    let mut w = World::new().await;
    w.wrap(100 * USDC).await.unwrap();
    let user_units = w.create_market().await;
    let market: UnitMarket = w.env.fetch(market_pda(UnitKind::Kwh)).await;
    assert_eq!(market.feed, w.feed);

    let result = feed_result(0);
    let ask = ask_price(result.value as u128, result.std_dev as u128, 30).unwrap();
    let expected_units = units_for_usde(15 * USDC, ask).unwrap();
    let out = w.buy(user_units, 15 * USDC, expected_units).await.unwrap();
    let ev: UnitsBought = find_event(&out.logs).expect("UnitsBought");
    assert_eq!(ev.units_out, expected_units);
    assert!(
        expected_units < 100 * USDC,
        "haircut: less than 100 kWh for $15 at $0.15"
    );
    assert!(expected_units > 99 * USDC);
    assert_eq!(amount(&mut w.env, user_units).await, expected_units);
    assert_eq!(amount(&mut w.env, treasury_pda()).await, 15 * USDC);
    assert_eq!(amount(&mut w.env, w.user_usde).await, 85 * USDC);
    // Conversions move USDE, never mint or burn it.
    assert_eq!(assert_reserve(&mut w.env).await, 100 * USDC);

    let bid = bid_price(result.value as u128, result.std_dev as u128, 30).unwrap();
    let expected_usde = usde_for_units(expected_units, bid).unwrap();
    let user = w.user.insecure_clone();
    let ix = unit_sell(
        UnitKind::Kwh,
        w.feed,
        user.pubkey(),
        user_units,
        w.user_usde,
        expected_units,
        expected_usde,
    );
    w.env.send(&[ix], &[&user]).await.unwrap();
    assert!(expected_usde < 15 * USDC, "round trip costs the spread");
    assert_eq!(amount(&mut w.env, user_units).await, 0);
    assert_eq!(
        amount(&mut w.env, w.user_usde).await,
        85 * USDC + expected_usde
    );
    assert_eq!(
        amount(&mut w.env, treasury_pda()).await,
        15 * USDC - expected_usde
    );
    assert_eq!(supply(&mut w.env, unit_mint_pda(UnitKind::Kwh)).await, 0);
    assert_eq!(assert_reserve(&mut w.env).await, 100 * USDC);

    // Slippage bound.
    let r = w.buy(user_units, USDC, expected_units).await;
    assert_anchor_err!(r, PaymentsError::SlippageExceeded);
}

#[tokio::test]
async fn oracle_checks_reject_bad_feeds_failure() {
    let mut w = World::new().await;
    w.wrap(100 * USDC).await.unwrap();
    let user_units = w.create_market().await;
    let now = w.env.clock().await.slot;

    let cases: Vec<(FeedResult, PaymentsError)> = vec![
        (
            FeedResult {
                num_samples: 2,
                ..feed_result(now)
            },
            PaymentsError::NotEnoughSamples,
        ),
        (
            FeedResult {
                value: 0,
                std_dev: 0,
                ..feed_result(now)
            },
            PaymentsError::NonPositivePrice,
        ),
        (
            FeedResult {
                value: -PRICE,
                std_dev: 0,
                ..feed_result(now)
            },
            PaymentsError::NonPositivePrice,
        ),
        (
            FeedResult {
                std_dev: PRICE / 50,
                ..feed_result(now)
            },
            PaymentsError::ConfidenceTooWide,
        ),
        (feed_result(now + 10), PaymentsError::FutureOraclePrice),
    ];
    for (result, expected) in cases {
        w.set_feed(result).await;
        let r = w.buy(user_units, USDC, 0).await;
        assert_anchor_err!(r, expected, "{result:?}");
    }

    // Stale: the clock moves past max_staleness_slots.
    w.set_feed(feed_result(now)).await;
    w.buy(user_units, USDC, 0).await.unwrap();
    let mut clock = w.env.clock().await;
    clock.slot = now + 101;
    w.env.ctx.set_sysvar(&clock);
    assert_anchor_err!(
        w.buy(user_units, USDC, 0).await,
        PaymentsError::StaleOraclePrice
    );
    w.set_feed(feed_result(now + 101)).await;
    w.buy(user_units, USDC, 0).await.unwrap();

    // A feed owned by another program, garbage owned by Switchboard, and a different feed.
    let mut foreign = feed_account(feed_result(now + 101));
    foreign.owner = Pubkey::new_unique();
    w.env
        .ctx
        .set_account(&w.feed, &AccountSharedData::from(foreign));
    assert_anchor_err!(
        w.buy(user_units, USDC, 0).await,
        PaymentsError::InvalidOracleOwner
    );
    let mut garbage = feed_account(feed_result(now + 101));
    garbage.data[..8].copy_from_slice(&[0; 8]);
    w.env
        .ctx
        .set_account(&w.feed, &AccountSharedData::from(garbage));
    assert_anchor_err!(
        w.buy(user_units, USDC, 0).await,
        PaymentsError::InvalidOracleData
    );
    let other = Pubkey::new_unique();
    w.env.ctx.set_account(
        &other,
        &AccountSharedData::from(feed_account(feed_result(now + 101))),
    );
    let user = w.user.insecure_clone();
    let ix = unit_buy(
        UnitKind::Kwh,
        other,
        user.pubkey(),
        w.user_usde,
        user_units,
        user.pubkey(),
        USDC,
        0,
    );
    assert_anchor_err!(
        w.env.send(&[ix], &[&user]).await,
        PaymentsError::InvalidOracleFeed
    );

    // Nothing was minted by any rejected attempt: two successful $1 buys only.
    assert_eq!(amount(&mut w.env, treasury_pda()).await, 2 * USDC);
    assert_eq!(assert_reserve(&mut w.env).await, 100 * USDC);
}

#[tokio::test]
async fn treasury_cannot_pay_more_than_it_holds_failure() {
    let mut w = World::new().await;
    w.wrap(100 * USDC).await.unwrap();
    let user_units = w.create_market().await;
    let now = w.env.clock().await.slot;
    w.buy(user_units, 10 * USDC, 0).await.unwrap();
    let units = amount(&mut w.env, user_units).await;
    // The price of a kWh jumps 100x: the treasury cannot honour the sale.
    w.set_feed(FeedResult {
        value: PRICE * 100,
        std_dev: PRICE / 10,
        ..feed_result(now)
    })
    .await;
    let user = w.user.insecure_clone();
    let ix = unit_sell(
        UnitKind::Kwh,
        w.feed,
        user.pubkey(),
        user_units,
        w.user_usde,
        units,
        0,
    );
    assert_send_err!(
        w.env,
        &[ix],
        &[&user],
        PaymentsError::InsufficientMarketBacking
    );
    assert_eq!(amount(&mut w.env, user_units).await, units);
}

#[tokio::test]
async fn market_creation_is_guarded_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let stranger = Keypair::new();
    assert_send_err!(
        w.env,
        &[unit_market_create(
            stranger.pubkey(),
            payer,
            w.feed,
            market_args(),
        )],
        &[&stranger],
        PaymentsError::Unauthorized
    );
    let authority = w.authority.insecure_clone();
    let mut bad = market_args();
    bad.spread_bps = 5_000;
    assert_send_err!(
        w.env,
        &[unit_market_create(authority.pubkey(), payer, w.feed, bad)],
        &[&authority],
        PaymentsError::InvalidMarketParams
    );
    // The feed must be a Switchboard pull feed.
    let not_a_feed = w.user_usdc;
    assert_send_err!(
        w.env,
        &[unit_market_create(
            authority.pubkey(),
            payer,
            not_a_feed,
            market_args(),
        )],
        &[&authority],
        PaymentsError::InvalidOracleOwner
    );
    assert!(w.env.account(market_pda(UnitKind::Kwh)).await.is_none());
}

#[tokio::test]
async fn kwh_and_co2_markets_are_independent_failure() {
    let mut w = World::new().await;
    w.wrap(20 * USDC).await.unwrap();
    let kwh_units = w.create_market().await;
    // A kg-CO2 market on its own feed ($0.05 per kg avoided), with its own mint.
    let co2_feed = Pubkey::new_unique();
    let slot = w.env.clock().await.slot;
    let co2 = FeedResult {
        value: PRICE / 3,
        std_dev: 0,
        num_samples: 5,
        slot,
    };
    w.env
        .ctx
        .set_account(&co2_feed, &AccountSharedData::from(feed_account(co2)));
    let authority = w.authority.insecure_clone();
    let payer = w.env.payer().pubkey();
    let args = UnitMarketCreateArgs {
        kind: UnitKind::Co2Kg,
        ..market_args()
    };
    w.env
        .send(
            &[unit_market_create(
                authority.pubkey(),
                payer,
                co2_feed,
                args,
            )],
            &[&authority],
        )
        .await
        .unwrap();
    assert_ne!(unit_mint_pda(UnitKind::Co2Kg), unit_mint_pda(UnitKind::Kwh));
    let co2_units = ata(
        &w.user.pubkey(),
        &unit_mint_pda(UnitKind::Co2Kg),
        &TOKEN_2022,
    );
    w.env
        .send(
            &[create_associated_token_account_idempotent(
                &payer,
                &w.user.pubkey(),
                &unit_mint_pda(UnitKind::Co2Kg),
                &TOKEN_2022,
            )],
            &[],
        )
        .await
        .unwrap();
    let user = w.user.insecure_clone();
    let ix = unit_buy(
        UnitKind::Co2Kg,
        co2_feed,
        user.pubkey(),
        w.user_usde,
        co2_units,
        user.pubkey(),
        5 * USDC,
        0,
    );
    w.env.send(&[ix], &[&user]).await.unwrap();
    let ask = ask_price((PRICE / 3) as u128, 0, 30).unwrap();
    assert_eq!(
        amount(&mut w.env, co2_units).await,
        units_for_usde(5 * USDC, ask).unwrap()
    );
    assert_eq!(amount(&mut w.env, kwh_units).await, 0);
    // The kWh feed cannot price the CO2 market.
    let ix = unit_buy(
        UnitKind::Co2Kg,
        w.feed,
        user.pubkey(),
        w.user_usde,
        co2_units,
        user.pubkey(),
        USDC,
        0,
    );
    assert_anchor_err!(
        w.env.send(&[ix], &[&user]).await,
        PaymentsError::InvalidOracleFeed
    );
    assert_eq!(assert_reserve(&mut w.env).await, 20 * USDC);

    // Finding 11: kWh sellers cannot drain the USDE that CO2 buyers paid in. $1 of kWh, then
    // the kWh price quadruples: the sale would need about $4, and the kWh market holds $1
    // while the shared treasury holds $6.
    w.buy(kwh_units, USDC, 0).await.unwrap();
    let kwh = amount(&mut w.env, kwh_units).await;
    w.set_feed(FeedResult {
        value: PRICE * 4,
        std_dev: 0,
        ..feed_result(slot)
    })
    .await;
    let sell = unit_sell(
        UnitKind::Kwh,
        w.feed,
        user.pubkey(),
        kwh_units,
        w.user_usde,
        kwh,
        0,
    );
    assert_anchor_err!(
        w.env.send(&[sell], &[&user]).await,
        PaymentsError::InsufficientMarketBacking
    );
    assert_eq!(amount(&mut w.env, treasury_pda()).await, 6 * USDC);
    let kwh_market: UnitMarket = w.env.fetch(market_pda(UnitKind::Kwh)).await;
    let co2_market: UnitMarket = w.env.fetch(market_pda(UnitKind::Co2Kg)).await;
    assert_eq!((kwh_market.backing, co2_market.backing), (USDC, 5 * USDC));
    // A quarter of the units still sells, out of the kWh backing alone.
    let sell = unit_sell(
        UnitKind::Kwh,
        w.feed,
        user.pubkey(),
        kwh_units,
        w.user_usde,
        kwh / 5,
        0,
    );
    w.env.send(&[sell], &[&user]).await.unwrap();
    let co2_market: UnitMarket = w.env.fetch(market_pda(UnitKind::Co2Kg)).await;
    assert_eq!(co2_market.backing, 5 * USDC);
}

#[tokio::test]
async fn unwrap_into_the_vault_itself_is_refused_failure() {
    // Duplicate mutable accounts: paying the unwrapped USDC back into the vault would burn the
    // user's USDE for nothing; the balance-delta check refuses it and nothing changes.
    let mut w = World::new().await;
    w.wrap(10 * USDC).await.unwrap();
    let user = w.user.insecure_clone();
    let ix = usde_unwrap(
        user.pubkey(),
        w.usdc_mint,
        w.user_usde,
        vault_pda(),
        TOKEN,
        USDC,
    );
    assert_anchor_err!(
        w.env.send(&[ix], &[&user]).await,
        PaymentsError::UnexpectedBalanceChange
    );
    assert_eq!(amount(&mut w.env, w.user_usde).await, 10 * USDC);
    assert_eq!(assert_reserve(&mut w.env).await, 10 * USDC);
}

/// Finding 1: one raw unit donated to the vault, or USDE burned outside `usde_unwrap`, must
/// never freeze wraps or unwraps (also while paused); the surplus is swept by the authority.
#[tokio::test]
async fn donations_and_direct_burns_never_freeze_the_reserve_success() {
    let mut w = World::new().await;
    w.wrap(10 * USDC).await.unwrap();
    let user = w.user.insecure_clone();
    // 1 raw USDC straight into the vault; 1 raw USDE burned through Token-2022 directly.
    w.env
        .send(
            &[
                spl_token::instruction::transfer(
                    &TOKEN,
                    &w.user_usdc,
                    &vault_pda(),
                    &user.pubkey(),
                    &[],
                    1,
                )
                .unwrap(),
                spl_token_2022::instruction::burn_checked(
                    &TOKEN_2022,
                    &w.user_usde,
                    &usde_mint_pda(),
                    &user.pubkey(),
                    &[],
                    1,
                    6,
                )
                .unwrap(),
            ],
            &[&user],
        )
        .await
        .unwrap();
    assert_eq!(amount(&mut w.env, vault_pda()).await, 10 * USDC + 1);
    assert_eq!(supply(&mut w.env, usde_mint_pda()).await, 10 * USDC - 1);
    w.wrap(USDC).await.unwrap();
    w.unwrap(2 * USDC).await.unwrap();
    let authority = w.authority.insecure_clone();
    w.env
        .send(
            &[payments_pause_set(authority.pubkey(), true)],
            &[&authority],
        )
        .await
        .unwrap();
    w.unwrap(USDC).await.unwrap();
    // The vault covers the supply with 2 raw units to spare; only the authority sweeps them.
    let vault = amount(&mut w.env, vault_pda()).await;
    let supply_now = supply(&mut w.env, usde_mint_pda()).await;
    assert_eq!(vault - supply_now, 2);
    assert_send_err!(
        w.env,
        &[usde_surplus_sweep(
            user.pubkey(),
            w.usdc_mint,
            w.user_usdc,
            TOKEN,
        )],
        &[&user],
        PaymentsError::Unauthorized
    );
    // Sweeping into the vault itself moves nothing and is refused.
    assert_send_err!(
        w.env,
        &[usde_surplus_sweep(
            authority.pubkey(),
            w.usdc_mint,
            vault_pda(),
            TOKEN,
        )],
        &[&authority],
        PaymentsError::UnexpectedBalanceChange
    );
    let before = amount(&mut w.env, w.user_usdc).await;
    w.env
        .send(
            &[usde_surplus_sweep(
                authority.pubkey(),
                w.usdc_mint,
                w.user_usdc,
                TOKEN,
            )],
            &[&authority],
        )
        .await
        .unwrap();
    assert_eq!(amount(&mut w.env, w.user_usdc).await, before + 2);
    assert_eq!(assert_reserve(&mut w.env).await, supply_now);
    assert_send_err!(
        w.env,
        &[usde_surplus_sweep(
            authority.pubkey(),
            w.usdc_mint,
            w.user_usdc,
            TOKEN,
        )],
        &[&authority],
        PaymentsError::NoSurplus
    );
}

/// Finding 16: units are minted only to participants and redeemed only by them.
#[tokio::test]
async fn unit_buys_and_sells_are_for_participants_only_failure() {
    let mut w = World::new().await;
    w.wrap(10 * USDC).await.unwrap();
    w.create_market().await;
    let payer = w.env.payer().pubkey();
    let outsider = Keypair::new();
    let outsider_units = ata(
        &outsider.pubkey(),
        &unit_mint_pda(UnitKind::Kwh),
        &TOKEN_2022,
    );
    w.env
        .send(
            &[
                create_associated_token_account_idempotent(
                    &payer,
                    &outsider.pubkey(),
                    &unit_mint_pda(UnitKind::Kwh),
                    &TOKEN_2022,
                ),
                create_associated_token_account_idempotent(
                    &payer,
                    &outsider.pubkey(),
                    &usde_mint_pda(),
                    &TOKEN_2022,
                ),
            ],
            &[],
        )
        .await
        .unwrap();
    let user = w.user.insecure_clone();
    // The participant pays, the outsider would receive.
    let ix = unit_buy(
        UnitKind::Kwh,
        w.feed,
        user.pubkey(),
        w.user_usde,
        outsider_units,
        outsider.pubkey(),
        USDC,
        0,
    );
    assert_anchor_err!(
        w.env.send(&[ix], &[&user]).await,
        PaymentsError::NotParticipant
    );
    // Naming a participant's records for the outsider's account does not help.
    let ix = unit_buy(
        UnitKind::Kwh,
        w.feed,
        user.pubkey(),
        w.user_usde,
        outsider_units,
        user.pubkey(),
        USDC,
        0,
    );
    assert_anchor_err!(
        w.env.send(&[ix], &[&user]).await,
        PaymentsError::ParticipantAccountMismatch
    );
    // The outsider cannot redeem.
    let outsider_usde = ata(&outsider.pubkey(), &usde_mint_pda(), &TOKEN_2022);
    let ix = unit_sell(
        UnitKind::Kwh,
        w.feed,
        outsider.pubkey(),
        outsider_units,
        outsider_usde,
        1,
        0,
    );
    assert_anchor_err!(
        w.env.send(&[ix], &[&outsider]).await,
        PaymentsError::NotParticipant
    );
    assert_eq!(supply(&mut w.env, unit_mint_pda(UnitKind::Kwh)).await, 0);
}

/// Finding 14: a USDC mint whose extensions could move or freeze the vault is refused.
#[tokio::test]
async fn usdc_mints_with_dangerous_extensions_are_refused_failure() {
    use spl_token_2022::extension::ExtensionType;
    let mut env = Env::new().await;
    let payer = env.payer();
    let mint = ovpp_test_utils::keys::usdc_localnet_keypair();
    let len = ExtensionType::try_calculate_account_len::<spl_token_2022::state::Mint>(&[
        ExtensionType::PermanentDelegate,
    ])
    .unwrap();
    let rent = env.ctx.banks_client.get_rent().await.unwrap();
    env.send(
        &[
            solana_system_interface::instruction::create_account(
                &payer.pubkey(),
                &mint.pubkey(),
                rent.minimum_balance(len),
                len as u64,
                &TOKEN_2022,
            ),
            spl_token_2022::instruction::initialize_permanent_delegate(
                &TOKEN_2022,
                &mint.pubkey(),
                &payer.pubkey(),
            )
            .unwrap(),
            spl_token_2022::instruction::initialize_mint2(
                &TOKEN_2022,
                &mint.pubkey(),
                &payer.pubkey(),
                None,
                6,
            )
            .unwrap(),
        ],
        &[&mint],
    )
    .await
    .unwrap();
    assert_send_err!(
        env,
        &[payments_init(
            payer.pubkey(),
            Keypair::new().pubkey(),
            mint.pubkey(),
            TOKEN_2022,
        )],
        &[&ovpp_test_utils::keys::localnet_admin()],
        PaymentsError::UnsupportedMintExtension
    );
    assert!(env.account(config_pda()).await.is_none());
}

/// Finding 10: only the deployer initialises payments, and only with the cluster's USDC.
#[tokio::test]
async fn only_the_deployer_initialises_payments_with_the_pinned_usdc_failure() {
    let mut env = Env::new().await;
    let payer = env.payer();
    let usdc = fixtures::usdc_mint(&mut env).await;
    // A front-runner picking itself as authority.
    let attacker = Keypair::new();
    assert_send_err!(
        env,
        &[payments_init_as(
            attacker.pubkey(),
            payer.pubkey(),
            attacker.pubkey(),
            usdc,
            TOKEN,
        )],
        &[&attacker],
        PaymentsError::NotDeployer
    );
    // The deployer with a look-alike "USDC" (6 decimals, any address but the pinned one).
    let fake = Keypair::new();
    let rent = env.ctx.banks_client.get_rent().await.unwrap();
    env.send(
        &[
            solana_system_interface::instruction::create_account(
                &payer.pubkey(),
                &fake.pubkey(),
                rent.minimum_balance(spl_token::state::Mint::LEN),
                spl_token::state::Mint::LEN as u64,
                &TOKEN,
            ),
            spl_token::instruction::initialize_mint2(
                &TOKEN,
                &fake.pubkey(),
                &payer.pubkey(),
                None,
                6,
            )
            .unwrap(),
        ],
        &[&fake],
    )
    .await
    .unwrap();
    let deployer = ovpp_test_utils::keys::localnet_admin();
    assert_send_err!(
        env,
        &[payments_init(
            payer.pubkey(),
            payer.pubkey(),
            fake.pubkey(),
            TOKEN,
        )],
        &[&deployer],
        PaymentsError::UsdcMintNotAllowed
    );
    assert!(env.account(config_pda()).await.is_none());
    env.send(
        &[payments_init(payer.pubkey(), payer.pubkey(), usdc, TOKEN)],
        &[&deployer],
    )
    .await
    .unwrap();
}
