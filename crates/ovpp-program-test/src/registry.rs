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
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;

use crate::harness::anchor_ix;

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
pub fn reverse_pda(target: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_REVERSE, target.as_ref()], &ID).0
}

pub fn attestation_pda(subject: &Pubkey, kind: AttestationKind) -> Pubkey {
    Pubkey::find_program_address(&[SEED_ATTESTATION, subject.as_ref(), kind.seed()], &ID).0
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

pub fn member_status_set(authority: Pubkey, wallet: Pubkey, status: MemberStatus) -> Instruction {
    anchor_ix(
        ID,
        acc::MemberStatusSet {
            config: config_pda(),
            authority,
            member: member_pda(&wallet),
        },
        ix::MemberStatusSet {
            args: MemberStatusSetArgs { status },
        },
    )
}

pub fn config_init(payer: Pubkey, authority: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::ConfigInit {
            config: config_pda(),
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

pub fn partner_register(
    authority: Pubkey,
    partner_authority: Pubkey,
    payer: Pubkey,
    kind: PartnerKind,
    name: &str,
    ca_fingerprints: Vec<[u8; 32]>,
) -> Instruction {
    anchor_ix(
        ID,
        acc::PartnerRegister {
            config: config_pda(),
            authority,
            partner_authority,
            partner: partner_pda(&partner_authority),
            payer,
            system_program: system_program::ID,
        },
        ix::PartnerRegister {
            args: PartnerRegisterArgs {
                kind,
                name: name.to_string(),
                ca_fingerprints,
            },
        },
    )
}

pub fn partner_ca_add(authority: Pubkey, fingerprint: [u8; 32]) -> Instruction {
    anchor_ix(
        ID,
        acc::PartnerCaAdd {
            partner: partner_pda(&authority),
            authority,
        },
        ix::PartnerCaAdd {
            args: PartnerCaAddArgs { fingerprint },
        },
    )
}

pub fn partner_ca_remove(authority: Pubkey, fingerprint: [u8; 32]) -> Instruction {
    anchor_ix(
        ID,
        acc::PartnerCaRemove {
            partner: partner_pda(&authority),
            authority,
        },
        ix::PartnerCaRemove {
            args: PartnerCaRemoveArgs { fingerprint },
        },
    )
}

pub fn partner_status_set(
    authority: Pubkey,
    partner: Pubkey,
    status: PartnerStatus,
) -> Instruction {
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

pub fn device_register(
    vendor_authority: Pubkey,
    device_key: Pubkey,
    payer: Pubkey,
    args: DeviceRegisterArgs,
) -> Instruction {
    anchor_ix(
        ID,
        acc::DeviceRegister {
            vendor: partner_pda(&vendor_authority),
            vendor_authority,
            device_key,
            device: device_pda(&device_key),
            cert_index: cert_pda(&args.cert_fingerprint),
            payer,
            system_program: system_program::ID,
        },
        ix::DeviceRegister { args },
    )
}

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

pub fn device_status_set(
    authority: Pubkey,
    vendor: Pubkey,
    device_key: Pubkey,
    status: DeviceStatus,
) -> Instruction {
    anchor_ix(
        ID,
        acc::DeviceStatusSet {
            config: config_pda(),
            vendor,
            authority,
            device: device_pda(&device_key),
        },
        ix::DeviceStatusSet {
            args: DeviceStatusSetArgs { status },
        },
    )
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
    anchor_ix(
        ID,
        acc::NameRegister {
            target,
            authority,
            name_record: Pubkey::find_program_address(&[SEED_NAME, hash.as_ref()], &ID).0,
            reverse_record: reverse_pda(&target),
            payer,
            system_program: system_program::ID,
        },
        ix::NameRegister {
            args: NameRegisterArgs {
                name: name.to_string(),
                name_hash: hash,
            },
        },
    )
}

pub fn name_release(name: &str, target: Pubkey, authority: Pubkey) -> Instruction {
    anchor_ix(
        ID,
        acc::NameRelease {
            name_record: name_pda(name),
            reverse_record: reverse_pda(&target),
            authority,
        },
        ix::NameRelease {},
    )
}
