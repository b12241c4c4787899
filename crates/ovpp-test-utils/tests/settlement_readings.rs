//! Settlement of device-signed meter readings against a utility tariff (ed25519 precompile,
//! domain-separated message bound to the tariff revision, consecutive sequence, aligned
//! non-overlapping intervals capped by the device's power, USDE via the settlement delegate
//! within the owner's mandate, batches).
mod settlement_world;

use settlement_world::*;

#[tokio::test]
async fn signed_readings_settle_once_at_the_interval_price_success() {
    let mut w = World::new().await;
    let treasury = w.accounts.utility_treasury;
    let owner_usde = w.accounts.owner_usde;

    // 03:00, 2 kWh off-peak: $0.20.
    let out = w.settle(reading(1, 3, 2_000)).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).expect("ReadingSettled");
    assert_eq!(ev.amount, settlement_amount(2_000, OFF_PEAK).unwrap());
    assert_eq!(ev.amount, 200_000);
    // The event names the time-of-use interval and the prices it settled at (bill lines).
    assert_eq!(
        (ev.band_start_minute, ev.import_price, ev.export_price),
        (0, OFF_PEAK, 50_000)
    );
    // 18:00, 1.5 kWh peak: $0.45.
    let out = w.settle(reading(2, 18, 1_500)).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).expect("ReadingSettled");
    assert_eq!(
        (ev.band_start_minute, ev.import_price, ev.export_price),
        (17 * 60, PEAK, 80_000)
    );
    assert_eq!(ev.amount, settlement_amount(1_500, PEAK).unwrap());
    assert_eq!(w.balance(treasury).await, 650_000);
    assert_eq!(w.balance(owner_usde).await, 100 * USDC - 650_000);
    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!(
        (
            meter.last_seq,
            meter.total_import_wh,
            meter.total_export_wh,
            meter.total_paid,
            meter.next_interval_start,
        ),
        (2, 3_500, 400, 650_000, MIDNIGHT + 19 * 3_600)
    );
    let mandate: Mandate = w
        .env
        .fetch(pay::mandate_pda(&w.owner.pubkey(), &w.accounts.device))
        .await;
    assert_eq!(mandate.spent_total, 650_000);

    // Replays (same or older sequence) never pay twice.
    assert_anchor_err!(
        w.settle(reading(2, 18, 1_500)).await,
        PaymentsError::ReplayedReading
    );
    assert_anchor_err!(
        w.settle(reading(1, 19, 1_000)).await,
        PaymentsError::ReplayedReading
    );
    assert_eq!(w.balance(treasury).await, 650_000);
}

/// Finding 6: the utility cannot reprice a reading after the device signed it.
#[tokio::test]
async fn a_tariff_update_never_reprices_signed_readings_failure() {
    let mut w = World::new().await;
    let now = MIDNIGHT + 86_400;
    // Not retroactive, and later than the revision in force.
    assert_anchor_err!(
        w.update_tariff(MIDNIGHT, 57_000_000).await,
        PaymentsError::TariffNotMonotonic
    );
    assert_anchor_err!(
        w.update_tariff(now - 1, 57_000_000).await,
        PaymentsError::TariffNotMonotonic
    );
    // Revision 2 from now on, at a 190x peak price.
    w.update_tariff(now, 57_000_000).await.unwrap();
    let tariff: Tariff = w.env.fetch(w.accounts.tariff).await;
    assert_eq!(tariff.revision, 2);
    let first: TariffRevision = w
        .env
        .fetch(pay::tariff_revision_pda(&w.accounts.tariff, 1))
        .await;
    assert_eq!((first.revision, first.superseded_at), (1, now));
    // A reading signed for revision 1 (yesterday 18:00) settles at revision 1's peak price.
    let out = w.settle(reading(1, 18, 1_000)).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!((ev.revision, ev.amount), (1, 300_000));
    // Relabelling a revision-1 reading as revision 2 (or signing for revision 2 an interval
    // before revision 2 took effect) is refused.
    let mut args = reading(2, 19, 1_000);
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    args.revision = 2;
    ixs[1] = pay::meter_settle(&w.accounts, args.clone());
    assert_anchor_err!(
        w.env.send(&ixs, &[]).await,
        PaymentsError::TariffRevisionMismatch
    );
    assert_anchor_err!(w.settle(args).await, PaymentsError::TariffRevisionMismatch);
    // Revision 2 prices readings after its start.
    w.env.set_unix_timestamp(now + 19 * 3_600).await;
    let args = MeterSettleArgs {
        revision: 2,
        ..reading(2, 24 + 17, 100)
    };
    let out = w.settle(args).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!((ev.revision, ev.amount), (2, 5_700_000));
}

