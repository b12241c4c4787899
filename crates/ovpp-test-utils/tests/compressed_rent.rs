//! Rent and bytes per compressed device, from real accounts and real transactions: a
//! depth-20 / buffer-64 / canopy-10 tree (1M-device sizing) created through the registry, and
//! the serialized size of each compressed instruction at that sizing (proof = 10 nodes).
mod common;
mod compressed;

use common::*;
use compressed::*;
use solana_sdk::address_lookup_table::AddressLookupTableAccount;
use solana_sdk::hash::Hash;
use solana_sdk::instruction::Instruction;
use solana_sdk::message::{v0, VersionedMessage};
use solana_sdk::transaction::{Transaction, VersionedTransaction};

const MILLION: u64 = 1_000_000;

fn legacy_size(ixs: &[Instruction], payer: &Keypair, signers: &[&Keypair]) -> usize {
    let mut all = vec![payer];
    all.extend_from_slice(signers);
    let tx = Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &all, Hash::default());
    // compact signature count (1 byte below 128) + signatures + message
    1 + 64 * tx.signatures.len() + tx.message_data().len()
}

/// A v0 transaction whose static non-signer accounts (programs excepted) come from one lookup
/// table; proof nodes stay in the transaction.
fn v0_size(
    ixs: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
    table: Vec<Pubkey>,
) -> usize {
    let lut = AddressLookupTableAccount {
        key: Pubkey::new_unique(),
        addresses: table,
    };
    let message = v0::Message::try_compile(&payer.pubkey(), ixs, &[lut], Hash::default()).unwrap();
    let mut all = vec![payer];
    all.extend_from_slice(signers);
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &all).unwrap();
    1 + 64 * tx.signatures.len() + tx.message.serialize().len()
}

