//! Registry integration tests, config: initialisation and authority handover.
mod common;

use common::*;

#[tokio::test]
async fn config_authority_handover_needs_both_keys_failure() {
    let mut w = World::new().await;
    let admin = w.admin.insecure_clone();
    let next = Keypair::new();
    let mut ix = config_authority_set(admin.pubkey(), next.pubkey());
    ix.accounts[2].is_signer = false;
    assert_send_err!(w.env, &[ix], &[&admin], AnchorError::AccountNotSigner);
    assert_send_err!(
        w.env,
        &[config_authority_set(next.pubkey(), next.pubkey())],
        &[&next],
        RegistryError::Unauthorized
    );
    w.env
        .send(
            &[config_authority_set(admin.pubkey(), next.pubkey())],
            &[&admin, &next],
        )
        .await
        .unwrap();
    let config: Config = w.env.fetch(config_pda()).await;
    assert_eq!(config.authority, next.pubkey());
    // The old authority has lost its powers.
    let payer = w.env.payer().pubkey();
    let p = Keypair::new();
    assert_send_err!(
        w.env,
        &[partner_register(
            admin.pubkey(),
            p.pubkey(),
            payer,
            PartnerKind::Utility,
            "U",
            "u",
        )],
        &[&admin, &p],
        RegistryError::Unauthorized
    );
    // Config cannot be initialised twice.
    let deployer = localnet_admin();
    let r = w
        .env
        .send(&[config_init(payer, p.pubkey())], &[&deployer])
        .await;
    assert!(is_duplicate_init(&r), "{r:?}");
}

/// Finding 10: only the deployer initialises the config (natively hosted: the localnet key).
#[tokio::test]
async fn f10_config_init_is_reserved_to_the_deployer_failure() {
    let mut env = Env::new().await;
    let payer = env.payer().pubkey();
    let squatter = Keypair::new();
    assert_send_err!(
        env,
        &[config_init_as(squatter.pubkey(), payer, squatter.pubkey())],
        &[&squatter],
        RegistryError::NotDeployer
    );
    // Passing another program's account in place of ours.
    let mut ix = config_init(payer, squatter.pubkey());
    ix.accounts[2].pubkey = ovpp_routing::ID;
    assert_send_err!(
        env,
        &[ix],
        &[&localnet_admin()],
        RegistryError::InvalidProgramAccount
    );
    assert!(env.account(config_pda()).await.is_none());
    let admin = Keypair::new();
    env.send(&[config_init(payer, admin.pubkey())], &[&localnet_admin()])
        .await
        .unwrap();
    let config: Config = env.fetch(config_pda()).await;
    assert_eq!(config.authority, admin.pubkey());
}
