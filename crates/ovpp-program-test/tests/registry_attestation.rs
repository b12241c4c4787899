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
