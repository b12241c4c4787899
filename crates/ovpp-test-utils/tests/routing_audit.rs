//! Routing audit regressions (docs/security.md, "Registry, routing and hook findings"):
//! inactive partners, inactive devices and programs, strictly parsed endpoints.
mod routing_world;

use routing_world::*;

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
