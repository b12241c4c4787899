//! Compressed devices: batched registration, activation into the LFDI chain, claim, transfer,
//! status and revocation, read-only verification; and the refusals (forged proofs, stale
//! roots, another tree's proof, another vendor's leaf, replayed claims, duplicate LFDIs).
mod common;
mod compressed;

use common::*;
use compressed::*;
use solana_sdk::instruction::Instruction;

fn fps(from: u32, n: u32) -> Vec<[u8; 32]> {
    (from..from + n).map(fp).collect()
}

#[tokio::test]
async fn compressed_device_lifecycle_success() {
    let mut f = Fleet::new().await;
    let owner = Keypair::new();
    let vendor_tree = f.vendor_tree;
    let (mut batch, out) = f.register(vendor_tree, owner.pubkey(), &fps(1, 8)).await;
    assert_eq!(batch.len(), 8, "8 devices in one transaction");
    let tree: CompressedTree = f.w.env.fetch(compressed_tree_pda(&vendor_tree)).await;
    assert_eq!(tree.leaf_count, 8);
    assert_eq!(tree.vendor, partner_pda(&f.w.vendor.pubkey()));
    assert!(batch
        .iter()
        .all(|d| d.device.status == CompressedStatus::Provisioned));
    assert!(out
        .logs
        .iter()
        .any(|l| l.contains(&COMPRESSION_ID.to_string())));

    // A provisioned device is not usable yet.
    let verify = compressed_device_verify(vendor_tree, f.args(&batch[0]), &f.proof(&batch[0]));
    assert_send_err!(f.w.env, &[verify], &[], RegistryError::DeviceNotActive);

    // Each device key activates its own leaf (in any order); the chain stays sorted.
    for d in batch.iter_mut().rev() {
        f.activate(d).await;
    }
    let mut sorted: Vec<[u8; 20]> = f.links.iter().map(|l| l.2.lfdi).collect();
    sorted.sort();
    for (i, l) in sorted.iter().enumerate().skip(1) {
        let link = f.links.iter().find(|x| x.2.lfdi == sorted[i - 1]).unwrap();
        assert_eq!(link.2.next_lfdi, *l);
    }

    // Read-only verification: the tree is not write-locked.
    let mut d = batch[3].clone();
    let verify = compressed_device_verify(vendor_tree, f.args(&d), &f.proof(&d));
    assert!(verify.accounts.iter().all(|m| !m.is_writable));
    f.w.env.send(&[verify], &[]).await.expect("verify");

    // Claim with consent: only the pending owner.
    let out =
        f.w.env
            .send(
                &[compressed_device_claim(
                    owner.pubkey(),
                    vendor_tree,
                    f.args(&d),
                    &f.proof(&d),
                )],
                &[&owner],
            )
            .await
            .expect("claim");
    f.apply(&mut d, &out);
    assert_eq!(d.device.data.owner, owner.pubkey());
    assert_eq!(d.device.data.pending_owner, Pubkey::default());
    assert_eq!(d.device.data.owner_epoch, 1);

    // Transfer: the owner proposes, the new owner claims.
    let buyer = Keypair::new();
    let out =
        f.w.env
            .send(
                &[compressed_device_owner_transfer(
                    owner.pubkey(),
                    vendor_tree,
                    f.args(&d),
                    buyer.pubkey(),
                    &f.proof(&d),
                )],
                &[&owner],
            )
            .await
            .expect("transfer");
    f.apply(&mut d, &out);
    assert_eq!(d.device.data.owner, owner.pubkey());
    let out =
        f.w.env
            .send(
                &[compressed_device_claim(
                    buyer.pubkey(),
                    vendor_tree,
                    f.args(&d),
                    &f.proof(&d),
                )],
                &[&buyer],
            )
            .await
            .expect("buyer claims");
    f.apply(&mut d, &out);
    assert_eq!(
        (d.device.data.owner, d.device.data.owner_epoch),
        (buyer.pubkey(), 2)
    );

    // Status: the vendor suspends and reinstates; the protocol revokes (terminal).
    let vendor = f.w.vendor.insecure_clone();
    for status in [CompressedStatus::Suspended, CompressedStatus::Active] {
        let out =
            f.w.env
                .send(
                    &[compressed_device_status_set(
                        vendor.pubkey(),
                        vendor_tree,
                        f.args(&d),
                        status,
                        &f.proof(&d),
                    )],
                    &[&vendor],
                )
                .await
                .expect("status");
        f.apply(&mut d, &out);
        assert_eq!(d.device.status, status);
    }
    let admin = f.w.admin.insecure_clone();
    let out =
        f.w.env
            .send(
                &[compressed_device_status_set(
                    admin.pubkey(),
                    vendor_tree,
                    f.args(&d),
                    CompressedStatus::Revoked,
                    &f.proof(&d),
                )],
                &[&admin],
            )
            .await
            .expect("revoke");
    f.apply(&mut d, &out);
    assert_eq!(d.device.status, CompressedStatus::Revoked);
    assert_eq!(
        d.device.next_lfdi, batch[3].device.next_lfdi,
        "the LFDI stays in the chain"
    );
    let verify = compressed_device_verify(vendor_tree, f.args(&d), &f.proof(&d));
    assert_send_err!(f.w.env, &[verify], &[], RegistryError::DeviceNotActive);
    assert_send_err!(
        f.w.env,
        &[compressed_device_status_set(
            vendor.pubkey(),
            vendor_tree,
            f.args(&d),
            CompressedStatus::Active,
            &f.proof(&d)
        )],
        &[&vendor],
        RegistryError::InvalidStatusTransition
    );

    // A protocol tree takes any active vendor's devices.
    let protocol_tree = f.protocol_tree;
    let (mut shared, _) = f
        .register(protocol_tree, owner.pubkey(), &fps(100, 8))
        .await;
    f.activate(&mut shared[0]).await;
    let v = compressed_device_verify(protocol_tree, f.args(&shared[0]), &f.proof(&shared[0]));
    f.w.env
        .send(&[v], &[])
        .await
        .expect("verify in the protocol tree");
}

