//! Settlement of device-signed meter readings against a utility tariff (ed25519 precompile,
//! domain-separated message, strictly increasing sequence, USDE via the settlement delegate).
use anchor_spl::token::spl_token;
use ovpp_payments::errors::PaymentsError;
use ovpp_payments::events::ReadingSettled;
use ovpp_payments::instructions::{
    DrEventCreateArgs, MeterSettleArgs, TariffCreateArgs, TariffUpdateArgs,
};
use ovpp_payments::math::settlement_amount;
use ovpp_payments::signature::{reading_message, Reading};
use ovpp_payments::state::{DrEvent, DrReward, Meter, Tariff, TariffInterval};
use ovpp_program_test::fixtures::{self, Partners};
use ovpp_program_test::harness::{anchor_code, find_event, Env, TxFailure};
use ovpp_program_test::payments::{self as pay, SettleAccounts, TOKEN, TOKEN_2022};
use ovpp_program_test::registry as reg;
use ovpp_registry::instructions::DeviceRegisterArgs;
use ovpp_registry::state::{Capabilities, DeviceStatus, DeviceType};
use solana_sdk::instruction::Instruction;
use solana_sdk::program_pack::Pack;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use spl_associated_token_account::get_associated_token_address_with_program_id as ata;
use spl_associated_token_account::instruction::create_associated_token_account_idempotent;

const USDC: u64 = 1_000_000;
const CA: [u8; 32] = [7; 32];
/// 2026-11-25 00:00 UTC.
const MIDNIGHT: i64 = 1_795_564_800;
const OFF_PEAK: u64 = 100_000; // $0.10 / kWh
const PEAK: u64 = 300_000; // $0.30 / kWh, 17:00-21:00

fn code(e: PaymentsError) -> u32 {
    e as u32 + anchor_lang::error::ERROR_CODE_OFFSET
}

fn intervals(peak: u64) -> Vec<TariffInterval> {
    vec![
        TariffInterval {
            start_minute: 0,
            import_price: OFF_PEAK,
            export_price: 50_000,
        },
        TariffInterval {
            start_minute: 17 * 60,
            import_price: peak,
            export_price: 80_000,
        },
        TariffInterval {
            start_minute: 21 * 60,
            import_price: OFF_PEAK,
            export_price: 50_000,
        },
    ]
}

struct World {
    env: Env,
    usdc: Pubkey,
    admin: Keypair,
    vendor: Keypair,
    utility: Keypair,
    device_key: Keypair,
    accounts: SettleAccounts,
}

impl World {
    async fn new() -> Self {
        let mut env = Env::new().await;
        let payer = env.payer();
        let Partners {
            admin,
            vendor,
            utility,
        } = fixtures::onboard(&mut env, CA).await;
        let (device_key, owner) = (Keypair::new(), Keypair::new());
        let args = DeviceRegisterArgs {
            owner: owner.pubkey(),
            device_type: DeviceType::Meter,
            capabilities: Capabilities {
                flags: 1,
                protocols: 2,
                max_import_w: 10_000,
                max_export_w: 5_000,
                energy_capacity_wh: 0,
            },
            cert_fingerprint: [9; 32],
            issuer_ca: CA,
            cert_not_after: 4_102_444_800,
        };
        fixtures::register_device_claimed(&mut env, &vendor, &device_key, &owner, args).await;

        // USDC, USDE, and 100 USDE for the owner.
        let usdc = fixtures::usdc_mint(&mut env).await;
        env.send(
            &[pay::payments_init(
                payer.pubkey(),
                admin.pubkey(),
                usdc,
                TOKEN,
            )],
            &[],
        )
        .await
        .unwrap();
        let usde = pay::usde_mint_pda();
        let owner_usde = fixtures::fund_usde(&mut env, usdc, &owner, 100 * USDC).await;
        let utility_treasury = ata(&utility.pubkey(), &usde, &TOKEN_2022);
        env.send(
            &[
                create_associated_token_account_idempotent(
                    &payer.pubkey(),
                    &utility.pubkey(),
                    &usde,
                    &TOKEN_2022,
                ),
                // The owner lets the settlement delegate spend up to 50 USDE.
                spl_token_2022::instruction::approve_checked(
                    &TOKEN_2022,
                    &owner_usde,
                    &usde,
                    &pay::settlement_pda(),
                    &owner.pubkey(),
                    &[],
                    50 * USDC,
                    6,
                )
                .unwrap(),
            ],
            &[&owner],
        )
        .await
        .unwrap();

        let utility_pda = reg::partner_pda(&utility.pubkey());
        env.send(
            &[pay::tariff_create(
                utility_pda,
                utility.pubkey(),
                utility_treasury,
                payer.pubkey(),
                TariffCreateArgs {
                    tariff_id: 1,
                    effective_from: MIDNIGHT,
                    intervals: intervals(PEAK),
                },
            )],
            &[&utility],
        )
        .await
        .unwrap();
        let device = reg::device_pda(&device_key.pubkey());
        env.send(&[pay::meter_open(device, payer.pubkey())], &[])
            .await
            .unwrap();
        env.set_unix_timestamp(MIDNIGHT + 86_400).await;
        let accounts = SettleAccounts {
            device,
            tariff: pay::tariff_pda(&utility_pda, 1),
            utility: utility_pda,
            owner_usde,
            utility_treasury,
        };
        World {
            env,
            usdc,
            admin,
            vendor,
            utility,
            device_key,
            accounts,
        }
    }

