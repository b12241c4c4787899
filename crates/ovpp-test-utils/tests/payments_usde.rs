//! Payments integration tests, USDE: wrap/unwrap against a USDC vault (legacy SPL Token), the
//! pause, donations and direct burns, the pinned USDC and its extensions, with the reserve
//! invariant checked after every step.
mod payments_world;

use payments_world::*;

#[tokio::test]
async fn wrap_and_unwrap_keep_usde_fully_backed_success() {
    let mut w = World::new().await;
    let config: PaymentsConfig = w.env.fetch(config_pda()).await;
    assert_eq!(config.usdc_mint, w.usdc_mint);
    assert_eq!(config.usde_mint, usde_mint_pda());
    let usde = w.env.account(usde_mint_pda()).await.unwrap();
    assert_eq!(usde.owner, TOKEN_2022, "USDE is a Token-2022 mint");
    {
        use spl_token_2022::extension::{BaseStateWithExtensions, StateWithExtensions};
        let mint = StateWithExtensions::<spl_token_2022::state::Mint>::unpack(&usde.data).unwrap();
        assert_eq!(mint.base.decimals, 6);
        let metadata = mint
            .get_variable_len_extension::<anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata>()
            .expect("token metadata in the mint");
        assert_eq!(
            (metadata.name.as_str(), metadata.symbol.as_str()),
            ("OpenVPP Dollar", "USDE")
        );
        assert_eq!(metadata.mint, usde_mint_pda());
    }
    assert_eq!(assert_reserve(&mut w.env).await, 0);

    let out = w.wrap(400 * USDC).await.unwrap();
    let ev: UsdeWrapped = find_event(&out.logs).expect("UsdeWrapped");
    assert_eq!((ev.amount, ev.supply), (400 * USDC, 400 * USDC));
    assert_eq!(amount(&mut w.env, w.user_usde).await, 400 * USDC);
    assert_eq!(amount(&mut w.env, w.user_usdc).await, 600 * USDC);
    assert_eq!(assert_reserve(&mut w.env).await, 400 * USDC);

    w.unwrap(150 * USDC).await.unwrap();
    assert_eq!(amount(&mut w.env, w.user_usde).await, 250 * USDC);
    assert_eq!(amount(&mut w.env, w.user_usdc).await, 750 * USDC);
    assert_eq!(assert_reserve(&mut w.env).await, 250 * USDC);

    // Rejections leave every balance where it was.
    assert_anchor_err!(w.wrap(0).await, PaymentsError::ZeroAmount);
    assert_anchor_err!(w.unwrap(0).await, PaymentsError::ZeroAmount);
    // More USDC than the user holds: SPL Token's InsufficientFunds (1) inside the CPI.
    assert_eq!(anchor_code(w.wrap(10_000 * USDC).await), 1);
    // More USDE than the user holds: Token-2022's InsufficientFunds.
    assert_eq!(anchor_code(w.unwrap(10_000 * USDC).await), 1);
    assert_eq!(amount(&mut w.env, w.user_usde).await, 250 * USDC);
    assert_eq!(assert_reserve(&mut w.env).await, 250 * USDC);
}

#[tokio::test]
async fn wrap_rejects_foreign_accounts_and_pause_failure() {
    let mut w = World::new().await;
    w.wrap(100 * USDC).await.unwrap();
    let user = w.user.insecure_clone();

    // Someone else's USDE account cannot be burned from.
    let thief = Keypair::new();
    let ix = usde_unwrap(
        thief.pubkey(),
        w.usdc_mint,
        w.user_usde,
        w.user_usdc,
        TOKEN,
        USDC,
    );
    assert_send_err!(w.env, &[ix], &[&thief], AnchorError::ConstraintTokenOwner);

    // A look-alike vault (the user's own USDC account) is not the configured vault.
    let mut ix = usde_wrap(
        user.pubkey(),
        w.usdc_mint,
        w.user_usdc,
        w.user_usde,
        TOKEN,
        USDC,
    );
    ix.accounts[6].pubkey = w.user_usdc;
    assert_send_err!(w.env, &[ix], &[&user], PaymentsError::ConfigMismatch);

    // The wrong token program for USDC.
    let ix = usde_wrap(
        user.pubkey(),
        w.usdc_mint,
        w.user_usdc,
        w.user_usde,
        TOKEN_2022,
        USDC,
    );
    let r = w.env.send(&[ix], &[&user]).await;
    assert!(r.is_err());

    // Pause stops wraps, never unwraps.
    let authority = w.authority.insecure_clone();
    assert_send_err!(
        w.env,
        &[payments_pause_set(user.pubkey(), true)],
        &[&user],
        PaymentsError::Unauthorized
    );
    w.env
        .send(
            &[payments_pause_set(authority.pubkey(), true)],
            &[&authority],
        )
        .await
        .unwrap();
    assert_anchor_err!(w.wrap(USDC).await, PaymentsError::Paused);
    w.unwrap(40 * USDC).await.unwrap();
    assert_eq!(assert_reserve(&mut w.env).await, 60 * USDC);
}

