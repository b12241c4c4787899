//! Security round 3: settlement happens only inside a utility-approved relationship, every
//! owner-scoped thing belongs to one ownership epoch, readings settle at the revision they
//! were signed for however many updates followed, export debt is per (tariff, device), export
//! credit is capped per device and period, and a utility withdraws unused escrow only after a
//! notice. Each test reproduces a finding of the third outside audit and fails on the code
//! before the fix.
mod settlement_world;

use settlement_world::*;

/// Export reading (nothing imported) of `export_wh` at `hour` (hours after MIDNIGHT).
fn export_reading(seq: u64, hour: i64, export_wh: u64) -> MeterSettleArgs {
    MeterSettleArgs {
        export_wh,
        ..reading(seq, hour, 0)
    }
}

/// Finding 1 (High): a device with no relationship to utility B was paid from B's escrow.
#[tokio::test]
async fn exports_are_paid_only_inside_an_approved_relationship_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    // Utility B ("Voltco"): its own tariff with a funded escrow and a program.
    let admin = w.admin.insecure_clone();
    let voltco = fixtures::onboard_second_utility(&mut w.env, &admin).await;
    let b = reg::partner_pda(&voltco.pubkey());
    let b_treasury = fixtures::fund_usde(&mut w.env, w.usdc, &voltco, 20 * USDC).await;
    w.env
        .send(
            &[
                pay::tariff_create(
                    b,
                    voltco.pubkey(),
                    b_treasury,
                    payer,
                    tariff_args(1, MIDNIGHT, intervals(PEAK), HOUR),
                ),
                pay::tariff_export_fund(
                    pay::tariff_pda(&b, 1),
                    b_treasury,
                    voltco.pubkey(),
                    10 * USDC,
                ),
            ],
            &[&voltco],
        )
        .await
        .unwrap();
    let b_program = fixtures::utility_program(&mut w.env, &voltco, 1).await;
    let b_tariff = pay::tariff_pda(&b, 1);
    let b_escrow = pay::export_vault_pda(&b_tariff);
    let at_b = SettleAccounts {
        tariff: b_tariff,
        utility: b,
        program: b_program,
        utility_treasury: b_treasury,
        ..w.accounts.clone()
    };
    // The device (enrolled with A only) exports against B's tariff: refused.
    let ixs = w.signed_with(&at_b, &export_reading(1, 3, 5_000));
    assert_anchor_err!(w.env.send(&ixs, &[]).await, PaymentsError::NotEnrolled);
    // Passing A's program (an approved enrollment, of another utility) does not help.
    let ixs = w.signed_with(
        &SettleAccounts {
            program: w.accounts.program,
            ..at_b.clone()
        },
        &export_reading(1, 3, 5_000),
    );
    assert_anchor_err!(w.env.send(&ixs, &[]).await, PaymentsError::NotEnrolled);
    // Nor can the device be bound to B's tariff by anyone but B, or by B through A's
    // enrollment, or through a request to B that B has not approved.
    let owner = w.owner.insecure_clone();
    let bind_via_a = pay::tariff_bind(
        b_tariff,
        voltco.pubkey(),
        w.accounts.device,
        w.accounts.program,
        payer,
    );
    assert_anchor_err!(
        w.env.send(&[bind_via_a], &[&voltco]).await,
        PaymentsError::EnrollmentMismatch
    );
    w.env
        .send(
            &[rt::enrollment_request(
                b_program,
                w.accounts.device,
                reg::partner_pda(&w.vendor.pubkey()),
                owner.pubkey(),
                payer,
            )],
            &[&owner],
        )
        .await
        .unwrap();
    let bind = pay::tariff_bind(
        b_tariff,
        voltco.pubkey(),
        w.accounts.device,
        b_program,
        payer,
    );
    assert_anchor_err!(
        w.env.send(&[bind], &[&voltco]).await,
        PaymentsError::NotEnrolled
    );
    assert_eq!(w.balance(b_escrow).await, 10 * USDC);
    // With A: paid while enrolled; once A revokes the enrollment, settlement stops at once.
    w.fund_exports(USDC).await;
    w.settle(export_reading(1, 3, 5_000)).await.unwrap();
    let utility = w.utility.insecure_clone();
    w.env
        .send(
            &[rt::enrollment_revoke(
                w.accounts.program,
                w.accounts.utility,
                w.accounts.device,
                utility.pubkey(),
            )],
            &[&utility],
        )
        .await
        .unwrap();
    assert_anchor_err!(
        w.settle(export_reading(2, 4, 5_000)).await,
        PaymentsError::NotEnrolled
    );
    assert_eq!(w.balance(b_escrow).await, 10 * USDC);
}