    fn signed(&self, signer: &Keypair, args: &MeterSettleArgs) -> Vec<Instruction> {
        let reading = Reading {
            seq: args.seq,
            interval_start: args.interval_start,
            import_wh: args.import_wh,
            export_wh: args.export_wh,
        };
        let message = reading_message(&self.device_key.pubkey(), &self.accounts.tariff, &reading);
        vec![
            pay::ed25519_verify(signer, &message),
            pay::meter_settle(&self.accounts, args.clone()),
        ]
    }

    /// A relayer (the fee payer, not the owner) submits the device-signed reading.
    async fn settle(
        &mut self,
        args: MeterSettleArgs,
    ) -> Result<ovpp_program_test::harness::TxOutcome, TxFailure> {
        let ixs = self.signed(&self.device_key.insecure_clone(), &args);
        self.env.send(&ixs, &[]).await
    }

    async fn balance(&mut self, account: Pubkey) -> u64 {
        let data = self.env.account(account).await.unwrap().data;
        spl_token::state::Account::unpack(&data[..165])
            .unwrap()
            .amount
    }
}

fn reading(seq: u64, hour: i64, import_wh: u64) -> MeterSettleArgs {
    MeterSettleArgs {
        seq,
        interval_start: MIDNIGHT + hour * 3_600,
        import_wh,
        export_wh: 200,
    }
}

#[tokio::test]
async fn signed_readings_settle_once_at_the_interval_price() {
    let mut w = World::new().await;
    let treasury = w.accounts.utility_treasury;
    let owner_usde = w.accounts.owner_usde;

    // 03:00, 2 kWh off-peak: $0.20.
    let out = w.settle(reading(1, 3, 2_000)).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).expect("ReadingSettled");
    assert_eq!(ev.amount, settlement_amount(2_000, OFF_PEAK).unwrap());
    assert_eq!(ev.amount, 200_000);
    // 18:00, 1.5 kWh peak: $0.45.
    w.settle(reading(2, 18, 1_500)).await.unwrap();
    assert_eq!(w.balance(treasury).await, 650_000);
    assert_eq!(w.balance(owner_usde).await, 100 * USDC - 650_000);
    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!(
        (
            meter.last_seq,
            meter.total_import_wh,
            meter.total_export_wh,
            meter.total_paid
        ),
        (2, 3_500, 400, 650_000)
    );

    // Replays (same or older sequence) never pay twice.
    assert_eq!(
        anchor_code(w.settle(reading(2, 18, 1_500)).await),
        code(PaymentsError::ReplayedReading)
    );
    assert_eq!(
        anchor_code(w.settle(reading(1, 19, 1_000)).await),
        code(PaymentsError::ReplayedReading)
    );
    assert_eq!(w.balance(treasury).await, 650_000);

    // A tariff revision applies to later readings.
    let utility = w.utility.insecure_clone();
    w.env
        .send(
            &[pay::tariff_update(
                w.accounts.tariff,
                utility.pubkey(),
                TariffUpdateArgs {
                    effective_from: MIDNIGHT,
                    intervals: intervals(500_000),
                },
            )],
            &[&utility],
        )
        .await
        .unwrap();
    let tariff: Tariff = w.env.fetch(w.accounts.tariff).await;
    assert_eq!(tariff.revision, 2);
    let out = w.settle(reading(3, 20, 1_000)).await.unwrap();
    let ev: ReadingSettled = find_event(&out.logs).unwrap();
    assert_eq!((ev.revision, ev.amount), (2, 500_000));
}

