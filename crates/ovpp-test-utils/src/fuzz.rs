//! Stateful invariant fuzzing of the real programs.
//!
//! A seeded, reproducible random walk of operations by honest and adversarial actors (device
//! owners, a utility, an outsider, a relayer, the protocol authority) against the natively
//! hosted programs and the real Token-2022 binary. After every step the money and energy
//! invariants are checked on chain state:
//!
//! 1. the USDC vault covers the USDE supply;
//! 2. each unit market redeems at most what it collected, and the markets' backing together
//!    is held by the treasury;
//! 3. no token balance falls unless its owner signed the transaction, or a settlement charged
//!    it within a live mandate of that owner (and the mandate recorded exactly that charge);
//! 4. each device settles each metering interval at most once, intervals never overlap, the
//!    sequence advances by one, and settled energy stays within the device's power for the
//!    interval;
//! 5. a route is published or updated only while its device, utility and enrollment are live;
//! 6. no escrow pays, and no treasury bills, a device without an approved enrollment in a
//!    program of the tariff's utility (a second utility's funded escrow never moves);
//! 7. no owner is billed or paid for an interval outside its ownership (devices are sold back
//!    and forth between two wallets), and every reading's money moves to or from exactly the
//!    owner it names.
//!
//! `run(seed, steps)` returns statistics or the first violation with the seed and step that
//! reproduce it.
use std::collections::{BTreeMap, BTreeSet};

use anchor_lang::{AnchorDeserialize, Discriminator};
use anchor_spl::associated_token::get_associated_token_address_with_program_id as ata;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent as create_ata;
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022;
use ovpp_payments::events::ReadingSettled;
use ovpp_payments::instructions::{
    MandateCreateArgs, MeterSettleArgs, TariffCreateArgs, TariffUpdateArgs, UnitMarketCreateArgs,
};
use ovpp_payments::math::energy_cap_wh;
use ovpp_payments::signature::{reading_message, Reading};
use ovpp_payments::state::{
    ExportCap, Mandate, Meter, Tariff, TariffInterval, TariffRevision, UnitKind, UnitMarket,
};
use ovpp_registry::instructions::DeviceRegisterArgs;
use ovpp_registry::state::{AttestationKind, Capabilities, Device, DeviceType, Partner, Status};
use ovpp_routing::instructions::{ProgramCreateArgs, RouteSetArgs};
use ovpp_routing::state::{Enrollment, EnrollmentStatus, ProgramKind, Protocol, Route};
use solana_sdk::account::AccountSharedData;
use solana_sdk::instruction::Instruction;
use solana_sdk::program_pack::Pack;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

use crate::fixtures;
use crate::harness::{event_payloads, Env};
use crate::payments::{self as pay, SettleAccounts, TOKEN, TOKEN_2022};
use crate::registry as reg;
use crate::routing as rt;
use crate::world;
use ovpp_host::switchboard::{feed_account, FeedResult};

const USDC: u64 = 1_000_000;
const CA: [u8; 32] = [7; 32];
/// 2026-11-25 00:00 UTC.
const MIDNIGHT: i64 = 1_795_564_800;
const INTERVAL: u32 = 3_600;
const PRICE: i128 = 150_000_000_000_000_000;
const IMPORT_W: u32 = 10_000;
const EXPORT_W: u32 = 5_000;
const FAR: i64 = 4_102_444_800;

/// SplitMix64: small, seedable, reproducible everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

/// One device owner (honest unless the step says otherwise).
struct Owner {
    wallet: Keypair,
    /// A second wallet the device is sold to and back (with USDE and the delegate approved).
    alt: Keypair,
    alt_usde: Pubkey,
    usdc: Pubkey,
    usde: Pubkey,
    units: [Pubkey; 2],
    device_key: Keypair,
    device: Pubkey,
}

/// What a step did, for the invariant checks.
#[derive(Default)]
struct StepInfo {
    name: &'static str,
    /// Wallets that signed the transaction.
    signers: Vec<Pubkey>,
    /// Device settled by this step (if it was a settlement).
    settled_device: Option<usize>,
    ok: bool,
    /// Logs of the transaction when it succeeded (settlement events).
    logs: Vec<String>,
}

/// A broken invariant, with what reproduces it.
#[derive(Debug)]
pub struct Violation {
    pub seed: u64,
    pub step: usize,
    pub op: &'static str,
    pub message: String,
}

/// Counts of what ran.
#[derive(Debug, Default)]
pub struct Stats {
    pub steps: usize,
    /// (operation, attempted, succeeded)
    pub ops: BTreeMap<&'static str, (u64, u64)>,
}

/// Token balances and chain facts snapshotted around every step.
#[derive(Clone, Default)]
struct Snapshot {
    balances: BTreeMap<Pubkey, (Pubkey, u64)>,
    vault: u64,
    supply: u64,
    treasury: u64,
    backing: [u64; 2],
    mandates: BTreeMap<(usize, Pubkey), Option<Mandate>>,
    devices: BTreeMap<usize, Device>,
    meters: BTreeMap<usize, Meter>,
    routes: BTreeMap<usize, Option<(u32, i64)>>,
}

struct World {
    env: Env,
    rng: Rng,
    admin: Keypair,
    vendor: Keypair,
    utility: Keypair,
    utility_pda: Pubkey,
    utility_usde: Pubkey,
    usdc: Pubkey,
    tariff: Pubkey,
    program: Pubkey,
    /// A second utility's tariff (funded escrow) no device is enrolled with.
    foreign_tariff: Pubkey,
    foreign_utility: Pubkey,
    foreign_escrow: Pubkey,
    feeds: [Pubkey; 2],
    owners: Vec<Owner>,
    outsider: Owner,
    now: i64,
    /// Per device: settled (interval_start) set.
    settled: Vec<BTreeSet<i64>>,
    /// Per device: settled sequence numbers.
    settled_seqs: Vec<BTreeSet<u64>>,
    /// Per market: USDE collected and redeemed, from the treasury's deltas.
    collected: [u128; 2],
    redeemed: [u128; 2],
}

const KINDS: [UnitKind; 2] = [UnitKind::Kwh, UnitKind::Co2Kg];