#[tokio::test]
async fn compressed_rent_and_bytes_per_device_at_1m_sizing() {
    let mut w = World::new().await;
    let admin = w.admin.insecure_clone();
    let payer = w.env.payer();
    let merkle_tree = Keypair::new();
    w.env
        .send(
            &[
                tree_account_create(payer.pubkey(), merkle_tree.pubkey(), 20, 64, 10),
                compressed_tree_create(
                    admin.pubkey(),
                    None,
                    merkle_tree.pubkey(),
                    payer.pubkey(),
                    tree_args(20, 64, 10),
                ),
            ],
            &[&admin, &merkle_tree],
        )
        .await
        .expect("1M tree");
    let account = w.env.account(merkle_tree.pubkey()).await.unwrap();
    let registry_account = w
        .env
        .account(compressed_tree_pda(&merkle_tree.pubkey()))
        .await
        .unwrap();
    assert_eq!(account.data.len(), 109_752);
    assert_eq!(account.owner, COMPRESSION_ID);
    // The formula of docs/design/fleet-scale.md, checked against the real account.
    assert_eq!(account.lamports, (128 + 109_752) * 6_960);
    let per_device = account.lamports / MILLION;
    let with_registry = (account.lamports + registry_account.lamports) / MILLION;
    println!(
        "tree account: {} bytes, {} lamports; registry tree record: {} bytes, {} lamports",
        account.data.len(),
        account.lamports,
        registry_account.data.len(),
        registry_account.lamports
    );
    println!("rent per device at 1M devices: {per_device} lamports (with the registry record: {with_registry})");
    assert!(
        with_registry <= 1_000,
        "{with_registry} lamports per device"
    );

    // Bytes per transaction at this sizing.
    let vendor = w.vendor.insecure_clone();
    let proof: Vec<[u8; 32]> = (0..10u8).map(|i| [i + 1; 32]).collect();
    let mut f_keys = Vec::new();
    let batch = |n: u32, keys: &mut Vec<Keypair>| CompressedDeviceRegisterArgs {
        owner: Keypair::new().pubkey(),
        device_type: DeviceType::EvCharger,
        capabilities: caps(),
        issuer_ca: CA,
        devices: (0..n)
            .map(|i| {
                let k = Keypair::new();
                let e = CompressedDeviceEntry {
                    device_key: k.pubkey(),
                    cert_fingerprint: fp(i + 1),
                    cert_not_after: CERT_VALID_UNTIL,
                };
                keys.push(k);
                e
            })
            .collect(),
    };
    let mt = merkle_tree.pubkey();
    let static_accounts = |ix: &Instruction| -> Vec<Pubkey> {
        ix.accounts
            .iter()
            .filter(|m| !m.is_signer && m.pubkey != ovpp_registry::ID)
            .map(|m| m.pubkey)
            .collect()
    };
    let mut report = Vec::new();
    for n in [8u32, 12, 16] {
        let ix = compressed_device_register(vendor.pubkey(), mt, batch(n, &mut f_keys));
        let legacy = legacy_size(std::slice::from_ref(&ix), &payer, &[&vendor]);
        let table: Vec<Pubkey> = static_accounts(&ix);
        let v0 = v0_size(std::slice::from_ref(&ix), &payer, &[&vendor], table);
        report.push(format!(
            "register {n}: legacy {legacy} B ({} B/device), v0+ALT {v0} B ({} B/device)",
            legacy / n as usize,
            v0 / n as usize
        ));
        if n == 8 {
            assert!(
                legacy <= 1_232,
                "8 devices fit a legacy transaction: {legacy}"
            );
        }
    }
    // Register 8 for real and time it (1M sizing, a real tree).
    let ix = compressed_device_register(vendor.pubkey(), mt, batch(8, &mut f_keys));
    let out = w.env.send(&[ix], &[&vendor]).await.expect("8 at 1M sizing");
    report.push(format!(
        "register 8 executed at depth 20: {} CU reported by the host (native: CPIs only)",
        out.compute_units
    ));

    let device = CompressedDevice {
        device_key: f_keys[0].pubkey(),
        vendor: partner_pda(&vendor.pubkey()),
        lfdi: [1; 20],
        next_lfdi: [2; 20],
        status: CompressedStatus::Active,
        data: CompressedDeviceData {
            owner: Keypair::new().pubkey(),
            pending_owner: Keypair::new().pubkey(),
            suspended_by: SuspendedBy::None,
            owner_epoch: 1,
            device_type: DeviceType::EvCharger,
            capabilities: caps(),
            issuer_ca: CA,
            cert_fingerprint: [1; 32],
            cert_not_after: CERT_VALID_UNTIL,
            name_hash: [0; 32],
            registered_at: 0,
            nonce: 0,
        },
    };
    let leaf_args = CompressedLeafArgs {
        device,
        index: 5,
        root: [3; 32],
    };
    let owner = Keypair::new();
    let claim = compressed_device_claim(owner.pubkey(), mt, leaf_args.clone(), &proof);
    let verify = compressed_device_verify(mt, leaf_args.clone(), &proof);
    let status = compressed_device_status_set(
        vendor.pubkey(),
        mt,
        leaf_args.clone(),
        CompressedStatus::Suspended,
        &proof,
    );
    let low_tree = Keypair::new().pubkey();
    let activate = compressed_device_activate(
        f_keys[0].pubkey(),
        partner_pda(&vendor.pubkey()),
        mt,
        Some(low_tree),
        CompressedDeviceActivateArgs {
            lfdi: [1; 20],
            data_hash: [4; 32],
            index: 5,
            root: [3; 32],
            low: ChainLink {
                lfdi: [0; 20],
                next_lfdi: [2; 20],
                body: [5; 32],
            },
            low_index: 9,
            low_root: [6; 32],
            low_proof_len: 0,
        },
        &proof
            .iter()
            .map(|n| {
                let mut m = *n;
                m[0] ^= 0x80;
                m
            })
            .collect::<Vec<_>>(),
        &proof,
    );
    let activate_same = {
        let mut ix = activate.clone();
        // the low leaf in the same tree: the optional accounts are the program id
        ix.accounts[4].pubkey = ovpp_registry::ID;
        ix.accounts[4].is_writable = false;
        ix.accounts[5].pubkey = ovpp_registry::ID;
        ix.accounts[5].is_writable = false;
        ix
    };
    let dk = f_keys[0].insecure_clone();
    for (name, ix, signers) in [
        ("claim", &claim, vec![&owner]),
        ("status", &status, vec![&vendor]),
        ("verify", &verify, vec![]),
        ("activate (low leaf in another tree)", &activate, vec![&dk]),
        (
            "activate (low leaf in the same tree)",
            &activate_same,
            vec![&dk],
        ),
    ] {
        let legacy = legacy_size(std::slice::from_ref(ix), &payer, &signers);
        let table: Vec<Pubkey> = static_accounts(ix)
            .into_iter()
            .filter(|k| !proof.iter().any(|n| n[1..] == k.to_bytes()[1..]))
            .collect();
        let v0 = v0_size(std::slice::from_ref(ix), &payer, &signers, table);
        report.push(format!("{name}: legacy {legacy} B, v0+ALT {v0} B"));
    }
    // The activation with the device key paying its own fee (one signature).
    let legacy = legacy_size(std::slice::from_ref(&activate_same), &dk, &[]);
    let v0 = v0_size(
        std::slice::from_ref(&activate_same),
        &dk,
        &[],
        static_accounts(&activate_same)
            .into_iter()
            .filter(|k| !proof.iter().any(|n| n[1..] == k.to_bytes()[1..]))
            .collect(),
    );
    report.push(format!(
        "activate (same tree, device key pays): legacy {legacy} B, v0+ALT {v0} B"
    ));
    for line in &report {
        println!("{line}");
    }
}
