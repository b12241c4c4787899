//! Registry device audit regressions: a device is owned only once its owner signs
//! `device_claim`, and its vendor re-points only an unclaimed device's claim (finding 4);
//! a suspension is lifted only at its level or above (finding 9).
mod common;

use common::*;

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
    assert_send_err!(
        w.env,
        &[name_register(device_pda_, victim.pubkey(), payer, "forced")],
        &[&victim],
        RegistryError::DeviceUnclaimed
    );
    assert_send_err!(
        w.env,
        &[member_register(dk.pubkey(), victim.pubkey(), payer)],
        &[&victim],
        RegistryError::DeviceUnclaimed
    );
    assert_send_err!(
        w.env,
        &[device_owner_transfer(
            dk.pubkey(),
            victim.pubkey(),
            stranger.pubkey(),
        )],
        &[&victim],
        RegistryError::DeviceUnclaimed
    );
    // Only the pending owner claims.
    assert_send_err!(
        w.env,
        &[device_claim(dk.pubkey(), stranger.pubkey(), None)],
        &[&stranger],
        RegistryError::NotPendingOwner
    );
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
    assert_send_err!(
        w.env,
        &[device_claim(dk.pubkey(), stranger.pubkey(), None)],
        &[&stranger],
        RegistryError::NotPendingOwner
    );
    assert_send_err!(
        w.env,
        &[device_transfer_cancel(dk.pubkey(), victim.pubkey())],
        &[&victim],
        RegistryError::NotPendingOwner
    );

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
    assert_send_err!(
        w.env,
        &[ix],
        &[&vendor, &dk2, &other],
        RegistryError::InvalidOwner
    );
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
    w.status(&admin, &dk, Status::Suspended, None)
        .await
        .unwrap();
    let d: Device = w.env.fetch(device_pda(&dk.pubkey())).await;
    assert_eq!(d.suspended_by, SuspendedBy::Protocol);
    let r = w.status(&vendor, &dk, Status::Active, None).await;
    assert_anchor_err!(r, RegistryError::SuspendedByProtocol);
    w.status(&admin, &dk, Status::Active, None).await.unwrap();

    // The vendor suspends; the protocol takes the suspension over; the vendor cannot lift it.
    w.status(&vendor, &dk, Status::Suspended, None)
        .await
        .unwrap();
    w.status(&admin, &dk, Status::Suspended, None)
        .await
        .unwrap();
    let r = w.status(&vendor, &dk, Status::Active, None).await;
    assert_anchor_err!(r, RegistryError::SuspendedByProtocol);
    w.status(&admin, &dk, Status::Active, None).await.unwrap();

    // A revoked vendor can do nothing to its devices any more.
    w.status(&vendor, &dk, Status::Suspended, None)
        .await
        .unwrap();
    w.partner_status(vendor.pubkey(), Status::Revoked).await;
    let r = w.status(&vendor, &dk, Status::Active, None).await;
    assert_anchor_err!(r, RegistryError::PartnerNotActive);
    let r = w.status(&vendor, &dk, Status::Revoked, None).await;
    assert_anchor_err!(r, RegistryError::PartnerNotActive);
    let vendor_pda = partner_pda(&vendor.pubkey());
    assert_send_err!(
        w.env,
        &[partner_ca_remove(vendor.pubkey(), vendor_pda, CA)],
        &[&vendor],
        RegistryError::PartnerNotActive
    );
    assert_send_err!(
        w.env,
        &[device_capabilities_update(
            vendor.pubkey(),
            dk.pubkey(),
            caps(),
        )],
        &[&vendor],
        RegistryError::PartnerNotActive
    );
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
    assert_send_err!(
        w.env,
        &[device_claim(dk.pubkey(), typo.pubkey(), None)],
        &[&typo],
        RegistryError::NotPendingOwner
    );
    w.env
        .send(
            &[device_claim(dk.pubkey(), intended.pubkey(), None)],
            &[&intended],
        )
        .await
        .unwrap();
    // Claimed: the vendor can no longer move it.
    assert_send_err!(
        w.env,
        &[device_pending_owner_set(
            vendor.pubkey(),
            dk.pubkey(),
            typo.pubkey(),
        )],
        &[&vendor],
        RegistryError::InvalidOwner
    );
    let d: Device = w.env.fetch(device_pda(&dk.pubkey())).await;
    assert_eq!(
        (d.owner, d.pending_owner),
        (intended.pubkey(), Pubkey::default())
    );
}
