//! Shared setup for the compressed-device tests: a world with a protocol tree holding the
//! LFDI chain head, a vendor tree, and an off-chain mirror of both (what the indexer serves).
#![allow(dead_code)]

use std::collections::HashMap;

pub use ovpp_registry::compressed::{
    body_hash, data_hash, device_leaf, head_body, leaf_hash, LFDI_MAX, LFDI_MIN,
};
pub use ovpp_registry::instructions::{
    CompressedDeviceActivateArgs, CompressedDeviceEntry, CompressedDeviceRegisterArgs,
    CompressedLeafArgs, CompressedTreeCreateArgs,
};
pub use ovpp_test_utils::compressed::*;

use super::common::*;
use solana_sdk::instruction::Instruction;

pub const DEPTH: u32 = 5;
pub const BUFFER: u32 = 8;

/// A compressed device the test tracks: its key, where its leaf is, and its preimage.
#[derive(Clone)]
pub struct Tracked {
    pub key: Pubkey,
    pub tree: Pubkey,
    pub index: u32,
    pub device: CompressedDevice,
}

pub struct Fleet {
    pub w: World,
    /// The protocol tree (holds the LFDI chain head at index 0).
    pub protocol_tree: Pubkey,
    /// The vendor's own tree.
    pub vendor_tree: Pubkey,
    pub mirrors: HashMap<Pubkey, TreeMirror>,
    /// Linked leaves of the LFDI chain: (tree, index, link).
    pub links: Vec<(Pubkey, u32, ChainLink)>,
    pub device_keys: HashMap<Pubkey, Keypair>,
}

pub fn tree_args(depth: u32, buffer: u32, canopy: u32) -> CompressedTreeCreateArgs {
    CompressedTreeCreateArgs {
        max_depth: depth,
        max_buffer_size: buffer,
        canopy_depth: canopy,
    }
}

pub fn fp(seed: u32) -> [u8; 32] {
    let mut fp = [0u8; 32];
    fp[..4].copy_from_slice(&seed.to_be_bytes());
    fp[4] = 0x5A;
    fp[31] = 1;
    fp
}

impl Fleet {
    pub async fn new() -> Self {
        let mut w = World::new().await;
        let admin = w.admin.insecure_clone();
        let vendor = w.vendor.insecure_clone();
        let payer = w.env.payer().pubkey();
        let protocol_tree = Keypair::new();
        let vendor_tree = Keypair::new();
        w.env
            .send(
                &[
                    tree_account_create(payer, protocol_tree.pubkey(), DEPTH, BUFFER, 0),
                    compressed_tree_create(
                        admin.pubkey(),
                        None,
                        protocol_tree.pubkey(),
                        payer,
                        tree_args(DEPTH, BUFFER, 0),
                    ),
                    lfdi_chain_init(admin.pubkey(), protocol_tree.pubkey(), payer),
                ],
                &[&admin, &protocol_tree],
            )
            .await
            .expect("protocol tree + chain head");
        w.env
            .send(
                &[
                    tree_account_create(payer, vendor_tree.pubkey(), DEPTH, BUFFER, 0),
                    compressed_tree_create(
                        vendor.pubkey(),
                        Some(vendor.pubkey()),
                        vendor_tree.pubkey(),
                        payer,
                        tree_args(DEPTH, BUFFER, 0),
                    ),
                ],
                &[&vendor, &vendor_tree],
            )
            .await
            .expect("vendor tree");
        let mut mirrors = HashMap::new();
        let mut head_tree = TreeMirror::new(DEPTH);
        let head = ChainLink {
            lfdi: LFDI_MIN,
            next_lfdi: LFDI_MAX,
            body: head_body(),
        };
        head_tree.append(leaf_hash(&head.lfdi, &head.next_lfdi, &head.body));
        mirrors.insert(protocol_tree.pubkey(), head_tree);
        mirrors.insert(vendor_tree.pubkey(), TreeMirror::new(DEPTH));
        Fleet {
            w,
            protocol_tree: protocol_tree.pubkey(),
            vendor_tree: vendor_tree.pubkey(),
            mirrors,
            links: vec![(protocol_tree.pubkey(), 0, head)],
            device_keys: HashMap::new(),
        }
    }

    pub fn register_args(
        &mut self,
        owner: Pubkey,
        fps: &[[u8; 32]],
    ) -> CompressedDeviceRegisterArgs {
        CompressedDeviceRegisterArgs {
            owner,
            device_type: DeviceType::EvCharger,
            capabilities: caps(),
            issuer_ca: CA,
            devices: fps
                .iter()
                .map(|fp| {
                    let key = Keypair::new();
                    let entry = CompressedDeviceEntry {
                        device_key: key.pubkey(),
                        cert_fingerprint: *fp,
                        cert_not_after: CERT_VALID_UNTIL,
                    };
                    self.device_keys.insert(key.pubkey(), key);
                    entry
                })
                .collect(),
        }
    }

