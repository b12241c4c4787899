use anchor_lang::prelude::*;

/// Lifecycle of a member. `Revoked` (by the protocol) is terminal; `Ended` (by the device's
/// lifecycle) can be re-registered.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum MemberStatus {
    Active,
    Suspended,
    Revoked,
    /// The qualifying device changed owner or was revoked. Not a participant; the wallet may
    /// register again (re-using this account) with a device it owns.
    Ended,
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
    /// Set when the member was suspended because its device was; reinstating the device
    /// reinstates only such members (not ones the protocol suspended itself).
    pub suspended_with_device: bool,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}