#[tokio::test]
async fn unwrap_into_the_vault_itself_is_refused_failure() {
    // Duplicate mutable accounts: paying the unwrapped USDC back into the vault would burn the
    // user's USDE for nothing; the balance-delta check refuses it and nothing changes.
    let mut w = World::new().await;
    w.wrap(10 * USDC).await.unwrap();
    let user = w.user.insecure_clone();
    let ix = usde_unwrap(
        user.pubkey(),
        w.usdc_mint,
        w.user_usde,
        vault_pda(),
        TOKEN,
        USDC,
    );
    assert_anchor_err!(
        w.env.send(&[ix], &[&user]).await,
        PaymentsError::UnexpectedBalanceChange
    );
    assert_eq!(amount(&mut w.env, w.user_usde).await, 10 * USDC);
    assert_eq!(assert_reserve(&mut w.env).await, 10 * USDC);
}

/// Finding 1: one raw unit donated to the vault, or USDE burned outside `usde_unwrap`, must
/// never freeze wraps or unwraps (also while paused); the surplus is swept by the authority.
#[tokio::test]
async fn donations_and_direct_burns_never_freeze_the_reserve_success() {
    let mut w = World::new().await;
    w.wrap(10 * USDC).await.unwrap();
    let user = w.user.insecure_clone();
    // 1 raw USDC straight into the vault; 1 raw USDE burned through Token-2022 directly.
    w.env
        .send(
            &[
                spl_token::instruction::transfer(
                    &TOKEN,
                    &w.user_usdc,
                    &vault_pda(),
                    &user.pubkey(),
                    &[],
                    1,
                )
                .unwrap(),
                spl_token_2022::instruction::burn_checked(
                    &TOKEN_2022,
                    &w.user_usde,
                    &usde_mint_pda(),
                    &user.pubkey(),
                    &[],
                    1,
                    6,
                )
                .unwrap(),
            ],
            &[&user],
        )
        .await
        .unwrap();
    assert_eq!(amount(&mut w.env, vault_pda()).await, 10 * USDC + 1);
    assert_eq!(supply(&mut w.env, usde_mint_pda()).await, 10 * USDC - 1);
    w.wrap(USDC).await.unwrap();
    w.unwrap(2 * USDC).await.unwrap();
    let authority = w.authority.insecure_clone();
    w.env
        .send(
            &[payments_pause_set(authority.pubkey(), true)],
            &[&authority],
        )
        .await
        .unwrap();
    w.unwrap(USDC).await.unwrap();
    // The vault covers the supply with 2 raw units to spare; only the authority sweeps them.
    let vault = amount(&mut w.env, vault_pda()).await;
    let supply_now = supply(&mut w.env, usde_mint_pda()).await;
    assert_eq!(vault - supply_now, 2);
    assert_send_err!(
        w.env,
        &[usde_surplus_sweep(
            user.pubkey(),
            w.usdc_mint,
            w.user_usdc,
            TOKEN,
        )],
        &[&user],
        PaymentsError::Unauthorized
    );
    // Sweeping into the vault itself moves nothing and is refused.
    assert_send_err!(
        w.env,
        &[usde_surplus_sweep(
            authority.pubkey(),
            w.usdc_mint,
            vault_pda(),
            TOKEN,
        )],
        &[&authority],
        PaymentsError::UnexpectedBalanceChange
    );
    let before = amount(&mut w.env, w.user_usdc).await;
    w.env
        .send(
            &[usde_surplus_sweep(
                authority.pubkey(),
                w.usdc_mint,
                w.user_usdc,
                TOKEN,
            )],
            &[&authority],
        )
        .await
        .unwrap();
    assert_eq!(amount(&mut w.env, w.user_usdc).await, before + 2);
    assert_eq!(assert_reserve(&mut w.env).await, supply_now);
    assert_send_err!(
        w.env,
        &[usde_surplus_sweep(
            authority.pubkey(),
            w.usdc_mint,
            w.user_usdc,
            TOKEN,
        )],
        &[&authority],
        PaymentsError::NoSurplus
    );
}

