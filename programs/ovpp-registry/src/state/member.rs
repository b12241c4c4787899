use anchor_lang::prelude::*;

/// Lifecycle of a member. `Revoked` is terminal.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum MemberStatus {
    Active,
    Suspended,
    Revoked,
}

impl MemberStatus {
    /// Active <-> Suspended, anything live -> Revoked; nothing leaves Revoked.
    pub fn can_become(self, next: MemberStatus) -> bool {
        use MemberStatus::*;
        matches!(
            (self, next),
            (Active, Suspended) | (Suspended, Active) | (Active, Revoked) | (Suspended, Revoked)
        )
    }
}

/// An end-user participant: a wallet that owns (or owned) an active device. Partners are
/// participants through their `Partner` record; everyone else through this one.
#[account]
#[derive(InitSpace)]
pub struct Member {
    /// Canonical bump of `["member", wallet]`.
    pub bump: u8,
    /// Active, suspended or revoked.
    pub status: MemberStatus,
    /// The member's wallet.
    pub wallet: Pubkey,
    /// The device whose ownership qualified the wallet.
    pub device: Pubkey,
    /// Unix time of registration.
    pub created_at: i64,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}