/// Finding 9 (payments): a suspended or revoked utility cannot reprice, bill or pay rewards.
#[tokio::test]
async fn inactive_utilities_cannot_reprice_or_bill_failure() {
    let mut w = World::new().await;
    let now = MIDNIGHT + 86_400;
    w.set_utility_status(Status::Suspended).await;
    assert_anchor_err!(
        w.update_tariff(now + 60, 57_000_000).await,
        PaymentsError::NotActiveUtility
    );
    assert_anchor_err!(
        w.settle(reading(1, 3, 1_000)).await,
        PaymentsError::NotActiveUtility
    );
    w.set_utility_status(Status::Revoked).await;
    assert_anchor_err!(
        w.update_tariff(now + 60, 57_000_000).await,
        PaymentsError::NotActiveUtility
    );
    let tariff: Tariff = w.env.fetch(w.accounts.tariff).await;
    assert_eq!(tariff.revision, 1);
}

/// Finding 7: a later reading relayed first does not void the earlier ones.
#[tokio::test]
async fn readings_settle_in_sequence_order_only_failure() {
    let mut w = World::new().await;
    assert_anchor_err!(
        w.settle(reading(2, 4, 1_000)).await,
        PaymentsError::ReadingOutOfOrder
    );
    assert_anchor_err!(
        w.settle(reading(5, 4, 1_000)).await,
        PaymentsError::ReadingOutOfOrder
    );
    w.settle(reading(1, 3, 1_000)).await.unwrap();
    w.settle(reading(2, 4, 1_000)).await.unwrap();
    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!((meter.last_seq, meter.total_import_wh), (2, 2_000));
}

/// Finding 5: one reading per aligned, finished, non-overlapping interval, imports and
/// exports each capped by the device's power over the interval.
#[tokio::test]
async fn readings_are_capped_per_interval_failure() {
    let mut w = World::new().await;
    // The device imports at most 10 kW and exports at most 5 kW: 10 kWh / 5 kWh an hour.
    for (args, err) in [
        (
            MeterSettleArgs {
                import_wh: 10_001,
                ..reading(1, 3, 0)
            },
            PaymentsError::ReadingExceedsCapability,
        ),
        (
            MeterSettleArgs {
                export_wh: 5_001,
                ..reading(1, 3, 0)
            },
            PaymentsError::ReadingExceedsCapability,
        ),
        (
            MeterSettleArgs {
                export_wh: u64::MAX,
                ..reading(1, 3, 0)
            },
            PaymentsError::ReadingExceedsCapability,
        ),
        (
            MeterSettleArgs {
                interval_start: MIDNIGHT + 3 * 3_600 + 900,
                ..reading(1, 3, 100)
            },
            PaymentsError::InvalidReadingInterval,
        ),
        // Not finished yet (today 00:00-01:00 while the clock says 00:00).
        (reading(1, 24, 100), PaymentsError::InvalidReadingInterval),
        (reading(1, 48, 100), PaymentsError::InvalidReadingInterval),
        // Before the tariff took effect.
        (reading(1, -1, 100), PaymentsError::TariffRevisionMismatch),
    ] {
        assert_anchor_err!(w.settle(args).await, err);
    }
    w.settle(reading(1, 3, 10_000)).await.unwrap();
    // The same hour again, or an earlier one, under a fresh sequence number.
    assert_anchor_err!(
        w.settle(reading(2, 3, 10_000)).await,
        PaymentsError::InvalidReadingInterval
    );
    assert_anchor_err!(
        w.settle(reading(2, 2, 10_000)).await,
        PaymentsError::InvalidReadingInterval
    );
    w.settle(reading(2, 4, 10_000)).await.unwrap();
    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!(meter.total_import_wh, 20_000);
}

