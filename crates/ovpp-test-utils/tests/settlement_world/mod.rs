//! The settlement tests' world: registry partners, one claimed meter enrolled in a utility
//! program and bound to its hourly time-of-use tariff, USDE and a mandate for its owner.
//! Shared by `settlement_readings.rs`, `settlement_exports.rs` and `relationships.rs` (each test
//! file uses part of it).
#![allow(dead_code, unused_imports)]
pub use anchor_spl::token::spl_token;
pub use ovpp_payments::errors::PaymentsError;
pub use ovpp_payments::events::ReadingSettled;
pub use ovpp_payments::instructions::{
    DrEventCreateArgs, MandateCreateArgs, MeterSettleArgs, TariffCreateArgs, TariffUpdateArgs,
};
pub use ovpp_payments::math::settlement_amount;
pub use ovpp_payments::state::{
    DrEvent, DrReward, ExportCap, Mandate, Meter, Tariff, TariffBinding, TariffInterval,
    TariffRevision,
};
pub use ovpp_registry::instructions::DeviceRegisterArgs;
pub use ovpp_registry::state::{Capabilities, DeviceType, Status};
pub use ovpp_test_utils::fixtures::{self, Partners};
pub use ovpp_test_utils::harness::{anchor_code, find_event, Env, TxFailure};
pub use ovpp_test_utils::keys;
pub use ovpp_test_utils::payments::{self as pay, SettleAccounts, TOKEN, TOKEN_2022};
pub use ovpp_test_utils::registry as reg;
pub use ovpp_test_utils::routing as rt;
pub use ovpp_test_utils::world;
pub use ovpp_test_utils::{assert_anchor_err, assert_send_err};
pub use solana_sdk::instruction::Instruction;
pub use solana_sdk::program_pack::Pack;
pub use solana_sdk::pubkey::Pubkey;
pub use solana_sdk::signature::{Keypair, Signer};
pub use spl_associated_token_account::get_associated_token_address_with_program_id as ata;
pub use spl_associated_token_account::instruction::create_associated_token_account_idempotent;

pub const USDC: u64 = 1_000_000;
pub const CA: [u8; 32] = [7; 32];
/// 2026-11-25 00:00 UTC.
pub const MIDNIGHT: i64 = 1_795_564_800;
pub const OFF_PEAK: u64 = 100_000; // $0.10 / kWh
pub const PEAK: u64 = 300_000; // $0.30 / kWh, 17:00-21:00
/// Hourly metering intervals.
pub const HOUR: u32 = 3_600;