fn intervals(peak: u64) -> Vec<TariffInterval> {
    vec![
        TariffInterval {
            start_minute: 0,
            import_price: 100_000,
            export_price: 50_000,
        },
        TariffInterval {
            start_minute: 17 * 60,
            import_price: peak,
            export_price: 80_000,
        },
    ]
}

async fn token_amount(env: &mut Env, account: Pubkey) -> Option<(Pubkey, u64)> {
    let data = env.account(account).await?.data;
    let state = spl_token::state::Account::unpack(data.get(..165)?).ok()?;
    Some((state.owner, state.amount))
}

async fn mint_supply(env: &mut Env, mint: Pubkey) -> u64 {
    let data = env.account(mint).await.expect("mint").data;
    spl_token::state::Mint::unpack(&data[..82])
        .expect("mint")
        .supply
}

async fn maybe<T: anchor_lang::AccountDeserialize>(env: &mut Env, key: Pubkey) -> Option<T> {
    let account = env.account(key).await?;
    if account.data.is_empty() {
        return None;
    }
    T::try_deserialize(&mut &account.data[..]).ok()
}

/// The utility's OpenADR 3 VTN and the SPKI SHA-256 of its server key.
const VTN: &str = "https://vtn.gridco.example/openadr3";
const VTN_SPKI: [u8; 32] = [9; 32];

impl World {
    async fn new(seed: u64) -> World {
        let base = world::World::builder().ca(CA).with_payments().build().await;
        let usdc = base.usdc();
        let world::World {
            mut env,
            admin,
            vendor,
            utility,
            ..
        } = base;
        let payer = env.payer().pubkey();
        let utility_pda = reg::partner_pda(&utility.pubkey());
        // The utility's VTN passed its probe (what `route_set` requires).
        env.send(
            &[reg::endpoint_attest(
                admin.pubkey(),
                payer,
                VTN,
                AttestationKind::OpenAdr3Conformance,
                VTN_SPKI,
                FAR,
            )],
            &[&admin],
        )
        .await
        .expect("endpoint_attest");

        // Two unit markets on Switchboard feeds.
        let slot = env.clock().await.slot;
        let mut feeds = [Pubkey::new_unique(), Pubkey::new_unique()];
        for (i, kind) in KINDS.into_iter().enumerate() {
            feeds[i] = Pubkey::new_unique();
            env.ctx.set_account(
                &feeds[i],
                &AccountSharedData::from(feed_account(FeedResult {
                    value: PRICE,
                    std_dev: 0,
                    num_samples: 5,
                    slot,
                })),
            );
            env.send(
                &[pay::unit_market_create(
                    admin.pubkey(),
                    payer,
                    feeds[i],
                    UnitMarketCreateArgs {
                        kind,
                        max_staleness_slots: u32::MAX,
                        min_samples: 1,
                        max_confidence_bps: 2_000,
                        spread_bps: 30,
                    },
                )],
                &[&admin],
            )
            .await
            .expect("unit_market_create");
        }

        // The utility: a USDE treasury, a tariff with a funded export escrow, a DR program.
        let utility_usde = fixtures::fund_usde(&mut env, usdc, &utility, 50 * USDC).await;
        env.send(
            &[pay::tariff_create(
                utility_pda,
                utility.pubkey(),
                utility_usde,
                payer,
                TariffCreateArgs {
                    tariff_id: 1,
                    effective_from: MIDNIGHT,
                    intervals: intervals(300_000),
                    interval_secs: INTERVAL,
                    settlement_window_secs: 30 * 86_400,
                    export_cap: ExportCap {
                        max_credit: 2 * USDC,
                        period_secs: 86_400,
                    },
                },
            )],
            &[&utility],
        )
        .await
        .expect("tariff_create");
        let tariff = pay::tariff_pda(&utility_pda, 1);
        env.send(
            &[rt::program_create(
                utility_pda,
                utility.pubkey(),
                payer,
                ProgramCreateArgs {
                    program_id: 1,
                    kind: ProgramKind::DemandResponse,
                    name: "Fuzz DR".into(),
                },
            )],
            &[&utility],
        )
        .await
        .expect("program_create");
        let program = rt::program_pda(&utility_pda, 1);

        // A second utility with its own funded escrow and tariff program.
        let voltco = fixtures::onboard_second_utility(&mut env, &admin).await;
        let foreign_utility = reg::partner_pda(&voltco.pubkey());
        let voltco_usde = fixtures::fund_usde(&mut env, usdc, &voltco, 20 * USDC).await;
        let foreign_tariff = pay::tariff_pda(&foreign_utility, 1);
        env.send(
            &[
                pay::tariff_create(
                    foreign_utility,
                    voltco.pubkey(),
                    voltco_usde,
                    payer,
                    TariffCreateArgs {
                        tariff_id: 1,
                        effective_from: MIDNIGHT,
                        intervals: intervals(300_000),
                        interval_secs: INTERVAL,
                        settlement_window_secs: 30 * 86_400,
                        export_cap: ExportCap {
                            max_credit: 100 * USDC,
                            period_secs: 86_400,
                        },
                    },
                ),
                pay::tariff_export_fund(foreign_tariff, voltco_usde, voltco.pubkey(), 10 * USDC),
            ],
            &[&voltco],
        )
        .await
        .expect("second utility's tariff");
        fixtures::utility_program(&mut env, &voltco, 1).await;

        let mut world = World {
            env,
            rng: Rng::new(seed),
            admin,
            vendor,
            utility,
            utility_pda,
            utility_usde,
            usdc,
            tariff,
            program,
            foreign_tariff,
            foreign_utility,
            foreign_escrow: pay::export_vault_pda(&foreign_tariff),
            feeds,
            owners: Vec::new(),
            outsider: Owner {
                wallet: Keypair::new(),
                alt: Keypair::new(),
                alt_usde: Pubkey::default(),
                usdc: Pubkey::default(),
                usde: Pubkey::default(),
                units: [Pubkey::default(); 2],
                device_key: Keypair::new(),
                device: Pubkey::default(),
            },
            now: MIDNIGHT + 86_400,
            settled: Vec::new(),
            settled_seqs: Vec::new(),
            collected: [0; 2],
            redeemed: [0; 2],
        };
        for i in 0..4u8 {
            let owner = world.new_owner(i).await;
            world.owners.push(owner);
            world.settled.push(BTreeSet::new());
            world.settled_seqs.push(BTreeSet::new());
        }
        // The outsider holds USDC and USDE but owns no device and is no participant.
        let outsider = Keypair::new();
        world.outsider.usde =
            fixtures::fund_usde(&mut world.env, usdc, &outsider, 200 * USDC).await;
        world.outsider.usdc = ata(&outsider.pubkey(), &usdc, &TOKEN);
        world.outsider.units = world.unit_accounts(&outsider).await;
        world.outsider.wallet = outsider;
        let now = world.now;
        world.env.set_unix_timestamp(now).await;
        world
    }

