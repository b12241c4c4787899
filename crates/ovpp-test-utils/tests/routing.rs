//! Routing integration tests: programs, enrollment lifecycle and routes, against registry
//! devices and partners in the same runtime.
mod routing_world;

use routing_world::*;

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
