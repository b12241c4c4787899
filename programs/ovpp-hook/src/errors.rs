use anchor_lang::prelude::*;

/// Hook errors. Only ever append: codes are part of the public API.
#[error_code]
pub enum HookError {
    /// 6000
    #[msg("The hook may only run inside a Token-2022 transfer")]
    NotTransferring,
    /// 6001
    #[msg("The mint is not an OpenVPP unit mint")]
    ForeignMint,
    /// 6002
    #[msg("The sender is not an active registry participant")]
    SenderNotParticipant,
    /// 6003
    #[msg("The recipient is not an active registry participant")]
    RecipientNotParticipant,
    /// 6004
    #[msg("A participant account does not match its expected address")]
    ParticipantAccountMismatch,
}
