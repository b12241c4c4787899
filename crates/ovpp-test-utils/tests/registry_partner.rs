//! Registry integration tests, partners: onboarding, CA roots, handles, partner status.
mod common;

use common::*;

#[tokio::test]
async fn partner_onboarding_and_ca_management_success() {
    let mut w = World::new().await;
    let vendor: Partner = w.env.fetch(partner_pda(&w.vendor.pubkey())).await;
    assert_eq!(vendor.kind, PartnerKind::Vendor);
    assert_eq!(vendor.status, Status::Active);
    assert_eq!(vendor.authority, w.vendor.pubkey());
    assert_eq!(vendor.name, "Acme Batteries");
    assert_eq!(vendor.ca_fingerprints, vec![CA]);

    let vendor_key = w.vendor.insecure_clone();
    let admin = w.admin.insecure_clone();
    let payer = w.env.payer().pubkey();
    let add = |fp| partner_ca_add(admin.pubkey(), vendor_key.pubkey(), payer, fp);
    let second = [9u8; 32];
    let out = w
        .env
        .send(&[add(second)], &[&admin, &vendor_key])
        .await
        .unwrap();
    let event: PartnerCaAdded = find_event(&out.logs).expect("PartnerCaAdded event in the log");
    assert_eq!(event.fingerprint, second);

    let index: CaIndex = w.env.fetch(ca_index_pda(&second)).await;
    assert_eq!(index.partner, partner_pda(&vendor_key.pubkey()));
    assert_send_err!(
        w.env,
        &[add(second)],
        &[&admin, &vendor_key],
        RegistryError::CaFingerprintExists
    );
    assert_send_err!(
        w.env,
        &[add([0; 32])],
        &[&admin, &vendor_key],
        RegistryError::InvalidFingerprint
    );

    let vendor_pda = partner_pda(&vendor_key.pubkey());
    w.env
        .send(
            &[partner_ca_remove(vendor_key.pubkey(), vendor_pda, second)],
            &[&vendor_key],
        )
        .await
        .unwrap();
    // The index is closed with the root.
    assert!(w.env.account(ca_index_pda(&second)).await.is_none());
    assert_send_err!(
        w.env,
        &[partner_ca_remove(vendor_key.pubkey(), vendor_pda, second)],
        &[&vendor_key],
        AnchorError::AccountNotInitialized
    );
    let vendor: Partner = w.env.fetch(partner_pda(&w.vendor.pubkey())).await;
    assert_eq!(vendor.ca_fingerprints, vec![CA]);
}

#[tokio::test]
async fn partner_register_requires_protocol_authority_and_partner_signature_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let impostor = Keypair::new();
    let newcomer = Keypair::new();

    // Wrong protocol authority.
    let ix = partner_register(
        impostor.pubkey(),
        newcomer.pubkey(),
        payer,
        PartnerKind::Vendor,
        "X",
        "x",
    );
    assert_send_err!(
        w.env,
        &[ix],
        &[&impostor, &newcomer],
        RegistryError::Unauthorized
    );

    // The partner key is listed but does not sign.
    let admin = w.admin.insecure_clone();
    let mut ix = partner_register(
        admin.pubkey(),
        newcomer.pubkey(),
        payer,
        PartnerKind::Vendor,
        "X",
        "x",
    );
    ix.accounts[2].is_signer = false;
    assert_send_err!(w.env, &[ix], &[&admin], AnchorError::AccountNotSigner);

    // Bad names and handles are typed errors.
    let long = "n".repeat(65);
    for (name, handle, expected) in [
        ("", "ok", RegistryError::InvalidPartnerName),
        (long.as_str(), "ok", RegistryError::InvalidPartnerName),
        ("ok", "", RegistryError::InvalidHandle),
        ("ok", "Upper", RegistryError::InvalidHandle),
        ("ok", "two.labels", RegistryError::InvalidHandle),
        ("ok", "-dash", RegistryError::InvalidHandle),
    ] {
        let ix = partner_register(
            admin.pubkey(),
            newcomer.pubkey(),
            payer,
            PartnerKind::Vendor,
            name,
            handle,
        );
        assert_send_err!(
            w.env,
            &[ix],
            &[&admin, &newcomer],
            expected,
            "{name} {handle}"
        );
    }
    assert!(w
        .env
        .account(partner_pda(&newcomer.pubkey()))
        .await
        .is_none());

    // Duplicate registration of the same partner key.
    let ix = partner_register(
        admin.pubkey(),
        w.vendor.pubkey(),
        payer,
        PartnerKind::Vendor,
        "again",
        "again",
    );
    let vendor = w.vendor.insecure_clone();
    let r = w.env.send(&[ix], &[&admin, &vendor]).await;
    assert!(is_duplicate_init(&r), "{r:?}");
    // A handle already taken (another partner's).
    let ix = partner_register(
        admin.pubkey(),
        newcomer.pubkey(),
        payer,
        PartnerKind::Vendor,
        "Gridco clone",
        "gridco",
    );
    let r = w.env.send(&[ix], &[&admin, &newcomer]).await;
    assert!(is_duplicate_init(&r), "{r:?}");
}