    /// Registers a batch into `tree` and mirrors it from the events.
    pub async fn register(
        &mut self,
        tree: Pubkey,
        owner: Pubkey,
        fps: &[[u8; 32]],
    ) -> (Vec<Tracked>, ovpp_test_utils::harness::TxOutcome) {
        let args = self.register_args(owner, fps);
        let vendor = self.w.vendor.insecure_clone();
        let out = self
            .w
            .env
            .send(
                &[compressed_device_register(vendor.pubkey(), tree, args)],
                &[&vendor],
            )
            .await
            .expect("compressed_device_register");
        let events: Vec<CompressedDeviceChanged> =
            ovpp_test_utils::harness::event_payloads(&out.logs)
                .into_iter()
                .filter_map(|d| decode_event::<CompressedDeviceChanged>(&d))
                .collect();
        assert_eq!(events.len(), fps.len());
        let mirror = self.mirrors.get_mut(&tree).unwrap();
        let tracked = events
            .into_iter()
            .map(|e| {
                assert_eq!(e.leaf, device_leaf(&e.device).unwrap());
                assert_eq!(mirror.append(e.leaf), e.index);
                Tracked {
                    key: e.device.device_key,
                    tree,
                    index: e.index,
                    device: e.device,
                }
            })
            .collect();
        (tracked, out)
    }

    pub fn find_low(&self, lfdi: &[u8; 20]) -> (Pubkey, u32, ChainLink) {
        *self
            .links
            .iter()
            .find(|(_, _, l)| l.lfdi <= *lfdi && *lfdi <= l.next_lfdi)
            .expect("an interval holds every LFDI")
    }

    /// The activation instruction a client builds from the mirror (the low leaf from the
    /// chain, both proofs at the current roots).
    pub fn activate_ix(&self, d: &Tracked, signer: Pubkey) -> Instruction {
        let (low_tree, low_index, low) = self.find_low(&d.device.lfdi);
        let low_mirror = &self.mirrors[&low_tree];
        let mirror = &self.mirrors[&d.tree];
        compressed_device_activate(
            signer,
            d.device.vendor,
            d.tree,
            (low_tree != d.tree).then_some(low_tree),
            CompressedDeviceActivateArgs {
                lfdi: d.device.lfdi,
                data_hash: data_hash(&d.device.data).unwrap(),
                index: d.index,
                root: mirror.root(),
                low,
                low_index,
                low_root: low_mirror.root(),
                low_proof_len: 0,
            },
            &low_mirror.proof(low_index),
            &mirror.proof(d.index),
        )
    }

    /// Activates `d` (its key signs) and mirrors both leaf changes.
    pub async fn activate(&mut self, d: &mut Tracked) -> ovpp_test_utils::harness::TxOutcome {
        let key = self.device_keys[&d.key].insecure_clone();
        let ix = self.activate_ix(d, key.pubkey());
        let out = self.w.env.send(&[ix], &[&key]).await.expect("activate");
        let e: CompressedDeviceActivated = find_event(&out.logs).expect("activated event");
        let (low_tree, low_index, low) = self.find_low(&d.device.lfdi);
        self.mirrors
            .get_mut(&low_tree)
            .unwrap()
            .set(low_index, e.low_leaf);
        d.device.status = CompressedStatus::Active;
        d.device.next_lfdi = low.next_lfdi;
        assert_eq!(device_leaf(&d.device).unwrap(), e.leaf);
        self.mirrors.get_mut(&d.tree).unwrap().set(d.index, e.leaf);
        for link in self.links.iter_mut() {
            if link.0 == low_tree && link.1 == low_index {
                link.2.next_lfdi = d.device.lfdi;
            }
        }
        let body = body_hash(
            &d.device.device_key,
            &d.device.vendor,
            CompressedStatus::Active,
            &data_hash(&d.device.data).unwrap(),
        );
        self.links.push((
            d.tree,
            d.index,
            ChainLink {
                lfdi: d.device.lfdi,
                next_lfdi: d.device.next_lfdi,
                body,
            },
        ));
        out
    }

    /// The leaf as it is now: a later activation may have re-linked it (its `next_lfdi`).
    pub fn current(&self, d: &Tracked) -> CompressedDevice {
        let mut device = d.device;
        if let Some(link) = self.links.iter().find(|l| l.0 == d.tree && l.1 == d.index) {
            device.next_lfdi = link.2.next_lfdi;
        }
        device
    }

    pub fn args(&self, d: &Tracked) -> CompressedLeafArgs {
        self.mirrors[&d.tree].leaf_args(self.current(d), d.index)
    }

    pub fn proof(&self, d: &Tracked) -> Vec<[u8; 32]> {
        self.mirrors[&d.tree].proof(d.index)
    }

    /// Applies a `CompressedDeviceChanged` from `out` to the mirror and to `d`.
    pub fn apply(&mut self, d: &mut Tracked, out: &ovpp_test_utils::harness::TxOutcome) {
        let e: CompressedDeviceChanged = find_event(&out.logs).expect("changed event");
        assert_eq!((e.merkle_tree, e.index), (d.tree, d.index));
        assert_eq!(e.leaf, device_leaf(&e.device).unwrap());
        d.device = e.device;
        self.mirrors.get_mut(&d.tree).unwrap().set(d.index, e.leaf);
    }
}

pub fn decode_event<E: anchor_lang::Event + anchor_lang::AnchorDeserialize>(
    data: &[u8],
) -> Option<E> {
    let disc = E::DISCRIMINATOR;
    (data.len() >= disc.len() && &data[..disc.len()] == disc)
        .then(|| E::try_from_slice(&data[disc.len()..]).ok())
        .flatten()
}
