use anchor_lang::prelude::*;

use crate::constants::{MAX_CERT_PINS, MAX_ENDPOINT_LEN};
use crate::errors::RoutingError;

/// The protocol a device speaks to its utility endpoint.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum Protocol {
    /// OpenADR 3 VTN (REST + webhooks/MQTT).
    OpenAdr3Vtn,
    /// IEEE 2030.5 server (DeviceCapability URL).
    Ieee2030_5,
    /// OCPP 2.0.1 CSMS (WebSocket).
    Ocpp201Csms,
}

impl Protocol {
    /// The registry capability bit of this protocol (`Capabilities.protocols`).
    pub fn capability_bit(self) -> u8 {
        match self {
            Protocol::OpenAdr3Vtn => 1,
            Protocol::Ieee2030_5 => 2,
            Protocol::Ocpp201Csms => 4,
        }
    }

    /// URL schemes this protocol's endpoints may use.
    pub fn schemes(self) -> &'static [&'static str] {
        match self {
            Protocol::Ocpp201Csms => &["wss://"],
            _ => &["https://"],
        }
    }
}

/// Everything a device needs to open a secure connection to its utility for one program.
#[account]
#[derive(InitSpace)]
pub struct Route {
    /// Canonical bump of `["route", enrollment]`.
    pub bump: u8,
    /// The approved enrollment this route serves.
    pub enrollment: Pubkey,
    /// The device (denormalised for one-read resolution).
    pub device: Pubkey,
    /// The utility program.
    pub program: Pubkey,
    /// Protocol spoken at the endpoint.
    pub protocol: Protocol,
    /// Endpoint URL (`https://` VTN / 2030.5 dcap, `wss://` CSMS).
    #[max_len(MAX_ENDPOINT_LEN)]
    pub endpoint: String,
    /// SHA-256 pins of the server's SubjectPublicKeyInfo (current and next key).
    #[max_len(MAX_CERT_PINS)]
    pub cert_pins: Vec<[u8; 32]>,
    /// Incremented on every update, so devices notice changes.
    pub version: u32,
    /// Unix time after which the device must re-resolve.
    pub expires_at: i64,
    /// Set by `route_revoke`.
    pub revoked: bool,
    /// Reserved for future fields.
    pub reserved: [u8; 32],
}

/// Validates endpoint, pins and expiry of a route for `protocol`.
pub fn validate_route(
    protocol: Protocol,
    endpoint: &str,
    cert_pins: &[[u8; 32]],
    expires_at: i64,
    now: i64,
) -> Result<()> {
    let printable = endpoint.bytes().all(|b| b.is_ascii_graphic());
    let host_start = protocol
        .schemes()
        .iter()
        .find(|s| endpoint.starts_with(**s))
        .map(|s| s.len());
    require!(
        printable
            && endpoint.len() <= MAX_ENDPOINT_LEN
            && host_start.is_some_and(|h| endpoint.len() > h),
        RoutingError::InvalidEndpoint
    );
    require!(
        !cert_pins.is_empty()
            && cert_pins.len() <= MAX_CERT_PINS
            && cert_pins.iter().all(|p| *p != [0u8; 32]),
        RoutingError::InvalidCertPins
    );
    require!(expires_at > now, RoutingError::InvalidExpiry);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_per_protocol() {
        let pin = [[1u8; 32]];
        let ok = |p, e: &str| validate_route(p, e, &pin, 10, 0).is_ok();
        assert!(ok(
            Protocol::OpenAdr3Vtn,
            "https://vtn.gridco.example/openadr3"
        ));
        assert!(ok(Protocol::Ieee2030_5, "https://sep2.gridco.example/dcap"));
        assert!(ok(
            Protocol::Ocpp201Csms,
            "wss://csms.gridco.example/ocpp/CP001"
        ));
        assert!(!ok(Protocol::Ocpp201Csms, "https://csms.gridco.example"));
        assert!(!ok(Protocol::OpenAdr3Vtn, "http://vtn.gridco.example"));
        assert!(!ok(Protocol::OpenAdr3Vtn, "https://"));
        assert!(!ok(Protocol::OpenAdr3Vtn, "https://a b"));
        let long = format!("https://{}", "a".repeat(200));
        assert!(!ok(Protocol::OpenAdr3Vtn, &long));
    }

    #[test]
    fn pins_and_expiry() {
        let url = "https://vtn.example";
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[], 10, 0).is_err());
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[[0; 32]], 10, 0).is_err());
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[[1; 32]; 5], 10, 0).is_err());
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[[1; 32]], 0, 0).is_err());
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[[1; 32], [2; 32]], 1, 0).is_ok());
    }
}
