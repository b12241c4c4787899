//! # OpenVPP registry ("DNS for DERs")
//!
//! Identifies, locates and authenticates device-to-utility connections.
//!
//! Lifecycle and authorities:
//! 1. `config_init` once at deploy, signed by the program's upgrade authority
//!    (`deployer::require_deployer`); the config authority is the protocol authority.
//! 2. The protocol authority onboards partners (`partner_register`, co-signed by the partner
//!    key), reserving each partner's handle as a name, and may suspend or revoke them
//!    (`partner_status_set`). Every partner-authorised instruction re-reads the partner's
//!    status.
//! 3. CA roots are added with both the partner and the protocol signing (`partner_ca_add`);
//!    a root belongs to one partner (`["ca", fingerprint]`). A vendor registers devices
//!    (`device_register`, co-signed by the device key) only under roots it owns, each indexed
//!    by key (`["device", key]`) and by LFDI (`["cert", lfdi]`).
//! 4. Ownership needs consent: a device registered without the owner's signature is unclaimed
//!    (ownerless) until the named owner signs `device_claim`; `device_owner_transfer` only
//!    proposes (the new owner claims; the owner may cancel). Vendors update capabilities; the
//!    vendor or the protocol suspends or revokes a device, and only the suspending level or
//!    above reinstates it. Revocation is terminal and burns the LFDI.
//! 5. Device owners and partner authorities claim names with forward (`["name", sha256]`) and
//!    reverse (`["reverse", target]`) records.
//! 6. Participants are partners (`["partner", wallet]`) and members (`["member", wallet]`):
//!    the claimed owner of an active device registers as its one member; the member is
//!    suspended, reinstated and ended with the device's status and ownership; the protocol
//!    authority can suspend or revoke members. Restricted tokens (the unit tokens' transfer hook) accept
//!    only active participants on both sides.
//! 7. The protocol authority (the integration service) records dated capability attestations
//!    about devices and partners (`["attestation", subject, kind]`) and withdraws them.
//! 8. Compressed devices (docs/design/fleet-scale.md) are leaves of `spl-account-compression`
//!    trees whose authority is the registry PDA `["ctree", tree]` (protocol or vendor trees,
//!    `compressed_tree_create`). A vendor appends provisioned devices in batches
//!    (`compressed_device_register`); each device key activates its own leaf
//!    (`compressed_device_activate`), proving its LFDI is new against the registry-wide LFDI
//!    chain (`lfdi_chain_init`, once). Claims, transfers and status changes carry a proof;
//!    `compressed_device_verify` only reads the tree.
#![allow(unexpected_cfgs)]
// anchor 0.31's `#[program]` expansion calls `AccountInfo::realloc`, deprecated in
// solana-account-info 2.3; nothing in this crate calls it directly.
#![allow(deprecated)]
#![deny(arithmetic_overflow)]

use anchor_lang::prelude::*;

pub mod compressed;
pub mod constants;
pub mod deployer;
pub mod errors;
pub mod events;
pub mod identity;
pub mod instructions;
pub mod membership;
pub mod pda;
pub mod state;

use instructions::*;
use state::CompressedStatus;

declare_id!("HQgr3TqoKdrY7rsDSGYqMaAhphdVNQYiwubyRq3KA29K");

#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "OpenVPP Registry",
    project_url: "https://github.com/openvpp/openvpp",
    contacts: "link:https://github.com/openvpp/openvpp/security/advisories/new",
    policy: "https://github.com/openvpp/openvpp/blob/main/SECURITY.md",
    source_code: "https://github.com/openvpp/openvpp"
}

#[program]
pub mod ovpp_registry {
    use super::*;

    /// Creates the protocol configuration (once; the program's deployer signs).
    pub fn config_init(ctx: Context<ConfigInit>, args: ConfigInitArgs) -> Result<()> {
        instructions::config_init::handler(ctx, args)
    }