/// Finding 8: a CA root belongs to one partner (protocol co-signed), and LFDIs are claimed
/// only under roots the claiming vendor owns.
#[tokio::test]
async fn f8_ca_roots_cannot_be_squatted_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let admin = w.admin.insecure_clone();
    let rogue = Keypair::new();
    w.env
        .send(
            &partner_onboard(
                admin.pubkey(),
                rogue.pubkey(),
                payer,
                PartnerKind::Vendor,
                "Rogue",
                "rogue",
                &[],
            ),
            &[&admin, &rogue],
        )
        .await
        .unwrap();
    // The rogue vendor adds Acme's root: refused even with the protocol's signature.
    assert_send_err!(
        w.env,
        &[partner_ca_add(admin.pubkey(), rogue.pubkey(), payer, CA)],
        &[&admin, &rogue],
        RegistryError::CaFingerprintTaken
    );
    // A root needs the protocol's approval: the partner alone cannot add one.
    assert_send_err!(
        w.env,
        &[partner_ca_add(
            rogue.pubkey(),
            rogue.pubkey(),
            payer,
            [0x42; 32],
        )],
        &[&rogue],
        RegistryError::Unauthorized
    );
    // Claiming an LFDI under Acme's root (pre-registering an Acme device's certificate).
    let dk = Keypair::new();
    assert_send_err!(
        w.env,
        &[device_register(
            rogue.pubkey(),
            dk.pubkey(),
            payer,
            device_args(Keypair::new().pubkey(), fingerprint(60)),
        )],
        &[&rogue, &dk],
        RegistryError::UnknownIssuerCa
    );
    assert!(w.env.account(cert_pda(&fingerprint(60))).await.is_none());
    // Acme itself still can.
    w.register_unclaimed(Keypair::new().pubkey(), fingerprint(60))
        .await;
    // Once Acme gives the root up (protocol removes it), it may be re-assigned.
    let acme = partner_pda(&w.vendor.pubkey());
    w.env
        .send(&[partner_ca_remove(admin.pubkey(), acme, CA)], &[&admin])
        .await
        .unwrap();
    w.env
        .send(
            &[partner_ca_add(admin.pubkey(), rogue.pubkey(), payer, CA)],
            &[&admin, &rogue],
        )
        .await
        .unwrap();
    let index: CaIndex = w.env.fetch(ca_index_pda(&CA)).await;
    assert_eq!(index.partner, partner_pda(&rogue.pubkey()));
}

#[tokio::test]
async fn f9_suspended_partners_cannot_add_roots_or_be_attested_failure() {
    use ovpp_registry::instructions::AttestationIssueArgs;
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let (admin, vendor) = (w.admin.insecure_clone(), w.vendor.insecure_clone());
    w.partner_status(vendor.pubkey(), Status::Suspended).await;
    assert_send_err!(
        w.env,
        &[partner_ca_add(
            admin.pubkey(),
            vendor.pubkey(),
            payer,
            [0x43; 32],
        )],
        &[&admin, &vendor],
        RegistryError::PartnerNotActive
    );
    assert_send_err!(
        w.env,
        &[attestation_issue(
            admin.pubkey(),
            partner_pda(&vendor.pubkey()),
            payer,
            AttestationIssueArgs {
                kind: AttestationKind::SecurityProfile3,
                evidence_hash: [1; 32],
                expires_at: CERT_VALID_UNTIL,
            },
        )],
        &[&admin],
        RegistryError::PartnerNotActive
    );
}

