//! Transfer hook on unit tokens: only active registry participants (partners or members)
//! may send or receive; direct calls, missing accounts and foreign mints are refused.
use anchor_spl::token::spl_token;
use ovpp_hook::errors::HookError;
use ovpp_host::switchboard::{feed_account, FeedResult};
use ovpp_payments::instructions::UnitMarketCreateArgs;
use ovpp_payments::state::UnitKind;
use ovpp_registry::instructions::DeviceRegisterArgs;
use ovpp_registry::state::{Capabilities, DeviceType, Status};
use ovpp_test_utils::fixtures::{self, Partners};
use ovpp_test_utils::harness::Env;
use ovpp_test_utils::keys;
use ovpp_test_utils::payments::{self as pay, TOKEN, TOKEN_2022};
use ovpp_test_utils::registry as reg;
use ovpp_test_utils::world;
use ovpp_test_utils::{assert_anchor_err, assert_send_err};
use solana_sdk::account::AccountSharedData;
use solana_sdk::instruction::{AccountMeta, Instruction};
use solana_sdk::program_pack::Pack;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_system_interface::instruction as system_instruction;
use spl_associated_token_account::get_associated_token_address_with_program_id as ata;
use spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use spl_discriminator::SplDiscriminate;

const USDC: u64 = 1_000_000;
const CA: [u8; 32] = [7; 32];

struct World {
    env: Env,
    admin: Keypair,
    vendor: Keypair,
    utility: Keypair,
    alice: Keypair,
    alice_device: Keypair,
    bob: Keypair,
    bob_device: Keypair,
}

fn units_of(wallet: &Pubkey) -> Pubkey {
    ata(wallet, &pay::unit_mint_pda(UnitKind::Kwh), &TOKEN_2022)
}

impl World {
    async fn new() -> Self {
        let mut builder = world::World::builder().ca(CA);
        for i in 0..2u8 {
            let args = DeviceRegisterArgs {
                owner: Pubkey::default(), // the world's fresh owner
                device_type: DeviceType::Battery,
                capabilities: Capabilities {
                    flags: 1,
                    protocols: 1,
                    max_import_w: 5_000,
                    max_export_w: 5_000,
                    energy_capacity_wh: 10_000,
                },
                cert_fingerprint: [10 + i; 32],
                issuer_ca: CA,
                cert_not_after: 4_102_444_800,
            };
            builder = builder.with_claimed_device(args);
        }

        // Payments with a kWh market; alice buys units with USDE.
        let base = builder.with_payments().build().await;
        let usdc = base.usdc();
        let world::World {
            mut env,
            admin,
            vendor,
            utility,
            devices,
            ..
        } = base;
        let Ok([alice, bob]) = <[world::ClaimedDevice; 2]>::try_from(devices) else {
            panic!("two devices");
        };
        let (alice, alice_device, bob, bob_device) = (alice.owner, alice.key, bob.owner, bob.key);
        let payer = env.payer();
        let feed = Pubkey::new_unique();
        let slot = env.clock().await.slot;
        let result = FeedResult {
            value: 150_000_000_000_000_000,
            std_dev: 0,
            num_samples: 5,
            slot,
        };
        env.ctx
            .set_account(&feed, &AccountSharedData::from(feed_account(result)));
        let args = UnitMarketCreateArgs {
            kind: UnitKind::Kwh,
            max_staleness_slots: 1_000,
            min_samples: 1,
            max_confidence_bps: 100,
            spread_bps: 0,
        };
        env.send(
            &[pay::unit_market_create(
                admin.pubkey(),
                payer.pubkey(),
                feed,
                args,
            )],
            &[&admin],
        )
        .await
        .unwrap();
        let unit_mint = pay::unit_mint_pda(UnitKind::Kwh);
        for wallet in [alice.pubkey(), bob.pubkey(), utility.pubkey()] {
            env.send(
                &[create_associated_token_account_idempotent(
                    &payer.pubkey(),
                    &wallet,
                    &unit_mint,
                    &TOKEN_2022,
                )],
                &[],
            )
            .await
            .unwrap();
        }
        // Units are minted for participants only: alice joins as a member first.
        env.send(
            &[reg::member_register(
                alice_device.pubkey(),
                alice.pubkey(),
                payer.pubkey(),
            )],
            &[&alice],
        )
        .await
        .unwrap();
        let alice_usde = fixtures::fund_usde(&mut env, usdc, &alice, 15 * USDC).await;
        env.send(
            &[pay::unit_buy(
                UnitKind::Kwh,
                feed,
                alice.pubkey(),
                alice_usde,
                units_of(&alice.pubkey()),
                alice.pubkey(),
                15 * USDC,
                100 * USDC,
            )],
            &[&alice],
        )
        .await
        .unwrap();
        World {
            env,
            admin,
            vendor,
            utility,
            alice,
            alice_device,
            bob,
            bob_device,
        }
    }

