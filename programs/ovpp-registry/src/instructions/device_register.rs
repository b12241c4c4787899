use anchor_lang::prelude::*;

use crate::constants::{SEED_CERT, SEED_DEVICE, SEED_PARTNER};
use crate::errors::RegistryError;
use crate::events::DeviceRegistered;
use crate::identity::{lfdi_from_fingerprint, sfdi_from_lfdi};
use crate::state::{
    Capabilities, CertIndex, Device, DeviceStatus, DeviceType, Partner, PartnerKind,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct DeviceRegisterArgs {
    /// Initial owner (end user, installer or aggregator).
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
        require!(
            args.cert_not_after > Clock::get()?.unix_timestamp,
            RegistryError::CertificateExpired
        );
        require!(args.owner != Pubkey::default(), RegistryError::InvalidOwner);
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
    device.status = DeviceStatus::Active;
    device.device_key = ctx.accounts.device_key.key();
    device.vendor = ctx.accounts.vendor.key();
    device.owner = args.owner;
    device.cert_fingerprint = args.cert_fingerprint;
    device.issuer_ca = args.issuer_ca;
    device.cert_not_after = args.cert_not_after;
    device.lfdi = lfdi;
    device.sfdi = sfdi;
    device.capabilities = args.capabilities;
    device.registered_at = now;
    device.updated_at = now;
    device.reserved = [0; 64];

    let cert_index = &mut ctx.accounts.cert_index;
    cert_index.bump = ctx.bumps.cert_index;
    cert_index.device = device.key();
    cert_index.cert_fingerprint = args.cert_fingerprint;

    emit!(DeviceRegistered {
        device: device.key(),
        device_key: device.device_key,
        vendor: device.vendor,
        owner: device.owner,
        lfdi,
        sfdi,
        timestamp: now,
    });
    Ok(())
}
