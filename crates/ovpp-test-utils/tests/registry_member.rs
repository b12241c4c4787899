//! Registry integration tests, members: one per device, following its lifecycle.
mod common;

use common::*;

/// Finding 15: one member per device, following the device's status and ownership.
#[tokio::test]
async fn f15_one_member_per_device_follows_its_lifecycle_failure() {
    let mut w = World::new().await;
    let payer = w.env.payer().pubkey();
    let (alice, bob, carol) = (Keypair::new(), Keypair::new(), Keypair::new());
    let dk = w.register_device(&alice, fingerprint(80)).await;
    let device = device_pda(&dk.pubkey());
    let join = |owner: &Keypair| member_register(dk.pubkey(), owner.pubkey(), payer);
    w.env.send(&[join(&alice)], &[&alice]).await.unwrap();
    let d: Device = w.env.fetch(device).await;
    assert_eq!(d.member, member_pda(&alice.pubkey()));

    // Moving the device between wallets: each claim ends the previous owner's membership,
    // so at most one member is ever active for the device.
    let mut prev = alice.insecure_clone();
    for next in [&bob, &carol] {
        w.env
            .send(
                &[device_owner_transfer(
                    dk.pubkey(),
                    prev.pubkey(),
                    next.pubkey(),
                )],
                &[&prev],
            )
            .await
            .unwrap();
        // The claim must carry the device's member.
        assert_send_err!(
            w.env,
            &[device_claim(dk.pubkey(), next.pubkey(), None)],
            &[next],
            RegistryError::MemberMismatch
        );
        w.env
            .send(
                &[device_claim(
                    dk.pubkey(),
                    next.pubkey(),
                    Some(member_pda(&prev.pubkey())),
                )],
                &[next],
            )
            .await
            .unwrap();
        let m: Member = w.env.fetch(member_pda(&prev.pubkey())).await;
        assert_eq!(m.status, Status::Ended);
        w.env.send(&[join(next)], &[next]).await.unwrap();
        prev = next.insecure_clone();
    }
    let active: Vec<Status> = {
        let mut v = vec![];
        for who in [&alice, &bob, &carol] {
            let m: Member = w.env.fetch(member_pda(&who.pubkey())).await;
            v.push(m.status);
        }
        v
    };
    assert_eq!(active, vec![Status::Ended, Status::Ended, Status::Active]);
    // The protocol cannot revive an ended membership (the wallet no longer owns the device).
    assert_send_err!(
        w.env,
        &[member_status_set(
            w.admin.pubkey(),
            alice.pubkey(),
            device,
            Status::Active,
        )],
        &[&w.admin.insecure_clone()],
        RegistryError::MemberMismatch
    );
    // A second member for the same device is refused.
    let dk2 = w.register_device(&bob, fingerprint(81)).await;
    let _ = dk2;
    assert_send_err!(
        w.env,
        &[join(&carol)],
        &[&carol],
        RegistryError::DeviceHasMember
    );

    // Suspension moves the member with the device; a status change must carry the member.
    let (admin, vendor) = (w.admin.insecure_clone(), w.vendor.insecure_clone());
    let carol_member = Some(member_pda(&carol.pubkey()));
    let r = w.status(&vendor, &dk, Status::Suspended, None).await;
    assert_anchor_err!(r, RegistryError::MemberMismatch);
    w.status(&vendor, &dk, Status::Suspended, carol_member)
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(m.status, Status::Suspended);
    w.status(&vendor, &dk, Status::Active, carol_member)
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(m.status, Status::Active);
    // A member the protocol suspended stays suspended when the device is reinstated.
    w.env
        .send(
            &[member_status_set(
                admin.pubkey(),
                carol.pubkey(),
                device,
                Status::Suspended,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    w.status(&vendor, &dk, Status::Suspended, carol_member)
        .await
        .unwrap();
    // Nor can a member be reinstated while its device is suspended.
    assert_send_err!(
        w.env,
        &[member_status_set(
            admin.pubkey(),
            carol.pubkey(),
            device,
            Status::Active,
        )],
        &[&admin],
        RegistryError::DeviceNotActive
    );
    w.status(&vendor, &dk, Status::Active, carol_member)
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(m.status, Status::Suspended);
    w.env
        .send(
            &[member_status_set(
                admin.pubkey(),
                carol.pubkey(),
                device,
                Status::Active,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    // Revocation ends the membership; the wallet may join again with another device.
    w.status(&admin, &dk, Status::Revoked, carol_member)
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(m.status, Status::Ended);
    let d: Device = w.env.fetch(device).await;
    assert_eq!(d.member, Pubkey::default());
    let dk3 = w.register_device(&carol, fingerprint(82)).await;
    w.env
        .send(
            &[member_register(dk3.pubkey(), carol.pubkey(), payer)],
            &[&carol],
        )
        .await
        .unwrap();
    let m: Member = w.env.fetch(member_pda(&carol.pubkey())).await;
    assert_eq!(
        (m.status, m.device),
        (Status::Active, device_pda(&dk3.pubkey()))
    );
}