fn tamper(proof: &[[u8; 32]]) -> Vec<[u8; 32]> {
    let mut p = proof.to_vec();
    p[1][0] ^= 1;
    p
}

#[tokio::test]
async fn compressed_device_proof_refusals_failure() {
    let mut f = Fleet::new().await;
    let owner = Keypair::new();
    let vendor_tree = f.vendor_tree;
    let (mut batch, _) = f.register(vendor_tree, owner.pubkey(), &fps(1, 8)).await;
    for d in batch.iter_mut() {
        f.activate(d).await;
    }
    let d = batch[2].clone();

    // Forged proof: one node changed.
    let ix = compressed_device_claim(
        owner.pubkey(),
        vendor_tree,
        f.args(&d),
        &tamper(&f.proof(&d)),
    );
    assert_send_err!(
        f.w.env,
        &[ix],
        &[&owner],
        AccountCompressionError::ConcurrentMerkleTreeError
    );
    // Forged leaf: a preimage that is not in the tree (the owner-elect replaced).
    let thief = Keypair::new();
    let mut forged = f.args(&d);
    forged.device.data.pending_owner = thief.pubkey();
    let ix = compressed_device_claim(thief.pubkey(), vendor_tree, forged, &f.proof(&d));
    assert_send_err!(
        f.w.env,
        &[ix],
        &[&thief],
        AccountCompressionError::ConcurrentMerkleTreeError
    );
    // Forged verification (settlement): a different owner in the preimage.
    let mut forged = f.args(&d);
    forged.device.data.owner = thief.pubkey();
    let ix = compressed_device_verify(vendor_tree, forged, &f.proof(&d));
    assert_send_err!(
        f.w.env,
        &[ix],
        &[],
        AccountCompressionError::ConcurrentMerkleTreeError
    );
    // Not the pending owner.
    let ix = compressed_device_claim(thief.pubkey(), vendor_tree, f.args(&d), &f.proof(&d));
    assert_send_err!(f.w.env, &[ix], &[&thief], RegistryError::NotPendingOwner);

    // Another tree's proof: the vendor tree's proof and root against the protocol tree.
    let protocol_tree = f.protocol_tree;
    let ix = compressed_device_claim(owner.pubkey(), protocol_tree, f.args(&d), &f.proof(&d));
    assert_send_err!(
        f.w.env,
        &[ix],
        &[&owner],
        AccountCompressionError::ConcurrentMerkleTreeError
    );
    // ... or the protocol tree's registry account with the vendor's tree account.
    let mut ix = compressed_device_claim(owner.pubkey(), vendor_tree, f.args(&d), &f.proof(&d));
    ix.accounts[1].pubkey = compressed_tree_pda(&protocol_tree);
    assert_send_err!(f.w.env, &[ix], &[&owner], AnchorError::ConstraintSeeds);

    // Stale root: a proof taken now stays valid for up to BUFFER changes of the tree...
    let stale_args = f.args(&d);
    let stale_proof = f.proof(&d);
    let mut e = batch[5].clone();
    let out =
        f.w.env
            .send(
                &[compressed_device_claim(
                    owner.pubkey(),
                    vendor_tree,
                    f.args(&e),
                    &f.proof(&e),
                )],
                &[&owner],
            )
            .await
            .unwrap();
    f.apply(&mut e, &out);
    let v = compressed_device_verify(vendor_tree, stale_args.clone(), &stale_proof);
    f.w.env
        .send(&[v], &[])
        .await
        .expect("a proof one change old is fast-forwarded");
    // ... but not after more than BUFFER changes that touched its path.
    f.register(vendor_tree, owner.pubkey(), &fps(20, 8)).await;
    f.register(vendor_tree, owner.pubkey(), &fps(30, 8)).await;
    let ix = compressed_device_claim(owner.pubkey(), vendor_tree, stale_args, &stale_proof);
    assert_send_err!(
        f.w.env,
        &[ix],
        &[&owner],
        AccountCompressionError::ConcurrentMerkleTreeError
    );
    // The refetched proof works: the claim goes through exactly once; a replay is refused.
    let mut d = d;
    let claim = compressed_device_claim(owner.pubkey(), vendor_tree, f.args(&d), &f.proof(&d));
    let out =
        f.w.env
            .send(std::slice::from_ref(&claim), &[&owner])
            .await
            .expect("claim");
    f.apply(&mut d, &out);
    assert_send_err!(
        f.w.env,
        &[claim],
        &[&owner],
        AccountCompressionError::ConcurrentMerkleTreeError
    );
}

