use anchor_lang::prelude::*;

use super::Status;

use crate::constants::{MAX_CA_FINGERPRINTS, MAX_NAME_LEN, MAX_PARTNER_NAME_LEN};
use crate::errors::RegistryError;

/// What kind of organisation a partner is.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum PartnerKind {
    /// A utility (or aggregator) that runs programs and pays for flexibility.
    Utility,
    /// A device vendor that provisions devices and their certificates.
    Vendor,
}

/// A utility or device vendor onboarded by the protocol authority.
#[account]
#[derive(InitSpace)]
pub struct Partner {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["partner", authority]`.
    pub bump: u8,
    /// Utility or vendor.
    pub kind: PartnerKind,
    /// Active, suspended or revoked.
    pub status: Status,
    /// Key that administers this partner (registers devices, manages CAs).
    pub authority: Pubkey,
    /// Display name (UTF-8, 1..=64 bytes).
    #[max_len(MAX_PARTNER_NAME_LEN)]
    pub name: String,
    /// SHA-256 fingerprints of the partner's X.509 CA roots.
    #[max_len(MAX_CA_FINGERPRINTS)]
    pub ca_fingerprints: Vec<[u8; 32]>,
    /// Unix time of onboarding.
    pub created_at: i64,
    /// Unix time of the last change.
    pub updated_at: i64,
    /// The partner's reserved registry name (one label, e.g. `gridco`), created with its
    /// forward and reverse records at onboarding.
    #[max_len(MAX_NAME_LEN)]
    pub handle: String,
    /// Reserved for future fields.
    pub reserved: [u8; 64],
}

/// Global index `["ca", fingerprint]` -> the one partner that owns a CA root. Created by
/// `partner_ca_add` (protocol co-signed), closed by `partner_ca_remove`.
#[account]
#[derive(InitSpace)]
pub struct CaIndex {
    /// Canonical bump of `["ca", fingerprint]`.
    pub bump: u8,
    /// The partner account that owns this root.
    pub partner: Pubkey,
    /// SHA-256 of the CA root certificate (DER).
    pub fingerprint: [u8; 32],
}

impl Partner {
    /// The rule every utility-only instruction applies: a utility partner, active.
    pub fn is_active_utility(&self) -> bool {
        self.kind == PartnerKind::Utility && self.status == Status::Active
    }

    pub fn require_active(&self) -> Result<()> {
        require!(
            self.status == Status::Active,
            RegistryError::PartnerNotActive
        );
        Ok(())
    }
}

/// Checks a partner display name.
pub fn validate_partner_name(name: &str) -> Result<()> {
    require!(
        !name.is_empty() && name.len() <= MAX_PARTNER_NAME_LEN,
        RegistryError::InvalidPartnerName
    );
    Ok(())
}
