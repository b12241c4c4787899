//! Registry integration tests, devices: registration, lifecycle, ownership and claims, foreign accounts.
mod common;

use common::*;

#[tokio::test]
async fn device_register_indexes_by_key_and_lfdi_success() {
    let mut w = World::new().await;
    let owner = Keypair::new().pubkey();
    let fp = fingerprint(1);
    let device_key = Keypair::new();
    let payer = w.env.payer().pubkey();
    let vendor = w.vendor.insecure_clone();
    let out = w
        .env
        .send(
            &[device_register(
                vendor.pubkey(),
                device_key.pubkey(),
                payer,
                device_args(owner, fp),
            )],
            &[&vendor, &device_key],
        )
        .await
        .unwrap();

    let device: Device = w.env.fetch(device_pda(&device_key.pubkey())).await;
    assert_eq!(device.device_key, device_key.pubkey());
    // Registered without the owner's signature: unclaimed until it claims.
    assert_eq!(device.owner, Pubkey::default());
    assert_eq!(device.pending_owner, owner);
    assert_eq!(device.vendor, partner_pda(&vendor.pubkey()));
    assert_eq!(device.status, Status::Active);
    assert_eq!(device.lfdi, lfdi_from_fingerprint(&fp));
    assert_eq!(device.sfdi, sfdi_from_lfdi(&device.lfdi));
    assert_eq!(device.capabilities, caps());

    let index: CertIndex = w.env.fetch(cert_pda(&fp)).await;
    assert_eq!(index.device, device_pda(&device_key.pubkey()));
    assert_eq!(index.cert_fingerprint, fp);

    let event: DeviceRegistered = find_event(&out.logs).expect("DeviceRegistered event");
    assert_eq!(event.device_key, device_key.pubkey());
    assert_eq!(event.sfdi, device.sfdi);
}