    async fn unit_accounts(&mut self, wallet: &Keypair) -> [Pubkey; 2] {
        let payer = self.env.payer().pubkey();
        let mut out = [Pubkey::default(); 2];
        for (i, kind) in KINDS.into_iter().enumerate() {
            let mint = pay::unit_mint_pda(kind);
            out[i] = ata(&wallet.pubkey(), &mint, &TOKEN_2022);
            self.env
                .send(
                    &[create_ata(&payer, &wallet.pubkey(), &mint, &TOKEN_2022)],
                    &[],
                )
                .await
                .expect("unit ata");
        }
        out
    }

    /// A device owner with a registered device, membership, USDE, the settlement delegate
    /// approved, a mandate for the utility, an open meter and an approved, routed enrollment.
    async fn new_owner(&mut self, i: u8) -> Owner {
        let payer = self.env.payer().pubkey();
        let wallet = Keypair::new();
        let device_key = Keypair::new();
        let args = DeviceRegisterArgs {
            owner: wallet.pubkey(),
            device_type: DeviceType::Battery,
            capabilities: Capabilities {
                flags: 3,
                protocols: 1,
                max_import_w: IMPORT_W,
                max_export_w: EXPORT_W,
                energy_capacity_wh: 13_500,
            },
            cert_fingerprint: [40 + i; 32],
            issuer_ca: CA,
            cert_not_after: FAR,
        };
        let vendor = self.vendor.insecure_clone();
        let device =
            fixtures::register_device_claimed(&mut self.env, &vendor, &device_key, &wallet, args)
                .await;
        self.env
            .send(
                &[reg::member_register(
                    device_key.pubkey(),
                    wallet.pubkey(),
                    payer,
                )],
                &[&wallet],
            )
            .await
            .expect("member_register");
        let usde = fixtures::fund_usde(&mut self.env, self.usdc, &wallet, 300 * USDC).await;
        let alt = Keypair::new();
        let alt_usde = fixtures::fund_usde(&mut self.env, self.usdc, &alt, 100 * USDC).await;
        self.env
            .send(
                &[spl_token_2022::instruction::approve_checked(
                    &TOKEN_2022,
                    &alt_usde,
                    &pay::usde_mint_pda(),
                    &pay::settlement_pda(),
                    &alt.pubkey(),
                    &[],
                    u64::MAX,
                    6,
                )
                .expect("approve")],
                &[&alt],
            )
            .await
            .expect("alt wallet");
        let usdc = ata(&wallet.pubkey(), &self.usdc, &TOKEN);
        let units = self.unit_accounts(&wallet).await;
        let mandate = MandateCreateArgs {
            max_per_period: (5 + u64::from(i) * 5) * USDC,
            period_secs: 86_400,
            max_total: (20 + u64::from(i) * 10) * USDC,
        };
        self.env
            .send(
                &[
                    spl_token_2022::instruction::approve_checked(
                        &TOKEN_2022,
                        &usde,
                        &pay::usde_mint_pda(),
                        &pay::settlement_pda(),
                        &wallet.pubkey(),
                        &[],
                        u64::MAX,
                        6,
                    )
                    .expect("approve"),
                    pay::mandate_create(device, wallet.pubkey(), self.utility_pda, payer, mandate),
                    pay::meter_open(device, payer),
                ],
                &[&wallet],
            )
            .await
            .expect("owner setup");
        let vendor_pda = reg::partner_pda(&vendor.pubkey());
        let utility = self.utility.insecure_clone();
        self.env
            .send(
                &[
                    rt::enrollment_request(
                        self.program,
                        device,
                        vendor_pda,
                        wallet.pubkey(),
                        payer,
                    ),
                    rt::enrollment_decide(
                        self.program,
                        self.utility_pda,
                        utility.pubkey(),
                        device,
                        true,
                    ),
                    pay::tariff_bind(self.tariff, utility.pubkey(), device, self.program, payer),
                ],
                &[&wallet, &utility],
            )
            .await
            .expect("enrollment");
        let route = self.route_ix(device);
        self.env
            .send(&[route], &[&utility])
            .await
            .expect("route_set");
        Owner {
            wallet,
            alt,
            alt_usde,
            usdc,
            usde,
            units,
            device_key,
            device,
        }
    }

    fn route_ix(&self, device: Pubkey) -> Instruction {
        rt::route_set(
            self.program,
            self.utility_pda,
            self.utility.pubkey(),
            device,
            self.env.payer().pubkey(),
            RouteSetArgs {
                protocol: Protocol::OpenAdr3Vtn,
                endpoint: VTN.into(),
                cert_pins: vec![VTN_SPKI],
                expires_at: FAR,
            },
        )
    }

    fn token_accounts(&self) -> Vec<Pubkey> {
        let mut out = vec![
            self.utility_usde,
            self.outsider.usde,
            self.outsider.usdc,
            self.foreign_escrow,
        ];
        out.extend(self.outsider.units);
        for o in &self.owners {
            out.extend([o.usde, o.usdc, o.alt_usde]);
            out.extend(o.units);
        }
        out
    }