#[tokio::test]
async fn forged_tampered_and_unsigned_readings_are_rejected_failure() {
    let mut w = World::new().await;
    let args = reading(1, 3, 2_000);

    // Signed by another key.
    let ixs = w.signed(&Keypair::new(), &args);
    assert_anchor_err!(w.env.send(&ixs, &[]).await, PaymentsError::WrongSigner);
    // Signature over different numbers than those submitted.
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    ixs[1] = pay::meter_settle(
        &w.accounts,
        MeterSettleArgs {
            import_wh: 1,
            ..args.clone()
        },
    );
    assert_anchor_err!(w.env.send(&ixs, &[]).await, PaymentsError::MessageMismatch);
    // No signature instruction at all.
    assert_send_err!(
        w.env,
        &[pay::meter_settle(&w.accounts, args.clone())],
        &[],
        PaymentsError::MissingSignature
    );
    // A corrupted signature fails in the precompile itself, before the program runs.
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    let sig_at = 16 + 32; // data: header(16) | pubkey(32) | signature(64) | message
    ixs[0].data[sig_at] ^= 1;
    assert!(matches!(
        w.env.send(&ixs, &[]).await,
        Err(TxFailure::Custom { index: 0, .. }) | Err(TxFailure::Instruction { index: 0, .. })
    ));

    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!((meter.last_seq, meter.total_paid), (0, 0));
    assert_eq!(w.balance(w.accounts.utility_treasury).await, 0);
    // The honest reading still settles.
    w.settle(args).await.unwrap();
}

/// Finding 4: the owner's USDE is spent only through the owner's own mandate, within its caps,
/// and revoking it stops billing at once.
#[tokio::test]
async fn settlement_spends_only_within_the_owners_mandate_failure() {
    let mut w = World::new().await;
    let owner = w.owner.insecure_clone();
    let payer = w.env.payer().pubkey();
    let device = w.accounts.device;
    // Replace the default mandate with 5 USDE a day, 8 USDE in all.
    w.env
        .send(&[pay::mandate_revoke(owner.pubkey(), device)], &[&owner])
        .await
        .unwrap();
    w.env
        .send(
            &[pay::mandate_create(
                device,
                owner.pubkey(),
                w.accounts.utility,
                payer,
                MandateCreateArgs {
                    max_per_period: 5 * USDC,
                    period_secs: 86_400,
                    max_total: 8 * USDC,
                },
            )],
            &[&owner],
        )
        .await
        .unwrap();
    // 10 kWh at the $0.30 peak is $3: the second would reach $6 in one day.
    w.settle(reading(1, 17, 10_000)).await.unwrap();
    assert_anchor_err!(
        w.settle(reading(2, 18, 10_000)).await,
        PaymentsError::MandateCapExceeded
    );
    w.settle(reading(2, 18, 1_000)).await.unwrap(); // $0.30 still fits
                                                    // The next day the period cap resets, but the 8 USDE lifetime cap binds.
    w.env.set_unix_timestamp(MIDNIGHT + 2 * 86_400).await;
    w.settle(reading(3, 24 + 17, 10_000)).await.unwrap();
    w.settle(reading(4, 24 + 18, 5_000)).await.unwrap();
    assert_anchor_err!(
        w.settle(reading(5, 24 + 19, 1_000)).await,
        PaymentsError::MandateCapExceeded
    );
    let mandate: Mandate = w
        .env
        .fetch(pay::mandate_pda(&owner.pubkey(), &device))
        .await;
    assert_eq!(mandate.spent_total, 7_800_000);
    assert_eq!(w.balance(w.accounts.utility_treasury).await, 7_800_000);

    // Revoked: nothing more is billed, and export-only readings still settle.
    w.env
        .send(&[pay::mandate_revoke(owner.pubkey(), device)], &[&owner])
        .await
        .unwrap();
    assert_anchor_err!(
        w.settle(reading(5, 24 + 19, 100)).await,
        PaymentsError::MandateRequired
    );
    w.settle(reading(5, 24 + 19, 0)).await.unwrap();

    // A mandate for another utility does not let this one bill.
    let other = Keypair::new();
    let admin = w.admin.insecure_clone();
    w.env
        .send(
            &[reg::partner_register(
                admin.pubkey(),
                other.pubkey(),
                payer,
                ovpp_registry::state::PartnerKind::Utility,
                "Othergrid",
                "othergrid",
            )],
            &[&admin, &other],
        )
        .await
        .unwrap();
    w.env
        .send(
            &[pay::mandate_create(
                device,
                owner.pubkey(),
                reg::partner_pda(&other.pubkey()),
                payer,
                mandate_args(),
            )],
            &[&owner],
        )
        .await
        .unwrap();
    assert_anchor_err!(
        w.settle(reading(6, 24 + 20, 100)).await,
        PaymentsError::MandateRequired
    );
    // Only the device's owner can grant one.
    let stranger = Keypair::new();
    assert_send_err!(
        w.env,
        &[pay::mandate_create(
            device,
            stranger.pubkey(),
            w.accounts.utility,
            payer,
            mandate_args(),
        )],
        &[&stranger],
        PaymentsError::Unauthorized
    );
    assert_eq!(w.balance(w.accounts.utility_treasury).await, 7_800_000);
}

