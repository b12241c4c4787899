//! Registry integration tests, attestations: issued by the protocol authority, expiry.
mod common;

use common::*;

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
    assert_send_err!(
        w.env,
        &[attestation_issue(
            vendor.pubkey(),
            device,
            payer,
            args(AttestationKind::CertificateChain, CERT_VALID_UNTIL),
        )],
        &[&vendor],
        RegistryError::Unauthorized
    );
    // Subjects are devices or partners, never other accounts; expiry must be in the future.
    assert_send_err!(
        w.env,
        &[attestation_issue(
            admin.pubkey(),
            cert_pda(&fingerprint(40)),
            payer,
            args(AttestationKind::CertificateChain, CERT_VALID_UNTIL),
        )],
        &[&admin],
        RegistryError::InvalidAttestationSubject
    );
    assert_send_err!(
        w.env,
        &[attestation_issue(
            admin.pubkey(),
            device,
            payer,
            args(AttestationKind::CertificateChain, 1),
        )],
        &[&admin],
        RegistryError::InvalidAttestationExpiry
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

#[tokio::test]
async fn endpoint_attestations_are_checked_and_renewable_failure() {
    use ovpp_registry::events::EndpointAttested;
    use ovpp_registry::state::EndpointAttestation;
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let admin = w.admin.insecure_clone();
    let vendor = w.vendor.insecure_clone();
    let url = "https://vtn.gridco.example/openadr3";
    let attest = |authority: Pubkey, endpoint: &str, kind, expires_at| {
        endpoint_attest(authority, payer, endpoint, kind, [4; 32], expires_at)
    };

    // Only the protocol authority attests endpoints.
    assert_send_err!(
        w.env,
        &[attest(
            vendor.pubkey(),
            url,
            AttestationKind::OpenAdr3Conformance,
            CERT_VALID_UNTIL
        )],
        &[&vendor],
        RegistryError::Unauthorized
    );
    // One of the three endpoint kinds, a future expiry, a URL of at most 200 bytes.
    for (endpoint, kind, expires_at, expected) in [
        (
            url,
            AttestationKind::CertificateChain,
            CERT_VALID_UNTIL,
            RegistryError::InvalidEndpointKind,
        ),
        (
            url,
            AttestationKind::OpenAdr3Conformance,
            1,
            RegistryError::InvalidAttestationExpiry,
        ),
    ] {
        assert_send_err!(
            w.env,
            &[attest(admin.pubkey(), endpoint, kind, expires_at)],
            &[&admin],
            expected
        );
    }
    // A URL over 200 bytes, and a URL whose hash (the seed) is another URL's, are refused.
    let long = "x".repeat(201);
    let too_long = attest(
        admin.pubkey(),
        &long,
        AttestationKind::OpenAdr3Conformance,
        CERT_VALID_UNTIL,
    );
    assert_send_err!(
        w.env,
        &[too_long],
        &[&admin],
        RegistryError::InvalidEndpoint
    );
    let other = "https://evil.example/openadr3";
    let mut swapped = attest(
        admin.pubkey(),
        other,
        AttestationKind::OpenAdr3Conformance,
        CERT_VALID_UNTIL,
    );
    let honest = attest(
        admin.pubkey(),
        url,
        AttestationKind::OpenAdr3Conformance,
        CERT_VALID_UNTIL,
    );
    // `other`'s seed and hash with `url` as the endpoint string: data = disc, len, url, hash(other), ...
    let mut data = honest.data.clone();
    let hash_at = 8 + 4 + url.len();
    data[hash_at..hash_at + 32].copy_from_slice(&ovpp_registry::identity::name_hash(other));
    swapped.data = data;
    assert_send_err!(w.env, &[swapped], &[&admin], RegistryError::InvalidEndpoint);

    // Issued, then renewed in place with a rotated server key.
    let out = w
        .env
        .send(
            &[attest(
                admin.pubkey(),
                url,
                AttestationKind::OpenAdr3Conformance,
                CERT_VALID_UNTIL,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    let ev: EndpointAttested = find_event(&out.logs).unwrap();
    assert_eq!(ev.endpoint, url);
    let renew = endpoint_attest(
        admin.pubkey(),
        payer,
        url,
        AttestationKind::OpenAdr3Conformance,
        [5; 32],
        CERT_VALID_UNTIL,
    );
    w.env.send(&[renew], &[&admin]).await.unwrap();
    let a: EndpointAttestation = w.env.fetch(endpoint_attestation_pda(url)).await;
    assert_eq!(
        (a.endpoint.as_str(), a.spki_sha256, a.issuer),
        (url, [5; 32], admin.pubkey())
    );
}