    async fn snapshot(&mut self) -> Snapshot {
        let mut s = Snapshot::default();
        for account in self.token_accounts() {
            if let Some(b) = token_amount(&mut self.env, account).await {
                s.balances.insert(account, b);
            }
        }
        s.vault = token_amount(&mut self.env, pay::vault_pda())
            .await
            .map_or(0, |b| b.1);
        s.supply = mint_supply(&mut self.env, pay::usde_mint_pda()).await;
        s.treasury = token_amount(&mut self.env, pay::treasury_pda())
            .await
            .map_or(0, |b| b.1);
        for (i, kind) in KINDS.into_iter().enumerate() {
            let market: UnitMarket = self.env.fetch(pay::market_pda(kind)).await;
            s.backing[i] = market.backing;
        }
        for i in 0..self.owners.len() {
            let device = self.owners[i].device;
            for wallet in [self.owners[i].wallet.pubkey(), self.owners[i].alt.pubkey()] {
                let mandate =
                    maybe::<Mandate>(&mut self.env, pay::mandate_pda(&wallet, &device)).await;
                s.mandates.insert((i, wallet), mandate);
            }
            s.devices.insert(i, self.env.fetch(device).await);
            let meter: Meter = self.env.fetch(pay::meter_pda(&device)).await;
            s.meters.insert(i, meter);
            let route = rt::route_pda(&rt::enrollment_pda(&self.program, &device));
            let route = maybe::<Route>(&mut self.env, route)
                .await
                .map(|r| (r.version, r.expires_at));
            s.routes.insert(i, route);
        }
        s
    }