/// Findings 2, 4 and 6 (mandates): after a sale the buyer is never billed for the seller's
/// intervals, the seller's backlog and export credit settle to the seller, the buyer's meter
/// is not blocked by it, and a mandate does not outlive the ownership it was granted in.
#[tokio::test]
async fn a_sale_settles_the_sellers_backlog_to_the_seller_failure() {
    let mut w = World::new().await;
    let (seller, buyer) = (w.owner.insecure_clone(), Keypair::new());
    let key = w.device_key.pubkey();
    w.fund_exports(10 * USDC).await;
    let seller_usde = w.accounts.owner_usde;
    let buyer_usde = fixtures::fund_usde(&mut w.env, w.usdc, &buyer, 100 * USDC).await;
    w.env
        .send(
            &[spl_token_2022::instruction::approve_checked(
                &TOKEN_2022,
                &buyer_usde,
                &pay::usde_mint_pda(),
                &pay::settlement_pda(),
                &buyer.pubkey(),
                &[],
                50 * USDC,
                6,
            )
            .unwrap()],
            &[&buyer],
        )
        .await
        .unwrap();
    // The seller's meter read hours 18 and 19 (imports 1 kWh each at the peak, exports) but
    // nothing was settled; the device is sold at MIDNIGHT + 1 day.
    let claim_at = MIDNIGHT + 86_400;
    w.env
        .send(
            &[reg::device_owner_transfer(
                key,
                seller.pubkey(),
                buyer.pubkey(),
            )],
            &[&seller],
        )
        .await
        .unwrap();
    w.env
        .send(&[reg::device_claim(key, buyer.pubkey(), None)], &[&buyer])
        .await
        .unwrap();
    let device: ovpp_registry::state::Device = w.env.fetch(w.accounts.device).await;
    assert_eq!(
        (device.owner_epoch, device.owner_since, device.prev_owner),
        (2, claim_at, seller.pubkey())
    );
    w.env.set_unix_timestamp(claim_at + 3 * 3_600).await;
    let as_buyer = SettleAccounts {
        owner: buyer.pubkey(),
        owner_usde: buyer_usde,
        ..w.accounts.clone()
    };
    // The buyer's first reading (sequence 3, the first interval after the claim) settles at
    // once although the seller's readings 1 and 2 are unsettled: exports are paid to the buyer.
    let ixs = w.signed_with(&as_buyer, &export_reading(3, 24, 1_000));
    let out = w.env.send(&ixs, &[]).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!(
        (ev.owner, ev.epoch, ev.export_paid),
        (buyer.pubkey(), 2, 50_000)
    );
    // The buyer granted no mandate: imports are not billed to it.
    let ixs = w.signed_with(&as_buyer, &reading(4, 25, 1_000));
    assert_anchor_err!(w.env.send(&ixs, &[]).await, PaymentsError::MandateRequired);
    // The seller's readings are the seller's: not billable to the buyer's account, and billed
    // to the seller's own mandate, in order; their export credit goes to the seller.
    let ixs = w.signed_with(&as_buyer, &reading(1, 18, 1_000));
    assert_anchor_err!(
        w.env.send(&ixs, &[]).await,
        PaymentsError::OwnerAccountMismatch
    );
    let buyer_before = w.balance(buyer_usde).await;
    let seller_before = w.balance(seller_usde).await;
    let ixs = w.signed_with(&w.accounts.clone(), &reading(1, 18, 1_000));
    let out = w.env.send(&ixs, &[]).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!(
        (ev.owner, ev.epoch, ev.amount, ev.export_paid),
        (seller.pubkey(), 1, 300_000, 16_000)
    );
    w.settle(reading(2, 19, 1_000)).await.unwrap();
    assert_eq!(
        w.balance(seller_usde).await,
        seller_before - 2 * 300_000 + 2 * 16_000
    );
    assert_eq!(w.balance(buyer_usde).await, buyer_before);
    // The backlog is closed behind the buyer's first reading: nothing more to replay.
    let ixs = w.signed_with(&as_buyer, &export_reading(3, 24, 1_000));
    assert_anchor_err!(w.env.send(&ixs, &[]).await, PaymentsError::ReplayedReading);
    // The device goes back to the seller: the seller's old mandate (granted in epoch 1) does
    // not bill epoch 3 without a new grant.
    w.env
        .send(
            &[reg::device_owner_transfer(
                key,
                buyer.pubkey(),
                seller.pubkey(),
            )],
            &[&buyer],
        )
        .await
        .unwrap();
    w.env
        .send(&[reg::device_claim(key, seller.pubkey(), None)], &[&seller])
        .await
        .unwrap();
    w.env.set_unix_timestamp(claim_at + 5 * 3_600).await;
    assert_anchor_err!(
        w.settle(reading(5, 28, 1_000)).await,
        PaymentsError::MandateRequired
    );
    let mandate: Mandate = w
        .env
        .fetch(pay::mandate_pda(&seller.pubkey(), &w.accounts.device))
        .await;
    assert_eq!(mandate.epoch, 1);
}