/// Finding 4: a device pushed onto a victim cannot bill the victim's allowance: the victim's
/// approval of the settlement delegate is not a mandate for that device.
#[tokio::test]
async fn a_device_moved_to_a_victim_cannot_bill_the_victim_failure() {
    let mut w = World::new().await;
    let victim = Keypair::new();
    let victim_usde = fixtures::fund_usde(&mut w.env, w.usdc, &victim, 100 * USDC).await;
    let usde = pay::usde_mint_pda();
    // The victim approved the settlement delegate (for their own devices).
    w.env
        .send(
            &[spl_token_2022::instruction::approve_checked(
                &TOKEN_2022,
                &victim_usde,
                &usde,
                &pay::settlement_pda(),
                &victim.pubkey(),
                &[],
                100 * USDC,
                6,
            )
            .unwrap()],
            &[&victim],
        )
        .await
        .unwrap();
    // Bill the victim's account for this device's readings.
    let mut accounts = w.accounts.clone();
    accounts.owner_usde = victim_usde;
    let args = reading(1, 18, 10_000);
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    ixs[1] = pay::meter_settle(&accounts, args.clone());
    assert_anchor_err!(
        w.env.send(&ixs, &[]).await,
        PaymentsError::OwnerAccountMismatch
    );
    // With the victim named as the mandate owner instead: the victim granted no mandate for
    // this device (and one it granted would name the victim, not the billed owner).
    let mut accounts = w.accounts.clone();
    accounts.owner = victim.pubkey();
    ixs[1] = pay::meter_settle(&accounts, args);
    assert_anchor_err!(w.env.send(&ixs, &[]).await, PaymentsError::MandateRequired);
    assert_eq!(w.balance(victim_usde).await, 100 * USDC);
}

