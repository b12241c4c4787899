//! The routing tests' world: the registry's partners, one claimed EV charger (OpenADR 3 and
//! OCPP 2.0.1) and the utility's smart-charging program; helpers to request, decide, attest
//! and route. Shared by `routing.rs` and `routing_audit.rs` (each uses part of it).
#![allow(dead_code, unused_imports)]
pub use anchor_lang::error::ErrorCode as AnchorError;
pub use ovpp_registry::instructions::DeviceRegisterArgs;
pub use ovpp_registry::state::{Capabilities, DeviceType, Status};
pub use ovpp_routing::errors::RoutingError;
pub use ovpp_routing::events::{EnrollmentChanged, RouteUpdated};
pub use ovpp_routing::instructions::{ProgramCreateArgs, RouteSetArgs};
pub use ovpp_routing::state::{
    Enrollment, EnrollmentStatus, ProgramKind, Protocol, Route, UtilityProgram,
};
pub use ovpp_test_utils::harness::{find_event, Env, TxFailure};
pub use ovpp_test_utils::registry as reg;
pub use ovpp_test_utils::routing::*;
pub use ovpp_test_utils::world;
pub use ovpp_test_utils::{assert_anchor_err, assert_send_err};
pub use solana_sdk::pubkey::Pubkey;
pub use solana_sdk::signature::{Keypair, Signer};

pub const CA: [u8; 32] = [7; 32];
pub const FAR: i64 = 4_102_444_800;

pub struct World {
    pub env: Env,
    pub admin: Keypair,
    pub vendor: Keypair,
    pub utility: Keypair,
    pub owner: Keypair,
    pub device_key: Keypair,
    pub device: Pubkey,
    pub program: Pubkey,
    pub utility_pda: Pubkey,
}

impl World {
    pub async fn new() -> Self {
        let args = DeviceRegisterArgs {
            owner: Pubkey::default(), // the world's fresh owner
            device_type: DeviceType::EvCharger,
            // OpenADR 3 and OCPP 2.0.1, not IEEE 2030.5.
            capabilities: Capabilities {
                flags: 1,
                protocols: 0b101,
                max_import_w: 11_000,
                max_export_w: 0,
                energy_capacity_wh: 0,
            },
            cert_fingerprint: [3; 32],
            issuer_ca: CA,
            cert_not_after: FAR,
        };
        let world::World {
            mut env,
            admin,
            vendor,
            utility,
            mut devices,
            ..
        } = world::World::builder()
            .ca(CA)
            .with_claimed_device(args)
            .build()
            .await;
        let world::ClaimedDevice {
            owner,
            key: device_key,
            ..
        } = devices.remove(0);
        let payer = env.payer().pubkey();
        let utility_pda = reg::partner_pda(&utility.pubkey());
        env.send(
            &[program_create(
                utility_pda,
                utility.pubkey(),
                payer,
                ProgramCreateArgs {
                    program_id: 1,
                    kind: ProgramKind::EvCharging,
                    name: "Smart EV charging".into(),
                },
            )],
            &[&utility],
        )
        .await
        .unwrap();
        let device = reg::device_pda(&device_key.pubkey());
        World {
            env,
            admin,
            vendor,
            utility,
            owner,
            device_key,
            device,
            program: program_pda(&utility_pda, 1),
            utility_pda,
        }
    }

    pub async fn request(
        &mut self,
        requester: &Keypair,
    ) -> Result<ovpp_test_utils::harness::TxOutcome, TxFailure> {
        let payer = self.env.payer().pubkey();
        let ix = enrollment_request(
            self.program,
            self.device,
            reg::partner_pda(&self.vendor.pubkey()),
            requester.pubkey(),
            payer,
        );
        self.env.send(&[ix], &[requester]).await
    }

    pub async fn decide(
        &mut self,
        approve: bool,
    ) -> Result<ovpp_test_utils::harness::TxOutcome, TxFailure> {
        let utility = self.utility.insecure_clone();
        self.env
            .send(
                &[enrollment_decide(
                    self.program,
                    self.utility_pda,
                    utility.pubkey(),
                    self.device,
                    approve,
                )],
                &[&utility],
            )
            .await
    }

    /// The protocol authority attests `endpoint` for `protocol`, having seen server key `spki`.
    pub async fn attest(
        &mut self,
        endpoint: &str,
        protocol: Protocol,
        spki: [u8; 32],
        expires_at: i64,
    ) {
        let admin = self.admin.insecure_clone();
        let payer = self.env.payer().pubkey();
        let ix = reg::endpoint_attest(
            admin.pubkey(),
            payer,
            endpoint,
            protocol.attestation_kind(),
            spki,
            expires_at,
        );
        self.env
            .send(&[ix], &[&admin])
            .await
            .expect("endpoint_attest");
    }

    /// Publishes a route after attesting its endpoint with its first pin (what the integration
    /// service does after a passing probe).
    pub async fn set_route(
        &mut self,
        args: RouteSetArgs,
    ) -> Result<ovpp_test_utils::harness::TxOutcome, TxFailure> {
        if let Some(pin) = args.cert_pins.first().filter(|p| **p != [0; 32]) {
            if !args.endpoint.is_empty() && args.endpoint.len() <= 200 {
                self.attest(&args.endpoint, args.protocol, *pin, FAR).await;
            }
        }
        self.set_route_unattested(args).await
    }

    pub async fn set_route_unattested(
        &mut self,
        args: RouteSetArgs,
    ) -> Result<ovpp_test_utils::harness::TxOutcome, TxFailure> {
        let utility = self.utility.insecure_clone();
        let payer = self.env.payer().pubkey();
        self.env
            .send(
                &[route_set(
                    self.program,
                    self.utility_pda,
                    utility.pubkey(),
                    self.device,
                    payer,
                    args,
                )],
                &[&utility],
            )
            .await
    }
}

pub fn csms(endpoint: &str) -> RouteSetArgs {
    RouteSetArgs {
        protocol: Protocol::Ocpp201Csms,
        endpoint: endpoint.into(),
        cert_pins: vec![[5; 32], [6; 32]],
        expires_at: FAR,
    }
}

impl World {
    pub async fn partner_status(&mut self, partner_authority: Pubkey, status: Status) {
        let admin = self.admin.insecure_clone();
        self.env
            .send(
                &[reg::partner_status_set(
                    admin.pubkey(),
                    reg::partner_pda(&partner_authority),
                    status,
                )],
                &[&admin],
            )
            .await
            .unwrap();
    }

    pub async fn device_status(&mut self, status: Status) {
        let admin = self.admin.insecure_clone();
        let vendor_pda = reg::partner_pda(&self.vendor.pubkey());
        let dk = self.device_key.pubkey();
        self.env
            .send(
                &[reg::device_status_set(
                    admin.pubkey(),
                    vendor_pda,
                    dk,
                    status,
                )],
                &[&admin],
            )
            .await
            .unwrap();
    }
}
