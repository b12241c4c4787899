//! Rust instruction builders and PDA helpers for `ovpp_registry`, used by the Rust tests
//! (the TypeScript SDK has the same set in `sdk/src/registry`).
use anchor_lang::system_program;
use ovpp_registry::accounts as acc;
use ovpp_registry::constants::*;
use ovpp_registry::identity::name_hash;
use ovpp_registry::instruction as ix;
use ovpp_registry::instructions::*;
use ovpp_registry::state::*;
use ovpp_registry::ID;
use solana_sdk::instruction::{AccountMeta, Instruction};
use solana_sdk::pubkey::Pubkey;

use crate::harness::anchor_ix;

/// The ProgramData address of a program deployed through the upgradeable loader.
pub fn program_data_address(program: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[program.as_ref()],
        &anchor_lang::solana_program::bpf_loader_upgradeable::ID,
    )
    .0
}

pub fn ca_index_pda(fingerprint: &[u8; 32]) -> Pubkey {
    Pubkey::find_program_address(&[SEED_CA, fingerprint.as_ref()], &ID).0
}

/// Anchor's encoding of an absent optional account: the program id, read-only.
fn none_account() -> AccountMeta {
    AccountMeta::new_readonly(ID, false)
}

pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[SEED_CONFIG], &ID).0
}
pub fn partner_pda(authority: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_PARTNER, authority.as_ref()], &ID).0
}
pub fn device_pda(device_key: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_DEVICE, device_key.as_ref()], &ID).0
}
pub fn cert_pda(cert_fingerprint: &[u8; 32]) -> Pubkey {
    Pubkey::find_program_address(&[SEED_CERT, &cert_fingerprint[..LFDI_LEN]], &ID).0
}
pub fn name_pda(name: &str) -> Pubkey {
    Pubkey::find_program_address(&[SEED_NAME, name_hash(name).as_ref()], &ID).0
}
/// The skeleton reservation of a name's look-alikes, `["skeleton", sha256(skeleton(name))]`.
pub fn skeleton_record_pda(name: &str) -> Pubkey {
    skeleton_pda(name).0
}
pub fn reverse_pda(target: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_REVERSE, target.as_ref()], &ID).0
}

pub fn attestation_pda(subject: &Pubkey, kind: AttestationKind) -> Pubkey {
    Pubkey::find_program_address(&[SEED_ATTESTATION, subject.as_ref(), kind.seed()], &ID).0
}

/// `["endpoint", sha256(endpoint)]`: the registry's attestation of a utility endpoint.
pub fn endpoint_attestation_pda(endpoint: &str) -> Pubkey {
    Pubkey::find_program_address(&[SEED_ENDPOINT, name_hash(endpoint).as_ref()], &ID).0
}

/// Attests `endpoint` (protocol authority) for `kind`, having seen the server key `spki_sha256`.
pub fn endpoint_attest(
    authority: Pubkey,
    payer: Pubkey,
    endpoint: &str,
    kind: AttestationKind,
    spki_sha256: [u8; 32],
    expires_at: i64,
) -> Instruction {
    anchor_ix(
        ID,
        acc::EndpointAttest {
            config: config_pda(),
            authority,
            attestation: endpoint_attestation_pda(endpoint),
            payer,
            system_program: system_program::ID,
        },
        ix::EndpointAttest {
            args: EndpointAttestArgs {
                endpoint: endpoint.into(),
                endpoint_hash: name_hash(endpoint),
                kind,
                spki_sha256,
                evidence_hash: [0xe5; 32],
                expires_at,
            },
        },
    )
}

pub fn endpoint_attestation_revoke(authority: Pubkey, endpoint: &str) -> Instruction {
    anchor_ix(
        ID,
        acc::EndpointAttestationRevoke {
            config: config_pda(),
            authority,
            attestation: endpoint_attestation_pda(endpoint),
        },
        ix::EndpointAttestationRevoke {},
    )
}