#[tokio::test]
async fn revoked_devices_and_spending_caps_stop_settlement_failure() {
    let mut w = World::new().await;
    // Within the mandate but beyond the owner's 50 USDE token allowance... the mandate's
    // 20 USDE a day binds first; lift it by approving less on the token account instead.
    let owner = w.owner.insecure_clone();
    let usde = pay::usde_mint_pda();
    w.env
        .send(
            &[spl_token_2022::instruction::approve_checked(
                &TOKEN_2022,
                &w.accounts.owner_usde,
                &usde,
                &pay::settlement_pda(),
                &owner.pubkey(),
                &[],
                100_000,
                6,
            )
            .unwrap()],
            &[&owner],
        )
        .await
        .unwrap();
    // Token-2022 refuses beyond the allowance (InsufficientFunds = 1).
    let r = w.settle(reading(1, 18, 1_000)).await;
    assert_eq!(anchor_code(r), 1);
    // Revoked device.
    let admin = w.admin.insecure_clone();
    let vendor_pda = reg::partner_pda(&w.vendor.pubkey());
    w.env
        .send(
            &[reg::device_status_set(
                admin.pubkey(),
                vendor_pda,
                w.device_key.pubkey(),
                Status::Revoked,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    assert_anchor_err!(
        w.settle(reading(1, 3, 100)).await,
        PaymentsError::DeviceNotActive
    );
}

#[tokio::test]
async fn spoofed_sysvar_and_fake_programs_are_rejected_failure() {
    let mut w = World::new().await;
    let args = reading(1, 3, 2_000);
    // A fake "instructions sysvar" carrying a forged signature instruction.
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    let fake = Pubkey::new_unique();
    let pos = ixs[1]
        .accounts
        .iter()
        .position(|a| a.pubkey == solana_sdk::sysvar::instructions::ID)
        .unwrap();
    ixs[1].accounts[pos].pubkey = fake;
    assert_anchor_err!(
        w.env.send(&ixs, &[]).await,
        anchor_lang::error::ErrorCode::ConstraintAddress
    );
    // A fake token program in place of Token-2022.
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    let pos = ixs[1]
        .accounts
        .iter()
        .position(|a| a.pubkey == TOKEN_2022)
        .unwrap();
    ixs[1].accounts[pos].pubkey = TOKEN;
    assert_anchor_err!(
        w.env.send(&ixs, &[]).await,
        anchor_lang::error::ErrorCode::InvalidProgramId
    );
    // The owner's own account as the "utility treasury" (duplicate mutable accounts).
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    let pos = ixs[1]
        .accounts
        .iter()
        .position(|a| a.pubkey == w.accounts.utility_treasury)
        .unwrap();
    ixs[1].accounts[pos].pubkey = w.accounts.owner_usde;
    assert_anchor_err!(w.env.send(&ixs, &[]).await, PaymentsError::ConfigMismatch);
    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!(meter.last_seq, 0);
}

/// Finding 4: a device the vendor registered to someone is unclaimed until they accept it;
/// nobody is billed or paid for it meanwhile.
#[tokio::test]
async fn unclaimed_devices_do_not_settle_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let vendor = w.vendor.insecure_clone();
    let device_key = Keypair::new();
    let victim = w.owner.pubkey();
    let args = DeviceRegisterArgs {
        owner: victim,
        device_type: DeviceType::Meter,
        capabilities: Capabilities {
            flags: 1,
            protocols: 2,
            max_import_w: 10_000,
            max_export_w: 5_000,
            energy_capacity_wh: 0,
        },
        cert_fingerprint: [19; 32],
        issuer_ca: CA,
        cert_not_after: 4_102_444_800,
    };
    let device = fixtures::register_device(&mut w.env, &vendor, &device_key, args).await;
    w.env
        .send(&[pay::meter_open(device, payer)], &[])
        .await
        .unwrap();
    let accounts = SettleAccounts {
        device,
        ..w.accounts.clone()
    };
    let args = reading(1, 18, 1_000);
    let message = pay::reading_message_for(&device_key.pubkey(), &accounts.tariff, &args);
    assert_send_err!(
        w.env,
        &[
            pay::ed25519_verify(&device_key, &message),
            pay::meter_settle(&accounts, args),
        ],
        &[],
        PaymentsError::DeviceUnclaimed
    );
    assert_eq!(w.balance(w.accounts.owner_usde).await, 100 * USDC);
}

/// Several consecutive readings of one device settle in one transaction (one ed25519
/// instruction with a signature per reading); every per-reading rule still holds inside a batch.
#[tokio::test]
async fn batches_settle_consecutive_readings_in_one_transaction_success() {
    let mut w = World::new().await;
    w.fund_exports(USDC).await;
    let key = w.device_key.insecure_clone();
    let batch = |readings: &[MeterSettleArgs]| -> Vec<Instruction> {
        let messages: Vec<Vec<u8>> = readings
            .iter()
            .map(|r| pay::reading_message_for(&key.pubkey(), &w.accounts.tariff, r))
            .collect();
        vec![
            pay::ed25519_verify_many(&key, &messages),
            pay::meter_settle_batch(&w.accounts, readings.to_vec()),
        ]
    };
    let four: Vec<MeterSettleArgs> = (0..4)
        .map(|i| reading(1 + i, 3 + i as i64, 1_000))
        .collect();
    // Refusals first: a gap, a tampered reading, a missing signature, too many readings.
    let mut gap = four.clone();
    gap[2].seq = 9;
    assert_anchor_err!(
        w.env.send(&batch(&gap), &[]).await,
        PaymentsError::ReadingOutOfOrder
    );
    let mut ixs = batch(&four);
    let mut tampered = four.clone();
    tampered[3].import_wh = 1;
    ixs[1] = pay::meter_settle_batch(&w.accounts, tampered);
    assert_anchor_err!(w.env.send(&ixs, &[]).await, PaymentsError::MessageMismatch);
    let mut ixs = batch(&four[..3]);
    ixs[1] = pay::meter_settle_batch(&w.accounts, four.clone());
    assert_anchor_err!(
        w.env.send(&ixs, &[]).await,
        PaymentsError::InvalidSignatureInstruction
    );
    let nine: Vec<MeterSettleArgs> = (0..9).map(|i| reading(1 + i, 3 + i as i64, 10)).collect();
    assert_anchor_err!(
        w.env.send(&batch(&nine), &[]).await,
        PaymentsError::InvalidBatch
    );
    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!(meter.last_seq, 0);

    // Four readings in one v0 transaction whose accounts (all but the signer and the invoked
    // programs) come from an address lookup table: under the 1,232-byte packet limit.
    let ixs = batch(&four);
    let payer = w.env.payer();
    let bytes = v0_size_with_lookup_table(&payer, &ixs);
    assert!(bytes <= 1_232, "4-reading batch is {bytes} B");
    let out = w.env.send(&ixs, &[]).await.unwrap();
    let events: Vec<ReadingSettled> = ovpp_test_utils::harness::event_payloads(&out.logs)
        .iter()
        .filter_map(|p| {
            use anchor_lang::Discriminator;
            p.strip_prefix(ReadingSettled::DISCRIMINATOR)
                .and_then(|b| anchor_lang::AnchorDeserialize::deserialize(&mut &b[..]).ok())
        })
        .collect();
    assert_eq!(events.len(), 4);
    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!(
        (meter.last_seq, meter.total_import_wh, meter.total_paid),
        (4, 4_000, 400_000)
    );
    assert_eq!(meter.total_export_paid, 40_000); // 4 x 200 Wh at $0.05
                                                 // The batch continues the sequence for single readings.
    w.settle(reading(5, 7, 100)).await.unwrap();
}

/// Serialized size of a v0 transaction carrying `ixs`, signed by `payer`, with every account
/// that is neither a signer nor an invoked program loaded from one address lookup table.
fn v0_size_with_lookup_table(payer: &Keypair, ixs: &[Instruction]) -> usize {
    use solana_sdk::address_lookup_table::AddressLookupTableAccount;
    use solana_sdk::message::{v0, VersionedMessage};
    use solana_sdk::transaction::VersionedTransaction;
    let programs: Vec<Pubkey> = ixs.iter().map(|i| i.program_id).collect();
    let mut addresses: Vec<Pubkey> = ixs
        .iter()
        .flat_map(|i| i.accounts.iter())
        .filter(|m| !m.is_signer && !programs.contains(&m.pubkey))
        .map(|m| m.pubkey)
        .collect();
    addresses.sort();
    addresses.dedup();
    let table = AddressLookupTableAccount {
        key: Pubkey::new_unique(),
        addresses,
    };
    let message = v0::Message::try_compile(
        &payer.pubkey(),
        ixs,
        &[table],
        solana_sdk::hash::Hash::default(),
    )
    .expect("v0 message");
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[payer]).expect("sign");
    let mut bytes = 1 + 64 * tx.signatures.len();
    bytes += tx.message.serialize().len();
    bytes
}
