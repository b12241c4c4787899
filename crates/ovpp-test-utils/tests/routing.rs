//! Routing integration tests: programs, enrollment lifecycle and routes, against registry
//! devices and partners in the same runtime.
use anchor_lang::error::ErrorCode as AnchorError;
use ovpp_registry::instructions::DeviceRegisterArgs;
use ovpp_registry::state::{Capabilities, DeviceType, Status};
use ovpp_routing::errors::RoutingError;
use ovpp_routing::events::{EnrollmentChanged, RouteUpdated};
use ovpp_routing::instructions::{ProgramCreateArgs, RouteSetArgs};
use ovpp_routing::state::{
    Enrollment, EnrollmentStatus, ProgramKind, Protocol, Route, UtilityProgram,
};
use ovpp_test_utils::harness::{find_event, Env, TxFailure};
use ovpp_test_utils::registry as reg;
use ovpp_test_utils::routing::*;
use ovpp_test_utils::world;
use ovpp_test_utils::{assert_anchor_err, assert_send_err};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

const CA: [u8; 32] = [7; 32];
const FAR: i64 = 4_102_444_800;

struct World {
    env: Env,
    admin: Keypair,
    vendor: Keypair,
    utility: Keypair,
    owner: Keypair,
    device_key: Keypair,
    device: Pubkey,
    program: Pubkey,
    utility_pda: Pubkey,
}