    async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair], info: &mut StepInfo) {
        info.signers = signers.iter().map(|k| k.pubkey()).collect();
        let r = self.env.send(ixs, signers).await;
        if std::env::var_os("OVPP_FUZZ_TRACE").is_some() {
            println!("{:<26} {:?}", info.name, r.as_ref().map(|_| ()));
        }
        info.ok = r.is_ok();
        if let Ok(outcome) = r {
            info.logs = outcome.logs;
        }
    }

    /// Settlement accounts of device `i` billing (and paying) `billed`, one of its two wallets.
    fn settle_accounts(&self, i: usize, billed: &Pubkey) -> SettleAccounts {
        let o = &self.owners[i];
        SettleAccounts {
            device: o.device,
            owner: *billed,
            tariff: self.tariff,
            utility: self.utility_pda,
            program: self.program,
            owner_usde: self.usde_of(i, billed),
            utility_treasury: self.utility_usde,
        }
    }

    /// The USDE account of `wallet` (one of device `i`'s two wallets).
    fn usde_of(&self, i: usize, wallet: &Pubkey) -> Pubkey {
        let o = &self.owners[i];
        if *wallet == o.alt.pubkey() {
            o.alt_usde
        } else {
            o.usde
        }
    }

    /// The keypair of `wallet` (one of device `i`'s two wallets).
    fn wallet_of(&self, i: usize, wallet: &Pubkey) -> Keypair {
        let o = &self.owners[i];
        if *wallet == o.alt.pubkey() {
            o.alt.insecure_clone()
        } else {
            o.wallet.insecure_clone()
        }
    }

    /// One random operation.
    async fn step(&mut self) -> StepInfo {
        let mut info = StepInfo::default();
        let n = self.owners.len() as u64;
        let who = self.rng.below(n) as usize;
        let amount = 1 + self.rng.below(20 * USDC);
        match self.rng.below(100) {
            0..=29 => self.op_settle(who, &mut info).await,
            30..=37 => {
                info.name = "wrap";
                let o = &self.owners[who];
                let (w, usdc, usde) = (o.wallet.insecure_clone(), o.usdc, o.usde);
                let ix = pay::usde_wrap(w.pubkey(), self.usdc, usdc, usde, TOKEN, amount);
                self.send(&[ix], &[&w], &mut info).await;
            }
            38..=45 => {
                info.name = "unwrap";
                let o = &self.owners[who];
                let (w, usdc, usde) = (o.wallet.insecure_clone(), o.usdc, o.usde);
                let ix = pay::usde_unwrap(w.pubkey(), self.usdc, usde, usdc, TOKEN, amount);
                self.send(&[ix], &[&w], &mut info).await;
            }
            46..=48 => {
                info.name = "donate_usdc_to_vault";
                let o = &self.outsider;
                let (w, usdc) = (o.wallet.insecure_clone(), o.usdc);
                let ix = spl_token::instruction::transfer(
                    &TOKEN,
                    &usdc,
                    &pay::vault_pda(),
                    &w.pubkey(),
                    &[],
                    1 + self.rng.below(3),
                )
                .expect("transfer");
                self.send(&[ix], &[&w], &mut info).await;
            }
            49..=51 => {
                info.name = "burn_usde_directly";
                let o = &self.outsider;
                let (w, usde) = (o.wallet.insecure_clone(), o.usde);
                let ix = spl_token_2022::instruction::burn_checked(
                    &TOKEN_2022,
                    &usde,
                    &pay::usde_mint_pda(),
                    &w.pubkey(),
                    &[],
                    1 + self.rng.below(3),
                    6,
                )
                .expect("burn");
                self.send(&[ix], &[&w], &mut info).await;
            }
            52..=55 => {
                info.name = "usde_transfer";
                let to = self.rng.below(n) as usize;
                let (w, from) = (
                    self.owners[who].wallet.insecure_clone(),
                    self.owners[who].usde,
                );
                let ix = spl_token_2022::instruction::transfer_checked(
                    &TOKEN_2022,
                    &from,
                    &pay::usde_mint_pda(),
                    &self.owners[to].usde,
                    &w.pubkey(),
                    &[],
                    amount,
                    6,
                )
                .expect("transfer");
                self.send(&[ix], &[&w], &mut info).await;
            }
            56..=59 => {
                // The outsider tries to spend an owner's USDE through the settlement
                // delegate (it cannot sign for the PDA) or as itself.
                info.name = "steal_via_delegate";
                let victim = self.owners[who].usde;
                let thief = self.outsider.wallet.insecure_clone();
                let ix = spl_token_2022::instruction::transfer_checked(
                    &TOKEN_2022,
                    &victim,
                    &pay::usde_mint_pda(),
                    &self.outsider.usde,
                    &thief.pubkey(),
                    &[],
                    amount,
                    6,
                )
                .expect("transfer");
                self.send(&[ix], &[&thief], &mut info).await;
            }
            60..=69 => self.op_units(who, amount, &mut info).await,
            70..=73 => {
                info.name = "price_move";
                let market = self.rng.below(2) as usize;
                let value = PRICE / 4 + (self.rng.below(8) as i128) * PRICE / 2;
                let slot = self.env.clock().await.slot;
                self.env.ctx.set_account(
                    &self.feeds[market],
                    &AccountSharedData::from(feed_account(FeedResult {
                        value,
                        std_dev: value / 500,
                        num_samples: 5,
                        slot,
                    })),
                );
                info.ok = true;
            }
            74..=76 => {
                info.name = "utility_status";
                let current: Partner = self.env.fetch(self.utility_pda).await;
                let status = if current.status != Status::Active && self.rng.chance(95) {
                    Status::Active
                } else if self.rng.chance(15) {
                    Status::Suspended
                } else {
                    current.status
                };
                let admin = self.admin.insecure_clone();
                let ix = reg::partner_status_set(admin.pubkey(), self.utility_pda, status);
                self.send(&[ix], &[&admin], &mut info).await;
            }
            77..=79 => {
                info.name = "device_status";
                let current: Device = self.env.fetch(self.owners[who].device).await;
                let status = if current.status != Status::Active && self.rng.chance(90) {
                    Status::Active
                } else if self.rng.chance(20) {
                    Status::Suspended
                } else {
                    current.status
                };
                let admin = self.admin.insecure_clone();
                let key = self.owners[who].device_key.pubkey();
                let ix = reg::device_status_set_with(
                    admin.pubkey(),
                    reg::partner_pda(&self.vendor.pubkey()),
                    key,
                    status,
                    Some(reg::member_pda(&self.owners[who].wallet.pubkey())),
                );
                self.send(&[ix], &[&admin], &mut info).await;
            }
            80..=82 => {
                info.name = "route_set";
                let utility = self.utility.insecure_clone();
                let ix = self.route_ix(self.owners[who].device);
                self.send(&[ix], &[&utility], &mut info).await;
            }
            83..=84 => {
                info.name = "mandate_revoke_or_create";
                let device = self.owners[who].device;
                let holder: Device = self.env.fetch(device).await;
                let w = if self.rng.chance(80) {
                    self.wallet_of(who, &holder.owner)
                } else {
                    self.wallet_of(who, &holder.prev_owner)
                };
                let payer = self.env.payer().pubkey();
                let existing =
                    maybe::<Mandate>(&mut self.env, pay::mandate_pda(&w.pubkey(), &device)).await;
                // A mandate of an earlier ownership is stale: its owner revokes it to grant anew.
                let stale = existing
                    .as_ref()
                    .is_some_and(|m| m.epoch != holder.owner_epoch);
                let ix = if existing.is_some() && (stale || self.rng.chance(25)) {
                    pay::mandate_revoke(w.pubkey(), device)
                } else {
                    pay::mandate_create(
                        device,
                        w.pubkey(),
                        self.utility_pda,
                        payer,
                        MandateCreateArgs {
                            max_per_period: 1 + self.rng.below(10 * USDC),
                            period_secs: 3_600 * (1 + self.rng.below(48) as u32),
                            max_total: 1 + self.rng.below(60 * USDC),
                        },
                    )
                };
                self.send(&[ix], &[&w], &mut info).await;
            }
            85..=87 => {
                info.name = "export_fund";
                let utility = self.utility.insecure_clone();
                let ix = pay::tariff_export_fund(
                    self.tariff,
                    self.utility_usde,
                    utility.pubkey(),
                    1 + self.rng.below(2 * USDC),
                );
                self.send(&[ix], &[&utility], &mut info).await;
            }
            88..=89 => {
                info.name = "tariff_update";
                let utility = self.utility.insecure_clone();
                let ahead = if self.rng.chance(20) {
                    -3_600
                } else {
                    self.rng.below(4) as i64 * 3_600
                };
                let latest = self.env.fetch::<Tariff>(self.tariff).await.revision;
                let ix = pay::tariff_update(
                    self.tariff,
                    self.utility_pda,
                    utility.pubkey(),
                    self.env.payer().pubkey(),
                    latest,
                    TariffUpdateArgs {
                        effective_from: self.now + ahead,
                        intervals: intervals(100_000 + self.rng.below(50) * 100_000),
                        export_cap: ExportCap {
                            max_credit: (1 + self.rng.below(3)) * USDC,
                            period_secs: 86_400,
                        },
                    },
                );
                self.send(&[ix], &[&utility], &mut info).await;
            }
            90..=91 => {
                info.name = "surplus_sweep";
                let admin = self.admin.insecure_clone();
                let ix =
                    pay::usde_surplus_sweep(admin.pubkey(), self.usdc, self.outsider.usdc, TOKEN);
                self.send(&[ix], &[&admin], &mut info).await;
            }
            92..=93 => {
                info.name = "export_claim";
                let o = &self.owners[who];
                let usde = if self.rng.chance(50) {
                    o.usde
                } else {
                    o.alt_usde
                };
                let ix = pay::meter_export_claim(o.device, self.tariff, usde);
                self.send(&[ix], &[], &mut info).await;
            }
            94 => {
                // The device is sold to its other wallet, which claims it.
                info.name = "device_sale";
                let o = &self.owners[who];
                let key = o.device_key.pubkey();
                let device: Device = self.env.fetch(o.device).await;
                let seller = self.wallet_of(who, &device.owner);
                let buyer = if device.owner == o.wallet.pubkey() {
                    o.alt.insecure_clone()
                } else {
                    o.wallet.insecure_clone()
                };
                let member = (device.member != Pubkey::default()).then_some(device.member);
                let ixs = [
                    reg::device_owner_transfer(key, seller.pubkey(), buyer.pubkey()),
                    reg::device_claim(key, buyer.pubkey(), member),
                ];
                self.send(&ixs, &[&seller, &buyer], &mut info).await;
            }
            96 => {
                // A device-signed export against the second utility's tariff, which the device
                // has no relationship with: must never settle.
                info.name = "settle_foreign";
                let o = &self.owners[who];
                let device: Device = self.env.fetch(o.device).await;
                let start =
                    self.now - i64::from(INTERVAL) - self.now.rem_euclid(i64::from(INTERVAL));
                let meter: Meter = self.env.fetch(pay::meter_pda(&o.device)).await;
                let args = MeterSettleArgs {
                    revision: 1,
                    seq: meter.last_seq + 1,
                    interval_start: start,
                    import_wh: 0,
                    export_wh: energy_cap_wh(EXPORT_W, INTERVAL),
                };
                let message =
                    pay::reading_message_for(&o.device_key.pubkey(), &self.foreign_tariff, &args);
                let mut accounts = self.settle_accounts(who, &device.owner);
                accounts.tariff = self.foreign_tariff;
                accounts.utility = self.foreign_utility;
                let program = if self.rng.chance(50) {
                    self.program
                } else {
                    rt::program_pda(&self.foreign_utility, 1)
                };
                accounts.program = program;
                let ixs = [
                    pay::ed25519_verify(&o.device_key, &message),
                    pay::meter_settle(&accounts, args),
                ];
                self.send(&ixs, &[], &mut info).await;
                if self.rng.chance(50) {
                    let payer = self.env.payer().pubkey();
                    let device = self.owners[who].device;
                    let bind = pay::tariff_bind(
                        self.foreign_tariff,
                        self.utility.pubkey(),
                        device,
                        program,
                        payer,
                    );
                    let utility = self.utility.insecure_clone();
                    self.send(&[bind], &[&utility], &mut info).await;
                }
            }
            97 if who == 3 && self.rng.chance(20) => {
                // The utility ends device 3's enrollment (terminal): it must never settle again.
                info.name = "enrollment_revoke";
                let utility = self.utility.insecure_clone();
                let ix = rt::enrollment_revoke(
                    self.program,
                    self.utility_pda,
                    self.owners[who].device,
                    utility.pubkey(),
                );
                self.send(&[ix], &[&utility], &mut info).await;
            }
            _ => {
                info.name = "advance_clock";
                self.now += 1_800 * (1 + self.rng.below(6) as i64);
                let now = self.now;
                self.env.set_unix_timestamp(now).await;
                info.ok = true;
            }
        }
        info
    }

    /// The revision of `tariff` in force for an interval starting at `start` (what an honest
    /// device signs).
    async fn revision_at(&mut self, tariff: &Tariff, start: i64) -> u32 {
        let mut r = tariff.revision;
        while r > 1 {
            let rev: TariffRevision = self
                .env
                .fetch(pay::tariff_revision_pda(&self.tariff, r))
                .await;
            if start >= rev.effective_from {
                break;
            }
            r -= 1;
        }
        r
    }

    /// A device-signed reading, honest or adversarial, relayed by the fee payer.
    async fn op_settle(&mut self, who: usize, info: &mut StepInfo) {
        info.name = "settle";
        info.settled_device = Some(who);
        let tariff: Tariff = self.env.fetch(self.tariff).await;
        let meter: Meter = self
            .env
            .fetch(pay::meter_pda(&self.owners[who].device))
            .await;
        let device: Device = self.env.fetch(self.owners[who].device).await;
        let step = i64::from(INTERVAL);
        let align = |t: i64| t + (step - t.rem_euclid(step)) % step;
        // The meter's cursors as settlement will see them (a claim since the last settlement
        // turns the cursor so far into the previous owner's backlog).
        let mut cursors = meter.clone();
        cursors.follow(&device);
        let (b, fresh) = (cursors.backlog, cursors.fresh);
        let epoch_start = device.owner_since;
        let backlog_start = b.next_interval_start.max(align(b.from)).max(MIDNIGHT);
        let backlog_open = b.last_seq.saturating_add(1) < b.end_seq
            && if fresh {
                b.owner != Pubkey::default() && backlog_start < epoch_start
            } else {
                backlog_start + step <= b.end_interval_start
            };
        let (mut start, mut seq) = if backlog_open && self.rng.chance(40) {
            info.name = "settle_backlog";
            (backlog_start, b.last_seq + 1)
        } else if fresh {
            let start = meter
                .next_interval_start
                .max(b.next_interval_start)
                .max(align(epoch_start))
                .max(MIDNIGHT);
            (
                start,
                meter.last_seq.max(b.last_seq) + 1 + self.rng.below(2),
            )
        } else {
            let start = meter
                .next_interval_start
                .max(align(epoch_start))
                .max(MIDNIGHT);
            (start, meter.last_seq + 1)
        };
        if info.name == "settle" && self.rng.chance(25) {
            start += step * self.rng.below(3) as i64; // the device was offline for a while
        }
        // Who the reading bills and pays: the owner when its interval began.
        let billed = if start < epoch_start {
            device.prev_owner
        } else {
            device.owner
        };
        // The reading is for a finished interval: time passes until it is.
        if start + step > self.now {
            self.now = start + step + self.rng.below(2) as i64 * step;
            let now = self.now;
            self.env.set_unix_timestamp(now).await;
        }
        let cap_in = energy_cap_wh(IMPORT_W, INTERVAL);
        let cap_out = energy_cap_wh(EXPORT_W, INTERVAL);
        // Mostly modest consumption (mandates would run dry at full power), sometimes full.
        let mut import_wh = if self.rng.chance(20) {
            self.rng.below(cap_in + 1)
        } else {
            self.rng.below(cap_in / 8 + 1)
        };
        let mut export_wh = self.rng.below(cap_out + 1);
        let mut revision = self.revision_at(&tariff, start).await;
        let mut signer = self.owners[who].device_key.insecure_clone();
        let mut tamper = false;
        if info.name == "settle" && self.rng.chance(35) {
            info.name = "settle_adversarial";
            match self.rng.below(8) {
                0 => seq += 1 + self.rng.below(3),
                1 => seq = meter.last_seq,
                2 => start = meter.last_interval_start,
                3 => start += 60,
                4 => import_wh = cap_in + 1 + self.rng.below(u64::MAX / 2),
                5 => export_wh = cap_out + 1 + self.rng.below(u64::MAX / 2),
                6 => signer = Keypair::new(),
                _ => {
                    revision = revision.wrapping_add(1);
                    tamper = self.rng.chance(50);
                }
            }
        }
        let args = MeterSettleArgs {
            revision,
            seq,
            interval_start: start,
            import_wh,
            export_wh,
        };
        let reading = Reading {
            revision: if tamper {
                revision.wrapping_sub(1)
            } else {
                revision
            },
            seq,
            interval_start: start,
            import_wh,
            export_wh,
        };
        let message = reading_message(
            &self.owners[who].device_key.pubkey(),
            &self.tariff,
            &reading,
        );
        if info.name == "settle" && self.rng.chance(25) {
            // An honest batch: this reading and up to three that follow it, one transaction.
            info.name = "settle_batch";
            let mut readings = vec![args];
            for _ in 0..1 + self.rng.below(3) {
                let prev = readings.last().expect("one reading").clone();
                let start = prev.interval_start + step;
                let revision = self.revision_at(&tariff, start).await;
                readings.push(MeterSettleArgs {
                    revision,
                    seq: prev.seq + 1,
                    interval_start: start,
                    import_wh: self.rng.below(cap_in / 8 + 1),
                    export_wh: self.rng.below(cap_out + 1),
                });
            }
            let end = readings.last().expect("readings").interval_start + step;
            if end > self.now {
                self.now = end;
                let now = self.now;
                self.env.set_unix_timestamp(now).await;
            }
            let key = self.owners[who].device_key.insecure_clone();
            let messages: Vec<Vec<u8>> = readings
                .iter()
                .map(|r| pay::reading_message_for(&key.pubkey(), &self.tariff, r))
                .collect();
            let ixs = [
                pay::ed25519_verify_many(&key, &messages),
                pay::meter_settle_batch(&self.settle_accounts(who, &billed), readings),
            ];
            self.send(&ixs, &[], info).await;
            return;
        }
        let ixs = [
            pay::ed25519_verify(&signer, &message),
            pay::meter_settle(&self.settle_accounts(who, &billed), args),
        ];
        self.send(&ixs, &[], info).await;
    }

    async fn op_units(&mut self, who: usize, amount: u64, info: &mut StepInfo) {
        let market = self.rng.below(2) as usize;
        let kind = KINDS[market];
        let outsider = self.rng.chance(15);
        let actor = if outsider {
            &self.outsider
        } else {
            &self.owners[who]
        };
        let (w, usde, units) = (
            actor.wallet.insecure_clone(),
            actor.usde,
            actor.units[market],
        );
        if self.rng.chance(55) {
            info.name = if outsider { "buy_outsider" } else { "buy" };
            let ix = pay::unit_buy(
                kind,
                self.feeds[market],
                w.pubkey(),
                usde,
                units,
                w.pubkey(),
                amount % (5 * USDC) + 1,
                0,
            );
            self.send(&[ix], &[&w], info).await;
        } else {
            info.name = if outsider { "sell_outsider" } else { "sell" };
            let held = token_amount(&mut self.env, units).await.map_or(0, |b| b.1);
            let sell = if held == 0 || self.rng.chance(10) {
                amount
            } else {
                1 + self.rng.below(held)
            };
            let ix = pay::unit_sell(kind, self.feeds[market], w.pubkey(), units, usde, sell, 0);
            self.send(&[ix], &[&w], info).await;
        }
    }

    /// Checks every invariant across one step.
    async fn check(
        &mut self,
        before: &Snapshot,
        after: &Snapshot,
        info: &StepInfo,
    ) -> Result<(), String> {
        // 1. Reserve.
        if after.vault < after.supply {
            return Err(format!(
                "vault {} below USDE supply {}",
                after.vault, after.supply
            ));
        }
        // 2. Per-market backing.
        let treasury_delta = i128::from(after.treasury) - i128::from(before.treasury);
        for m in 0..2 {
            let d = i128::from(after.backing[m]) - i128::from(before.backing[m]);
            if d > 0 {
                self.collected[m] += d as u128;
            } else {
                self.redeemed[m] += (-d) as u128;
            }
            if self.redeemed[m] > self.collected[m] {
                return Err(format!(
                    "market {m} redeemed {} > collected {}",
                    self.redeemed[m], self.collected[m]
                ));
            }
            if u128::from(after.backing[m]) != self.collected[m] - self.redeemed[m] {
                return Err(format!("market {m} backing out of step with its ledger"));
            }
        }
        let backing_delta: i128 = (0..2)
            .map(|m| i128::from(after.backing[m]) - i128::from(before.backing[m]))
            .sum();
        if backing_delta != treasury_delta {
            return Err(format!(
                "treasury moved {treasury_delta} while market backing moved {backing_delta}"
            ));
        }
        if after.backing.iter().sum::<u64>() > after.treasury {
            return Err("markets' backing exceeds the treasury".into());
        }
        // 3. No balance falls without its owner's signature, except a settlement charging the
        //    owner within a live mandate that records exactly that charge.
        for (account, (owner, amount)) in &after.balances {
            let Some((_, was)) = before.balances.get(account) else {
                continue;
            };
            if info.signers.contains(owner) {
                continue;
            }
            if let Some(i) = info.settled_device.filter(|i| {
                let o = &self.owners[*i];
                o.usde == *account || o.alt_usde == *account
            }) {
                let o = &self.owners[i];
                let wallet = if o.alt_usde == *account {
                    o.alt.pubkey()
                } else {
                    o.wallet.pubkey()
                };
                let key = (i, wallet);
                let charged = match (&before.mandates[&key], &after.mandates[&key]) {
                    (Some(m0), Some(m1)) => m1.spent_total - m0.spent_total,
                    _ => 0,
                };
                let paid: u64 = step_events(&info.logs)
                    .iter()
                    .filter(|e| e.device == o.device && e.owner == wallet)
                    .map(|e| e.export_paid)
                    .sum();
                if i128::from(*amount) != i128::from(*was) - i128::from(charged) + i128::from(paid)
                {
                    return Err(format!(
                        "device {i}'s owner {wallet} went {was} -> {amount}, but its mandate recorded {charged} and exports paid it {paid}"
                    ));
                }
                if let Some(m1) = &after.mandates[&key] {
                    if m1.spent_total > m1.max_total || m1.spent_in_period > m1.max_per_period {
                        return Err(format!(
                            "device {i}'s mandate over its caps: {}/{} this period, {}/{} total",
                            m1.spent_in_period, m1.max_per_period, m1.spent_total, m1.max_total
                        ));
                    }
                }
                continue;
            }
            if amount < was {
                return Err(format!(
                    "{account} of {owner} fell by {} in `{}` without the owner's signature",
                    was - amount,
                    info.name
                ));
            }
        }
        // 4. Energy per device per interval: each interval and each sequence settles once,
        //    aligned, finished and within the device's power, and the meter's totals move by
        //    exactly what the step's settlement events report.
        let events = step_events(&info.logs);
        for i in 0..self.owners.len() {
            let (m0, m1) = (&before.meters[&i], &after.meters[&i]);
            let mine: Vec<&ReadingSettled> = events
                .iter()
                .filter(|e| e.device == self.owners[i].device)
                .collect();
            let (mut import, mut export) = (0u64, 0u64);
            let mut last_seq = 0;
            for e in &mine {
                let start = e.interval_start;
                let why = if e.seq <= last_seq {
                    "sequence not increasing within the step"
                } else if start.rem_euclid(i64::from(INTERVAL)) != 0 {
                    "misaligned"
                } else if !self.settled[i].insert(start) {
                    "interval settled twice"
                } else if !self.settled_seqs[i].insert(e.seq) {
                    "sequence settled twice"
                } else {
                    "over the device's power or unfinished"
                };
                if e.seq <= last_seq
                    || start.rem_euclid(i64::from(INTERVAL)) != 0
                    || !self.settled[i].contains(&start)
                    || !self.settled_seqs[i].contains(&e.seq)
                    || why != "over the device's power or unfinished"
                    || e.import_wh > energy_cap_wh(IMPORT_W, INTERVAL)
                    || e.export_wh > energy_cap_wh(EXPORT_W, INTERVAL)
                    || start + i64::from(INTERVAL) > self.now
                {
                    return Err(format!(
                        "device {i}: reading seq {} at {start} ({} Wh in, {} Wh out) breaks the interval rules: {why}",
                        e.seq, e.import_wh, e.export_wh
                    ));
                }
                last_seq = e.seq;
                import += e.import_wh;
                export += e.export_wh;
            }
            if import != m1.total_import_wh - m0.total_import_wh
                || export != m1.total_export_wh - m0.total_export_wh
            {
                return Err(format!(
                    "device {i}: meter totals moved by {} Wh in, {} Wh out but its events account for {import} and {export}",
                    m1.total_import_wh - m0.total_import_wh,
                    m1.total_export_wh - m0.total_export_wh
                ));
            }
        }
        // 6. Only inside an approved relationship: every settled reading is of the utility's
        //    tariff, for a device whose enrollment in the utility's program is approved.
        // 7. Only within ownership: the owner a reading billed or paid owned the device when
        //    the reading's interval began.
        for e in &events {
            let Some(i) = self.owners.iter().position(|o| o.device == e.device) else {
                return Err(format!("a reading of unknown device {} settled", e.device));
            };
            let enrollment: Enrollment = self
                .env
                .fetch(rt::enrollment_pda(&self.program, &e.device))
                .await;
            if e.tariff != self.tariff || enrollment.status != EnrollmentStatus::Approved {
                return Err(format!(
                    "device {i} settled against {} with its enrollment {:?}",
                    e.tariff, enrollment.status
                ));
            }
            let d = &after.devices[&i];
            let owned = if e.owner == d.owner {
                e.interval_start >= d.owner_since
            } else if e.owner == d.prev_owner {
                e.interval_start >= d.prev_owner_since && e.interval_start < d.owner_since
            } else {
                false
            };
            if !owned && (e.amount > 0 || e.export_credit > 0) {
                return Err(format!(
                    "device {i}: reading at {} billed/paid {} (owner {} since {}, previous {} since {})",
                    e.interval_start, e.owner, d.owner, d.owner_since, d.prev_owner, d.prev_owner_since
                ));
            }
        }
        // 5. Routes change only while device, utility and enrollment are live.
        for i in 0..self.owners.len() {
            if before.routes[&i] == after.routes[&i] {
                continue;
            }
            let device: Device = self.env.fetch(self.owners[i].device).await;
            let utility: Partner = self.env.fetch(self.utility_pda).await;
            let enrollment: Enrollment = self
                .env
                .fetch(rt::enrollment_pda(&self.program, &self.owners[i].device))
                .await;
            if device.status != Status::Active
                || utility.status != Status::Active
                || enrollment.status != EnrollmentStatus::Approved
            {
                return Err(format!(
                    "route of device {i} changed while device {:?}, utility {:?}, enrollment {:?}",
                    device.status, utility.status, enrollment.status
                ));
            }
        }
        Ok(())
    }
}

/// The `ReadingSettled` events in a step's logs.
fn step_events(logs: &[String]) -> Vec<ReadingSettled> {
    event_payloads(logs)
        .iter()
        .filter_map(|p| {
            p.strip_prefix(ReadingSettled::DISCRIMINATOR)
                .and_then(|b| ReadingSettled::deserialize(&mut &b[..]).ok())
        })
        .collect()
}

/// Runs `steps` random operations from `seed`; stops at the first broken invariant.
pub async fn run(seed: u64, steps: usize) -> Result<Stats, Violation> {
    let mut world = World::new(seed).await;
    let mut stats = Stats::default();
    let mut before = world.snapshot().await;
    for step in 0..steps {
        let info = world.step().await;
        let entry = stats.ops.entry(info.name).or_default();
        entry.0 += 1;
        entry.1 += u64::from(info.ok);
        let after = world.snapshot().await;
        if let Err(message) = world.check(&before, &after, &info).await {
            return Err(Violation {
                seed,
                step,
                op: info.name,
                message,
            });
        }
        before = after;
        stats.steps = step + 1;
    }
    Ok(stats)
}