pub fn attestation_issue(
    authority: Pubkey,
    subject: Pubkey,
    payer: Pubkey,
    args: AttestationIssueArgs,
) -> Instruction {
    anchor_ix(
        ID,
        acc::AttestationIssue {
            config: config_pda(),
            authority,
            subject,
            attestation: attestation_pda(&subject, args.kind),
            payer,
            system_program: system_program::ID,
        },
        ix::AttestationIssue { args },
    )
}

pub fn attestation_revoke(
    authority: Pubkey,
    subject: Pubkey,
    kind: AttestationKind,
) -> Instruction {
    anchor_ix(
        ID,
        acc::AttestationRevoke {
            config: config_pda(),
            authority,
            attestation: attestation_pda(&subject, kind),
        },
        ix::AttestationRevoke {},
    )
}

pub fn member_pda(wallet: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_MEMBER, wallet.as_ref()], &ID).0
}

pub fn member_register(device_key: Pubkey, owner: Pubkey, payer: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::MemberRegister {
            device: device_pda(&device_key),
            owner,
            member: member_pda(&owner),
            payer,
            system_program: system_program::ID,
        },
        ix::MemberRegister {},
    )
}

/// Member status change; `device` is the member's device account (`member.device`).
pub fn member_status_set(
    authority: Pubkey,
    wallet: Pubkey,
    device: Pubkey,
    status: Status,
) -> Instruction {
    anchor_ix(
        ID,
        acc::MemberStatusSet {
            config: config_pda(),
            authority,
            member: member_pda(&wallet),
            device,
        },
        ix::MemberStatusSet {
            args: MemberStatusSetArgs { status },
        },
    )
}

/// `config_init` signed by the localnet deployer ([`crate::keys::localnet_admin`] must sign).
pub fn config_init(payer: Pubkey, authority: Pubkey) -> Instruction {
    config_init_as(ovpp_registry::deployer::LOCALNET_ADMIN, payer, authority)
}

/// `config_init` with a chosen deployer signer (for the front-running tests).
pub fn config_init_as(deployer: Pubkey, payer: Pubkey, authority: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::ConfigInit {
            config: config_pda(),
            deployer,
            program: ID,
            program_data: program_data_address(&ID),
            payer,
            system_program: system_program::ID,
        },
        ix::ConfigInit {
            args: ConfigInitArgs { authority },
        },
    )
}

pub fn config_authority_set(authority: Pubkey, new_authority: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::ConfigAuthoritySet {
            config: config_pda(),
            authority,
            new_authority,
        },
        ix::ConfigAuthoritySet {},
    )
}

/// The raw `partner_register` (no CA roots): `handle` is reserved as the partner's name.
pub fn partner_register(
    authority: Pubkey,
    partner_authority: Pubkey,
    payer: Pubkey,
    kind: PartnerKind,
    name: &str,
    handle: &str,
) -> Instruction {
    let partner = partner_pda(&partner_authority);
    anchor_ix(
        ID,
        acc::PartnerRegister {
            config: config_pda(),
            authority,
            partner_authority,
            partner,
            name_record: name_pda(handle),
            reverse_record: reverse_pda(&partner),
            payer,
            system_program: system_program::ID,
            skeleton_record: skeleton_record_pda(handle),
        },
        ix::PartnerRegister {
            args: PartnerRegisterArgs {
                kind,
                name: name.to_string(),
                handle: handle.to_string(),
                handle_hash: name_hash(handle),
            },
        },
    )
}

/// Onboarding as clients send it: `partner_register` then one `partner_ca_add` per root, in
/// one transaction signed by the protocol authority and the partner key.
pub fn partner_onboard(
    authority: Pubkey,
    partner_authority: Pubkey,
    payer: Pubkey,
    kind: PartnerKind,
    name: &str,
    handle: &str,
    ca_fingerprints: &[[u8; 32]],
) -> Vec<Instruction> {
    let mut ixs = vec![partner_register(
        authority,
        partner_authority,
        payer,
        kind,
        name,
        handle,
    )];
    ixs.extend(
        ca_fingerprints
            .iter()
            .map(|fp| partner_ca_add(authority, partner_authority, payer, *fp)),
    );
    ixs
}