/// Finding 3: two quick tariff updates no longer void an unsettled reading: it settles at the
/// prices of the revision it was signed for until that revision's window closes.
#[tokio::test]
async fn readings_settle_at_their_revision_however_many_updates_followed_failure() {
    let mut w = World::new().await;
    let now = MIDNIGHT + 86_400;
    w.update_tariff(now, 1_000_000).await.unwrap();
    w.update_tariff(now + 3_600, 2_000_000).await.unwrap();
    w.update_tariff(now + 7_200, 3_000_000).await.unwrap();
    let tariff: Tariff = w.env.fetch(w.accounts.tariff).await;
    assert_eq!(tariff.revision, 4);
    // Signed for revision 1 yesterday at 18:00: revision 1's peak price.
    let out = w.settle(reading(1, 18, 1_000)).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!((ev.revision, ev.amount), (1, 300_000));
    // Revision 2 prices only its own span (now .. now + 1 h).
    let mut late = reading(2, 19, 1_000);
    late.revision = 2;
    assert_anchor_err!(w.settle(late).await, PaymentsError::TariffRevisionMismatch);
    // Thirty days after revision 1 stopped being in force, its readings no longer settle.
    w.env.set_unix_timestamp(now + 30 * 86_400).await;
    assert_anchor_err!(
        w.settle(reading(2, 19, 1_000)).await,
        PaymentsError::TariffRevisionExpired
    );
    let first: TariffRevision = w
        .env
        .fetch(pay::tariff_revision_pda(&w.accounts.tariff, 1))
        .await;
    assert_eq!(
        (first.superseded_at, first.intervals[1].import_price),
        (now, PEAK)
    );
}

/// Finding 3, late readings: a reading past its revision's window would block every later one
/// (sequences are consecutive); the device itself declares it void and the meter moves on. No
/// relayer can drop a reading that way.
#[tokio::test]
async fn a_device_voids_readings_that_can_no_longer_settle_failure() {
    let mut w = World::new().await;
    let now = MIDNIGHT + 86_400;
    w.update_tariff(now, 1_000_000).await.unwrap();
    // Revision 1's window closes; reading 1 (revision 1) can never settle, and reading 2
    // (revision 2, after it) waits behind it.
    w.env.set_unix_timestamp(now + 30 * 86_400).await;
    assert_anchor_err!(
        w.settle(reading(1, 18, 1_000)).await,
        PaymentsError::TariffRevisionExpired
    );
    let later = MeterSettleArgs {
        revision: 2,
        ..reading(2, 24 + 5, 1_000)
    };
    assert_anchor_err!(
        w.settle(later.clone()).await,
        PaymentsError::ReadingOutOfOrder
    );
    // A gap signed by anyone but the device, or not starting after the last reading, is refused.
    let mut forged = pay::meter_gap_signed(&Keypair::new(), 1, 2);
    forged[1] = pay::meter_gap_signed(&w.device_key, 1, 2)[1].clone();
    assert_anchor_err!(w.env.send(&forged, &[]).await, PaymentsError::WrongSigner);
    let unsigned = pay::meter_gap_signed(&w.device_key, 1, 2)[1].clone();
    assert_anchor_err!(
        w.env.send(&[unsigned], &[]).await,
        PaymentsError::MissingSignature
    );
    assert_anchor_err!(
        w.env
            .send(&pay::meter_gap_signed(&w.device_key, 2, 3), &[])
            .await,
        PaymentsError::InvalidGap
    );
    w.env
        .send(&pay::meter_gap_signed(&w.device_key, 1, 2), &[])
        .await
        .unwrap();
    let out = w.settle(later).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!((ev.seq, ev.revision, ev.amount), (2, 2, 100_000));
    // The voided reading stays void.
    assert_anchor_err!(
        w.settle(reading(1, 18, 1_000)).await,
        PaymentsError::ReplayedReading
    );
}