    async fn units(&mut self, wallet: &Pubkey) -> u64 {
        let data = self.env.account(units_of(wallet)).await.unwrap().data;
        spl_token::state::Account::unpack(&data[..165])
            .unwrap()
            .amount
    }

    fn transfer(&self, from: &Keypair, to: &Pubkey, amount: u64) -> Instruction {
        pay::unit_transfer(
            UnitKind::Kwh,
            units_of(&from.pubkey()),
            units_of(to),
            from.pubkey(),
            from.pubkey(),
            *to,
            amount,
        )
    }

    async fn join(&mut self, owner: &Keypair, device_key: &Keypair) {
        let payer = self.env.payer().pubkey();
        self.env
            .send(
                &[reg::member_register(
                    device_key.pubkey(),
                    owner.pubkey(),
                    payer,
                )],
                &[owner],
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn units_move_only_between_active_participants_failure() {
    let mut w = World::new().await;
    assert_eq!(w.units(&w.alice.pubkey()).await, 100 * USDC);
    let alice = w.alice.insecure_clone();
    let bob = w.bob.insecure_clone();

    // Alice is a member (she had to be to buy units); bob is not.
    let ix = w.transfer(&alice, &bob.pubkey(), USDC);
    assert_anchor_err!(
        w.env.send(&[ix], &[&alice]).await,
        HookError::RecipientNotParticipant
    );
    let bob_device = w.bob_device.insecure_clone();
    w.join(&bob, &bob_device).await;
    let ix = w.transfer(&alice, &bob.pubkey(), 4 * USDC);
    w.env.send(&[ix], &[&alice]).await.unwrap();
    assert_eq!(w.units(&bob.pubkey()).await, 4 * USDC);
    // Partners are participants too.
    let utility = w.utility.pubkey();
    let ix = w.transfer(&bob, &utility, USDC);
    w.env.send(&[ix], &[&bob]).await.unwrap();
    assert_eq!(w.units(&utility).await, USDC);

    // A suspended member can neither send nor receive.
    let admin = w.admin.insecure_clone();
    w.env
        .send(
            &[reg::member_status_set(
                admin.pubkey(),
                bob.pubkey(),
                reg::device_pda(&w.bob_device.pubkey()),
                Status::Suspended,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    let ix = w.transfer(&alice, &bob.pubkey(), USDC);
    assert_anchor_err!(
        w.env.send(&[ix], &[&alice]).await,
        HookError::RecipientNotParticipant
    );
    let ix = w.transfer(&bob, &alice.pubkey(), USDC);
    assert_anchor_err!(
        w.env.send(&[ix], &[&bob]).await,
        HookError::SenderNotParticipant
    );
    assert_eq!(w.units(&bob.pubkey()).await, 3 * USDC);
}

#[tokio::test]
async fn hook_fails_closed_and_refuses_direct_calls_failure() {
    let mut w = World::new().await;
    let alice = w.alice.insecure_clone();
    let bob = w.bob.insecure_clone();
    let (_ad, bd) = (
        w.alice_device.insecure_clone(),
        w.bob_device.insecure_clone(),
    );
    w.join(&bob, &bd).await;

    // Without the extra accounts Token-2022 cannot run the hook: the transfer fails.
    let mut ix = w.transfer(&alice, &bob.pubkey(), USDC);
    ix.accounts.truncate(4);
    assert!(w.env.send(&[ix], &[&alice]).await.is_err());
    // A look-alike participant account in place of the real PDA.
    let mut ix = w.transfer(&alice, &bob.pubkey(), USDC);
    ix.accounts[7].pubkey = reg::partner_pda(&w.utility.pubkey());
    assert!(w.env.send(&[ix], &[&alice]).await.is_err());

    // Calling Execute directly (not inside a transfer) is refused by the transferring flag.
    let mint = pay::unit_mint_pda(UnitKind::Kwh);
    let transfer = w.transfer(&alice, &bob.pubkey(), USDC);
    let mut data =
        spl_transfer_hook_interface::instruction::ExecuteInstruction::SPL_DISCRIMINATOR_SLICE
            .to_vec();
    data.extend_from_slice(&USDC.to_le_bytes());
    let ro = |k: Pubkey| AccountMeta::new_readonly(k, false);
    let direct = Instruction {
        program_id: ovpp_hook::ID,
        accounts: vec![
            ro(units_of(&alice.pubkey())),
            ro(mint),
            ro(units_of(&bob.pubkey())),
            ro(alice.pubkey()),
            ro(pay::meta_list_pda(&mint)),
            ro(ovpp_registry::ID),
            transfer.accounts[5].clone(),
            transfer.accounts[6].clone(),
            transfer.accounts[7].clone(),
            transfer.accounts[8].clone(),
        ],
        data,
    };
    assert_anchor_err!(w.env.send(&[direct], &[]).await, HookError::NotTransferring);

    // The honest transfer still goes through.
    let ix = w.transfer(&alice, &bob.pubkey(), USDC);
    w.env.send(&[ix], &[&alice]).await.unwrap();
}

#[tokio::test]
async fn foreign_mints_cannot_use_the_hook_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer();
    // A Token-2022 mint whose authority is not the payments configuration.
    let mint = Keypair::new();
    let rent = w.env.ctx.banks_client.get_rent().await.unwrap();
    let len = spl_token_2022::state::Mint::LEN;
    w.env
        .send(
            &[
                system_instruction::create_account(
                    &payer.pubkey(),
                    &mint.pubkey(),
                    rent.minimum_balance(len),
                    len as u64,
                    &TOKEN_2022,
                ),
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
    let init = ovpp_test_utils::harness::anchor_ix(
        ovpp_hook::ID,
        ovpp_hook::accounts::MetaListInit {
            payer: payer.pubkey(),
            mint: mint.pubkey(),
            extra_account_meta_list: pay::meta_list_pda(&mint.pubkey()),
            system_program: anchor_lang::system_program::ID,
        },
        ovpp_hook::instruction::MetaListInit {},
    );
    assert_send_err!(w.env, &[init], &[], HookError::ForeignMint);
}

// ---------------------------------------------------------------------------------------
// Audit regressions (docs/security.md, "Registry, routing and hook findings").
// ---------------------------------------------------------------------------------------

/// Finding 12: lamports sent to the predictable `extra-account-metas` address before the
/// market exists must not block `unit_market_create` (the hook adopts the funded address).
#[tokio::test]
async fn f12_prefunded_meta_list_does_not_block_market_creation_success() {
    let mut env = Env::new().await;
    let payer = env.payer();
    let Partners { admin, .. } = fixtures::onboard(&mut env, CA).await;
    let usdc = fixtures::usdc_mint(&mut env).await;
    env.send(
        &[pay::payments_init(
            payer.pubkey(),
            admin.pubkey(),
            usdc,
            TOKEN,
        )],
        &[&keys::localnet_admin()],
    )
    .await
    .unwrap();
    let meta_list = pay::meta_list_pda(&pay::unit_mint_pda(UnitKind::Kwh));
    // The attack: the rent-exempt minimum of the list (and a smaller gift) sent in advance.
    env.airdrop(meta_list, 890_880).await;
    let feed = Pubkey::new_unique();
    let slot = env.clock().await.slot;
    env.ctx.set_account(
        &feed,
        &AccountSharedData::from(feed_account(FeedResult {
            value: 150_000_000_000_000_000,
            std_dev: 0,
            num_samples: 5,
            slot,
        })),
    );
    env.send(
        &[pay::unit_market_create(
            admin.pubkey(),
            payer.pubkey(),
            feed,
            UnitMarketCreateArgs {
                kind: UnitKind::Kwh,
                max_staleness_slots: 1_000,
                min_samples: 1,
                max_confidence_bps: 100,
                spread_bps: 0,
            },
        )],
        &[&admin],
    )
    .await
    .expect("unit_market_create with a pre-funded meta list");
    let list = env.account(meta_list).await.unwrap();
    assert_eq!(list.owner, ovpp_hook::ID);
}

/// Finding 15 (hook side): the previous owner of a device, and the owner of a suspended or
/// revoked device, are no longer participants.
#[tokio::test]
async fn f15_previous_owners_and_revoked_devices_are_not_participants_failure() {
    let mut w = World::new().await;
    let alice = w.alice.insecure_clone();
    let bob = w.bob.insecure_clone();
    let (ad, bd) = (
        w.alice_device.insecure_clone(),
        w.bob_device.insecure_clone(),
    );
    // Alice joined when she bought units (World::new).
    w.join(&bob, &bd).await;
    let ix = w.transfer(&alice, &bob.pubkey(), USDC);
    w.env.send(&[ix], &[&alice]).await.unwrap();

    // Alice sells her device to a newcomer: once it claims, Alice is no participant.
    let newcomer = Keypair::new();
    w.env
        .send(
            &[reg::device_owner_transfer(
                ad.pubkey(),
                alice.pubkey(),
                newcomer.pubkey(),
            )],
            &[&alice],
        )
        .await
        .unwrap();
    // Still hers until the claim.
    let ix = w.transfer(&alice, &bob.pubkey(), USDC);
    w.env.send(&[ix], &[&alice]).await.unwrap();
    w.env
        .send(
            &[reg::device_claim(
                ad.pubkey(),
                newcomer.pubkey(),
                Some(reg::member_pda(&alice.pubkey())),
            )],
            &[&newcomer],
        )
        .await
        .unwrap();
    let ix = w.transfer(&alice, &bob.pubkey(), USDC);
    assert_anchor_err!(
        w.env.send(&[ix], &[&alice]).await,
        HookError::SenderNotParticipant
    );
    let ix = w.transfer(&bob, &alice.pubkey(), USDC);
    assert_anchor_err!(
        w.env.send(&[ix], &[&bob]).await,
        HookError::RecipientNotParticipant
    );

    // Bob's device is suspended, then revoked: his membership follows.
    let admin = w.admin.insecure_clone();
    let vendor_pda = reg::partner_pda(&w.vendor.pubkey());
    let bob_member = Some(reg::member_pda(&bob.pubkey()));
    for status in [Status::Suspended, Status::Revoked] {
        w.env
            .send(
                &[reg::device_status_set_with(
                    admin.pubkey(),
                    vendor_pda,
                    bd.pubkey(),
                    status,
                    bob_member,
                )],
                &[&admin],
            )
            .await
            .unwrap();
        let ix = w.transfer(&bob, &w.utility.pubkey(), USDC);
        assert_anchor_err!(
            w.env.send(&[ix], &[&bob]).await,
            HookError::SenderNotParticipant,
            "{status:?}"
        );
    }
}
