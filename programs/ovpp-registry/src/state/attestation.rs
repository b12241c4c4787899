use anchor_lang::prelude::*;

/// What an attestation vouches for.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum AttestationKind {
    /// The device certificate chains to the vendor's registered CA and is unrevoked.
    CertificateChain,
    /// The endpoint/device passed OpenADR 3.x conformance checks.
    OpenAdr3Conformance,
    /// The endpoint/device passed IEEE 2030.5 (CSIP) conformance checks.
    Ieee2030Dot5Conformance,
    /// The endpoint/device passed OCPP 2.0.1 conformance checks.
    Ocpp201Conformance,
    /// OCPP security profile 3 (mutual TLS) verified.
    SecurityProfile3,
}

impl AttestationKind {
    /// Seed byte of this kind.
    pub fn seed(self) -> &'static [u8] {
        match self {
            AttestationKind::CertificateChain => &[0],
            AttestationKind::OpenAdr3Conformance => &[1],
            AttestationKind::Ieee2030Dot5Conformance => &[2],
            AttestationKind::Ocpp201Conformance => &[3],
            AttestationKind::SecurityProfile3 => &[4],
        }
    }
}

/// A dated claim by the protocol's integration service about a device or partner.
#[account]
#[derive(InitSpace)]
pub struct Attestation {
    /// Canonical bump of `["attestation", subject, kind]`.
    pub bump: u8,
    pub kind: AttestationKind,
    /// The device or partner account the claim is about.
    pub subject: Pubkey,
    /// Who issued it (the protocol authority at issue time).
    pub issuer: Pubkey,
    /// SHA-256 of the evidence report (kept off-chain).
    pub evidence_hash: [u8; 32],
    /// Unix time of issue.
    pub issued_at: i64,
    /// Unix time after which the claim no longer holds.
    pub expires_at: i64,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}
