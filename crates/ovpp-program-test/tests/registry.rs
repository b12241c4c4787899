//! Registry integration tests: the natively compiled program inside solana-program-test.
use anchor_lang::error::ErrorCode as AnchorError;
use ovpp_program_test::assert_anchor_err;
use ovpp_program_test::fixtures::{self, Partners};
use ovpp_program_test::harness::{find_event, Env, TxFailure};
use ovpp_program_test::registry::*;
use ovpp_registry::errors::RegistryError;
use ovpp_registry::events::*;
use ovpp_registry::identity::{lfdi_from_fingerprint, sfdi_from_lfdi};
use ovpp_registry::instructions::DeviceRegisterArgs;
use ovpp_registry::state::*;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

const CA: [u8; 32] = [7; 32];
const CERT_VALID_UNTIL: i64 = 4_102_444_800; // 2100-01-01

/// `already in use` from the system program, i.e. a duplicate `init`.
fn is_duplicate_init(result: &Result<impl std::fmt::Debug, TxFailure>) -> bool {
    matches!(result, Err(TxFailure::Custom { code: 0, .. }))
}

fn fingerprint(seed: u8) -> [u8; 32] {
    let mut fp = [seed; 32];
    fp[0] = 0xAB;
    fp[31] = seed.wrapping_add(1);
    fp
}

fn caps() -> Capabilities {
    Capabilities {
        flags: 0b11,
        protocols: 0b011,
        max_import_w: 11_000,
        max_export_w: 5_000,
        energy_capacity_wh: 13_500,
    }
}

fn device_args(owner: Pubkey, fp: [u8; 32]) -> DeviceRegisterArgs {
    DeviceRegisterArgs {
        owner,
        device_type: DeviceType::Battery,
        capabilities: caps(),
        cert_fingerprint: fp,
        issuer_ca: CA,
        cert_not_after: CERT_VALID_UNTIL,
    }
}

struct World {
    env: Env,
    admin: Keypair,
    vendor: Keypair,
    utility: Keypair,
}

impl World {
    async fn new() -> Self {
        let mut env = Env::new().await;
        let Partners {
            admin,
            vendor,
            utility,
        } = fixtures::onboard(&mut env, CA).await;
        World {
            env,
            admin,
            vendor,
            utility,
        }
    }

    /// Registers a device its owner co-signs (claimed at once).
    async fn register_device(&mut self, owner: &Keypair, fp: [u8; 32]) -> Keypair {
        let device_key = Keypair::new();
        let payer = self.env.payer().pubkey();
        let vendor = self.vendor.insecure_clone();
        self.env
            .send(
                &[device_register_claimed(
                    vendor.pubkey(),
                    device_key.pubkey(),
                    payer,
                    device_args(owner.pubkey(), fp),
                )],
                &[&vendor, &device_key, owner],
            )
            .await
            .unwrap();
        device_key
    }

    /// Registers a device for `owner` without its signature: unclaimed until it claims.
    async fn register_unclaimed(&mut self, owner: Pubkey, fp: [u8; 32]) -> Keypair {
        let device_key = Keypair::new();
        let payer = self.env.payer().pubkey();
        let vendor = self.vendor.insecure_clone();
        self.env
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
        device_key
    }
}

