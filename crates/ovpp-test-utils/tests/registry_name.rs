//! Registry integration tests, names: forward and reverse records, release.
mod common;

use common::*;

#[tokio::test]
async fn names_forward_reverse_and_release_success() {
    let mut w = World::new().await;
    let owner = Keypair::new();
    w.env.airdrop(owner.pubkey(), 1_000_000_000).await;
    let dk = w.register_device(&owner, fingerprint(30)).await;
    let device = device_pda(&dk.pubkey());
    let payer = w.env.payer().pubkey();

    // Validation.
    for bad in ["Upper", "-x", "a..b", "sp ace", ""] {
        assert_send_err!(
            w.env,
            &[name_register(device, owner.pubkey(), payer, bad)],
            &[&owner],
            RegistryError::InvalidName,
            "{bad}"
        );
    }
    assert_send_err!(
        w.env,
        &[name_register_raw(
            device,
            owner.pubkey(),
            payer,
            "home-battery",
            [5; 32],
        )],
        &[&owner],
        RegistryError::NameHashMismatch
    );
    let stranger = Keypair::new();
    assert_send_err!(
        w.env,
        &[name_register(
            device,
            stranger.pubkey(),
            payer,
            "home-battery",
        )],
        &[&stranger],
        RegistryError::Unauthorized
    );

    // Register and resolve both ways.
    let out = w
        .env
        .send(
            &[name_register(device, owner.pubkey(), payer, "home-battery")],
            &[&owner],
        )
        .await
        .unwrap();
    let ev: NameRegistered = find_event(&out.logs).unwrap();
    assert_eq!(ev.target, device);
    let forward: NameRecord = w.env.fetch(name_pda("home-battery")).await;
    assert_eq!(
        (forward.target, forward.target_kind),
        (device, NameTargetKind::Device)
    );
    let reverse: ReverseRecord = w.env.fetch(reverse_pda(&device)).await;
    assert_eq!(reverse.name, "home-battery");
    assert_eq!(reverse.name_record, name_pda("home-battery"));

    // A partner holds its handle from onboarding.
    let vendor = w.vendor.insecure_clone();
    let vendor_pda = partner_pda(&vendor.pubkey());
    let forward: NameRecord = w.env.fetch(name_pda("acme")).await;
    assert_eq!(
        (forward.target_kind, forward.target),
        (NameTargetKind::Partner, vendor_pda)
    );
    let reverse: ReverseRecord = w.env.fetch(reverse_pda(&vendor_pda)).await;
    assert_eq!(reverse.name, "acme");

    // Names are unique, and each target has one name.
    let r = w
        .env
        .send(
            &[name_register(
                vendor_pda,
                vendor.pubkey(),
                payer,
                "home-battery",
            )],
            &[&vendor],
        )
        .await;
    assert!(is_duplicate_init(&r), "{r:?}");
    let r = w
        .env
        .send(
            &[name_register(device, owner.pubkey(), payer, "second-name")],
            &[&owner],
        )
        .await;
    assert!(is_duplicate_init(&r), "{r:?}");

    // Only the authority releases; rent goes back to it.
    assert_send_err!(
        w.env,
        &[name_release("home-battery", device, stranger.pubkey())],
        &[&stranger],
        RegistryError::Unauthorized
    );
    let before = w.env.account(owner.pubkey()).await.unwrap().lamports;
    w.env
        .send(
            &[name_release("home-battery", device, owner.pubkey())],
            &[&owner],
        )
        .await
        .unwrap();
    let after = w.env.account(owner.pubkey()).await.unwrap().lamports;
    assert!(after > before, "rent refunded");
    assert!(w.env.account(name_pda("home-battery")).await.is_none());
    assert!(w.env.account(reverse_pda(&device)).await.is_none());
    // And the name can be claimed again.
    w.env
        .send(
            &[name_register(device, owner.pubkey(), payer, "home-battery")],
            &[&owner],
        )
        .await
        .unwrap();
}

/// Round 3, finding 2: names that look like a partner's handle (the same `skeleton`: `gr1dco`,
/// `grid.co`, `meter.gr1dco` for `gridco`) are reserved to that partner's authority.
#[tokio::test]
async fn r3_look_alikes_of_partner_handles_are_reserved_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let owner = Keypair::new();
    let dk = w.register_device(&owner, fingerprint(31)).await;
    let device = device_pda(&dk.pubkey());
    for name in [
        "gr1dco",
        "grldco",
        "gridc0",
        "gr1dc0",
        "gr-idco",
        "grid.co",
        "grld.co",
        "meter.gr1dco",
        "a.b.gridc0",
        "acrne",
        "meter.acrne",
    ] {
        assert_send_err!(
            w.env,
            &[name_register(device, owner.pubkey(), payer, name)],
            &[&owner],
            RegistryError::NameConfusableWithHandle,
            "{name}"
        );
        assert!(w.env.account(name_pda(name)).await.is_none(), "{name}");
    }
    // The skeleton accounts must be the PDAs of the name's and the label's skeletons.
    let mut ix = name_register(device, owner.pubkey(), payer, "gr1dco");
    ix.accounts[7].pubkey = skeleton_record_pda("unrelated");
    assert_send_err!(
        w.env,
        &[ix],
        &[&owner],
        RegistryError::SkeletonAccountMismatch
    );
    let mut ix = name_register(device, owner.pubkey(), payer, "meter.gr1dco");
    ix.accounts[8].pubkey = skeleton_record_pda("meter");
    assert_send_err!(
        w.env,
        &[ix],
        &[&owner],
        RegistryError::SkeletonAccountMismatch
    );
    let mut ix = name_register(device, owner.pubkey(), payer, "meter.gr1dco");
    ix.accounts[8] = solana_sdk::instruction::AccountMeta::new_readonly(ovpp_registry::ID, false);
    assert_send_err!(
        w.env,
        &[ix],
        &[&owner],
        RegistryError::SkeletonAccountMismatch
    );

    // Gridco's authority may take look-alikes of its own handle (for a device it owns).
    let utility = w.utility.insecure_clone();
    let own = w.register_device(&utility, fingerprint(32)).await;
    let own = device_pda(&own.pubkey());
    w.env
        .send(
            &[name_register(own, utility.pubkey(), payer, "gr1dco")],
            &[&utility],
        )
        .await
        .unwrap();
    let record: NameRecord = w.env.fetch(name_pda("gr1dco")).await;
    assert_eq!(record.target, own);

    // Lamports at a skeleton address are no reservation; unrelated names are free.
    w.env
        .airdrop(skeleton_record_pda("solar-roof"), 1_000_000)
        .await;
    w.env
        .send(
            &[name_register(device, owner.pubkey(), payer, "solar-roof")],
            &[&owner],
        )
        .await
        .unwrap();
    let reverse: ReverseRecord = w.env.fetch(reverse_pda(&device)).await;
    assert_eq!(reverse.name, "solar-roof");
}