#[tokio::test]
async fn forged_tampered_and_unsigned_readings_are_rejected() {
    let mut w = World::new().await;
    let args = reading(1, 3, 2_000);

    // Signed by another key.
    let ixs = w.signed(&Keypair::new(), &args);
    assert_eq!(
        anchor_code(w.env.send(&ixs, &[]).await),
        code(PaymentsError::WrongSigner)
    );
    // Signature over different numbers than those submitted.
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    ixs[1] = pay::meter_settle(
        &w.accounts,
        MeterSettleArgs {
            import_wh: 1,
            ..args.clone()
        },
    );
    assert_eq!(
        anchor_code(w.env.send(&ixs, &[]).await),
        code(PaymentsError::MessageMismatch)
    );
    // No signature instruction at all.
    let r = w
        .env
        .send(&[pay::meter_settle(&w.accounts, args.clone())], &[])
        .await;
    assert_eq!(anchor_code(r), code(PaymentsError::MissingSignature));
    // A corrupted signature fails in the precompile itself, before the program runs.
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    let sig_at = 16 + 32; // data: header(16) | pubkey(32) | signature(64) | message
    ixs[0].data[sig_at] ^= 1;
    assert!(matches!(
        w.env.send(&ixs, &[]).await,
        Err(TxFailure::Custom { index: 0, .. }) | Err(TxFailure::Instruction { index: 0, .. })
    ));
    // Future intervals, intervals before the tariff, and physically impossible energy.
    let r = w
        .settle(MeterSettleArgs {
            interval_start: MIDNIGHT + 2 * 86_400,
            ..args.clone()
        })
        .await;
    assert_eq!(anchor_code(r), code(PaymentsError::InvalidReadingTime));
    let r = w
        .settle(MeterSettleArgs {
            interval_start: MIDNIGHT - 60,
            ..args.clone()
        })
        .await;
    assert_eq!(anchor_code(r), code(PaymentsError::InvalidReadingTime));
    let r = w
        .settle(MeterSettleArgs {
            import_wh: 10_000 * 24 + 1,
            ..args.clone()
        })
        .await;
    assert_eq!(
        anchor_code(r),
        code(PaymentsError::ReadingExceedsCapability)
    );

    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!((meter.last_seq, meter.total_paid), (0, 0));
    assert_eq!(w.balance(w.accounts.utility_treasury).await, 0);
    // The honest reading still settles.
    w.settle(args).await.unwrap();
}

#[tokio::test]
async fn revoked_devices_and_spending_caps_stop_settlement() {
    let mut w = World::new().await;
    // Beyond the owner's 50 USDE allowance: Token-2022 refuses (InsufficientFunds = 1).
    let r = w
        .settle(MeterSettleArgs {
            import_wh: 200_000,
            ..reading(1, 18, 0)
        })
        .await;
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
                DeviceStatus::Revoked,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    assert_eq!(
        anchor_code(w.settle(reading(1, 3, 1_000)).await),
        code(PaymentsError::DeviceNotActive)
    );
}

