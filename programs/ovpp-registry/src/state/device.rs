use anchor_lang::prelude::*;

use super::Status;

use crate::constants::{CAPABILITY_FLAGS_MASK, LFDI_LEN, PROTOCOL_MASK};
use crate::errors::RegistryError;

/// What a device is.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum DeviceType {
    Meter,
    EvCharger,
    Battery,
    Inverter,
    Thermostat,
    Other,
}

/// What a device can do, as declared by its vendor.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct Capabilities {
    /// Bit set of `CAP_*` flags (import, export, curtail, dispatch, v2g, metering, ...).
    pub flags: u32,
    /// Bit set of supported protocols: 1 = OpenADR 3, 2 = IEEE 2030.5, 4 = OCPP 2.0.1.
    pub protocols: u8,
    /// Maximum import (consumption/charging) power, watts.
    pub max_import_w: u32,
    /// Maximum export (generation/discharging) power, watts.
    pub max_export_w: u32,
    /// Usable storage capacity, watt-hours (0 when the device stores nothing).
    pub energy_capacity_wh: u64,
}

impl Capabilities {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.flags & !CAPABILITY_FLAGS_MASK == 0 && self.protocols & !PROTOCOL_MASK == 0,
            RegistryError::InvalidCapabilities
        );
        Ok(())
    }
}

/// A distributed energy resource: meter, EV charger, battery, inverter, ...
#[account]
#[derive(InitSpace)]
pub struct Device {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["device", device_key]`.
    pub bump: u8,
    /// What the device is.
    pub device_type: DeviceType,
    /// Active, suspended or revoked.
    pub status: Status,
    /// The device's own ed25519 key (signs meter readings).
    pub device_key: Pubkey,
    /// The vendor partner account that provisioned the device.
    pub vendor: Pubkey,
    /// Current owner (end user, installer or aggregator).
    pub owner: Pubkey,
    /// SHA-256 of the device certificate (DER).
    pub cert_fingerprint: [u8; 32],
    /// SHA-256 of the issuing CA root, one of the vendor's `ca_fingerprints`.
    pub issuer_ca: [u8; 32],
    /// Certificate `notAfter`, unix seconds.
    pub cert_not_after: i64,
    /// IEEE 2030.5 LFDI: the first 20 bytes of `cert_fingerprint`.
    pub lfdi: [u8; LFDI_LEN],
    /// IEEE 2030.5 SFDI: 36 leading LFDI bits in decimal plus a check digit.
    pub sfdi: u64,
    /// Declared capabilities.
    pub capabilities: Capabilities,
    /// Unix time of registration.
    pub registered_at: i64,
    /// Unix time of the last change.
    pub updated_at: i64,
    /// Owner-elect: named by the vendor at registration or by the owner in
    /// `device_owner_transfer`; becomes `owner` only when it signs `device_claim`.
    /// `Pubkey::default()` when no transfer is pending.
    pub pending_owner: Pubkey,
    /// The owner's `Member` record qualified by this device (`Pubkey::default()` when none):
    /// at most one per device, suspended and ended together with the device's status and
    /// ownership.
    pub member: Pubkey,
    /// Who suspended the device; only that level or above may reinstate it.
    pub suspended_by: SuspendedBy,
    /// Ownership epoch: 0 while the device was never claimed, then incremented by every
    /// claim (at registration with the owner's signature, or `device_claim`). Owner-scoped
    /// payments state (mandates, meter backlog, export debt) belongs to one epoch.
    pub owner_epoch: u32,
    /// Unix time the current epoch began (the claim); readings of intervals that start
    /// before it are never billed to, or paid to, the current owner.
    pub owner_since: i64,
    /// Owner of the previous epoch (`Pubkey::default()` when there was none).
    pub prev_owner: Pubkey,
    /// Unix time the previous epoch began; it ended at `owner_since`.
    pub prev_owner_since: i64,
    /// Reserved for future fields.
    pub reserved: [u8; 12],
}

/// Who put a device into `Suspended`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum SuspendedBy {
    /// Not suspended.
    None,
    /// The device's vendor (the vendor or the protocol may lift it).
    Vendor,
    /// The protocol authority (only the protocol may lift it).
    Protocol,
}

impl Device {
    pub fn require_active(&self) -> Result<()> {
        require!(
            self.status == Status::Active,
            RegistryError::DeviceNotActive
        );
        Ok(())
    }

    /// True once an owner has claimed the device. An unclaimed device (`owner` is the
    /// default key) is ownerless: nobody can act for its owner.
    pub fn is_claimed(&self) -> bool {
        self.owner != Pubkey::default()
    }

    /// Starts a new ownership epoch for `new_owner` at `now`: the current owner and its start
    /// become the previous epoch. Shared by a claim at registration and `device_claim`.
    pub fn begin_ownership(&mut self, new_owner: Pubkey, now: i64) -> Result<()> {
        self.prev_owner = self.owner;
        self.prev_owner_since = self.owner_since;
        self.owner = new_owner;
        self.owner_since = now;
        self.owner_epoch = self
            .owner_epoch
            .checked_add(1)
            .ok_or(RegistryError::EpochOverflow)?;
        Ok(())
    }

    /// Fails unless `signer` is the device's claimed owner.
    pub fn require_owner(&self, signer: &Pubkey) -> Result<()> {
        require!(self.is_claimed(), RegistryError::DeviceUnclaimed);
        require_keys_eq!(self.owner, *signer, RegistryError::Unauthorized);
        Ok(())
    }
}

/// Index from a certificate's LFDI to its device. Never closed, so a revoked certificate
/// cannot be registered again.
#[account]
#[derive(InitSpace)]
pub struct CertIndex {
    /// Canonical bump of `["cert", lfdi]`.
    pub bump: u8,
    /// The device account this certificate belongs to.
    pub device: Pubkey,
    /// Full SHA-256 fingerprint, to tell LFDI prefix collisions apart.
    pub cert_fingerprint: [u8; 32],
}