#[tokio::test]
async fn compressed_device_identity_refusals_failure() {
    let mut f = Fleet::new().await;
    let owner = Keypair::new();
    let vendor_tree = f.vendor_tree;
    let protocol_tree = f.protocol_tree;
    let vendor = f.w.vendor.insecure_clone();

    // Duplicate LFDI inside a batch; batches of 0 or 17.
    let mut dup = fps(1, 8);
    dup[7] = dup[0];
    let args = f.register_args(owner.pubkey(), &dup);
    assert_send_err!(
        f.w.env,
        &[compressed_device_register(
            vendor.pubkey(),
            vendor_tree,
            args
        )],
        &[&vendor],
        RegistryError::DuplicateLfdi
    );
    for n in [0, 17] {
        let args = f.register_args(owner.pubkey(), &fps(1, n));
        assert_send_err!(
            f.w.env,
            &[compressed_device_register(
                vendor.pubkey(),
                vendor_tree,
                args
            )],
            &[&vendor],
            RegistryError::InvalidBatch
        );
    }
    // The vendor-side checks of device_register: issuer root, expiry.
    let mut args = f.register_args(owner.pubkey(), &fps(1, 8));
    args.issuer_ca = [9; 32];
    assert_send_err!(
        f.w.env,
        &[compressed_device_register(
            vendor.pubkey(),
            vendor_tree,
            args
        )],
        &[&vendor],
        RegistryError::UnknownIssuerCa
    );
    let mut args = f.register_args(owner.pubkey(), &fps(1, 8));
    args.devices[3].cert_not_after = 1;
    assert_send_err!(
        f.w.env,
        &[compressed_device_register(
            vendor.pubkey(),
            vendor_tree,
            args
        )],
        &[&vendor],
        RegistryError::CertificateExpired
    );

    // The same certificate provisioned twice (two batches, two trees): only one activates.
    let (mut a, _) = f.register(vendor_tree, owner.pubkey(), &fps(1, 8)).await;
    let (b, _) = f.register(protocol_tree, owner.pubkey(), &fps(1, 8)).await;
    f.activate(&mut a[0]).await;
    let key = f.device_keys[&b[0].key].insecure_clone();
    let ix = f.activate_ix(&b[0], key.pubkey());
    assert_send_err!(f.w.env, &[ix], &[&key], RegistryError::LfdiTaken);
    // A low leaf whose interval does not hold the LFDI.
    f.activate(&mut a[1]).await;
    let mut ix = f.activate_ix(&b[2], f.device_keys[&b[2].key].pubkey());
    let wrong = f
        .links
        .iter()
        .find(|l| l.2.lfdi == a[1].device.lfdi)
        .unwrap()
        .2;
    let args = CompressedDeviceActivateArgs {
        lfdi: b[2].device.lfdi,
        data_hash: data_hash(&b[2].device.data).unwrap(),
        index: b[2].index,
        root: f.mirrors[&protocol_tree].root(),
        low: ChainLink {
            lfdi: [0xEE; 20],
            ..wrong
        },
        low_index: 0,
        low_root: [0; 32],
        low_proof_len: 0,
    };
    ix.data =
        anchor_lang::InstructionData::data(&ovpp_registry::instruction::CompressedDeviceActivate {
            args,
        });
    let key = f.device_keys[&b[2].key].insecure_clone();
    assert_send_err!(f.w.env, &[ix], &[&key], RegistryError::LfdiNotInInterval);
    // Activation signed by another key than the leaf's: the leaf does not match.
    let other = Keypair::new();
    let ix = f.activate_ix(&b[2], other.pubkey());
    assert_send_err!(
        f.w.env,
        &[ix],
        &[&other],
        AccountCompressionError::ConcurrentMerkleTreeError
    );
    // An activated device cannot be activated again (its leaf is no longer provisioned).
    let key = f.device_keys[&a[1].key].insecure_clone();
    let mut again = a[1].clone();
    again.device.status = CompressedStatus::Provisioned;
    again.device.next_lfdi = [0; 20];
    let ix = f.activate_ix(&again, key.pubkey());
    assert_send_err!(f.w.env, &[ix], &[&key], RegistryError::LfdiTaken);

    // A full device's certificate cannot become compressed.
    let full_fp = fp(500);
    f.w.register_unclaimed(owner.pubkey(), full_fp).await;
    let (mut c, _) = f.register(vendor_tree, owner.pubkey(), &[full_fp]).await;
    let key = f.device_keys[&c[0].key].insecure_clone();
    let ix = f.activate_ix(&c[0], key.pubkey());
    assert_send_err!(f.w.env, &[ix], &[&key], RegistryError::LfdiTaken);
    let _ = &mut c;

    // A leaf of another vendor: a second vendor cannot register into this vendor's tree nor
    // change this vendor's devices.
    let admin = f.w.admin.insecure_clone();
    let other_vendor = Keypair::new();
    let payer = f.w.env.payer().pubkey();
    f.w.env
        .send(
            &partner_onboard(
                admin.pubkey(),
                other_vendor.pubkey(),
                payer,
                PartnerKind::Vendor,
                "Volt EV",
                "voltev",
                &[[42; 32]],
            ),
            &[&admin, &other_vendor],
        )
        .await
        .expect("second vendor");
    let mut args = f.register_args(owner.pubkey(), &fps(300, 8));
    args.issuer_ca = [42; 32];
    assert_send_err!(
        f.w.env,
        &[compressed_device_register(
            other_vendor.pubkey(),
            vendor_tree,
            args
        )],
        &[&other_vendor],
        RegistryError::VendorMismatch
    );
    let d = a[0].clone();
    let ix = compressed_device_status_set(
        other_vendor.pubkey(),
        vendor_tree,
        f.args(&d),
        CompressedStatus::Suspended,
        &f.proof(&d),
    );
    assert_send_err!(
        f.w.env,
        &[ix],
        &[&other_vendor],
        RegistryError::Unauthorized
    );
    let mut forged = f.args(&d);
    forged.device.vendor = partner_pda(&other_vendor.pubkey());
    let ix = compressed_device_status_set(
        other_vendor.pubkey(),
        vendor_tree,
        forged,
        CompressedStatus::Suspended,
        &f.proof(&d),
    );
    assert_send_err!(
        f.w.env,
        &[ix],
        &[&other_vendor],
        AccountCompressionError::ConcurrentMerkleTreeError
    );
    // Only the protocol lifts a protocol suspension.
    let mut d = d;
    let out =
        f.w.env
            .send(
                &[compressed_device_status_set(
                    admin.pubkey(),
                    vendor_tree,
                    f.args(&d),
                    CompressedStatus::Suspended,
                    &f.proof(&d),
                )],
                &[&admin],
            )
            .await
            .unwrap();
    f.apply(&mut d, &out);
    let ix = compressed_device_status_set(
        vendor.pubkey(),
        vendor_tree,
        f.args(&d),
        CompressedStatus::Active,
        &f.proof(&d),
    );
    assert_send_err!(
        f.w.env,
        &[ix],
        &[&vendor],
        RegistryError::SuspendedByProtocol
    );
    // A suspended vendor cannot register.
    f.w.partner_status(vendor.pubkey(), Status::Suspended).await;
    let args = f.register_args(owner.pubkey(), &fps(400, 8));
    assert_send_err!(
        f.w.env,
        &[compressed_device_register(
            vendor.pubkey(),
            vendor_tree,
            args
        )],
        &[&vendor],
        RegistryError::PartnerNotActive
    );
    let _: Option<Instruction> = None;
}