/// Finding 7 and the export cap: debt owed by one tariff's escrow does not block credit from
/// another, and export credit is capped per device and period by the utility.
#[tokio::test]
async fn export_debt_is_per_tariff_and_credit_is_capped_per_period_failure() {
    let mut w = World::new().await;
    // Tariff 1's escrow is empty: 5 kWh at $0.05 is owed.
    let out = w.settle(export_reading(1, 3, 5_000)).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!((ev.export_credit, ev.export_owed), (250_000, 250_000));
    // Tariff 2 (cap 0.30 USDE per device per day), funded: paid although tariff 1 owes.
    let second = w.second_tariff(2, 300_000).await;
    w.fund_escrow(second.tariff, 10 * USDC).await;
    let ixs = w.signed_with(&second, &export_reading(2, 4, 5_000));
    let out = w.env.send(&ixs, &[]).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!(
        (
            ev.export_credit,
            ev.export_clipped,
            ev.export_paid,
            ev.export_owed
        ),
        (250_000, 0, 250_000, 0)
    );
    // The same day: only 0.05 USDE of the cap is left; the rest is not owed.
    let ixs = w.signed_with(&second, &export_reading(3, 5, 5_000));
    let out = w.env.send(&ixs, &[]).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!((ev.export_credit, ev.export_clipped), (50_000, 200_000));
    // The next day the cap starts again.
    w.env.set_unix_timestamp(MIDNIGHT + 2 * 86_400).await;
    let ixs = w.signed_with(&second, &export_reading(4, 24 + 3, 5_000));
    let out = w.env.send(&ixs, &[]).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!((ev.export_credit, ev.export_clipped), (250_000, 0));
    let owed: TariffBinding = w
        .env
        .fetch(pay::binding_pda(&w.accounts.tariff, &w.accounts.device))
        .await;
    assert_eq!(owed.owed_to(&w.owner.pubkey()), 250_000);
}

/// Design gap 7: the utility withdraws unused export escrow, after a notice period.
#[tokio::test]
async fn unused_escrow_is_withdrawn_after_notice_failure() {
    let mut w = World::new().await;
    w.fund_exports(5 * USDC).await;
    let utility = w.utility.insecure_clone();
    let (tariff, treasury) = (w.accounts.tariff, w.accounts.utility_treasury);
    let stranger = Keypair::new();
    let ix = pay::tariff_export_withdraw_request(tariff, stranger.pubkey(), 3 * USDC);
    assert_anchor_err!(
        w.env.send(&[ix], &[&stranger]).await,
        PaymentsError::Unauthorized
    );
    let withdraw = pay::tariff_export_withdraw(tariff, utility.pubkey(), treasury);
    assert_anchor_err!(
        w.env
            .send(std::slice::from_ref(&withdraw), &[&utility])
            .await,
        PaymentsError::WithdrawalNotReady
    );
    w.env
        .send(
            &[pay::tariff_export_withdraw_request(
                tariff,
                utility.pubkey(),
                3 * USDC,
            )],
            &[&utility],
        )
        .await
        .unwrap();
    w.env
        .set_unix_timestamp(MIDNIGHT + 86_400 + 7 * 86_400 - 1)
        .await;
    assert_anchor_err!(
        w.env
            .send(std::slice::from_ref(&withdraw), &[&utility])
            .await,
        PaymentsError::WithdrawalNotReady
    );
    let before = w.balance(treasury).await;
    w.env
        .set_unix_timestamp(MIDNIGHT + 86_400 + 7 * 86_400)
        .await;
    w.env
        .send(std::slice::from_ref(&withdraw), &[&utility])
        .await
        .unwrap();
    assert_eq!(w.balance(treasury).await, before + 3 * USDC);
    assert_eq!(w.balance(pay::export_vault_pda(&tariff)).await, 2 * USDC);
    assert_anchor_err!(
        w.env.send(&[withdraw], &[&utility]).await,
        PaymentsError::WithdrawalNotReady
    );
}