/// Finding 19: partner handles are reserved at onboarding, with their namespace.
#[tokio::test]
async fn f19_partner_handles_and_namespaces_are_reserved_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let owner = Keypair::new();
    let dk = w.register_device(&owner, fingerprint(90)).await;
    let device = device_pda(&dk.pubkey());
    let gridco = partner_pda(&w.utility.pubkey());
    let record: NameRecord = w.env.fetch(name_pda("gridco")).await;
    assert_eq!(
        (record.target, record.target_kind),
        (gridco, NameTargetKind::Partner)
    );
    // The brand itself is taken.
    let r = w
        .env
        .send(
            &[name_register(device, owner.pubkey(), payer, "gridco")],
            &[&owner],
        )
        .await;
    assert!(is_duplicate_init(&r), "{r:?}");
    // Names under another partner's handle are refused.
    for name in ["meter.gridco", "a.b.gridco"] {
        assert_send_err!(
            w.env,
            &[name_register(device, owner.pubkey(), payer, name)],
            &[&owner],
            RegistryError::NameReserved,
            "{name}"
        );
    }
    // The parent record must be passed at its address.
    let mut ix = name_register(device, owner.pubkey(), payer, "meter.gridco");
    ix.accounts[6].pubkey = name_pda("other");
    assert_send_err!(w.env, &[ix], &[&owner], RegistryError::ParentNameMismatch);
    // Handles cannot be released.
    let utility = w.utility.insecure_clone();
    assert_send_err!(
        w.env,
        &[name_release("gridco", gridco, utility.pubkey())],
        &[&utility],
        RegistryError::NameReserved
    );
    // The device's own vendor's namespace is open to its devices.
    w.env
        .send(
            &[name_register(device, owner.pubkey(), payer, "meter.acme")],
            &[&owner],
        )
        .await
        .unwrap();
}

/// Round 3, finding 2: onboarding reserves the handle's skeleton; a partner whose handle looks
/// like an onboarded one (`gr1dco` for `gridco`) is refused, and look-alike names
/// (`rnetering` for `metering`) belong to the handle's partner alone.
#[tokio::test]
async fn r3_look_alike_handles_are_refused_and_reserved_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let admin = w.admin.insecure_clone();
    let gridco = partner_pda(&w.utility.pubkey());
    let record: SkeletonRecord = w.env.fetch(skeleton_record_pda("gridco")).await;
    assert_eq!(
        (record.partner, record.authority, record.handle.as_str()),
        (gridco, w.utility.pubkey(), "gridco")
    );
    assert_eq!(skeleton_record_pda("gr1dco"), skeleton_record_pda("gridco"));

    // Another partner cannot onboard under a look-alike handle.
    let newcomer = Keypair::new();
    for handle in ["gr1dco", "grldc0", "gr-idco"] {
        let ix = partner_register(
            admin.pubkey(),
            newcomer.pubkey(),
            payer,
            PartnerKind::Utility,
            "Gridco look-alike",
            handle,
        );
        assert_send_err!(
            w.env,
            &[ix],
            &[&admin, &newcomer],
            RegistryError::HandleConfusable,
            "{handle}"
        );
    }
    assert!(w
        .env
        .account(partner_pda(&newcomer.pubkey()))
        .await
        .is_none());
    // The skeleton account must be at the handle's skeleton PDA.
    let mut ix = partner_register(
        admin.pubkey(),
        newcomer.pubkey(),
        payer,
        PartnerKind::Utility,
        "Metering",
        "metering",
    );
    ix.accounts[8].pubkey = skeleton_record_pda("other");
    assert_send_err!(
        w.env,
        &[ix],
        &[&admin, &newcomer],
        RegistryError::SkeletonAccountMismatch
    );

    // Lamports sent to the skeleton address first do not block onboarding.
    w.env
        .airdrop(skeleton_record_pda("metering"), 1_000_000)
        .await;
    let out = w
        .env
        .send(
            &[partner_register(
                admin.pubkey(),
                newcomer.pubkey(),
                payer,
                PartnerKind::Utility,
                "Metering",
                "metering",
            )],
            &[&admin, &newcomer],
        )
        .await
        .unwrap();
    let ev: HandleSkeletonReserved = find_event(&out.logs).expect("HandleSkeletonReserved");
    assert_eq!(
        (ev.skeleton_record, ev.partner, ev.handle.as_str()),
        (
            skeleton_record_pda("metering"),
            partner_pda(&newcomer.pubkey()),
            "metering"
        )
    );

    // `rnetering` looks like `metering`: refused to a stranger's device...
    let owner = Keypair::new();
    let dk = w.register_device(&owner, fingerprint(91)).await;
    let device = device_pda(&dk.pubkey());
    for name in ["rnetering", "rneter1ng", "meter.ing", "x.rnetering"] {
        assert_send_err!(
            w.env,
            &[name_register(device, owner.pubkey(), payer, name)],
            &[&owner],
            RegistryError::NameConfusableWithHandle,
            "{name}"
        );
    }
    // ...open to the partner's own authority...
    let own = w.register_device(&newcomer, fingerprint(92)).await;
    w.env
        .send(
            &[name_register(
                device_pda(&own.pubkey()),
                newcomer.pubkey(),
                payer,
                "rnetering",
            )],
            &[&newcomer],
        )
        .await
        .unwrap();
    // ...and an unrelated name still works.
    w.env
        .send(
            &[name_register(device, owner.pubkey(), payer, "meter-91")],
            &[&owner],
        )
        .await
        .unwrap();
}