    /// Hands the protocol authority to a new key; both keys sign.
    pub fn config_authority_set(ctx: Context<ConfigAuthoritySet>) -> Result<()> {
        instructions::config_authority_set::handler(ctx)
    }

    /// Onboards a utility or vendor partner and reserves its handle (protocol authority +
    /// partner key sign).
    pub fn partner_register(
        ctx: Context<PartnerRegister>,
        args: PartnerRegisterArgs,
    ) -> Result<()> {
        instructions::partner_register::handler(ctx, args)
    }

    /// Adds a CA root to a partner and indexes it globally (partner + protocol authority sign).
    pub fn partner_ca_add(ctx: Context<PartnerCaAdd>, args: PartnerCaAddArgs) -> Result<()> {
        instructions::partner_ca_add::handler(ctx, args)
    }

    /// Removes a CA root from a partner and frees its index (partner or protocol authority).
    pub fn partner_ca_remove(
        ctx: Context<PartnerCaRemove>,
        args: PartnerCaRemoveArgs,
    ) -> Result<()> {
        instructions::partner_ca_remove::handler(ctx, args)
    }

    /// Suspends, reinstates or revokes a partner (protocol authority).
    pub fn partner_status_set(
        ctx: Context<PartnerStatusSet>,
        args: PartnerStatusSetArgs,
    ) -> Result<()> {
        instructions::partner_status_set::handler(ctx, args)
    }

    /// Registers a device under an active vendor (vendor + device key sign), unclaimed unless
    /// the owner co-signs.
    pub fn device_register(ctx: Context<DeviceRegister>, args: DeviceRegisterArgs) -> Result<()> {
        instructions::device_register::handler(ctx, args)
    }

    /// Proposes a new owner (current owner signs); it owns the device once it claims.
    pub fn device_owner_transfer(
        ctx: Context<DeviceOwnerTransfer>,
        args: DeviceOwnerTransferArgs,
    ) -> Result<()> {
        instructions::device_owner_transfer::handler(ctx, args)
    }

    /// The pending owner accepts a device (it signs); the previous membership ends.
    pub fn device_claim(ctx: Context<DeviceClaim>) -> Result<()> {
        instructions::device_claim::handler(ctx)
    }

    /// Re-points who may claim a still-unclaimed device (its vendor signs).
    pub fn device_pending_owner_set(
        ctx: Context<DevicePendingOwnerSet>,
        args: DevicePendingOwnerSetArgs,
    ) -> Result<()> {
        instructions::device_pending_owner_set::handler(ctx, args)
    }

    /// Withdraws a pending ownership transfer (current owner signs).
    pub fn device_transfer_cancel(ctx: Context<DeviceTransferCancel>) -> Result<()> {
        instructions::device_transfer_cancel::handler(ctx)
    }

    /// Updates a device's declared capabilities (vendor signs).
    pub fn device_capabilities_update(
        ctx: Context<DeviceCapabilitiesUpdate>,
        args: DeviceCapabilitiesUpdateArgs,
    ) -> Result<()> {
        instructions::device_capabilities_update::handler(ctx, args)
    }

    /// Suspends, reinstates or revokes a device (vendor or protocol authority).
    pub fn device_status_set(
        ctx: Context<DeviceStatusSet>,
        args: DeviceStatusSetArgs,
    ) -> Result<()> {
        instructions::device_status_set::handler(ctx, args)
    }

    /// Registers a name for a device or partner, with its reverse record.
    pub fn name_register(ctx: Context<NameRegister>, args: NameRegisterArgs) -> Result<()> {
        instructions::name_register::handler(ctx, args)
    }

    /// Releases a name and its reverse record.
    pub fn name_release(ctx: Context<NameRelease>) -> Result<()> {
        instructions::name_release::handler(ctx)
    }

    /// Registers the owner of an active device as a participant.
    pub fn member_register(ctx: Context<MemberRegister>) -> Result<()> {
        instructions::member_register::handler(ctx)
    }

