//! Shared setup for the registry integration tests (`tests/registry_*.rs`): the natively
//! compiled program inside solana-program-test, a world with onboarded partners, and helpers.
//! Each test file is its own crate and uses only part of this module.
#![allow(dead_code, unused_imports)]

pub use anchor_lang::error::ErrorCode as AnchorError;
pub use ovpp_registry::errors::RegistryError;
pub use ovpp_registry::events::*;
pub use ovpp_registry::identity::{lfdi_from_fingerprint, sfdi_from_lfdi};
pub use ovpp_registry::instructions::DeviceRegisterArgs;
pub use ovpp_registry::state::*;
pub use ovpp_test_utils::fixtures::{self, Partners};
pub use ovpp_test_utils::harness::{find_event, Env, TxFailure};
pub use ovpp_test_utils::keys::localnet_admin;
pub use ovpp_test_utils::registry::*;
pub use ovpp_test_utils::world;
pub use ovpp_test_utils::{assert_anchor_err, assert_send_err};
pub use solana_sdk::pubkey::Pubkey;
pub use solana_sdk::signature::{Keypair, Signer};

pub const CA: [u8; 32] = [7; 32];
pub const CERT_VALID_UNTIL: i64 = 4_102_444_800; // 2100-01-01

/// `already in use` from the system program, i.e. a duplicate `init`.
pub fn is_duplicate_init(result: &Result<impl std::fmt::Debug, TxFailure>) -> bool {
    matches!(result, Err(TxFailure::Custom { code: 0, .. }))
}

pub fn fingerprint(seed: u8) -> [u8; 32] {
    let mut fp = [seed; 32];
    fp[0] = 0xAB;
    fp[31] = seed.wrapping_add(1);
    fp
}

pub fn caps() -> Capabilities {
    Capabilities {
        flags: 0b11,
        protocols: 0b011,
        max_import_w: 11_000,
        max_export_w: 5_000,
        energy_capacity_wh: 13_500,
    }
}

pub fn device_args(owner: Pubkey, fp: [u8; 32]) -> DeviceRegisterArgs {
    DeviceRegisterArgs {
        owner,
        device_type: DeviceType::Battery,
        capabilities: caps(),
        cert_fingerprint: fp,
        issuer_ca: CA,
        cert_not_after: CERT_VALID_UNTIL,
    }
}

pub struct World {
    pub env: Env,
    pub admin: Keypair,
    pub vendor: Keypair,
    pub utility: Keypair,
}

impl World {
    pub async fn new() -> Self {
        let world::World {
            env,
            admin,
            vendor,
            utility,
            ..
        } = world::World::builder().ca(CA).build().await;
        World {
            env,
            admin,
            vendor,
            utility,
        }
    }

    /// Registers a device its owner co-signs (claimed at once).
    pub async fn register_device(&mut self, owner: &Keypair, fp: [u8; 32]) -> Keypair {
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
    pub async fn register_unclaimed(&mut self, owner: Pubkey, fp: [u8; 32]) -> Keypair {
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

impl World {
    pub async fn status(
        &mut self,
        signer: &Keypair,
        dk: &Keypair,
        status: Status,
        member: Option<Pubkey>,
    ) -> Result<ovpp_test_utils::harness::TxOutcome, TxFailure> {
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

    pub async fn partner_status(&mut self, partner_authority: Pubkey, status: Status) {
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
