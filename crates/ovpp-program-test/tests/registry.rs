//! Registry integration tests: the natively compiled program inside solana-program-test.
use anchor_lang::error::ErrorCode as AnchorError;
use ovpp_program_test::fixtures::{self, Partners};
use ovpp_program_test::harness::{anchor_code, find_event, Env, TxFailure};
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

fn code(e: RegistryError) -> u32 {
    e as u32 + anchor_lang::error::ERROR_CODE_OFFSET
}

fn anchor(e: AnchorError) -> u32 {
    e as u32
}

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

    async fn register_device(&mut self, owner: Pubkey, fp: [u8; 32]) -> Keypair {
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
async fn partner_onboarding_and_ca_management() {
    let mut w = World::new().await;
    let vendor: Partner = w.env.fetch(partner_pda(&w.vendor.pubkey())).await;
    assert_eq!(vendor.kind, PartnerKind::Vendor);
    assert_eq!(vendor.status, PartnerStatus::Active);
    assert_eq!(vendor.authority, w.vendor.pubkey());
    assert_eq!(vendor.name, "Acme Batteries");
    assert_eq!(vendor.ca_fingerprints, vec![CA]);

    let vendor_key = w.vendor.insecure_clone();
    let second = [9u8; 32];
    let out = w
        .env
        .send(
            &[partner_ca_add(vendor_key.pubkey(), second)],
            &[&vendor_key],
        )
        .await
        .unwrap();
    let event: PartnerCaAdded = find_event(&out.logs).expect("PartnerCaAdded event in the log");
    assert_eq!(event.fingerprint, second);

    let dup = w
        .env
        .send(
            &[partner_ca_add(vendor_key.pubkey(), second)],
            &[&vendor_key],
        )
        .await;
    assert_eq!(anchor_code(dup), code(RegistryError::CaFingerprintExists));
    let zero = w
        .env
        .send(
            &[partner_ca_add(vendor_key.pubkey(), [0; 32])],
            &[&vendor_key],
        )
        .await;
    assert_eq!(anchor_code(zero), code(RegistryError::InvalidFingerprint));

    w.env
        .send(
            &[partner_ca_remove(vendor_key.pubkey(), second)],
            &[&vendor_key],
        )
        .await
        .unwrap();
    let missing = w
        .env
        .send(
            &[partner_ca_remove(vendor_key.pubkey(), second)],
            &[&vendor_key],
        )
        .await;
    assert_eq!(
        anchor_code(missing),
        code(RegistryError::CaFingerprintNotFound)
    );
    let vendor: Partner = w.env.fetch(partner_pda(&w.vendor.pubkey())).await;
    assert_eq!(vendor.ca_fingerprints, vec![CA]);
}

#[tokio::test]
async fn partner_register_requires_protocol_authority_and_partner_signature() {
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
        vec![],
    );
    let r = w.env.send(&[ix], &[&impostor, &newcomer]).await;
    assert_eq!(anchor_code(r), code(RegistryError::Unauthorized));

    // The partner key is listed but does not sign.
    let admin = w.admin.insecure_clone();
    let mut ix = partner_register(
        admin.pubkey(),
        newcomer.pubkey(),
        payer,
        PartnerKind::Vendor,
        "X",
        vec![],
    );
    ix.accounts[2].is_signer = false;
    let r = w.env.send(&[ix], &[&admin]).await;
    assert_eq!(anchor_code(r), anchor(AnchorError::AccountNotSigner));

    // Bad names and fingerprint lists are typed errors.
    let long = "n".repeat(65);
    for (name, fps, expected) in [
        ("", vec![], RegistryError::InvalidPartnerName),
        (long.as_str(), vec![], RegistryError::InvalidPartnerName),
        ("ok", vec![[1; 32]; 9], RegistryError::TooManyCaFingerprints),
        (
            "ok",
            vec![[1; 32], [1; 32]],
            RegistryError::CaFingerprintExists,
        ),
        ("ok", vec![[0; 32]], RegistryError::InvalidFingerprint),
    ] {
        let ix = partner_register(
            admin.pubkey(),
            newcomer.pubkey(),
            payer,
            PartnerKind::Vendor,
            name,
            fps,
        );
        let r = w.env.send(&[ix], &[&admin, &newcomer]).await;
        assert_eq!(anchor_code(r), code(expected), "{name}");
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
        vec![],
    );
    let vendor = w.vendor.insecure_clone();
    let r = w.env.send(&[ix], &[&admin, &vendor]).await;
    assert!(is_duplicate_init(&r), "{r:?}");
}