    /// Records a capability attestation about a device or partner (protocol authority).
    pub fn attestation_issue(
        ctx: Context<AttestationIssue>,
        args: AttestationIssueArgs,
    ) -> Result<()> {
        instructions::attestation_issue::handler(ctx, args)
    }

    /// Withdraws an attestation (protocol authority).
    pub fn attestation_revoke(ctx: Context<AttestationRevoke>) -> Result<()> {
        instructions::attestation_revoke::handler(ctx)
    }

    /// Suspends, reinstates or revokes a member (protocol authority).
    pub fn member_status_set(
        ctx: Context<MemberStatusSet>,
        args: MemberStatusSetArgs,
    ) -> Result<()> {
        instructions::member_status_set::handler(ctx, args)
    }

    /// Records (or renews) that a utility endpoint passed its protocol probe (protocol authority).
    pub fn endpoint_attest(ctx: Context<EndpointAttest>, args: EndpointAttestArgs) -> Result<()> {
        instructions::endpoint_attest::handler(ctx, args)
    }

    /// Withdraws an endpoint attestation (protocol authority).
    pub fn endpoint_attestation_revoke(ctx: Context<EndpointAttestationRevoke>) -> Result<()> {
        instructions::endpoint_attestation_revoke::handler(ctx)
    }

    /// Creates a compressed-device tree owned by a registry PDA (protocol authority, or a
    /// vendor's authority for its own tree).
    pub fn compressed_tree_create(
        ctx: Context<CompressedTreeCreate>,
        args: CompressedTreeCreateArgs,
    ) -> Result<()> {
        instructions::compressed_tree_create::handler(ctx, args)
    }

    /// Appends the head of the registry-wide LFDI chain (protocol authority, once).
    pub fn lfdi_chain_init(ctx: Context<LfdiChainInit>) -> Result<()> {
        instructions::lfdi_chain_init::handler(ctx)
    }

    /// Appends a batch of provisioned compressed devices (an active vendor signs).
    pub fn compressed_device_register(
        ctx: Context<CompressedDeviceRegister>,
        args: CompressedDeviceRegisterArgs,
    ) -> Result<()> {
        instructions::compressed_device_register::handler(ctx, args)
    }

    /// The device key activates its provisioned leaf and links its LFDI into the chain.
    pub fn compressed_device_activate<'info>(
        ctx: Context<'_, '_, 'info, 'info, CompressedDeviceActivate<'info>>,
        args: CompressedDeviceActivateArgs,
    ) -> Result<()> {
        instructions::compressed_device_activate::handler(ctx, args)
    }

    /// The pending owner accepts a compressed device (it signs).
    pub fn compressed_device_claim<'info>(
        ctx: Context<'_, '_, 'info, 'info, CompressedDeviceClaim<'info>>,
        args: CompressedLeafArgs,
    ) -> Result<()> {
        instructions::compressed_device_claim::handler(ctx, args)
    }

    /// Proposes a new owner of a compressed device (its owner signs).
    pub fn compressed_device_owner_transfer<'info>(
        ctx: Context<'_, '_, 'info, 'info, CompressedDeviceOwnerTransfer<'info>>,
        args: CompressedLeafArgs,
        new_owner: Pubkey,
    ) -> Result<()> {
        instructions::compressed_device_owner_transfer::handler(ctx, args, new_owner)
    }

    /// Suspends, reinstates or revokes a compressed device (vendor or protocol authority).
    pub fn compressed_device_status_set<'info>(
        ctx: Context<'_, '_, 'info, 'info, CompressedDeviceStatusSet<'info>>,
        args: CompressedLeafArgs,
        status: CompressedStatus,
    ) -> Result<()> {
        instructions::compressed_device_status_set::handler(ctx, args, status)
    }

    /// Verifies an active compressed device against its tree without writing it.
    pub fn compressed_device_verify<'info>(
        ctx: Context<'_, '_, 'info, 'info, CompressedDeviceVerify<'info>>,
        args: CompressedLeafArgs,
    ) -> Result<()> {
        instructions::compressed_device_verify::handler(ctx, args)
    }
}
