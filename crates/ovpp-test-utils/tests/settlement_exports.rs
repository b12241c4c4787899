//! Settlement beyond readings: exports paid from the tariff's escrow (debts kept), who may
//! publish tariffs, and demand-response rewards paid once within the event's budget.
mod settlement_world;

use settlement_world::*;

/// Solar exports are paid from the tariff's escrow; a shortfall is recorded on-chain and paid
/// first once the utility refills it.
#[tokio::test]
async fn exports_are_paid_from_escrow_and_debts_are_kept_success() {
    let mut w = World::new().await;
    let owner_usde = w.accounts.owner_usde;
    // 1 USDE in escrow. 03:00: 5 kWh exported at $0.05 = $0.25, paid at once.
    w.fund_exports(USDC).await;
    let out = w
        .settle(MeterSettleArgs {
            export_wh: 5_000,
            ..reading(1, 3, 0)
        })
        .await
        .unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!(
        (ev.amount, ev.export_credit, ev.export_paid, ev.export_owed),
        (0, 250_000, 250_000, 0)
    );
    assert_eq!(w.balance(owner_usde).await, 100 * USDC + 250_000);
    // 18:00: 5 kWh at $0.08 = $0.40, then 19:00: another $0.40; the escrow holds $0.75.
    w.settle(MeterSettleArgs {
        export_wh: 5_000,
        ..reading(2, 18, 0)
    })
    .await
    .unwrap();
    let out = w
        .settle(MeterSettleArgs {
            export_wh: 5_000,
            ..reading(3, 19, 0)
        })
        .await
        .unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!((ev.export_paid, ev.export_owed), (350_000, 50_000));
    let binding_pda = pay::binding_pda(&w.accounts.tariff, &w.accounts.device);
    let binding: TariffBinding = w.env.fetch(binding_pda).await;
    assert_eq!(
        (
            binding.owed_to(&w.owner.pubkey()),
            binding.total_export_credit,
            binding.total_export_paid
        ),
        (50_000, 1_050_000, 1_000_000)
    );
    // Nothing to claim while the escrow is empty.
    let claim = pay::meter_export_claim(w.accounts.device, w.accounts.tariff, owner_usde);
    assert_anchor_err!(
        w.env.send(std::slice::from_ref(&claim), &[]).await,
        PaymentsError::InsufficientTreasury
    );
    // Refilled: anyone cranks the claim; the debt is paid to the owner.
    w.fund_exports(USDC).await;
    w.env.send(std::slice::from_ref(&claim), &[]).await.unwrap();
    let binding: TariffBinding = w.env.fetch(binding_pda).await;
    assert_eq!(
        (binding.owed_total(), binding.total_export_paid),
        (0, 1_050_000)
    );
    assert_anchor_err!(w.env.send(&[claim], &[]).await, PaymentsError::NothingOwed);
    assert_eq!(w.balance(owner_usde).await, 100 * USDC + 1_050_000);
}

#[tokio::test]
async fn only_active_utilities_publish_tariffs_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let vendor = w.vendor.insecure_clone();
    let args = |tariff_id: u32, intervals: Vec<TariffInterval>, interval_secs: u32| {
        tariff_args(tariff_id, 0, intervals, interval_secs)
    };
    let bad = pay::tariff_create(
        reg::partner_pda(&vendor.pubkey()),
        vendor.pubkey(),
        w.accounts.utility_treasury,
        payer,
        args(7, intervals(PEAK), HOUR),
    );
    assert_anchor_err!(
        w.env.send(&[bad], &[&vendor]).await,
        PaymentsError::NotActiveUtility
    );
    let utility = w.utility.insecure_clone();
    let utility_pda = reg::partner_pda(&utility.pubkey());
    let i = |start_minute: u16, import_price: u64| TariffInterval {
        start_minute,
        import_price,
        export_price: 1,
    };
    for bad_intervals in [
        vec![],
        vec![i(60, 1)],
        vec![i(0, 1), i(0, 2)],
        vec![i(0, 1), i(1_440, 2)],
    ] {
        let ix = pay::tariff_create(
            utility_pda,
            utility.pubkey(),
            w.accounts.utility_treasury,
            payer,
            args(8, bad_intervals, HOUR),
        );
        assert_anchor_err!(
            w.env.send(&[ix], &[&utility]).await,
            PaymentsError::InvalidTariff
        );
    }
    for bad_secs in [0, 299, 7 * 60, 86_401, 5_000] {
        let ix = pay::tariff_create(
            utility_pda,
            utility.pubkey(),
            w.accounts.utility_treasury,
            payer,
            args(8, intervals(PEAK), bad_secs),
        );
        assert_anchor_err!(
            w.env.send(&[ix], &[&utility]).await,
            PaymentsError::InvalidIntervalLength
        );
    }
    // Someone else cannot update the utility's tariff.
    let stranger = Keypair::new();
    let ix = pay::tariff_update(
        w.accounts.tariff,
        w.accounts.utility,
        stranger.pubkey(),
        payer,
        1,
        TariffUpdateArgs {
            effective_from: MIDNIGHT + 2 * 86_400,
            intervals: intervals(1),
            export_cap: export_cap(USDC),
        },
    );
    assert_anchor_err!(
        w.env.send(&[ix], &[&stranger]).await,
        PaymentsError::Unauthorized
    );
}