pub fn intervals(peak: u64) -> Vec<TariffInterval> {
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

/// The tariff every test publishes unless it says otherwise: 30-day settlement window, an
/// export cap of 100 USDE per device per day.
pub fn tariff_args(
    tariff_id: u32,
    effective_from: i64,
    intervals: Vec<TariffInterval>,
    interval_secs: u32,
) -> TariffCreateArgs {
    TariffCreateArgs {
        tariff_id,
        effective_from,
        intervals,
        interval_secs,
        settlement_window_secs: 30 * 86_400,
        export_cap: export_cap(100 * USDC),
    }
}

pub fn export_cap(max_credit: u64) -> ExportCap {
    ExportCap {
        max_credit,
        period_secs: 86_400,
    }
}

pub struct World {
    pub env: Env,
    pub usdc: Pubkey,
    pub admin: Keypair,
    pub vendor: Keypair,
    pub utility: Keypair,
    pub owner: Keypair,
    pub device_key: Keypair,
    pub accounts: SettleAccounts,
}

/// The mandate every test owner grants unless a test says otherwise: 20 USDE a day, 40 in all.
pub fn mandate_args() -> MandateCreateArgs {
    MandateCreateArgs {
        max_per_period: 20 * USDC,
        period_secs: 86_400,
        max_total: 40 * USDC,
    }
}

impl World {
    pub async fn new() -> Self {
        let args = DeviceRegisterArgs {
            owner: Pubkey::default(), // the world's fresh owner
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
        // USDC, USDE, and 100 USDE for the owner.
        let base = world::World::builder()
            .ca(CA)
            .with_claimed_device(args)
            .with_payments()
            .build()
            .await;
        let usdc = base.usdc();
        let world::World {
            mut env,
            admin,
            vendor,
            utility,
            mut devices,
            ..
        } = base;
        let world::ClaimedDevice {
            owner,
            key: device_key,
            ..
        } = devices.remove(0);
        let payer = env.payer();
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
                tariff_args(1, MIDNIGHT, intervals(PEAK), HOUR),
            )],
            &[&utility],
        )
        .await
        .unwrap();
        let device = reg::device_pda(&device_key.pubkey());
        let tariff = pay::tariff_pda(&utility_pda, 1);
        let program = fixtures::utility_program(&mut env, &utility, 1).await;
        fixtures::enroll_and_bind(
            &mut env,
            &utility,
            &owner,
            &vendor.pubkey(),
            device,
            program,
            tariff,
        )
        .await;
        env.send(
            &[
                pay::meter_open(device, payer.pubkey()),
                pay::mandate_create(
                    device,
                    owner.pubkey(),
                    utility_pda,
                    payer.pubkey(),
                    mandate_args(),
                ),
            ],
            &[&owner],
        )
        .await
        .unwrap();
        env.set_unix_timestamp(MIDNIGHT + 86_400).await;
        let accounts = SettleAccounts {
            device,
            owner: owner.pubkey(),
            tariff,
            utility: utility_pda,
            program,
            owner_usde,
            utility_treasury,
        };
        World {
            env,
            usdc,
            admin,
            vendor,
            utility,
            owner,
            device_key,
            accounts,
        }
    }

    /// The utility adds `amount` of its USDE to the tariff's export escrow (wrapping USDC).
    pub async fn fund_exports(&mut self, amount: u64) {
        self.fund_escrow(self.accounts.tariff, amount).await;
    }

    pub async fn update_tariff(&mut self, effective_from: i64, peak: u64) -> Result<(), TxFailure> {
        let utility = self.utility.insecure_clone();
        let latest = self
            .env
            .fetch::<Tariff>(self.accounts.tariff)
            .await
            .revision;
        self.env
            .send(
                &[pay::tariff_update(
                    self.accounts.tariff,
                    self.accounts.utility,
                    utility.pubkey(),
                    self.env.payer().pubkey(),
                    latest,
                    TariffUpdateArgs {
                        effective_from,
                        intervals: intervals(peak),
                        export_cap: export_cap(100 * USDC),
                    },
                )],
                &[&utility],
            )
            .await
            .map(|_| ())
    }

    pub async fn set_utility_status(&mut self, status: Status) {
        let admin = self.admin.insecure_clone();
        self.env
            .send(
                &[reg::partner_status_set(
                    admin.pubkey(),
                    self.accounts.utility,
                    status,
                )],
                &[&admin],
            )
            .await
            .unwrap();
    }

    /// The device's signature over `args` for `accounts.tariff`, then the settlement with
    /// `accounts` (another tariff, owner or utility than the world's).
    pub fn signed_with(
        &self,
        accounts: &SettleAccounts,
        args: &MeterSettleArgs,
    ) -> Vec<Instruction> {
        let message = pay::reading_message_for(&self.device_key.pubkey(), &accounts.tariff, args);
        vec![
            pay::ed25519_verify(&self.device_key, &message),
            pay::meter_settle(accounts, args.clone()),
        ]
    }

    /// Publishes tariff `tariff_id` of the world's utility (hourly, from MIDNIGHT, with an
    /// export cap of `cap` raw USDE per device per day), binds the device to it and returns
    /// the settlement accounts for it.
    pub async fn second_tariff(&mut self, tariff_id: u32, cap: u64) -> SettleAccounts {
        let utility = self.utility.insecure_clone();
        let payer = self.env.payer().pubkey();
        let mut args = tariff_args(tariff_id, MIDNIGHT, intervals(PEAK), HOUR);
        args.export_cap = export_cap(cap);
        let tariff = pay::tariff_pda(&self.accounts.utility, tariff_id);
        self.env
            .send(
                &[
                    pay::tariff_create(
                        self.accounts.utility,
                        utility.pubkey(),
                        self.accounts.utility_treasury,
                        payer,
                        args,
                    ),
                    pay::tariff_bind(
                        tariff,
                        utility.pubkey(),
                        self.accounts.device,
                        self.accounts.program,
                        payer,
                    ),
                ],
                &[&utility],
            )
            .await
            .unwrap();
        SettleAccounts {
            tariff,
            ..self.accounts.clone()
        }
    }

    /// The utility adds `amount` of its USDE to `tariff`'s export escrow.
    pub async fn fund_escrow(&mut self, tariff: Pubkey, amount: u64) {
        let utility = self.utility.insecure_clone();
        let funding = fixtures::fund_usde(&mut self.env, self.usdc, &utility, amount).await;
        self.env
            .send(
                &[pay::tariff_export_fund(
                    tariff,
                    funding,
                    utility.pubkey(),
                    amount,
                )],
                &[&utility],
            )
            .await
            .unwrap();
    }

    pub fn signed(&self, signer: &Keypair, args: &MeterSettleArgs) -> Vec<Instruction> {
        let message =
            pay::reading_message_for(&self.device_key.pubkey(), &self.accounts.tariff, args);
        vec![
            pay::ed25519_verify(signer, &message),
            pay::meter_settle(&self.accounts, args.clone()),
        ]
    }

    /// A relayer (the fee payer, not the owner) submits the device-signed reading.
    pub async fn settle(
        &mut self,
        args: MeterSettleArgs,
    ) -> Result<ovpp_test_utils::harness::TxOutcome, TxFailure> {
        let ixs = self.signed(&self.device_key.insecure_clone(), &args);
        self.env.send(&ixs, &[]).await
    }

    pub async fn balance(&mut self, account: Pubkey) -> u64 {
        let data = self.env.account(account).await.unwrap().data;
        spl_token::state::Account::unpack(&data[..165])
            .unwrap()
            .amount
    }
}

pub fn reading(seq: u64, hour: i64, import_wh: u64) -> MeterSettleArgs {
    MeterSettleArgs {
        revision: 1,
        seq,
        interval_start: MIDNIGHT + hour * 3_600,
        import_wh,
        export_wh: 200,
    }
}