/// Finding 14: a USDC mint whose extensions could move or freeze the vault is refused.
#[tokio::test]
async fn usdc_mints_with_dangerous_extensions_are_refused_failure() {
    use spl_token_2022::extension::ExtensionType;
    let mut env = Env::new().await;
    let payer = env.payer();
    let mint = ovpp_test_utils::keys::usdc_localnet_keypair();
    let len = ExtensionType::try_calculate_account_len::<spl_token_2022::state::Mint>(&[
        ExtensionType::PermanentDelegate,
    ])
    .unwrap();
    let rent = env.ctx.banks_client.get_rent().await.unwrap();
    env.send(
        &[
            solana_system_interface::instruction::create_account(
                &payer.pubkey(),
                &mint.pubkey(),
                rent.minimum_balance(len),
                len as u64,
                &TOKEN_2022,
            ),
            spl_token_2022::instruction::initialize_permanent_delegate(
                &TOKEN_2022,
                &mint.pubkey(),
                &payer.pubkey(),
            )
            .unwrap(),
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
    assert_send_err!(
        env,
        &[payments_init(
            payer.pubkey(),
            Keypair::new().pubkey(),
            mint.pubkey(),
            TOKEN_2022,
        )],
        &[&ovpp_test_utils::keys::localnet_admin()],
        PaymentsError::UnsupportedMintExtension
    );
    assert!(env.account(config_pda()).await.is_none());
}

/// Finding 10: only the deployer initialises payments, and only with the cluster's USDC.
#[tokio::test]
async fn only_the_deployer_initialises_payments_with_the_pinned_usdc_failure() {
    let mut env = Env::new().await;
    let payer = env.payer();
    let usdc = fixtures::usdc_mint(&mut env).await;
    // A front-runner picking itself as authority.
    let attacker = Keypair::new();
    assert_send_err!(
        env,
        &[payments_init_as(
            attacker.pubkey(),
            payer.pubkey(),
            attacker.pubkey(),
            usdc,
            TOKEN,
        )],
        &[&attacker],
        PaymentsError::NotDeployer
    );
    // The deployer with a look-alike "USDC" (6 decimals, any address but the pinned one).
    let fake = Keypair::new();
    let rent = env.ctx.banks_client.get_rent().await.unwrap();
    env.send(
        &[
            solana_system_interface::instruction::create_account(
                &payer.pubkey(),
                &fake.pubkey(),
                rent.minimum_balance(spl_token::state::Mint::LEN),
                spl_token::state::Mint::LEN as u64,
                &TOKEN,
            ),
            spl_token::instruction::initialize_mint2(
                &TOKEN,
                &fake.pubkey(),
                &payer.pubkey(),
                None,
                6,
            )
            .unwrap(),
        ],
        &[&fake],
    )
    .await
    .unwrap();
    let deployer = ovpp_test_utils::keys::localnet_admin();
    assert_send_err!(
        env,
        &[payments_init(
            payer.pubkey(),
            payer.pubkey(),
            fake.pubkey(),
            TOKEN,
        )],
        &[&deployer],
        PaymentsError::UsdcMintNotAllowed
    );
    assert!(env.account(config_pda()).await.is_none());
    env.send(
        &[payments_init(payer.pubkey(), payer.pubkey(), usdc, TOKEN)],
        &[&deployer],
    )
    .await
    .unwrap();
}
