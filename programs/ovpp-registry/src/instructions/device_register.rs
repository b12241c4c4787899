use anchor_lang::prelude::*;

use crate::constants::{SEED_CA, SEED_CERT, SEED_DEVICE, SEED_PARTNER};
use crate::errors::RegistryError;
use crate::events::DeviceRegistered;
use crate::identity::{lfdi_from_fingerprint, sfdi_from_lfdi};
use crate::state::{
    CaIndex, Capabilities, CertIndex, Device, DeviceType, Partner, PartnerKind, Status, SuspendedBy,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DeviceRegisterArgs {
    /// Intended owner (end user, installer or aggregator). It owns the device at once when it
    /// co-signs as the optional `owner` account; otherwise the device stays unclaimed
    /// (ownerless) with this key as `pending_owner` until it signs `device_claim`.
    pub owner: Pubkey,
    /// What the device is.
    pub device_type: DeviceType,
    /// Declared capabilities.
    pub capabilities: Capabilities,
    /// SHA-256 of the device certificate (DER). Its first 20 bytes are the LFDI.
    pub cert_fingerprint: [u8; 32],
    /// SHA-256 of the CA root that issued the certificate; must be one of the vendor's.
    pub issuer_ca: [u8; 32],
    /// Certificate `notAfter`, unix seconds.
    pub cert_not_after: i64,
}

#[derive(Accounts)]
#[instruction(args: DeviceRegisterArgs)]
pub struct DeviceRegister<'info> {
    #[account(
        seeds = [SEED_PARTNER, vendor_authority.key().as_ref()],
        bump = vendor.bump,
        constraint = vendor.authority == vendor_authority.key() @ RegistryError::Unauthorized,
        constraint = vendor.kind == PartnerKind::Vendor @ RegistryError::PartnerNotVendor,
    )]
    pub vendor: Box<Account<'info, Partner>>,
    /// The vendor's authority provisions the device.
    pub vendor_authority: Signer<'info>,
    /// The device's ed25519 key signs its own registration (proof of possession).
    pub device_key: Signer<'info>,
    /// CHECK: the issuer root's global index `["ca", issuer_ca]` (address pinned by seeds);
    /// `validate` requires it to exist and name this vendor as the root's owner, so a vendor
    /// cannot claim LFDIs under another partner's root.
    #[account(seeds = [SEED_CA, args.issuer_ca.as_ref()], bump)]
    pub issuer_ca_index: UncheckedAccount<'info>,
    /// Optional: `args.owner` co-signing claims the device at registration.
    pub owner: Option<Signer<'info>>,
    #[account(
        init,
        payer = payer,
        space = 8 + Device::INIT_SPACE,
        seeds = [SEED_DEVICE, device_key.key().as_ref()],
        bump,
    )]
    pub device: Box<Account<'info, Device>>,
    #[account(
        init,
        payer = payer,
        space = 8 + CertIndex::INIT_SPACE,
        seeds = [SEED_CERT, &args.cert_fingerprint[..20]],
        bump,
    )]
    pub cert_index: Box<Account<'info, CertIndex>>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl DeviceRegister<'_> {
    fn validate(&self, args: &DeviceRegisterArgs) -> Result<()> {
        self.vendor.require_active()?;
        require!(
            args.cert_fingerprint != [0; 32],
            RegistryError::InvalidFingerprint
        );
        require!(
            self.vendor.ca_fingerprints.contains(&args.issuer_ca),
            RegistryError::UnknownIssuerCa
        );
        let index = &self.issuer_ca_index;
        require!(
            *index.owner == crate::ID
                && CaIndex::try_deserialize(&mut &index.try_borrow_data()?[..])
                    .is_ok_and(|i| i.partner == self.vendor.key()),
            RegistryError::UnknownIssuerCa
        );
        require!(
            args.cert_not_after > Clock::get()?.unix_timestamp,
            RegistryError::CertificateExpired
        );
        require!(args.owner != Pubkey::default(), RegistryError::InvalidOwner);
        if let Some(owner) = &self.owner {
            require_keys_eq!(owner.key(), args.owner, RegistryError::InvalidOwner);
        }
        args.capabilities.validate()
    }
}

/// Registers a device provisioned by an active vendor, indexed by key and by LFDI.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<DeviceRegister>, args: DeviceRegisterArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let lfdi = lfdi_from_fingerprint(&args.cert_fingerprint);
    let sfdi = sfdi_from_lfdi(&lfdi);

    let device = &mut ctx.accounts.device;
    device.version = 1;
    device.bump = ctx.bumps.device;
    device.device_type = args.device_type;
    device.status = Status::Active;
    device.device_key = ctx.accounts.device_key.key();
    device.vendor = ctx.accounts.vendor.key();
    // Claimed at once only with the owner's signature; otherwise ownerless until claimed.
    let claimed = ctx.accounts.owner.is_some();
    device.owner = Pubkey::default();
    device.owner_epoch = 0;
    device.owner_since = 0;
    if claimed {
        device.begin_ownership(args.owner, now)?;
    }
    device.pending_owner = if claimed {
        Pubkey::default()
    } else {
        args.owner
    };
    device.member = Pubkey::default();
    device.suspended_by = SuspendedBy::None;
    device.cert_fingerprint = args.cert_fingerprint;
    device.issuer_ca = args.issuer_ca;
    device.cert_not_after = args.cert_not_after;
    device.lfdi = lfdi;
    device.sfdi = sfdi;
    device.capabilities = args.capabilities;
    device.registered_at = now;
    device.updated_at = now;
    device.reserved = [0; 12];

    let cert_index = &mut ctx.accounts.cert_index;
    cert_index.bump = ctx.bumps.cert_index;
    cert_index.device = device.key();
    cert_index.cert_fingerprint = args.cert_fingerprint;

    emit!(DeviceRegistered {
        device: device.key(),
        device_key: device.device_key,
        vendor: device.vendor,
        owner: device.owner,
        pending_owner: device.pending_owner,
        lfdi,
        sfdi,
        timestamp: now,
    });
    Ok(())
}