#[tokio::test]
async fn only_active_utilities_publish_tariffs() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let vendor = w.vendor.insecure_clone();
    let bad = pay::tariff_create(
        reg::partner_pda(&vendor.pubkey()),
        vendor.pubkey(),
        w.accounts.utility_treasury,
        payer,
        TariffCreateArgs {
            tariff_id: 7,
            effective_from: 0,
            intervals: intervals(PEAK),
        },
    );
    assert_eq!(
        anchor_code(w.env.send(&[bad], &[&vendor]).await),
        code(PaymentsError::NotActiveUtility)
    );
    let utility = w.utility.insecure_clone();
    let utility_pda = reg::partner_pda(&utility.pubkey());
    for bad_intervals in [
        vec![],
        vec![TariffInterval {
            start_minute: 60,
            import_price: 1,
            export_price: 1,
        }],
        vec![
            TariffInterval {
                start_minute: 0,
                import_price: 1,
                export_price: 1,
            },
            TariffInterval {
                start_minute: 0,
                import_price: 2,
                export_price: 1,
            },
        ],
        vec![
            TariffInterval {
                start_minute: 0,
                import_price: 1,
                export_price: 1,
            },
            TariffInterval {
                start_minute: 1_440,
                import_price: 2,
                export_price: 1,
            },
        ],
    ] {
        let ix = pay::tariff_create(
            utility_pda,
            utility.pubkey(),
            w.accounts.utility_treasury,
            payer,
            TariffCreateArgs {
                tariff_id: 8,
                effective_from: 0,
                intervals: bad_intervals,
            },
        );
        assert_eq!(
            anchor_code(w.env.send(&[ix], &[&utility]).await),
            code(PaymentsError::InvalidTariff)
        );
    }
    // Someone else cannot update the utility's tariff.
    let stranger = Keypair::new();
    let ix = pay::tariff_update(
        w.accounts.tariff,
        stranger.pubkey(),
        TariffUpdateArgs {
            effective_from: 0,
            intervals: intervals(1),
        },
    );
    assert_eq!(
        anchor_code(w.env.send(&[ix], &[&stranger]).await),
        code(PaymentsError::Unauthorized)
    );
}

#[tokio::test]
async fn demand_response_rewards_are_paid_once_within_budget() {
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
    let r = w
        .env
        .send(
            &[pay::dr_event_create(
                utility_pda,
                utility.pubkey(),
                funding,
                payer.pubkey(),
                bad,
            )],
            &[&utility],
        )
        .await;
    assert_eq!(anchor_code(r), code(PaymentsError::InvalidDrEvent));
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
            device,
            owner_usde,
            payer.pubkey(),
            flex,
        )
    };
    // Not before the event has ended.
    assert_eq!(
        anchor_code(w.env.send(&[pay_ix(2_500, &utility)], &[&utility]).await),
        code(PaymentsError::DrEventNotEnded)
    );
    w.env.set_unix_timestamp(now + 7_200).await;
    // Only the utility attests.
    let stranger = Keypair::new();
    assert_eq!(
        anchor_code(w.env.send(&[pay_ix(2_500, &stranger)], &[&stranger]).await),
        code(PaymentsError::Unauthorized)
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
    let r = w
        .env
        .send(
            &[pay::dr_event_close(event, utility.pubkey(), funding)],
            &[&utility],
        )
        .await;
    assert_eq!(anchor_code(r), code(PaymentsError::DrEventClosed));
}

#[tokio::test]
async fn rewards_cannot_exceed_the_budget() {
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
        w.accounts.device,
        w.accounts.owner_usde,
        payer.pubkey(),
        5_000,
    );
    assert_eq!(
        anchor_code(w.env.send(&[ix], &[&utility]).await),
        code(PaymentsError::DrBudgetExhausted)
    );
    assert!(w
        .env
        .account(pay::dr_reward_pda(&event, &w.accounts.device))
        .await
        .is_none());
}

#[tokio::test]
async fn spoofed_sysvar_and_fake_programs_are_rejected() {
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
    assert_eq!(
        anchor_code(w.env.send(&ixs, &[]).await),
        anchor_lang::error::ErrorCode::ConstraintAddress as u32
    );
    // A fake token program in place of Token-2022.
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    let pos = ixs[1]
        .accounts
        .iter()
        .position(|a| a.pubkey == TOKEN_2022)
        .unwrap();
    ixs[1].accounts[pos].pubkey = TOKEN;
    assert_eq!(
        anchor_code(w.env.send(&ixs, &[]).await),
        anchor_lang::error::ErrorCode::InvalidProgramId as u32
    );
    // The owner's own account as the "utility treasury" (duplicate mutable accounts).
    let mut ixs = w.signed(&w.device_key.insecure_clone(), &args);
    let pos = ixs[1]
        .accounts
        .iter()
        .position(|a| a.pubkey == w.accounts.utility_treasury)
        .unwrap();
    ixs[1].accounts[pos].pubkey = w.accounts.owner_usde;
    assert_eq!(
        anchor_code(w.env.send(&ixs, &[]).await),
        code(PaymentsError::ConfigMismatch)
    );
    let meter: Meter = w.env.fetch(pay::meter_pda(&w.accounts.device)).await;
    assert_eq!(meter.last_seq, 0);
}