#[tokio::test]
async fn device_register_rejections_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let owner = Keypair::new().pubkey();
    let vendor = w.vendor.insecure_clone();
    let utility = w.utility.insecure_clone();

    // A utility is not a vendor.
    let dk = Keypair::new();
    assert_send_err!(
        w.env,
        &[device_register(
            utility.pubkey(),
            dk.pubkey(),
            payer,
            device_args(owner, fingerprint(2)),
        )],
        &[&utility, &dk],
        RegistryError::PartnerNotVendor
    );

    // Issuer CA not registered by the vendor.
    let mut args = device_args(owner, fingerprint(3));
    args.issuer_ca = [8; 32];
    assert_send_err!(
        w.env,
        &[device_register(vendor.pubkey(), dk.pubkey(), payer, args)],
        &[&vendor, &dk],
        RegistryError::UnknownIssuerCa
    );

    // Expired certificate.
    let mut args = device_args(owner, fingerprint(4));
    args.cert_not_after = 1;
    assert_send_err!(
        w.env,
        &[device_register(vendor.pubkey(), dk.pubkey(), payer, args)],
        &[&vendor, &dk],
        RegistryError::CertificateExpired
    );

    // Undefined capability bits.
    let mut args = device_args(owner, fingerprint(5));
    args.capabilities.protocols = 0b1000;
    assert_send_err!(
        w.env,
        &[device_register(vendor.pubkey(), dk.pubkey(), payer, args)],
        &[&vendor, &dk],
        RegistryError::InvalidCapabilities
    );

    // The device key must sign (proof of possession).
    let mut ix = device_register(
        vendor.pubkey(),
        dk.pubkey(),
        payer,
        device_args(owner, fingerprint(6)),
    );
    ix.accounts[2].is_signer = false;
    assert_send_err!(w.env, &[ix], &[&vendor], AnchorError::AccountNotSigner);

    // Nothing was written by any rejected attempt.
    assert!(w.env.account(device_pda(&dk.pubkey())).await.is_none());
    for seed in 2..=6 {
        assert!(w.env.account(cert_pda(&fingerprint(seed))).await.is_none());
    }

    // Duplicate key, and a second device reusing a registered certificate (LFDI).
    let first = w.register_unclaimed(owner, fingerprint(7)).await;
    let r = w
        .env
        .send(
            &[device_register(
                vendor.pubkey(),
                first.pubkey(),
                payer,
                device_args(owner, fingerprint(8)),
            )],
            &[&vendor, &first],
        )
        .await;
    assert!(is_duplicate_init(&r), "{r:?}");
    let other = Keypair::new();
    let r = w
        .env
        .send(
            &[device_register(
                vendor.pubkey(),
                other.pubkey(),
                payer,
                device_args(owner, fingerprint(7)),
            )],
            &[&vendor, &other],
        )
        .await;
    assert!(is_duplicate_init(&r), "{r:?}");
    assert!(w.env.account(device_pda(&other.pubkey())).await.is_none());

    // A suspended vendor cannot register.
    let admin = w.admin.insecure_clone();
    w.env
        .send(
            &[partner_status_set(
                admin.pubkey(),
                partner_pda(&vendor.pubkey()),
                Status::Suspended,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    assert_send_err!(
        w.env,
        &[device_register(
            vendor.pubkey(),
            dk.pubkey(),
            payer,
            device_args(owner, fingerprint(9)),
        )],
        &[&vendor, &dk],
        RegistryError::PartnerNotActive
    );
}

#[tokio::test]
async fn device_lifecycle_and_revoked_device_use_failure() {
    let mut w = World::new().await;
    let owner = Keypair::new();
    let fp = fingerprint(10);
    let dk = w.register_device(&owner, fp).await;
    let vendor = w.vendor.insecure_clone();
    let vendor_pda = partner_pda(&vendor.pubkey());
    let stranger = Keypair::new();

    // Only the owner transfers.
    let new_owner = Keypair::new();
    assert_send_err!(
        w.env,
        &[device_owner_transfer(
            dk.pubkey(),
            stranger.pubkey(),
            new_owner.pubkey(),
        )],
        &[&stranger],
        RegistryError::Unauthorized
    );
    let out = w
        .env
        .send(
            &[device_owner_transfer(
                dk.pubkey(),
                owner.pubkey(),
                new_owner.pubkey(),
            )],
            &[&owner],
        )
        .await
        .unwrap();
    let ev: DeviceTransferProposed = find_event(&out.logs).unwrap();
    assert_eq!(
        (ev.owner, ev.pending_owner),
        (owner.pubkey(), new_owner.pubkey())
    );
    let out = w
        .env
        .send(
            &[device_claim(dk.pubkey(), new_owner.pubkey(), None)],
            &[&new_owner],
        )
        .await
        .unwrap();
    let ev: DeviceOwnerTransferred = find_event(&out.logs).unwrap();
    assert_eq!(
        (ev.old_owner, ev.new_owner),
        (owner.pubkey(), new_owner.pubkey())
    );

    // Vendor updates capabilities; undefined flags rejected.
    let mut c = caps();
    c.max_export_w = 7_000;
    w.env
        .send(
            &[device_capabilities_update(vendor.pubkey(), dk.pubkey(), c)],
            &[&vendor],
        )
        .await
        .unwrap();
    let device: Device = w.env.fetch(device_pda(&dk.pubkey())).await;
    assert_eq!(device.capabilities.max_export_w, 7_000);
    c.flags = u32::MAX;
    assert_send_err!(
        w.env,
        &[device_capabilities_update(vendor.pubkey(), dk.pubkey(), c)],
        &[&vendor],
        RegistryError::InvalidCapabilities
    );

    // Strangers cannot change status; the vendor can suspend and reinstate.
    assert_send_err!(
        w.env,
        &[device_status_set(
            stranger.pubkey(),
            vendor_pda,
            dk.pubkey(),
            Status::Revoked,
        )],
        &[&stranger],
        RegistryError::Unauthorized
    );
    w.env
        .send(
            &[device_status_set(
                vendor.pubkey(),
                vendor_pda,
                dk.pubkey(),
                Status::Suspended,
            )],
            &[&vendor],
        )
        .await
        .unwrap();
    assert_send_err!(
        w.env,
        &[device_owner_transfer(
            dk.pubkey(),
            new_owner.pubkey(),
            owner.pubkey(),
        )],
        &[&new_owner],
        RegistryError::DeviceNotActive
    );
    w.env
        .send(
            &[device_status_set(
                vendor.pubkey(),
                vendor_pda,
                dk.pubkey(),
                Status::Active,
            )],
            &[&vendor],
        )
        .await
        .unwrap();

    // `Ended` belongs to memberships only: no device (or partner) moves into it.
    let admin = w.admin.insecure_clone();
    for signer in [&vendor, &admin] {
        assert_send_err!(
            w.env,
            &[device_status_set(
                signer.pubkey(),
                vendor_pda,
                dk.pubkey(),
                Status::Ended,
            )],
            &[signer],
            RegistryError::InvalidStatusTransition
        );
    }
    assert_send_err!(
        w.env,
        &[partner_status_set(
            admin.pubkey(),
            vendor_pda,
            Status::Ended,
        )],
        &[&admin],
        RegistryError::InvalidStatusTransition
    );

    // The protocol authority revokes; revocation is terminal and blocks every use.
    let out = w
        .env
        .send(
            &[device_status_set(
                admin.pubkey(),
                vendor_pda,
                dk.pubkey(),
                Status::Revoked,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    let ev: DeviceStatusChanged = find_event(&out.logs).unwrap();
    assert_eq!(ev.new_status, Status::Revoked);
    assert_send_err!(
        w.env,
        &[device_status_set(
            admin.pubkey(),
            vendor_pda,
            dk.pubkey(),
            Status::Active,
        )],
        &[&admin],
        RegistryError::InvalidStatusTransition
    );
    assert_send_err!(
        w.env,
        &[device_owner_transfer(
            dk.pubkey(),
            new_owner.pubkey(),
            owner.pubkey(),
        )],
        &[&new_owner],
        RegistryError::DeviceNotActive
    );
    assert_send_err!(
        w.env,
        &[device_capabilities_update(
            vendor.pubkey(),
            dk.pubkey(),
            caps(),
        )],
        &[&vendor],
        RegistryError::DeviceNotActive
    );
    let payer = w.env.payer().pubkey();
    assert_send_err!(
        w.env,
        &[name_register(
            device_pda(&dk.pubkey()),
            new_owner.pubkey(),
            payer,
            "revoked-1",
        )],
        &[&new_owner],
        RegistryError::DeviceNotActive
    );
    // The revoked certificate cannot come back under a new key.
    let fresh = Keypair::new();
    let r = w
        .env
        .send(
            &[device_register(
                vendor.pubkey(),
                fresh.pubkey(),
                payer,
                device_args(owner.pubkey(), fp),
            )],
            &[&vendor, &fresh],
        )
        .await;
    assert!(is_duplicate_init(&r), "{r:?}");
}

#[tokio::test]
async fn type_cosplay_and_foreign_accounts_are_rejected_failure() {
    let mut w = World::new().await;
    let owner = Keypair::new();
    let dk = w.register_device(&owner, fingerprint(20)).await;
    let vendor = w.vendor.insecure_clone();
    let payer = w.env.payer().pubkey();

    // A Partner account passed where a Device is expected.
    let mut ix = device_owner_transfer(dk.pubkey(), owner.pubkey(), Keypair::new().pubkey());
    ix.accounts[0].pubkey = partner_pda(&vendor.pubkey());
    assert_send_err!(
        w.env,
        &[ix],
        &[&owner],
        AnchorError::AccountDiscriminatorMismatch
    );

    // A Device passed where the vendor Partner is expected.
    let mut ix = device_status_set(
        vendor.pubkey(),
        partner_pda(&vendor.pubkey()),
        dk.pubkey(),
        Status::Suspended,
    );
    ix.accounts[1].pubkey = device_pda(&dk.pubkey());
    assert_send_err!(
        w.env,
        &[ix],
        &[&vendor],
        AnchorError::AccountDiscriminatorMismatch
    );

    // A name target that is a CertIndex (our program, wrong type) or a system account.
    for target in [cert_pda(&fingerprint(20)), owner.pubkey()] {
        assert_send_err!(
            w.env,
            &[name_register(target, owner.pubkey(), payer, "cosplay")],
            &[&owner],
            RegistryError::InvalidNameTarget
        );
    }
    assert!(w.env.account(name_pda("cosplay")).await.is_none());

    // Another vendor's authority cannot act on this vendor's device.
    let admin = w.admin.insecure_clone();
    let other = Keypair::new();
    w.env
        .send(
            &partner_onboard(
                admin.pubkey(),
                other.pubkey(),
                payer,
                PartnerKind::Vendor,
                "Other",
                "other",
                &[[8; 32]],
            ),
            &[&admin, &other],
        )
        .await
        .unwrap();
    assert_send_err!(
        w.env,
        &[device_capabilities_update(
            other.pubkey(),
            dk.pubkey(),
            caps(),
        )],
        &[&other],
        RegistryError::VendorMismatch
    );
    assert_send_err!(
        w.env,
        &[device_status_set(
            other.pubkey(),
            partner_pda(&other.pubkey()),
            dk.pubkey(),
            Status::Revoked,
        )],
        &[&other],
        RegistryError::VendorMismatch
    );
}