impl World {
    async fn new() -> Self {
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

    async fn request(
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

    async fn decide(
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
    async fn attest(
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
    async fn set_route(
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

    async fn set_route_unattested(
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

/// A route may point only at an endpoint the integration service attested for that protocol,
/// unexpired, with a server key among the route's pins; revoking the attestation stops new
/// routes to it.
#[tokio::test]
async fn routes_need_a_live_matching_endpoint_attestation_failure() {
    let mut w = World::new().await;
    let owner = w.owner.insecure_clone();
    w.request(&owner).await.unwrap();
    w.decide(true).await.unwrap();
    let url = "wss://csms.gridco.example/ocpp";
    assert_anchor_err!(
        w.set_route_unattested(csms(url)).await,
        RoutingError::EndpointNotAttested
    );
    // Attested for another protocol, or for a server key that is not pinned.
    w.attest(url, Protocol::OpenAdr3Vtn, [5; 32], FAR).await;
    assert_anchor_err!(
        w.set_route_unattested(csms(url)).await,
        RoutingError::EndpointProtocolMismatch
    );
    w.attest(url, Protocol::Ocpp201Csms, [8; 32], FAR).await;
    assert_anchor_err!(
        w.set_route_unattested(csms(url)).await,
        RoutingError::EndpointPinNotAttested
    );
    // Another endpoint's attestation passed in its place is refused.
    let mut ix = route_set(
        w.program,
        w.utility_pda,
        w.utility.pubkey(),
        w.device,
        w.env.payer().pubkey(),
        csms("wss://other.gridco.example/ocpp"),
    );
    let other = reg::endpoint_attestation_pda("wss://other.gridco.example/ocpp");
    let at = ix.accounts.iter().position(|m| m.pubkey == other).unwrap();
    ix.accounts[at].pubkey = reg::endpoint_attestation_pda(url);
    let utility = w.utility.insecure_clone();
    assert_send_err!(w.env, &[ix], &[&utility], RoutingError::EndpointNotAttested);
    // An expired attestation.
    let now = w.env.clock().await.unix_timestamp;
    w.attest(url, Protocol::Ocpp201Csms, [6; 32], now + 5).await;
    let mut clock = w.env.clock().await;
    clock.unix_timestamp = now + 6;
    w.env.ctx.set_sysvar(&clock);
    assert_anchor_err!(
        w.set_route_unattested(csms(url)).await,
        RoutingError::EndpointAttestationExpired
    );
    // Renewed: the route is published.
    w.attest(url, Protocol::Ocpp201Csms, [6; 32], FAR).await;
    w.set_route_unattested(csms(url)).await.unwrap();
    // Revoked: nothing new can be published to it.
    let admin = w.admin.insecure_clone();
    w.env
        .send(
            &[reg::endpoint_attestation_revoke(admin.pubkey(), url)],
            &[&admin],
        )
        .await
        .unwrap();
    assert_anchor_err!(
        w.set_route_unattested(csms(url)).await,
        RoutingError::EndpointNotAttested
    );
}

fn csms(endpoint: &str) -> RouteSetArgs {
    RouteSetArgs {
        protocol: Protocol::Ocpp201Csms,
        endpoint: endpoint.into(),
        cert_pins: vec![[5; 32], [6; 32]],
        expires_at: FAR,
    }
}

#[tokio::test]
async fn enroll_approve_route_resolve_and_update_success() {
    let mut w = World::new().await;
    let owner = w.owner.insecure_clone();
    let out = w.request(&owner).await.unwrap();
    let ev: EnrollmentChanged = find_event(&out.logs).unwrap();
    assert_eq!(ev.status, EnrollmentStatus::Requested);

    // No route before approval.
    assert_anchor_err!(
        w.set_route(csms("wss://csms.gridco.example/ocpp")).await,
        RoutingError::InvalidEnrollmentStatus
    );
    w.decide(true).await.unwrap();
    let program: UtilityProgram = w.env.fetch(w.program).await;
    assert_eq!(program.enrolled, 1);

    let out = w
        .set_route(csms("wss://csms.gridco.example/ocpp/CP-1"))
        .await
        .unwrap();
    let ev: RouteUpdated = find_event(&out.logs).unwrap();
    assert_eq!(ev.version, 1);
    let enrollment = enrollment_pda(&w.program, &w.device);
    let route: Route = w.env.fetch(route_pda(&enrollment)).await;
    assert_eq!(
        (route.protocol, route.endpoint.as_str(), route.version),
        (
            Protocol::Ocpp201Csms,
            "wss://csms.gridco.example/ocpp/CP-1",
            1
        )
    );
    assert_eq!((route.device, route.program), (w.device, w.program));

    // Key rotation: new pins, version 2.
    let mut next = csms("wss://csms2.gridco.example/ocpp/CP-1");
    next.cert_pins = vec![[6; 32], [8; 32]];
    w.set_route(next).await.unwrap();
    let route: Route = w.env.fetch(route_pda(&enrollment)).await;
    assert_eq!(
        (route.version, route.cert_pins.clone()),
        (2, vec![[6; 32], [8; 32]])
    );

    // The owner opts out; the route no longer updates and the count drops.
    w.env
        .send(
            &[enrollment_revoke(
                w.program,
                w.utility_pda,
                w.device,
                owner.pubkey(),
            )],
            &[&owner],
        )
        .await
        .unwrap();
    let e: Enrollment = w.env.fetch(enrollment).await;
    assert_eq!(e.status, EnrollmentStatus::Revoked);
    let program: UtilityProgram = w.env.fetch(w.program).await;
    assert_eq!(program.enrolled, 0);
    assert_anchor_err!(
        w.set_route(csms("wss://x.example/ocpp")).await,
        RoutingError::InvalidEnrollmentStatus
    );
}

#[tokio::test]
async fn route_validation_and_protocol_capabilities_failure() {
    let mut w = World::new().await;
    let owner = w.owner.insecure_clone();
    w.request(&owner).await.unwrap();
    w.decide(true).await.unwrap();
    let cases = [
        (
            csms("https://csms.gridco.example"),
            RoutingError::InvalidEndpoint,
        ),
        (csms("wss://"), RoutingError::InvalidEndpoint),
        (
            csms("wss://has space.example"),
            RoutingError::InvalidEndpoint,
        ),
        (
            RouteSetArgs {
                cert_pins: vec![],
                ..csms("wss://a.example")
            },
            RoutingError::InvalidCertPins,
        ),
        (
            RouteSetArgs {
                cert_pins: vec![[0; 32]],
                ..csms("wss://a.example")
            },
            RoutingError::InvalidCertPins,
        ),
        (
            RouteSetArgs {
                expires_at: 1,
                ..csms("wss://a.example")
            },
            RoutingError::InvalidExpiry,
        ),
        // The charger does not speak IEEE 2030.5.
        (
            RouteSetArgs {
                protocol: Protocol::Ieee2030Dot5,
                ..csms("https://sep2.gridco.example/dcap")
            },
            RoutingError::ProtocolNotSupported,
        ),
    ];
    for (args, expected) in cases {
        let r = w.set_route(args.clone()).await;
        assert_anchor_err!(r, expected, "{}", args.endpoint);
    }
    let enrollment = enrollment_pda(&w.program, &w.device);
    assert!(w.env.account(route_pda(&enrollment)).await.is_none());
    // OpenADR 3 is declared: accepted.
    w.set_route(RouteSetArgs {
        protocol: Protocol::OpenAdr3Vtn,
        ..csms("https://vtn.gridco.example/openadr3")
    })
    .await
    .unwrap();
    // Revoked routes stay revoked.
    let utility = w.utility.insecure_clone();
    w.env
        .send(
            &[route_revoke(
                w.program,
                w.utility_pda,
                utility.pubkey(),
                w.device,
            )],
            &[&utility],
        )
        .await
        .unwrap();
    assert_anchor_err!(
        w.set_route(csms("wss://b.example")).await,
        RoutingError::RouteRevoked
    );
}

#[tokio::test]
async fn enrollment_authorisation_and_lifecycle_rules_failure() {
    let mut w = World::new().await;
    // A stranger cannot enroll someone's device; the vendor may.
    let stranger = Keypair::new();
    assert_anchor_err!(w.request(&stranger).await, RoutingError::Unauthorized);
    let vendor = w.vendor.insecure_clone();
    w.request(&vendor).await.unwrap();
    // Duplicate request.
    let owner = w.owner.insecure_clone();
    assert!(matches!(
        w.request(&owner).await,
        Err(TxFailure::Custom { code: 0, .. })
    ));
    // Only the utility decides.
    assert_send_err!(
        w.env,
        &[enrollment_decide(
            w.program,
            w.utility_pda,
            stranger.pubkey(),
            w.device,
            true,
        )],
        &[&stranger],
        RoutingError::Unauthorized
    );
    w.decide(false).await.unwrap();
    assert_anchor_err!(w.decide(true).await, RoutingError::InvalidEnrollmentStatus);
    assert_send_err!(
        w.env,
        &[enrollment_revoke(
            w.program,
            w.utility_pda,
            w.device,
            owner.pubkey(),
        )],
        &[&owner],
        RoutingError::InvalidEnrollmentStatus
    );

    // Closed programs take no requests; revoked devices neither.
    let utility = w.utility.insecure_clone();
    w.env
        .send(
            &[program_status_set(
                w.program,
                w.utility_pda,
                utility.pubkey(),
                false,
            )],
            &[&utility],
        )
        .await
        .unwrap();
    let payer = w.env.payer().pubkey();
    let utility_pda = reg::partner_pda(&utility.pubkey());
    w.env
        .send(
            &[program_create(
                utility_pda,
                utility.pubkey(),
                payer,
                ProgramCreateArgs {
                    program_id: 2,
                    kind: ProgramKind::DemandResponse,
                    name: "DR".into(),
                },
            )],
            &[&utility],
        )
        .await
        .unwrap();
    let dk = w.device_key.insecure_clone();
    let admin = w.admin.insecure_clone();
    w.env
        .send(
            &[reg::device_status_set(
                admin.pubkey(),
                reg::partner_pda(&vendor.pubkey()),
                dk.pubkey(),
                Status::Revoked,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    w.program = program_pda(&utility_pda, 2);
    assert_anchor_err!(w.request(&owner).await, RoutingError::DeviceNotActive);
    // A vendor cannot create utility programs; a program name is bounded.
    assert_send_err!(
        w.env,
        &[program_create(
            reg::partner_pda(&vendor.pubkey()),
            vendor.pubkey(),
            payer,
            ProgramCreateArgs {
                program_id: 9,
                kind: ProgramKind::Tariff,
                name: "X".into(),
            },
        )],
        &[&vendor],
        RoutingError::NotActiveUtility
    );
    assert_send_err!(
        w.env,
        &[program_create(
            utility_pda,
            utility.pubkey(),
            payer,
            ProgramCreateArgs {
                program_id: 9,
                kind: ProgramKind::Tariff,
                name: "".into(),
            },
        )],
        &[&utility],
        RoutingError::InvalidProgramName
    );
    // Type cosplay: a registry Device passed as the program account.
    let mut ix = program_status_set(w.program, w.utility_pda, utility.pubkey(), true);
    ix.accounts[0].pubkey = w.device;
    assert_anchor_err!(
        w.env.send(&[ix], &[&utility]).await,
        AnchorError::AccountOwnedByWrongProgram
    );
}

#[tokio::test]
async fn closed_programs_refuse_requests_failure() {
    let mut w = World::new().await;
    let utility = w.utility.insecure_clone();
    w.env
        .send(
            &[program_status_set(
                w.program,
                w.utility_pda,
                utility.pubkey(),
                false,
            )],
            &[&utility],
        )
        .await
        .unwrap();
    let owner = w.owner.insecure_clone();
    assert_anchor_err!(w.request(&owner).await, RoutingError::ProgramClosed);
}

// ---------------------------------------------------------------------------------------
// Audit regressions (docs/security.md, "Registry, routing and hook findings").
// ---------------------------------------------------------------------------------------

impl World {
    async fn partner_status(&mut self, partner_authority: Pubkey, status: Status) {
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

    async fn device_status(&mut self, status: Status) {
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

/// Finding 9: a suspended or revoked utility can no longer decide, route, revoke or
/// re-open; a revoked vendor can no longer enroll devices.
#[tokio::test]
async fn f9_inactive_partners_cannot_act_in_routing_failure() {
    let mut w = World::new().await;
    let vendor = w.vendor.insecure_clone();
    w.partner_status(vendor.pubkey(), Status::Revoked).await;
    assert_anchor_err!(w.request(&vendor).await, RoutingError::VendorNotActive);
    // The owner may still enroll its own device.
    let owner = w.owner.insecure_clone();
    w.request(&owner).await.unwrap();

    let utility = w.utility.insecure_clone();
    w.partner_status(utility.pubkey(), Status::Suspended).await;
    assert_anchor_err!(w.decide(true).await, RoutingError::NotActiveUtility);
    w.partner_status(utility.pubkey(), Status::Active).await;
    w.decide(true).await.unwrap();
    w.set_route(csms("wss://csms.gridco.example/ocpp"))
        .await
        .unwrap();
    w.partner_status(utility.pubkey(), Status::Revoked).await;
    assert_anchor_err!(
        w.set_route(csms("wss://evil.example/ocpp")).await,
        RoutingError::NotActiveUtility
    );
    for ix in [
        route_revoke(w.program, w.utility_pda, utility.pubkey(), w.device),
        program_status_set(w.program, w.utility_pda, utility.pubkey(), false),
        enrollment_revoke(w.program, w.utility_pda, w.device, utility.pubkey()),
    ] {
        assert_anchor_err!(
            w.env.send(&[ix], &[&utility]).await,
            RoutingError::NotActiveUtility
        );
    }
    // Passing another partner as the program's utility is refused.
    let mut ix = route_set(
        w.program,
        reg::partner_pda(&vendor.pubkey()),
        utility.pubkey(),
        w.device,
        w.env.payer().pubkey(),
        csms("wss://evil.example/ocpp"),
    );
    ix.accounts[1].pubkey = reg::partner_pda(&vendor.pubkey());
    assert_anchor_err!(
        w.env.send(&[ix], &[&utility]).await,
        RoutingError::Unauthorized
    );
    // The owner can always opt out.
    w.env
        .send(
            &[enrollment_revoke(
                w.program,
                w.utility_pda,
                w.device,
                owner.pubkey(),
            )],
            &[&owner],
        )
        .await
        .unwrap();
}

/// Finding 17: routes are only set for an active device, an open program and an active
/// utility (with an approved enrollment).
#[tokio::test]
async fn f17_routes_require_active_device_program_and_utility_failure() {
    let mut w = World::new().await;
    let owner = w.owner.insecure_clone();
    w.request(&owner).await.unwrap();
    w.decide(true).await.unwrap();
    w.device_status(Status::Suspended).await;
    assert_anchor_err!(
        w.set_route(csms("wss://csms.gridco.example/ocpp")).await,
        RoutingError::DeviceNotActive
    );
    w.device_status(Status::Active).await;
    let utility = w.utility.insecure_clone();
    w.env
        .send(
            &[program_status_set(
                w.program,
                w.utility_pda,
                utility.pubkey(),
                false,
            )],
            &[&utility],
        )
        .await
        .unwrap();
    assert_anchor_err!(
        w.set_route(csms("wss://csms.gridco.example/ocpp")).await,
        RoutingError::ProgramClosed
    );
    w.env
        .send(
            &[program_status_set(
                w.program,
                w.utility_pda,
                utility.pubkey(),
                true,
            )],
            &[&utility],
        )
        .await
        .unwrap();
    w.set_route(csms("wss://csms.gridco.example/ocpp"))
        .await
        .unwrap();
    w.device_status(Status::Revoked).await;
    assert_anchor_err!(
        w.set_route(csms("wss://csms2.gridco.example/ocpp")).await,
        RoutingError::DeviceNotActive
    );
}

/// Finding 18: userinfo, empty or encoded hosts, brackets, bad ports, fragments and
/// duplicate pins are refused on-chain (the full vector table runs in the unit tests).
#[tokio::test]
async fn f18_endpoints_are_parsed_strictly_failure() {
    let mut w = World::new().await;
    let owner = w.owner.insecure_clone();
    w.request(&owner).await.unwrap();
    w.decide(true).await.unwrap();
    for bad in [
        "wss://good@evil/",
        "wss:///",
        "wss://%65vil.example/",
        "wss://[::1]/",
        "wss://csms.example:0/",
        "wss://csms.example/#x",
        "wss://CSMS.example/",
    ] {
        assert_anchor_err!(
            w.set_route(csms(bad)).await,
            RoutingError::InvalidEndpoint,
            "{bad}"
        );
    }
    let dup = RouteSetArgs {
        cert_pins: vec![[5; 32], [5; 32]],
        ..csms("wss://csms.gridco.example/ocpp")
    };
    assert_anchor_err!(w.set_route(dup).await, RoutingError::InvalidCertPins);
    w.set_route(csms("wss://csms.gridco.example:8443/ocpp/CP-1"))
        .await
        .unwrap();
}
