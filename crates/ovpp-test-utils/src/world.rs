//! The world builder: the setup every Rust integration test and the fuzzer start from, with
//! options for the parts a test needs. `World::builder()` onboards the registry's usual cast
//! (the protocol authority, vendor "Acme Batteries" trusting `ca`, utility "Gridco"); then, in
//! this order, registers the claimed devices asked for and initialises payments against the
//! localnet USDC mint:
//!
//! ```text
//! let world = World::builder()
//!     .with_claimed_device(meter_args)
//!     .with_payments()
//!     .build()
//!     .await;
//! ```
//!
//! Test files keep their own `World` (the fields and helpers their tests use) and build it
//! from this one.
use ovpp_registry::instructions::DeviceRegisterArgs;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

use crate::fixtures::{self, Partners};
use crate::harness::Env;
use crate::keys;
use crate::payments as pay;

/// The issuer CA fingerprint the vendor trusts unless a test says otherwise.
pub const CA: [u8; 32] = [7; 32];

/// A device registered by the world's vendor and claimed by its owner at once.
pub struct ClaimedDevice {
    pub owner: Keypair,
    pub key: Keypair,
    /// The device account (`registry::device_pda(key)`).
    pub account: Pubkey,
}

pub struct World {
    pub env: Env,
    /// The protocol authority (registry config authority; payments authority by default).
    pub admin: Keypair,
    pub vendor: Keypair,
    pub utility: Keypair,
    /// In the order they were asked for.
    pub devices: Vec<ClaimedDevice>,
    /// The localnet USDC mint, when payments were initialised.
    pub usdc: Option<Pubkey>,
}

/// How payments are initialised, if at all.
enum Payments {
    None,
    /// With the protocol authority as payments authority.
    Admin,
    /// With another payments authority.
    Authority(Pubkey),
}

/// Options of [`World`]; see the module docs.
pub struct WorldBuilder {
    ca: [u8; 32],
    devices: Vec<DeviceRegisterArgs>,
    payments: Payments,
}

impl World {
    pub fn builder() -> WorldBuilder {
        WorldBuilder {
            ca: CA,
            devices: Vec::new(),
            payments: Payments::None,
        }
    }

    /// The localnet USDC mint (the world was built `with_payments`).
    pub fn usdc(&self) -> Pubkey {
        self.usdc.expect("a world built with payments")
    }
}

impl WorldBuilder {
    /// The vendor trusts `ca` (default [`CA`]).
    pub fn ca(mut self, ca: [u8; 32]) -> Self {
        self.ca = ca;
        self
    }

    /// Registers a device with `args` (its `owner` is replaced by a fresh owner, who co-signs,
    /// so the device is claimed at once).
    pub fn with_claimed_device(mut self, args: DeviceRegisterArgs) -> Self {
        self.devices.push(args);
        self
    }

    /// Creates the localnet USDC mint and initialises payments (signed by the localnet
    /// deployer), with the protocol authority as payments authority.
    pub fn with_payments(mut self) -> Self {
        self.payments = Payments::Admin;
        self
    }

    /// As [`Self::with_payments`], with `authority` as payments authority.
    pub fn with_payments_authority(mut self, authority: Pubkey) -> Self {
        self.payments = Payments::Authority(authority);
        self
    }

    pub async fn build(self) -> World {
        let mut env = Env::new().await;
        let Partners {
            admin,
            vendor,
            utility,
        } = fixtures::onboard(&mut env, self.ca).await;
        let mut devices = Vec::with_capacity(self.devices.len());
        for args in self.devices {
            let (owner, key) = (Keypair::new(), Keypair::new());
            let account =
                fixtures::register_device_claimed(&mut env, &vendor, &key, &owner, args).await;
            devices.push(ClaimedDevice {
                owner,
                key,
                account,
            });
        }
        let authority = match self.payments {
            Payments::None => None,
            Payments::Admin => Some(admin.pubkey()),
            Payments::Authority(authority) => Some(authority),
        };
        let mut usdc = None;
        if let Some(authority) = authority {
            let mint = fixtures::usdc_mint(&mut env).await;
            let payer = env.payer().pubkey();
            env.send(
                &[pay::payments_init(payer, authority, mint, pay::TOKEN)],
                &[&keys::localnet_admin()],
            )
            .await
            .expect("payments_init");
            usdc = Some(mint);
        }
        World {
            env,
            admin,
            vendor,
            utility,
            devices,
            usdc,
        }
    }
}