#[tokio::test]
async fn device_register_indexes_by_key_and_lfdi() {
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
    assert_eq!(device.owner, owner);
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
async fn device_register_rejections() {
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
    assert_eq!(anchor_code(r), code(RegistryError::PartnerNotVendor));

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
    assert_eq!(anchor_code(r), code(RegistryError::UnknownIssuerCa));

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
    assert_eq!(anchor_code(r), code(RegistryError::CertificateExpired));

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
    assert_eq!(anchor_code(r), code(RegistryError::InvalidCapabilities));

    // The device key must sign (proof of possession).
    let mut ix = device_register(
        vendor.pubkey(),
        dk.pubkey(),
        payer,
        device_args(owner, fingerprint(6)),
    );
    ix.accounts[2].is_signer = false;
    let r = w.env.send(&[ix], &[&vendor]).await;
    assert_eq!(anchor_code(r), anchor(AnchorError::AccountNotSigner));

    // Nothing was written by any rejected attempt.
    assert!(w.env.account(device_pda(&dk.pubkey())).await.is_none());
    for seed in 2..=6 {
        assert!(w.env.account(cert_pda(&fingerprint(seed))).await.is_none());
    }

    // Duplicate key, and a second device reusing a registered certificate (LFDI).
    let first = w.register_device(owner, fingerprint(7)).await;
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
    assert_eq!(anchor_code(r), code(RegistryError::PartnerNotActive));
}

#[tokio::test]
async fn device_lifecycle_and_revoked_device_use() {
    let mut w = World::new().await;
    let owner = Keypair::new();
    let fp = fingerprint(10);
    let dk = w.register_device(owner.pubkey(), fp).await;
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
    assert_eq!(anchor_code(r), code(RegistryError::Unauthorized));
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
    assert_eq!(anchor_code(r), code(RegistryError::InvalidCapabilities));

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
    assert_eq!(anchor_code(r), code(RegistryError::Unauthorized));
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
    assert_eq!(anchor_code(r), code(RegistryError::DeviceNotActive));
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
    assert_eq!(anchor_code(r), code(RegistryError::InvalidStatusTransition));
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
    assert_eq!(anchor_code(r), code(RegistryError::DeviceNotActive));
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
    assert_eq!(anchor_code(r), code(RegistryError::DeviceNotActive));
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
    assert_eq!(anchor_code(r), code(RegistryError::DeviceNotActive));
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
async fn type_cosplay_and_foreign_accounts_are_rejected() {
    let mut w = World::new().await;
    let owner = Keypair::new();
    let dk = w.register_device(owner.pubkey(), fingerprint(20)).await;
    let vendor = w.vendor.insecure_clone();
    let payer = w.env.payer().pubkey();

    // A Partner account passed where a Device is expected.
    let mut ix = device_owner_transfer(dk.pubkey(), owner.pubkey(), Keypair::new().pubkey());
    ix.accounts[0].pubkey = partner_pda(&vendor.pubkey());
    let r = w.env.send(&[ix], &[&owner]).await;
    assert_eq!(
        anchor_code(r),
        anchor(AnchorError::AccountDiscriminatorMismatch)
    );

    // A Device passed where the vendor Partner is expected.
    let mut ix = device_status_set(
        vendor.pubkey(),
        partner_pda(&vendor.pubkey()),
        dk.pubkey(),
        DeviceStatus::Suspended,
    );
    ix.accounts[1].pubkey = device_pda(&dk.pubkey());
    let r = w.env.send(&[ix], &[&vendor]).await;
    assert_eq!(
        anchor_code(r),
        anchor(AnchorError::AccountDiscriminatorMismatch)
    );

    // A name target that is a CertIndex (our program, wrong type) or a system account.
    for target in [cert_pda(&fingerprint(20)), owner.pubkey()] {
        let r = w
            .env
            .send(
                &[name_register(target, owner.pubkey(), payer, "cosplay")],
                &[&owner],
            )
            .await;
        assert_eq!(anchor_code(r), code(RegistryError::InvalidNameTarget));
    }
    assert!(w.env.account(name_pda("cosplay")).await.is_none());

    // Another vendor's authority cannot act on this vendor's device.
    let admin = w.admin.insecure_clone();
    let other = Keypair::new();
    w.env
        .send(
            &[partner_register(
                admin.pubkey(),
                other.pubkey(),
                payer,
                PartnerKind::Vendor,
                "Other",
                vec![CA],
            )],
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
    assert_eq!(anchor_code(r), code(RegistryError::VendorMismatch));
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
    assert_eq!(anchor_code(r), code(RegistryError::VendorMismatch));
}

#[tokio::test]
async fn names_forward_reverse_and_release() {
    let mut w = World::new().await;
    let owner = Keypair::new();
    w.env.airdrop(owner.pubkey(), 1_000_000_000).await;
    let dk = w.register_device(owner.pubkey(), fingerprint(30)).await;
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
        assert_eq!(anchor_code(r), code(RegistryError::InvalidName), "{bad}");
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
    assert_eq!(anchor_code(r), code(RegistryError::NameHashMismatch));
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
    assert_eq!(anchor_code(r), code(RegistryError::Unauthorized));

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

    // A partner can hold a name too.
    let vendor = w.vendor.insecure_clone();
    let vendor_pda = partner_pda(&vendor.pubkey());
    w.env
        .send(
            &[name_register(vendor_pda, vendor.pubkey(), payer, "acme")],
            &[&vendor],
        )
        .await
        .unwrap();
    let forward: NameRecord = w.env.fetch(name_pda("acme")).await;
    assert_eq!(forward.target_kind, NameTargetKind::Partner);

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
    assert_eq!(anchor_code(r), code(RegistryError::Unauthorized));
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
async fn config_authority_handover_needs_both_keys() {
    let mut w = World::new().await;
    let admin = w.admin.insecure_clone();
    let next = Keypair::new();
    let mut ix = config_authority_set(admin.pubkey(), next.pubkey());
    ix.accounts[2].is_signer = false;
    let r = w.env.send(&[ix], &[&admin]).await;
    assert_eq!(anchor_code(r), anchor(AnchorError::AccountNotSigner));
    let r = w
        .env
        .send(
            &[config_authority_set(next.pubkey(), next.pubkey())],
            &[&next],
        )
        .await;
    assert_eq!(anchor_code(r), code(RegistryError::Unauthorized));
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
                vec![],
            )],
            &[&admin, &p],
        )
        .await;
    assert_eq!(anchor_code(r), code(RegistryError::Unauthorized));
    // Config cannot be initialised twice.
    let r = w.env.send(&[config_init(payer, p.pubkey())], &[]).await;
    assert!(is_duplicate_init(&r), "{r:?}");
}

#[tokio::test]
async fn attestations_are_issued_by_the_protocol_authority_and_expire() {
    use ovpp_registry::instructions::AttestationIssueArgs;
    let mut w = World::new().await;
    let owner = Keypair::new();
    let dk = w.register_device(owner.pubkey(), fingerprint(40)).await;
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
    assert_eq!(anchor_code(r), code(RegistryError::Unauthorized));
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
    assert_eq!(
        anchor_code(r),
        code(RegistryError::InvalidAttestationSubject)
    );
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
    assert_eq!(
        anchor_code(r),
        code(RegistryError::InvalidAttestationExpiry)
    );

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