#[tokio::test]
async fn demand_response_rewards_are_paid_once_within_budget_success() {
    let mut w = World::new().await;
    let payer = w.env.payer();
    let utility = w.utility.insecure_clone();
    let utility_pda = w.accounts.utility;
    // The utility wraps 20 USDC to fund a 10 USDE event budget.
    let funding = fixtures::fund_usde(&mut w.env, w.usdc, &utility, 20 * USDC).await;
    assert_eq!(funding, w.accounts.utility_treasury);
    let now = MIDNIGHT + 86_400;
    let args = DrEventCreateArgs {
        event_id: 42,
        start: now + 3_600,
        end: now + 7_200,
        reward_per_kwh: 400_000,
        budget: 10 * USDC,
    };
    let bad = DrEventCreateArgs {
        end: now,
        ..args.clone()
    };
    assert_send_err!(
        w.env,
        &[pay::dr_event_create(
            utility_pda,
            utility.pubkey(),
            funding,
            payer.pubkey(),
            bad,
        )],
        &[&utility],
        PaymentsError::InvalidDrEvent
    );
    w.env
        .send(
            &[pay::dr_event_create(
                utility_pda,
                utility.pubkey(),
                funding,
                payer.pubkey(),
                args,
            )],
            &[&utility],
        )
        .await
        .unwrap();
    let event = pay::dr_event_pda(&utility_pda, 42);
    assert_eq!(w.balance(pay::dr_vault_pda(&event)).await, 10 * USDC);

    let device = w.accounts.device;
    let owner_usde = w.accounts.owner_usde;
    let pay_ix = |flex: u64, authority: &Keypair| {
        pay::dr_reward_pay(
            event,
            authority.pubkey(),
            utility_pda,
            device,
            owner_usde,
            payer.pubkey(),
            flex,
        )
    };
    // Not before the event has ended.
    assert_anchor_err!(
        w.env.send(&[pay_ix(2_500, &utility)], &[&utility]).await,
        PaymentsError::DrEventNotEnded
    );
    w.env.set_unix_timestamp(now + 7_200).await;
    // Only the utility attests.
    let stranger = Keypair::new();
    assert_anchor_err!(
        w.env.send(&[pay_ix(2_500, &stranger)], &[&stranger]).await,
        PaymentsError::Unauthorized
    );
    let before = w.balance(owner_usde).await;
    w.env
        .send(&[pay_ix(2_500, &utility)], &[&utility])
        .await
        .unwrap();
    assert_eq!(w.balance(owner_usde).await, before + USDC); // 2.5 kWh at $0.40
    let reward: DrReward = w.env.fetch(pay::dr_reward_pda(&event, &device)).await;
    assert_eq!((reward.flex_wh, reward.amount), (2_500, USDC));
    // Once per device per event.
    let r = w.env.send(&[pay_ix(2_500, &utility)], &[&utility]).await;
    assert!(matches!(r, Err(TxFailure::Custom { code: 0, .. })), "{r:?}");

    // Close returns the rest; nothing can be paid afterwards.
    let funding_before = w.balance(funding).await;
    w.env
        .send(
            &[pay::dr_event_close(event, utility.pubkey(), funding)],
            &[&utility],
        )
        .await
        .unwrap();
    assert_eq!(w.balance(funding).await, funding_before + 9 * USDC);
    let ev: DrEvent = w.env.fetch(event).await;
    assert!(ev.closed);
    assert_eq!((ev.paid, ev.participants), (USDC, 1));
    assert_send_err!(
        w.env,
        &[pay::dr_event_close(event, utility.pubkey(), funding)],
        &[&utility],
        PaymentsError::DrEventClosed
    );
}

#[tokio::test]
async fn rewards_cannot_exceed_the_budget_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer();
    let utility = w.utility.insecure_clone();
    let funding = fixtures::fund_usde(&mut w.env, w.usdc, &utility, USDC).await;
    let now = MIDNIGHT + 86_400;
    let args = DrEventCreateArgs {
        event_id: 1,
        start: now - 7_200,
        end: now - 3_600,
        reward_per_kwh: 1_000_000,
        budget: USDC,
    };
    w.env
        .send(
            &[pay::dr_event_create(
                w.accounts.utility,
                utility.pubkey(),
                funding,
                payer.pubkey(),
                args,
            )],
            &[&utility],
        )
        .await
        .unwrap();
    let event = pay::dr_event_pda(&w.accounts.utility, 1);
    let ix = pay::dr_reward_pay(
        event,
        utility.pubkey(),
        w.accounts.utility,
        w.accounts.device,
        w.accounts.owner_usde,
        payer.pubkey(),
        5_000,
    );
    assert_anchor_err!(
        w.env.send(&[ix], &[&utility]).await,
        PaymentsError::DrBudgetExhausted
    );
    assert!(w
        .env
        .account(pay::dr_reward_pda(&event, &w.accounts.device))
        .await
        .is_none());
}
