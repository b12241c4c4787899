//! Payments integration tests, units: oracle-priced unit markets (Switchboard feeds, haircut
//! prices, staleness and confidence checks, the treasury), for registry participants only.
mod payments_world;

use payments_world::*;

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