/// Adds a CA root: the protocol `authority` and the `partner_authority` both sign.
pub fn partner_ca_add(
    authority: Pubkey,
    partner_authority: Pubkey,
    payer: Pubkey,
    fingerprint: [u8; 32],
) -> Instruction {
    anchor_ix(
        ID,
        acc::PartnerCaAdd {
            config: config_pda(),
            authority,
            partner: partner_pda(&partner_authority),
            partner_authority,
            ca_index: ca_index_pda(&fingerprint),
            payer,
            system_program: system_program::ID,
        },
        ix::PartnerCaAdd {
            args: PartnerCaAddArgs { fingerprint },
        },
    )
}

/// Removes a CA root of `partner`; `authority` is its authority or the protocol authority.
pub fn partner_ca_remove(authority: Pubkey, partner: Pubkey, fingerprint: [u8; 32]) -> Instruction {
    anchor_ix(
        ID,
        acc::PartnerCaRemove {
            config: config_pda(),
            partner,
            authority,
            ca_index: ca_index_pda(&fingerprint),
        },
        ix::PartnerCaRemove {
            args: PartnerCaRemoveArgs { fingerprint },
        },
    )
}

pub fn partner_status_set(authority: Pubkey, partner: Pubkey, status: Status) -> Instruction {
    anchor_ix(
        ID,
        acc::PartnerStatusSet {
            config: config_pda(),
            authority,
            partner,
        },
        ix::PartnerStatusSet {
            args: PartnerStatusSetArgs { status },
        },
    )
}

/// Registers a device; `claimed` adds `args.owner` as the co-signing owner (it must sign),
/// otherwise the device is unclaimed until `args.owner` signs `device_claim`.
pub fn device_register_with(
    vendor_authority: Pubkey,
    device_key: Pubkey,
    payer: Pubkey,
    args: DeviceRegisterArgs,
    claimed: bool,
) -> Instruction {
    let owner = claimed.then_some(args.owner);
    let mut ix = anchor_ix(
        ID,
        acc::DeviceRegister {
            vendor: partner_pda(&vendor_authority),
            vendor_authority,
            device_key,
            issuer_ca_index: ca_index_pda(&args.issuer_ca),
            owner,
            device: device_pda(&device_key),
            cert_index: cert_pda(&args.cert_fingerprint),
            payer,
            system_program: system_program::ID,
        },
        ix::DeviceRegister { args },
    );
    if !claimed {
        ix.accounts[4] = none_account();
    }
    ix
}

/// Registers an unclaimed device (the vendor and the device key sign).
pub fn device_register(
    vendor_authority: Pubkey,
    device_key: Pubkey,
    payer: Pubkey,
    args: DeviceRegisterArgs,
) -> Instruction {
    device_register_with(vendor_authority, device_key, payer, args, false)
}

/// Registers a device claimed at once: `args.owner` co-signs.
pub fn device_register_claimed(
    vendor_authority: Pubkey,
    device_key: Pubkey,
    payer: Pubkey,
    args: DeviceRegisterArgs,
) -> Instruction {
    device_register_with(vendor_authority, device_key, payer, args, true)
}

/// Proposes `new_owner` (the current owner signs).
pub fn device_owner_transfer(device_key: Pubkey, owner: Pubkey, new_owner: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::DeviceOwnerTransfer {
            device: device_pda(&device_key),
            owner,
        },
        ix::DeviceOwnerTransfer {
            args: DeviceOwnerTransferArgs { new_owner },
        },
    )
}

/// The pending owner accepts; `member` is the device's member account, if it has one.
pub fn device_claim(device_key: Pubkey, new_owner: Pubkey, member: Option<Pubkey>) -> Instruction {
    let mut ix = anchor_ix(
        ID,
        acc::DeviceClaim {
            device: device_pda(&device_key),
            new_owner,
            member,
        },
        ix::DeviceClaim {},
    );
    if member.is_none() {
        ix.accounts[2] = none_account();
    }
    ix
}

