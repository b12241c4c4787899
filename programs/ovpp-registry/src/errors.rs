use anchor_lang::prelude::*;

/// Registry errors. Only ever append: codes are part of the public API.
#[error_code]
pub enum RegistryError {
    /// 6000
    #[msg("Signer is not allowed to perform this action")]
    Unauthorized,
    /// 6001
    #[msg("Partner name must be 1..=64 bytes")]
    InvalidPartnerName,
    /// 6002
    #[msg("Too many CA fingerprints")]
    TooManyCaFingerprints,
    /// 6003
    #[msg("CA fingerprint already registered")]
    CaFingerprintExists,
    /// 6004
    #[msg("CA fingerprint not registered for this partner")]
    CaFingerprintNotFound,
    /// 6005
    #[msg("Partner is not active")]
    PartnerNotActive,
    /// 6006
    #[msg("Partner is not a device vendor")]
    PartnerNotVendor,
    /// 6007
    #[msg("Status transition is not allowed")]
    InvalidStatusTransition,
    /// 6008
    #[msg("Device is not active")]
    DeviceNotActive,
    /// 6009
    #[msg("Certificate issuer is not a CA registered by the vendor")]
    UnknownIssuerCa,
    /// 6010
    #[msg("Certificate is expired")]
    CertificateExpired,
    /// 6011
    #[msg("Fingerprint must be a non-zero SHA-256 digest")]
    InvalidFingerprint,
    /// 6012
    #[msg("Capabilities contain undefined bits or inconsistent values")]
    InvalidCapabilities,
    /// 6013
    #[msg("Name must be 1..=63 bytes of [a-z0-9.-], starting with [a-z0-9]")]
    InvalidName,
    /// 6014
    #[msg("Name hash does not match sha256(name)")]
    NameHashMismatch,
    /// 6015
    #[msg("Name target must be a registry device or partner")]
    InvalidNameTarget,
    /// 6016
    #[msg("Device belongs to another vendor")]
    VendorMismatch,
    /// 6017
    #[msg("New owner is invalid")]
    InvalidOwner,
    /// 6018
    #[msg("Certificate fingerprint does not match the index")]
    CertificateMismatch,
    /// 6019
    #[msg("Member is not active")]
    MemberNotActive,
    /// 6020
    #[msg("Attestation subject must be a registry device or partner")]
    InvalidAttestationSubject,
    /// 6021
    #[msg("Attestation expiry must be in the future")]
    InvalidAttestationExpiry,
    /// 6022
    #[msg("Device has no claimed owner")]
    DeviceUnclaimed,
    /// 6023
    #[msg("Signer is not the pending owner of this device")]
    NotPendingOwner,
    /// 6024
    #[msg("CA fingerprint is owned by another partner")]
    CaFingerprintTaken,
    /// 6025
    #[msg("Partner handle must be a registry name without dots")]
    InvalidHandle,
    /// 6026
    #[msg("Name is reserved for a partner")]
    NameReserved,
    /// 6027
    #[msg("Signer is not the program's deployer (upgrade authority)")]
    NotDeployer,
    /// 6028
    #[msg("Program account is not this program, or its loader is not supported")]
    InvalidProgramAccount,
    /// 6029
    #[msg("Member account does not match the device's member")]
    MemberMismatch,
    /// 6030
    #[msg("Device already has a member")]
    DeviceHasMember,
    /// 6031
    #[msg("Only the protocol authority can lift a protocol suspension")]
    SuspendedByProtocol,
    /// 6032
    #[msg("Parent name account is missing or not at its address")]
    ParentNameMismatch,
    /// 6033
    #[msg("Endpoint must be 1..=200 bytes and endpoint_hash its SHA-256")]
    InvalidEndpoint,
    /// 6034
    #[msg("An endpoint attestation is for OpenAdr3Conformance, Ieee2030Dot5Conformance or Ocpp201Conformance")]
    InvalidEndpointKind,
    /// 6035
    #[msg("Name looks like a partner's handle (same skeleton): reserved to that partner")]
    NameConfusableWithHandle,
    /// 6036
    #[msg("Handle looks like another partner's handle (same skeleton)")]
    HandleConfusable,
    /// 6037
    #[msg("Skeleton account is missing or not at the PDA of the name's skeleton")]
    SkeletonAccountMismatch,
    /// 6038
    #[msg("The device's ownership epoch counter would overflow")]
    EpochOverflow,
    /// 6039
    #[msg("Tree account size, depth, buffer or canopy is not a supported compressed-device tree")]
    InvalidTreeParams,
    /// 6040
    #[msg("A compressed registration batch holds 1..=16 devices")]
    InvalidBatch,
    /// 6041
    #[msg("The same LFDI appears twice in one batch")]
    DuplicateLfdi,
    /// 6042
    #[msg("LFDI is already registered (a compressed device in the LFDI chain or a full device)")]
    LfdiTaken,
    /// 6043
    #[msg("The low leaf's LFDI interval does not contain this LFDI")]
    LfdiNotInInterval,
    /// 6044
    #[msg("Compressed device is not provisioned (already activated or revoked)")]
    DeviceNotProvisioned,
}
