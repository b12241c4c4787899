use anchor_lang::prelude::*;

/// Routing errors. Only ever append: codes are part of the public API.
#[error_code]
pub enum RoutingError {
    /// 6000
    #[msg("Signer is not allowed to perform this action")]
    Unauthorized,
    /// 6001
    #[msg("Partner is not an active utility")]
    NotActiveUtility,
    /// 6002
    #[msg("Program name must be 1..=64 bytes")]
    InvalidProgramName,
    /// 6003
    #[msg("Program is not open for enrollment")]
    ProgramClosed,
    /// 6004
    #[msg("Device is not active in the registry")]
    DeviceNotActive,
    /// 6005
    #[msg("Enrollment status does not allow this action")]
    InvalidEnrollmentStatus,
    /// 6006
    #[msg("Endpoint must be an https:// or wss:// URL of at most 200 printable bytes")]
    InvalidEndpoint,
    /// 6007
    #[msg("Between 1 and 4 non-zero certificate pins are required")]
    InvalidCertPins,
    /// 6008
    #[msg("Route expiry must be in the future")]
    InvalidExpiry,
    /// 6009
    #[msg("The device does not declare support for this protocol")]
    ProtocolNotSupported,
    /// 6010
    #[msg("Route is revoked")]
    RouteRevoked,
    /// 6011
    #[msg("Arithmetic overflow")]
    MathOverflow,
    /// 6012
    #[msg("The device's vendor is not active")]
    VendorNotActive,
    /// 6013
    #[msg("The device has no claimed owner")]
    DeviceUnclaimed,
    /// 6014
    #[msg("No endpoint attestation for this endpoint: validate it first (POST /v1/endpoints/validate)")]
    EndpointNotAttested,
    /// 6015
    #[msg("The endpoint's attestation has expired: validate the endpoint again")]
    EndpointAttestationExpired,
    /// 6016
    #[msg("The endpoint was attested for another protocol")]
    EndpointProtocolMismatch,
    /// 6017
    #[msg("None of the route's pins is the server key the endpoint attestation saw")]
    EndpointPinNotAttested,
}
