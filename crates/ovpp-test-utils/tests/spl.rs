//! The SPL programs bundled with solana-program-test run as SBF next to the native programs.
use ovpp_test_utils::harness::Env;
use solana_sdk::program_pack::Pack;
use solana_sdk::signature::{Keypair, Signer};
use solana_system_interface::instruction as system_instruction;
use spl_associated_token_account::get_associated_token_address_with_program_id as ata;
use spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use spl_token_2022::instruction as t22;

#[tokio::test]
async fn token_2022_mint_ata_transfer_success() {
    let mut env = Env::new().await;
    let payer = env.payer();
    let mint = Keypair::new();
    let alice = Keypair::new();
    let bob = Keypair::new();
    let id = spl_token_2022::ID;
    let len = spl_token_2022::state::Mint::LEN;
    let rent = env
        .ctx
        .banks_client
        .get_rent()
        .await
        .unwrap()
        .minimum_balance(len);
    env.send(
        &[
            system_instruction::create_account(
                &payer.pubkey(),
                &mint.pubkey(),
                rent,
                len as u64,
                &id,
            ),
            t22::initialize_mint2(&id, &mint.pubkey(), &payer.pubkey(), None, 6).unwrap(),
        ],
        &[&mint],
    )
    .await
    .unwrap();
    let a = ata(&alice.pubkey(), &mint.pubkey(), &id);
    let b = ata(&bob.pubkey(), &mint.pubkey(), &id);
    env.send(
        &[
            create_associated_token_account_idempotent(
                &payer.pubkey(),
                &alice.pubkey(),
                &mint.pubkey(),
                &id,
            ),
            create_associated_token_account_idempotent(
                &payer.pubkey(),
                &bob.pubkey(),
                &mint.pubkey(),
                &id,
            ),
            t22::mint_to_checked(&id, &mint.pubkey(), &a, &payer.pubkey(), &[], 5_000, 6).unwrap(),
        ],
        &[],
    )
    .await
    .unwrap();
    let out = env
        .send(
            &[
                t22::transfer_checked(&id, &a, &mint.pubkey(), &b, &alice.pubkey(), &[], 1_250, 6)
                    .unwrap(),
            ],
            &[&alice],
        )
        .await
        .unwrap();
    assert!(out.compute_units > 1_000, "SBF execution is metered");
    let amount = |data: Vec<u8>| {
        spl_token_2022::state::Account::unpack(&data[..165])
            .unwrap()
            .amount
    };
    assert_eq!(amount(env.account(a).await.unwrap().data), 3_750);
    assert_eq!(amount(env.account(b).await.unwrap().data), 1_250);
    // Allocate after SBF CPI-heavy work: heap must be intact.
    let v: Vec<String> = (0..300_000).map(|i| "x".repeat(i % 50)).collect();
    assert_eq!(v.len(), 300_000);
}