#[tokio::test]
async fn partner_onboarding_and_ca_management_success() {
    let mut w = World::new().await;
    let vendor: Partner = w.env.fetch(partner_pda(&w.vendor.pubkey())).await;
    assert_eq!(vendor.kind, PartnerKind::Vendor);
    assert_eq!(vendor.status, PartnerStatus::Active);
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
    let dup = w.env.send(&[add(second)], &[&admin, &vendor_key]).await;
    assert_anchor_err!(dup, RegistryError::CaFingerprintExists);
    let zero = w.env.send(&[add([0; 32])], &[&admin, &vendor_key]).await;
    assert_anchor_err!(zero, RegistryError::InvalidFingerprint);

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
    let missing = w
        .env
        .send(
            &[partner_ca_remove(vendor_key.pubkey(), vendor_pda, second)],
            &[&vendor_key],
        )
        .await;
    assert_anchor_err!(missing, AnchorError::AccountNotInitialized);
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
    let r = w.env.send(&[ix], &[&impostor, &newcomer]).await;
    assert_anchor_err!(r, RegistryError::Unauthorized);

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
    let r = w.env.send(&[ix], &[&admin]).await;
    assert_anchor_err!(r, AnchorError::AccountNotSigner);

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
        let r = w.env.send(&[ix], &[&admin, &newcomer]).await;
        assert_anchor_err!(r, expected, "{name} {handle}");
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
    assert_eq!(device.status, DeviceStatus::Active);
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
    let r = w
        .env
        .send(
            &[device_register(
                utility.pubkey(),
                dk.pubkey(),
                payer,
                device_args(owner, fingerprint(2)),
            )],
            &[&utility, &dk],
        )
        .await;
    assert_anchor_err!(r, RegistryError::PartnerNotVendor);

    // Issuer CA not registered by the vendor.
    let mut args = device_args(owner, fingerprint(3));
    args.issuer_ca = [8; 32];
    let r = w
        .env
        .send(
            &[device_register(vendor.pubkey(), dk.pubkey(), payer, args)],
            &[&vendor, &dk],
        )
        .await;
    assert_anchor_err!(r, RegistryError::UnknownIssuerCa);

    // Expired certificate.
    let mut args = device_args(owner, fingerprint(4));
    args.cert_not_after = 1;
    let r = w
        .env
        .send(
            &[device_register(vendor.pubkey(), dk.pubkey(), payer, args)],
            &[&vendor, &dk],
        )
        .await;
    assert_anchor_err!(r, RegistryError::CertificateExpired);

    // Undefined capability bits.
    let mut args = device_args(owner, fingerprint(5));
    args.capabilities.protocols = 0b1000;
    let r = w
        .env
        .send(
            &[device_register(vendor.pubkey(), dk.pubkey(), payer, args)],
            &[&vendor, &dk],
        )
        .await;
    assert_anchor_err!(r, RegistryError::InvalidCapabilities);

    // The device key must sign (proof of possession).
    let mut ix = device_register(
        vendor.pubkey(),
        dk.pubkey(),
        payer,
        device_args(owner, fingerprint(6)),
    );
    ix.accounts[2].is_signer = false;
    let r = w.env.send(&[ix], &[&vendor]).await;
    assert_anchor_err!(r, AnchorError::AccountNotSigner);

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
                PartnerStatus::Suspended,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    let r = w
        .env
        .send(
            &[device_register(
                vendor.pubkey(),
                dk.pubkey(),
                payer,
                device_args(owner, fingerprint(9)),
            )],
            &[&vendor, &dk],
        )
        .await;
    assert_anchor_err!(r, RegistryError::PartnerNotActive);
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
    let r = w
        .env
        .send(
            &[device_owner_transfer(
                dk.pubkey(),
                stranger.pubkey(),
                new_owner.pubkey(),
            )],
            &[&stranger],
        )
        .await;
    assert_anchor_err!(r, RegistryError::Unauthorized);
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
    let r = w
        .env
        .send(
            &[device_capabilities_update(vendor.pubkey(), dk.pubkey(), c)],
            &[&vendor],
        )
        .await;
    assert_anchor_err!(r, RegistryError::InvalidCapabilities);

    // Strangers cannot change status; the vendor can suspend and reinstate.
    let r = w
        .env
        .send(
            &[device_status_set(
                stranger.pubkey(),
                vendor_pda,
                dk.pubkey(),
                DeviceStatus::Revoked,
            )],
            &[&stranger],
        )
        .await;
    assert_anchor_err!(r, RegistryError::Unauthorized);
    w.env
        .send(
            &[device_status_set(
                vendor.pubkey(),
                vendor_pda,
                dk.pubkey(),
                DeviceStatus::Suspended,
            )],
            &[&vendor],
        )
        .await
        .unwrap();
    let r = w
        .env
        .send(
            &[device_owner_transfer(
                dk.pubkey(),
                new_owner.pubkey(),
                owner.pubkey(),
            )],
            &[&new_owner],
        )
        .await;
    assert_anchor_err!(r, RegistryError::DeviceNotActive);
    w.env
        .send(
            &[device_status_set(
                vendor.pubkey(),
                vendor_pda,
                dk.pubkey(),
                DeviceStatus::Active,
            )],
            &[&vendor],
        )
        .await
        .unwrap();

    // The protocol authority revokes; revocation is terminal and blocks every use.
    let admin = w.admin.insecure_clone();
    let out = w
        .env
        .send(
            &[device_status_set(
                admin.pubkey(),
                vendor_pda,
                dk.pubkey(),
                DeviceStatus::Revoked,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    let ev: DeviceStatusChanged = find_event(&out.logs).unwrap();
    assert_eq!(ev.new_status, DeviceStatus::Revoked);
    let r = w
        .env
        .send(
            &[device_status_set(
                admin.pubkey(),
                vendor_pda,
                dk.pubkey(),
                DeviceStatus::Active,
            )],
            &[&admin],
        )
        .await;
    assert_anchor_err!(r, RegistryError::InvalidStatusTransition);
    let r = w
        .env
        .send(
            &[device_owner_transfer(
                dk.pubkey(),
                new_owner.pubkey(),
                owner.pubkey(),
            )],
            &[&new_owner],
        )
        .await;
    assert_anchor_err!(r, RegistryError::DeviceNotActive);
    let r = w
        .env
        .send(
            &[device_capabilities_update(
                vendor.pubkey(),
                dk.pubkey(),
                caps(),
            )],
            &[&vendor],
        )
        .await;
    assert_anchor_err!(r, RegistryError::DeviceNotActive);
    let payer = w.env.payer().pubkey();
    let r = w
        .env
        .send(
            &[name_register(
                device_pda(&dk.pubkey()),
                new_owner.pubkey(),
                payer,
                "revoked-1",
            )],
            &[&new_owner],
        )
        .await;
    assert_anchor_err!(r, RegistryError::DeviceNotActive);
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
    let r = w.env.send(&[ix], &[&owner]).await;
    assert_anchor_err!(r, AnchorError::AccountDiscriminatorMismatch);

    // A Device passed where the vendor Partner is expected.
    let mut ix = device_status_set(
        vendor.pubkey(),
        partner_pda(&vendor.pubkey()),
        dk.pubkey(),
        DeviceStatus::Suspended,
    );
    ix.accounts[1].pubkey = device_pda(&dk.pubkey());
    let r = w.env.send(&[ix], &[&vendor]).await;
    assert_anchor_err!(r, AnchorError::AccountDiscriminatorMismatch);

    // A name target that is a CertIndex (our program, wrong type) or a system account.
    for target in [cert_pda(&fingerprint(20)), owner.pubkey()] {
        let r = w
            .env
            .send(
                &[name_register(target, owner.pubkey(), payer, "cosplay")],
                &[&owner],
            )
            .await;
        assert_anchor_err!(r, RegistryError::InvalidNameTarget);
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
    let r = w
        .env
        .send(
            &[device_capabilities_update(
                other.pubkey(),
                dk.pubkey(),
                caps(),
            )],
            &[&other],
        )
        .await;
    assert_anchor_err!(r, RegistryError::VendorMismatch);
    let r = w
        .env
        .send(
            &[device_status_set(
                other.pubkey(),
                partner_pda(&other.pubkey()),
                dk.pubkey(),
                DeviceStatus::Revoked,
            )],
            &[&other],
        )
        .await;
    assert_anchor_err!(r, RegistryError::VendorMismatch);
}

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
        let r = w
            .env
            .send(
                &[name_register(device, owner.pubkey(), payer, bad)],
                &[&owner],
            )
            .await;
        assert_anchor_err!(r, RegistryError::InvalidName, "{bad}");
    }
    let r = w
        .env
        .send(
            &[name_register_raw(
                device,
                owner.pubkey(),
                payer,
                "home-battery",
                [5; 32],
            )],
            &[&owner],
        )
        .await;
    assert_anchor_err!(r, RegistryError::NameHashMismatch);
    let stranger = Keypair::new();
    let r = w
        .env
        .send(
            &[name_register(
                device,
                stranger.pubkey(),
                payer,
                "home-battery",
            )],
            &[&stranger],
        )
        .await;
    assert_anchor_err!(r, RegistryError::Unauthorized);

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
    let r = w
        .env
        .send(
            &[name_release("home-battery", device, stranger.pubkey())],
            &[&stranger],
        )
        .await;
    assert_anchor_err!(r, RegistryError::Unauthorized);
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

#[tokio::test]
async fn config_authority_handover_needs_both_keys_failure() {
    let mut w = World::new().await;
    let admin = w.admin.insecure_clone();
    let next = Keypair::new();
    let mut ix = config_authority_set(admin.pubkey(), next.pubkey());
    ix.accounts[2].is_signer = false;
    let r = w.env.send(&[ix], &[&admin]).await;
    assert_anchor_err!(r, AnchorError::AccountNotSigner);
    let r = w
        .env
        .send(
            &[config_authority_set(next.pubkey(), next.pubkey())],
            &[&next],
        )
        .await;
    assert_anchor_err!(r, RegistryError::Unauthorized);
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
    let r = w
        .env
        .send(
            &[partner_register(
                admin.pubkey(),
                p.pubkey(),
                payer,
                PartnerKind::Utility,
                "U",
                "u",
            )],
            &[&admin, &p],
        )
        .await;
    assert_anchor_err!(r, RegistryError::Unauthorized);
    // Config cannot be initialised twice.
    let deployer = localnet_admin();
    let r = w
        .env
        .send(&[config_init(payer, p.pubkey())], &[&deployer])
        .await;
    assert!(is_duplicate_init(&r), "{r:?}");
}

#[tokio::test]
async fn attestations_are_issued_by_the_protocol_authority_and_expire_success() {
    use ovpp_registry::instructions::AttestationIssueArgs;
    let mut w = World::new().await;
    let owner = Keypair::new();
    let dk = w.register_device(&owner, fingerprint(40)).await;
    let device = device_pda(&dk.pubkey());
    let payer = w.env.payer().pubkey();
    let admin = w.admin.insecure_clone();
    let args = |kind, expires_at| AttestationIssueArgs {
        kind,
        evidence_hash: [9; 32],
        expires_at,
    };

    // Only the protocol authority attests.
    let vendor = w.vendor.insecure_clone();
    let r = w
        .env
        .send(
            &[attestation_issue(
                vendor.pubkey(),
                device,
                payer,
                args(AttestationKind::CertificateChain, CERT_VALID_UNTIL),
            )],
            &[&vendor],
        )
        .await;
    assert_anchor_err!(r, RegistryError::Unauthorized);
    // Subjects are devices or partners, never other accounts; expiry must be in the future.
    let r = w
        .env
        .send(
            &[attestation_issue(
                admin.pubkey(),
                cert_pda(&fingerprint(40)),
                payer,
                args(AttestationKind::CertificateChain, CERT_VALID_UNTIL),
            )],
            &[&admin],
        )
        .await;
    assert_anchor_err!(r, RegistryError::InvalidAttestationSubject);
    let r = w
        .env
        .send(
            &[attestation_issue(
                admin.pubkey(),
                device,
                payer,
                args(AttestationKind::CertificateChain, 1),
            )],
            &[&admin],
        )
        .await;
    assert_anchor_err!(r, RegistryError::InvalidAttestationExpiry);

    let out = w
        .env
        .send(
            &[attestation_issue(
                admin.pubkey(),
                device,
                payer,
                args(AttestationKind::OpenAdr3Conformance, CERT_VALID_UNTIL),
            )],
            &[&admin],
        )
        .await
        .unwrap();
    let ev: AttestationIssued = find_event(&out.logs).unwrap();
    assert_eq!(
        (ev.subject, ev.kind),
        (device, AttestationKind::OpenAdr3Conformance)
    );
    let a: Attestation = w
        .env
        .fetch(attestation_pda(
            &device,
            AttestationKind::OpenAdr3Conformance,
        ))
        .await;
    assert_eq!(
        (a.issuer, a.evidence_hash, a.expires_at),
        (admin.pubkey(), [9; 32], CERT_VALID_UNTIL)
    );
    // A partner can be attested too.
    let vendor_pda = partner_pda(&vendor.pubkey());
    w.env
        .send(
            &[attestation_issue(
                admin.pubkey(),
                vendor_pda,
                payer,
                args(AttestationKind::SecurityProfile3, CERT_VALID_UNTIL),
            )],
            &[&admin],
        )
        .await
        .unwrap();
    // Revoke closes it; it can then be re-issued.
    w.env
        .send(
            &[attestation_revoke(
                admin.pubkey(),
                device,
                AttestationKind::OpenAdr3Conformance,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    assert!(w
        .env
        .account(attestation_pda(
            &device,
            AttestationKind::OpenAdr3Conformance
        ))
        .await
        .is_none());
    w.env
        .send(
            &[attestation_issue(
                admin.pubkey(),
                device,
                payer,
                args(AttestationKind::OpenAdr3Conformance, CERT_VALID_UNTIL),
            )],
            &[&admin],
        )
        .await
        .unwrap();
}

// ---------------------------------------------------------------------------------------
// Audit regressions (docs/security.md, "Registry, routing and hook findings").
// ---------------------------------------------------------------------------------------

impl World {
    async fn status(
        &mut self,
        signer: &Keypair,
        dk: &Keypair,
        status: DeviceStatus,
        member: Option<Pubkey>,
    ) -> Result<ovpp_program_test::harness::TxOutcome, TxFailure> {
        let vendor_pda = partner_pda(&self.vendor.pubkey());
        self.env
            .send(
                &[device_status_set_with(
                    signer.pubkey(),
                    vendor_pda,
                    dk.pubkey(),
                    status,
                    member,
                )],
                &[signer],
            )
            .await
    }

    async fn partner_status(&mut self, partner_authority: Pubkey, status: PartnerStatus) {
        let admin = self.admin.insecure_clone();
        self.env
            .send(
                &[partner_status_set(
                    admin.pubkey(),
                    partner_pda(&partner_authority),
                    status,
                )],
                &[&admin],
            )
            .await
            .unwrap();
    }
}

/// Finding 4: a vendor names an owner at registration, and a transfer names a new owner,
/// but neither owns the device until it signs `device_claim`.
#[tokio::test]
async fn f4_ownership_needs_the_new_owners_signature_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let (victim, stranger) = (Keypair::new(), Keypair::new());
    let dk = w.register_unclaimed(victim.pubkey(), fingerprint(50)).await;
    let device_pda_ = device_pda(&dk.pubkey());
    let d: Device = w.env.fetch(device_pda_).await;
    assert_eq!(
        (d.owner, d.pending_owner),
        (Pubkey::default(), victim.pubkey())
    );

    // Unclaimed = ownerless: nobody can name it or join with it, not even the owner-elect.
    let r = w
        .env
        .send(
            &[name_register(device_pda_, victim.pubkey(), payer, "forced")],
            &[&victim],
        )
        .await;
    assert_anchor_err!(r, RegistryError::DeviceUnclaimed);
    let r = w
        .env
        .send(
            &[member_register(dk.pubkey(), victim.pubkey(), payer)],
            &[&victim],
        )
        .await;
    assert_anchor_err!(r, RegistryError::DeviceUnclaimed);
    let r = w
        .env
        .send(
            &[device_owner_transfer(
                dk.pubkey(),
                victim.pubkey(),
                stranger.pubkey(),
            )],
            &[&victim],
        )
        .await;
    assert_anchor_err!(r, RegistryError::DeviceUnclaimed);
    // Only the pending owner claims.
    let r = w
        .env
        .send(
            &[device_claim(dk.pubkey(), stranger.pubkey(), None)],
            &[&stranger],
        )
        .await;
    assert_anchor_err!(r, RegistryError::NotPendingOwner);
    let out = w
        .env
        .send(
            &[device_claim(dk.pubkey(), victim.pubkey(), None)],
            &[&victim],
        )
        .await
        .unwrap();
    let ev: DeviceOwnerTransferred = find_event(&out.logs).unwrap();
    assert_eq!(
        (ev.old_owner, ev.new_owner),
        (Pubkey::default(), victim.pubkey())
    );

    // A transfer only proposes: the owner does not change until the new owner claims.
    let out = w
        .env
        .send(
            &[device_owner_transfer(
                dk.pubkey(),
                victim.pubkey(),
                stranger.pubkey(),
            )],
            &[&victim],
        )
        .await
        .unwrap();
    assert!(find_event::<DeviceTransferProposed>(&out.logs).is_some());
    let d: Device = w.env.fetch(device_pda_).await;
    assert_eq!(
        (d.owner, d.pending_owner),
        (victim.pubkey(), stranger.pubkey())
    );
    // The owner cancels; the proposal cannot be claimed any more.
    let out = w
        .env
        .send(
            &[device_transfer_cancel(dk.pubkey(), victim.pubkey())],
            &[&victim],
        )
        .await
        .unwrap();
    assert!(find_event::<DeviceTransferCancelled>(&out.logs).is_some());
    let r = w
        .env
        .send(
            &[device_claim(dk.pubkey(), stranger.pubkey(), None)],
            &[&stranger],
        )
        .await;
    assert_anchor_err!(r, RegistryError::NotPendingOwner);
    let r = w
        .env
        .send(
            &[device_transfer_cancel(dk.pubkey(), victim.pubkey())],
            &[&victim],
        )
        .await;
    assert_anchor_err!(r, RegistryError::NotPendingOwner);

    // Co-signed registration claims at once, but only for the named owner.
    let (dk2, other) = (Keypair::new(), Keypair::new());
    let vendor = w.vendor.insecure_clone();
    let mut ix = device_register_claimed(
        vendor.pubkey(),
        dk2.pubkey(),
        payer,
        device_args(victim.pubkey(), fingerprint(51)),
    );
    ix.accounts[4].pubkey = other.pubkey();
    let r = w.env.send(&[ix], &[&vendor, &dk2, &other]).await;
    assert_anchor_err!(r, RegistryError::InvalidOwner);
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
    let r = w
        .env
        .send(
            &[partner_ca_add(admin.pubkey(), rogue.pubkey(), payer, CA)],
            &[&admin, &rogue],
        )
        .await;
    assert_anchor_err!(r, RegistryError::CaFingerprintTaken);
    // A root needs the protocol's approval: the partner alone cannot add one.
    let r = w
        .env
        .send(
            &[partner_ca_add(
                rogue.pubkey(),
                rogue.pubkey(),
                payer,
                [0x42; 32],
            )],
            &[&rogue],
        )
        .await;
    assert_anchor_err!(r, RegistryError::Unauthorized);
    // Claiming an LFDI under Acme's root (pre-registering an Acme device's certificate).
    let dk = Keypair::new();
    let r = w
        .env
        .send(
            &[device_register(
                rogue.pubkey(),
                dk.pubkey(),
                payer,
                device_args(Keypair::new().pubkey(), fingerprint(60)),
            )],
            &[&rogue, &dk],
        )
        .await;
    assert_anchor_err!(r, RegistryError::UnknownIssuerCa);
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

/// Finding 9: a suspension is lifted only by its level or above; revoked or suspended
/// partners cannot act.
#[tokio::test]
async fn f9_revoked_vendor_cannot_lift_a_protocol_suspension_failure() {
    let mut w = World::new().await;
    let owner = Keypair::new();
    let dk = w.register_device(&owner, fingerprint(70)).await;
    let (admin, vendor) = (w.admin.insecure_clone(), w.vendor.insecure_clone());

    // The protocol suspends; the vendor cannot reinstate.
    w.status(&admin, &dk, DeviceStatus::Suspended, None)
        .await
        .unwrap();
    let d: Device = w.env.fetch(device_pda(&dk.pubkey())).await;
    assert_eq!(d.suspended_by, SuspendedBy::Protocol);
    let r = w.status(&vendor, &dk, DeviceStatus::Active, None).await;
    assert_anchor_err!(r, RegistryError::SuspendedByProtocol);
    w.status(&admin, &dk, DeviceStatus::Active, None)
        .await
        .unwrap();

    // The vendor suspends; the protocol takes the suspension over; the vendor cannot lift it.
    w.status(&vendor, &dk, DeviceStatus::Suspended, None)
        .await
        .unwrap();
    w.status(&admin, &dk, DeviceStatus::Suspended, None)
        .await
        .unwrap();
    let r = w.status(&vendor, &dk, DeviceStatus::Active, None).await;
    assert_anchor_err!(r, RegistryError::SuspendedByProtocol);
    w.status(&admin, &dk, DeviceStatus::Active, None)
        .await
        .unwrap();

    // A revoked vendor can do nothing to its devices any more.
    w.status(&vendor, &dk, DeviceStatus::Suspended, None)
        .await
        .unwrap();
    w.partner_status(vendor.pubkey(), PartnerStatus::Revoked)
        .await;
    let r = w.status(&vendor, &dk, DeviceStatus::Active, None).await;
    assert_anchor_err!(r, RegistryError::PartnerNotActive);
    let r = w.status(&vendor, &dk, DeviceStatus::Revoked, None).await;
    assert_anchor_err!(r, RegistryError::PartnerNotActive);
    let vendor_pda = partner_pda(&vendor.pubkey());
    let r = w
        .env
        .send(
            &[partner_ca_remove(vendor.pubkey(), vendor_pda, CA)],
            &[&vendor],
        )
        .await;
    assert_anchor_err!(r, RegistryError::PartnerNotActive);
    let r = w
        .env
        .send(
            &[device_capabilities_update(
                vendor.pubkey(),
                dk.pubkey(),
                caps(),
            )],
            &[&vendor],
        )
        .await;
    assert_anchor_err!(r, RegistryError::PartnerNotActive);
}

#[tokio::test]
async fn f9_suspended_partners_cannot_add_roots_or_be_attested_failure() {
    use ovpp_registry::instructions::AttestationIssueArgs;
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let (admin, vendor) = (w.admin.insecure_clone(), w.vendor.insecure_clone());
    w.partner_status(vendor.pubkey(), PartnerStatus::Suspended)
        .await;
    let r = w
        .env
        .send(
            &[partner_ca_add(
                admin.pubkey(),
                vendor.pubkey(),
                payer,
                [0x43; 32],
            )],
            &[&admin, &vendor],
        )
        .await;
    assert_anchor_err!(r, RegistryError::PartnerNotActive);
    let r = w
        .env
        .send(
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
        )
        .await;
    assert_anchor_err!(r, RegistryError::PartnerNotActive);
}

/// Finding 10: only the deployer initialises the config (natively hosted: the localnet key).
#[tokio::test]
async fn f10_config_init_is_reserved_to_the_deployer_failure() {
    let mut env = Env::new().await;
    let payer = env.payer().pubkey();
    let squatter = Keypair::new();
    let r = env
        .send(
            &[config_init_as(squatter.pubkey(), payer, squatter.pubkey())],
            &[&squatter],
        )
        .await;
    assert_anchor_err!(r, RegistryError::NotDeployer);
    // Passing another program's account in place of ours.
    let mut ix = config_init(payer, squatter.pubkey());
    ix.accounts[2].pubkey = ovpp_routing::ID;
    let r = env.send(&[ix], &[&localnet_admin()]).await;
    assert_anchor_err!(r, RegistryError::InvalidProgramAccount);
    assert!(env.account(config_pda()).await.is_none());
    let admin = Keypair::new();
    env.send(&[config_init(payer, admin.pubkey())], &[&localnet_admin()])
        .await
        .unwrap();
    let config: Config = env.fetch(config_pda()).await;
    assert_eq!(config.authority, admin.pubkey());
}

/// Finding 15: one member per device, following the device's status and ownership.
#[tokio::test]
async fn f15_one_member_per_device_follows_its_lifecycle_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let (alice, bob, carol) = (Keypair::new(), Keypair::new(), Keypair::new());
    let dk = w.register_device(&alice, fingerprint(80)).await;
    let device = device_pda(&dk.pubkey());
    let join = |owner: &Keypair| member_register(dk.pubkey(), owner.pubkey(), payer);
    w.env.send(&[join(&alice)], &[&alice]).await.unwrap();
    let d: Device = w.env.fetch(device).await;
    assert_eq!(d.member, member_pda(&alice.pubkey()));

    // Moving the device between wallets: each claim ends the previous owner's membership,
    // so at most one member is ever active for the device.
    let mut prev = alice.insecure_clone();
    for next in [&bob, &carol] {
        w.env
            .send(
                &[device_owner_transfer(
                    dk.pubkey(),
                    prev.pubkey(),
                    next.pubkey(),
                )],
                &[&prev],
            )
            .await
            .unwrap();
        // The claim must carry the device's member.
        let r = w
            .env
            .send(&[device_claim(dk.pubkey(), next.pubkey(), None)], &[next])
            .await;
        assert_anchor_err!(r, RegistryError::MemberMismatch);
        w.env
            .send(
                &[device_claim(
                    dk.pubkey(),
                    next.pubkey(),
                    Some(member_pda(&prev.pubkey())),
                )],
                &[next],
            )
            .await
            .unwrap();
        let m: Member = w.env.fetch(member_pda(&prev.pubkey())).await;
        assert_eq!(m.status, MemberStatus::Ended);
        w.env.send(&[join(next)], &[next]).await.unwrap();
        prev = next.insecure_clone();
    }
    let active: Vec<MemberStatus> = {
        let mut v = vec![];
        for who in [&alice, &bob, &carol] {
            let m: Member = w.env.fetch(member_pda(&who.pubkey())).await;
            v.push(m.status);
        }
        v
    };
    assert_eq!(
        active,
        vec![
            MemberStatus::Ended,
            MemberStatus::Ended,
            MemberStatus::Active
        ]
    );
    // The protocol cannot revive an ended membership (the wallet no longer owns the device).
    let r = w
        .env
        .send(
            &[member_status_set(
                w.admin.pubkey(),
                alice.pubkey(),
                device,
                MemberStatus::Active,
            )],
            &[&w.admin.insecure_clone()],
        )
        .await;
    assert_anchor_err!(r, RegistryError::MemberMismatch);
    // A second member for the same device is refused.
    let dk2 = w.register_device(&bob, fingerprint(81)).await;
    let _ = dk2;
    let r = w.env.send(&[join(&carol)], &[&carol]).await;
    assert_anchor_err!(r, RegistryError::DeviceHasMember);

    // Suspension moves the member with the device; a status change must carry the member.
    let (admin, vendor) = (w.admin.insecure_clone(), w.vendor.insecure_clone());
    let carol_member = Some(member_pda(&carol.pubkey()));
    let r = w.status(&vendor, &dk, DeviceStatus::Suspended, None).await;
    assert_anchor_err!(r, RegistryError::MemberMismatch);
    w.status(&vendor, &dk, DeviceStatus::Suspended, carol_member)
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(m.status, MemberStatus::Suspended);
    w.status(&vendor, &dk, DeviceStatus::Active, carol_member)
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(m.status, MemberStatus::Active);
    // A member the protocol suspended stays suspended when the device is reinstated.
    w.env
        .send(
            &[member_status_set(
                admin.pubkey(),
                carol.pubkey(),
                device,
                MemberStatus::Suspended,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    w.status(&vendor, &dk, DeviceStatus::Suspended, carol_member)
        .await
        .unwrap();
    // Nor can a member be reinstated while its device is suspended.
    let r = w
        .env
        .send(
            &[member_status_set(
                admin.pubkey(),
                carol.pubkey(),
                device,
                MemberStatus::Active,
            )],
            &[&admin],
        )
        .await;
    assert_anchor_err!(r, RegistryError::DeviceNotActive);
    w.status(&vendor, &dk, DeviceStatus::Active, carol_member)
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(m.status, MemberStatus::Suspended);
    w.env
        .send(
            &[member_status_set(
                admin.pubkey(),
                carol.pubkey(),
                device,
                MemberStatus::Active,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    // Revocation ends the membership; the wallet may join again with another device.
    w.status(&admin, &dk, DeviceStatus::Revoked, carol_member)
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(m.status, MemberStatus::Ended);
    let d: Device = w.env.fetch(device).await;
    assert_eq!(d.member, Pubkey::default());
    let dk3 = w.register_device(&carol, fingerprint(82)).await;
    w.env
        .send(
            &[member_register(dk3.pubkey(), carol.pubkey(), payer)],
            &[&carol],
        )
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(
        (m.status, m.device),
        (MemberStatus::Active, device_pda(&dk3.pubkey()))
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
        let r = w
            .env
            .send(
                &[name_register(device, owner.pubkey(), payer, name)],
                &[&owner],
            )
            .await;
        assert_anchor_err!(r, RegistryError::NameReserved, "{name}");
    }
    // The parent record must be passed at its address.
    let mut ix = name_register(device, owner.pubkey(), payer, "meter.gridco");
    ix.accounts[6].pubkey = name_pda("other");
    let r = w.env.send(&[ix], &[&owner]).await;
    assert_anchor_err!(r, RegistryError::ParentNameMismatch);
    // Handles cannot be released.
    let utility = w.utility.insecure_clone();
    let r = w
        .env
        .send(
            &[name_release("gridco", gridco, utility.pubkey())],
            &[&utility],
        )
        .await;
    assert_anchor_err!(r, RegistryError::NameReserved);
    // The device's own vendor's namespace is open to its devices.
    w.env
        .send(
            &[name_register(device, owner.pubkey(), payer, "meter.acme")],
            &[&owner],
        )
        .await
        .unwrap();
}

/// Finding 4 follow-up: a vendor that registered a device to a mistyped owner re-points the
/// claim while the device is unclaimed, never after; nobody else can.
#[tokio::test]
async fn f4_vendor_repoints_an_unclaimed_devices_claim_only_failure() {
    let mut w = World::new().await;
    let (typo, intended, stranger) = (Keypair::new(), Keypair::new(), Keypair::new());
    let dk = w.register_unclaimed(typo.pubkey(), fingerprint(57)).await;
    let vendor = w.vendor.insecure_clone();
    let r = w
        .env
        .send(
            &[device_pending_owner_set(
                stranger.pubkey(),
                dk.pubkey(),
                stranger.pubkey(),
            )],
            &[&stranger],
        )
        .await;
    assert!(r.is_err(), "a stranger cannot re-point the claim");
    w.env
        .send(
            &[device_pending_owner_set(
                vendor.pubkey(),
                dk.pubkey(),
                intended.pubkey(),
            )],
            &[&vendor],
        )
        .await
        .unwrap();
    let r = w
        .env
        .send(&[device_claim(dk.pubkey(), typo.pubkey(), None)], &[&typo])
        .await;
    assert_anchor_err!(r, RegistryError::NotPendingOwner);
    w.env
        .send(
            &[device_claim(dk.pubkey(), intended.pubkey(), None)],
            &[&intended],
        )
        .await
        .unwrap();
    // Claimed: the vendor can no longer move it.
    let r = w
        .env
        .send(
            &[device_pending_owner_set(
                vendor.pubkey(),
                dk.pubkey(),
                typo.pubkey(),
            )],
            &[&vendor],
        )
        .await;
    assert_anchor_err!(r, RegistryError::InvalidOwner);
    let d: Device = w.env.fetch(device_pda(&dk.pubkey())).await;
    assert_eq!(
        (d.owner, d.pending_owner),
        (intended.pubkey(), Pubkey::default())
    );
}
