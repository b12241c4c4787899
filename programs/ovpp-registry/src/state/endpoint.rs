use anchor_lang::prelude::*;

use super::AttestationKind;
use crate::constants::MAX_ENDPOINT_LEN;

/// The integration service's dated claim that a utility endpoint passed its protocol probe:
/// the URL, the protocol it spoke, the SPKI of the server key it presented, and the SHA-256 of
/// the probe report (kept and served off-chain). `route_set` requires a live one whose SPKI is
/// among the route's pins.
#[account]
#[derive(InitSpace)]
pub struct EndpointAttestation {
    /// Layout version of this account.
    pub version: u8,
    /// Canonical bump of `["endpoint", endpoint_hash]`.
    pub bump: u8,
    /// Which protocol's probe passed: `OpenAdr3Conformance`, `Ieee2030Dot5Conformance` or
    /// `Ocpp201Conformance`.
    pub kind: AttestationKind,
    /// SHA-256 of `endpoint`.
    pub endpoint_hash: [u8; 32],
    /// The endpoint URL, byte for byte as routes publish it.
    #[max_len(MAX_ENDPOINT_LEN)]
    pub endpoint: String,
    /// SHA-256 of the DER SubjectPublicKeyInfo of the server certificate the probe saw.
    pub spki_sha256: [u8; 32],
    /// SHA-256 of the probe report's canonical JSON.
    pub evidence_hash: [u8; 32],
    /// Who issued it (the protocol authority at issue time).
    pub issuer: Pubkey,
    /// Unix time of (re-)issue.
    pub issued_at: i64,
    /// Unix time after which the claim no longer holds.
    pub expires_at: i64,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}

impl EndpointAttestation {
    /// The attestation kinds an endpoint can hold: one per routed protocol.
    pub fn is_endpoint_kind(kind: AttestationKind) -> bool {
        matches!(
            kind,
            AttestationKind::OpenAdr3Conformance
                | AttestationKind::Ieee2030Dot5Conformance
                | AttestationKind::Ocpp201Conformance
        )
    }
}