/// The vendor re-points who may claim a still-unclaimed device.
pub fn device_pending_owner_set(
    vendor_authority: Pubkey,
    device_key: Pubkey,
    pending_owner: Pubkey,
) -> Instruction {
    anchor_ix(
        ID,
        acc::DevicePendingOwnerSet {
            vendor: partner_pda(&vendor_authority),
            vendor_authority,
            device: device_pda(&device_key),
        },
        ix::DevicePendingOwnerSet {
            args: DevicePendingOwnerSetArgs { pending_owner },
        },
    )
}

/// Withdraws a pending transfer (the owner signs).
pub fn device_transfer_cancel(device_key: Pubkey, owner: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::DeviceTransferCancel {
            device: device_pda(&device_key),
            owner,
        },
        ix::DeviceTransferCancel {},
    )
}

pub fn device_capabilities_update(
    vendor_authority: Pubkey,
    device_key: Pubkey,
    capabilities: Capabilities,
) -> Instruction {
    anchor_ix(
        ID,
        acc::DeviceCapabilitiesUpdate {
            vendor: partner_pda(&vendor_authority),
            vendor_authority,
            device: device_pda(&device_key),
        },
        ix::DeviceCapabilitiesUpdate {
            args: DeviceCapabilitiesUpdateArgs { capabilities },
        },
    )
}

/// Device status change for a device without a member (see [`device_status_set_with`]).
pub fn device_status_set(
    authority: Pubkey,
    vendor: Pubkey,
    device_key: Pubkey,
    status: Status,
) -> Instruction {
    device_status_set_with(authority, vendor, device_key, status, None)
}

/// Device status change; `member` is the device's member account (`device.member`), if any.
pub fn device_status_set_with(
    authority: Pubkey,
    vendor: Pubkey,
    device_key: Pubkey,
    status: Status,
    member: Option<Pubkey>,
) -> Instruction {
    let mut ix = anchor_ix(
        ID,
        acc::DeviceStatusSet {
            config: config_pda(),
            vendor,
            authority,
            device: device_pda(&device_key),
            member,
        },
        ix::DeviceStatusSet {
            args: DeviceStatusSetArgs { status },
        },
    );
    if member.is_none() {
        ix.accounts[4] = none_account();
    }
    ix
}

pub fn name_register(target: Pubkey, authority: Pubkey, payer: Pubkey, name: &str) -> Instruction {
    name_register_raw(target, authority, payer, name, name_hash(name))
}

/// Like [`name_register`] but with a caller-chosen hash (for mismatch tests).
pub fn name_register_raw(
    target: Pubkey,
    authority: Pubkey,
    payer: Pubkey,
    name: &str,
    hash: [u8; 32],
) -> Instruction {
    let mut ix = anchor_ix(
        ID,
        acc::NameRegister {
            target,
            authority,
            name_record: Pubkey::find_program_address(&[SEED_NAME, hash.as_ref()], &ID).0,
            reverse_record: reverse_pda(&target),
            payer,
            system_program: system_program::ID,
            parent_name: ovpp_registry::identity::parent_label(name).map(name_pda),
            skeleton: skeleton_record_pda(name),
            parent_skeleton: ovpp_registry::identity::parent_label(name).map(skeleton_record_pda),
        },
        ix::NameRegister {
            args: NameRegisterArgs {
                name: name.to_string(),
                name_hash: hash,
            },
        },
    );
    if ovpp_registry::identity::parent_label(name).is_none() {
        ix.accounts[6] = none_account();
        ix.accounts[8] = none_account();
    }
    ix
}

pub fn name_release(name: &str, target: Pubkey, authority: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::NameRelease {
            name_record: name_pda(name),
            reverse_record: reverse_pda(&target),
            target,
            authority,
        },
        ix::NameRelease {},
    )
}
