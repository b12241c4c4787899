use anchor_lang::prelude::*;

/// Lifecycle of an enrollment. `Rejected` and `Revoked` are terminal.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum EnrollmentStatus {
    Requested,
    Approved,
    Rejected,
    Revoked,
}

/// A device's enrollment in a utility program.
#[account]
#[derive(InitSpace)]
pub struct Enrollment {
    /// Canonical bump of `["enrollment", program, device]`.
    pub bump: u8,
    /// Requested, approved, rejected or revoked.
    pub status: EnrollmentStatus,
    /// The utility program.
    pub program: Pubkey,
    /// The registry device.
    pub device: Pubkey,
    /// Who asked: the device owner or the vendor's authority.
    pub requested_by: Pubkey,
    /// Unix time of the request.
    pub requested_at: i64,
    /// Unix time of the last status change.
    pub updated_at: i64,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}
