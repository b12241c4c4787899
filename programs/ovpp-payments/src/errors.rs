use anchor_lang::prelude::*;

/// Payments errors. Only ever append: codes are part of the public API.
#[error_code]
pub enum PaymentsError {
    /// 6000
    #[msg("Signer is not allowed to perform this action")]
    Unauthorized,
    /// 6001
    #[msg("Amount must be greater than zero")]
    ZeroAmount,
    /// 6002
    #[msg("Arithmetic overflow")]
    MathOverflow,
    /// 6003
    #[msg("Mint must have 6 decimals")]
    InvalidDecimals,
    /// 6004
    #[msg("USDE supply no longer equals the USDC vault balance")]
    ReserveMismatch,
    /// 6005
    #[msg("Token balance changed by an unexpected amount")]
    UnexpectedBalanceChange,
    /// 6006
    #[msg("Oracle account is not owned by the Switchboard on-demand program")]
    InvalidOracleOwner,
    /// 6007
    #[msg("Oracle account is not the feed configured for this market")]
    InvalidOracleFeed,
    /// 6008
    #[msg("Oracle account data is not a Switchboard pull feed")]
    InvalidOracleData,
    /// 6009
    #[msg("Oracle price is stale")]
    StaleOraclePrice,
    /// 6010
    #[msg("Oracle price is from a future slot")]
    FutureOraclePrice,
    /// 6011
    #[msg("Oracle result has too few samples")]
    NotEnoughSamples,
    /// 6012
    #[msg("Oracle price must be positive")]
    NonPositivePrice,
    /// 6013
    #[msg("Oracle confidence interval is too wide")]
    ConfidenceTooWide,
    /// 6014
    #[msg("Output is below the caller's minimum (slippage)")]
    SlippageExceeded,
    /// 6015
    #[msg("Treasury holds too little USDE for this sale")]
    InsufficientTreasury,
    /// 6016
    #[msg("Market parameters out of range")]
    InvalidMarketParams,
    /// 6017
    #[msg("Payments are paused")]
    Paused,
    /// 6018
    #[msg("Conversion rounds to zero")]
    ZeroOutput,
    /// 6019
    #[msg("Account does not match the payments configuration")]
    ConfigMismatch,
    /// 6020
    #[msg("Tariff intervals must start at minute 0, increase strictly and number 1..=24")]
    InvalidTariff,
    /// 6021
    #[msg("Partner is not an active utility")]
    NotActiveUtility,
    /// 6022
    #[msg("Device is not active in the registry")]
    DeviceNotActive,
    /// 6023
    #[msg("No ed25519 signature instruction precedes this instruction")]
    MissingSignature,
    /// 6024
    #[msg("Signature instruction is malformed or references other instructions")]
    InvalidSignatureInstruction,
    /// 6025
    #[msg("Reading was not signed by the device key")]
    WrongSigner,
    /// 6026
    #[msg("Signed message does not match the reading")]
    MessageMismatch,
    /// 6027
    #[msg("Reading sequence must exceed the last settled one (replay)")]
    ReplayedReading,
    /// 6028
    #[msg("Reading interval is in the future or before the tariff is effective")]
    InvalidReadingTime,
    /// 6029
    #[msg(
        "Reading exceeds what the device can import or export at its rated power over the interval"
    )]
    ReadingExceedsCapability,
    /// 6030
    #[msg("Demand-response event window or rate is invalid")]
    InvalidDrEvent,
    /// 6031
    #[msg("Demand-response event is closed")]
    DrEventClosed,
    /// 6032
    #[msg("Demand-response event has not ended yet")]
    DrEventNotEnded,
    /// 6033
    #[msg("Demand-response event budget is exhausted")]
    DrBudgetExhausted,
    /// 6034
    #[msg("The USDC vault no longer covers the USDE supply")]
    ReserveShortfall,
    /// 6035
    #[msg("The USDC vault holds no surplus over the USDE supply")]
    NoSurplus,
    /// 6036
    #[msg("Reading sequence must be exactly one more than the last settled one; relay earlier readings first")]
    ReadingOutOfOrder,
    /// 6037
    #[msg("Reading interval must be aligned to the tariff's interval length, finished, and after the last settled interval")]
    InvalidReadingInterval,
    /// 6038
    #[msg("Reading was signed for a tariff revision that does not cover its interval; the device must sign again")]
    TariffRevisionMismatch,
    /// 6039
    #[msg("A tariff update must take effect in the future and later than the revision in force")]
    TariffNotMonotonic,
    /// 6040
    #[msg("Settlement would exceed the owner's mandate caps")]
    MandateCapExceeded,
    /// 6041
    #[msg("No live settlement mandate from the device owner for this utility")]
    MandateRequired,
    /// 6042
    #[msg("Mandate caps and period must be positive and the period at most a year")]
    InvalidMandate,
    /// 6043
    #[msg("Device has no claimed owner")]
    DeviceUnclaimed,
    /// 6044
    #[msg("This unit market holds too little USDE backing for this sale")]
    InsufficientMarketBacking,
    /// 6045
    #[msg("Unit tokens may only be bought for, or sold by, active registry participants")]
    NotParticipant,
    /// 6046
    #[msg("The USDC mint carries an extension that could move or freeze vault funds")]
    UnsupportedMintExtension,
    /// 6047
    #[msg("The USDC mint is not the one pinned for this cluster")]
    UsdcMintNotAllowed,
    /// 6048
    #[msg("Nothing is owed to this meter")]
    NothingOwed,
    /// 6049
    #[msg("Reading interval length must divide a day and be between 5 minutes and 24 hours")]
    InvalidIntervalLength,
    /// 6050
    #[msg("The meter is owed export payments by another tariff; claim them first")]
    ExportDebtOutstanding,
    /// 6051
    #[msg("Only the program's deployer (its upgrade authority) may initialise payments")]
    NotDeployer,
    /// 6052
    #[msg("Participant records passed are not the registry's partner and member accounts of that wallet")]
    ParticipantAccountMismatch,
    /// 6053
    #[msg("A settlement batch carries 1 to 8 readings")]
    InvalidBatch,
    /// 6054
    #[msg("The device has no approved enrollment in a program of this tariff's utility")]
    NotEnrolled,
    /// 6055
    #[msg("This tariff revision's settlement window has closed")]
    TariffRevisionExpired,
    /// 6056
    #[msg("The reading's interval starts before any owner that can be billed or paid for it")]
    ReadingBeforeOwnership,
    /// 6057
    #[msg("The previous owner's readings settle only within the tariff's window after the claim")]
    BacklogWindowClosed,
    /// 6058
    #[msg("A settlement batch must bill one owner in one ownership epoch")]
    BatchSpansOwners,
    /// 6059
    #[msg("The owner's USDE account does not belong to the owner this reading bills or pays")]
    OwnerAccountMismatch,
    /// 6060
    #[msg("The escrow already owes the maximum number of owners; refill it and pay them first")]
    ExportDebtSlotsFull,
    /// 6061
    #[msg("Settlement window must be between 1 and 90 days")]
    InvalidSettlementWindow,
    /// 6062
    #[msg("An export cap needs a positive credit per a whole number of intervals, at most a year")]
    InvalidExportCap,
    /// 6063
    #[msg("The escrow withdrawal's notice period has not passed, or none was requested")]
    WithdrawalNotReady,
    /// 6064
    #[msg("The binding's enrollment is not of this device, or its program is not the tariff utility's")]
    EnrollmentMismatch,
    /// 6065
    #[msg("A gap must start right after the meter's last reading and void at least one sequence")]
    InvalidGap,
}
