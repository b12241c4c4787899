use anchor_lang::prelude::*;

use ovpp_registry::state::{AttestationKind, EndpointAttestation};

use crate::constants::{MAX_CERT_PINS, MAX_ENDPOINT_LEN};
use crate::errors::RoutingError;

/// The protocol a device speaks to its utility endpoint.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum Protocol {
    /// OpenADR 3 VTN (REST + webhooks/MQTT).
    OpenAdr3Vtn,
    /// IEEE 2030.5 server (DeviceCapability URL).
    Ieee2030Dot5,
    /// OCPP 2.0.1 CSMS (WebSocket).
    Ocpp201Csms,
}

impl Protocol {
    /// The endpoint attestation kind a route of this protocol needs.
    pub fn attestation_kind(self) -> AttestationKind {
        match self {
            Protocol::OpenAdr3Vtn => AttestationKind::OpenAdr3Conformance,
            Protocol::Ieee2030Dot5 => AttestationKind::Ieee2030Dot5Conformance,
            Protocol::Ocpp201Csms => AttestationKind::Ocpp201Conformance,
        }
    }

    /// The registry capability bit of this protocol (`Capabilities.protocols`).
    pub fn capability_bit(self) -> u8 {
        match self {
            Protocol::OpenAdr3Vtn => 1,
            Protocol::Ieee2030Dot5 => 2,
            Protocol::Ocpp201Csms => 4,
        }
    }

    /// The URL scheme this protocol's endpoints use.
    pub fn scheme(self) -> &'static str {
        match self {
            Protocol::Ocpp201Csms => "wss://",
            _ => "https://",
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

/// A host: lowercase `[a-z0-9-]` labels separated by single dots; no empty label, no label
/// starting or ending with `-`. (So no userinfo `@`, no `%`-encoding, no IP-literal brackets.)
/// A host that the WHATWG URL parser would read as an IPv4 address ([`ends_in_a_number`]:
/// `2130706433`, `0x7f000001`, `0x7f.1`, `0177.0.0.1`, `127.1`, `vtn.123`...) is refused
/// unless it is a canonical dotted quad ([`is_canonical_ipv4`], e.g. `10.0.0.1`), the one
/// numeric form every parser reads as itself.
fn is_valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
                && b.iter()
                    .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        })
        && (!ends_in_a_number(host) || is_canonical_ipv4(host))
}

/// The WHATWG URL Standard's "ends in a number checker" (host parsing, step 8): the last label,
/// or the second-to-last when the last is empty (a trailing dot), is non-empty and all ASCII
/// digits, or is `0x`/`0X` followed only by hex digits (an IPv4 number, possibly empty). Such a
/// host goes to the IPv4 parser: it is an address (decimal, octal with a leading `0`, hex,
/// with 1 to 4 parts) or the URL fails to parse; it is never a domain name.
pub fn ends_in_a_number(host: &str) -> bool {
    // A trailing empty label is dropped, unless it is the only one.
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next().unwrap_or("");
    if !last.is_empty() && last.bytes().all(|c| c.is_ascii_digit()) {
        return true;
    }
    last.strip_prefix("0x")
        .or_else(|| last.strip_prefix("0X"))
        .is_some_and(|hex| hex.bytes().all(|c| c.is_ascii_hexdigit()))
}

/// A canonical dotted-quad IPv4 address: four decimal parts 0..=255 without leading zeros, the
/// form the WHATWG parser serialises an IPv4 host to (so it reads as exactly what is stored).
fn is_canonical_ipv4(host: &str) -> bool {
    host.split('.').count() == 4
        && host.split('.').all(|p| {
            (1..=3).contains(&p.len())
                && p.bytes().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// A port: 1 to 5 ASCII digits, 1..=65535.
fn is_valid_port(port: &str) -> bool {
    (1..=5).contains(&port.len())
        && port.bytes().all(|c| c.is_ascii_digit())
        && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p))
}

/// Strict endpoint grammar, mirrored byte for byte by the SDK's `validateRoute`:
/// `scheme host [":" port] [path]` where the scheme is the protocol's (`https://`, or
/// `wss://` for OCPP), the host is [`is_valid_host`], the port [`is_valid_port`], and the path
/// starts with `/`; the whole URL is printable ASCII without `#`, at most 200 bytes.
pub fn is_valid_endpoint(protocol: Protocol, endpoint: &str) -> bool {
    if endpoint.len() > MAX_ENDPOINT_LEN
        || !endpoint.bytes().all(|b| b.is_ascii_graphic() && b != b'#')
    {
        return false;
    }
    let Some(rest) = endpoint.strip_prefix(protocol.scheme()) else {
        return false;
    };
    let (authority, _path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    is_valid_host(host) && port.is_none_or(is_valid_port)
}

/// Validates endpoint, pins (1..=4, non-zero, no duplicates) and expiry of a route.
pub fn validate_route(
    protocol: Protocol,
    endpoint: &str,
    cert_pins: &[[u8; 32]],
    expires_at: i64,
    now: i64,
) -> Result<()> {
    require!(
        is_valid_endpoint(protocol, endpoint),
        RoutingError::InvalidEndpoint
    );
    require!(
        !cert_pins.is_empty()
            && cert_pins.len() <= MAX_CERT_PINS
            && cert_pins.iter().all(|p| *p != [0u8; 32])
            && cert_pins
                .iter()
                .enumerate()
                .all(|(i, p)| !cert_pins[..i].contains(p)),
        RoutingError::InvalidCertPins
    );
    require!(expires_at > now, RoutingError::InvalidExpiry);
    Ok(())
}

/// A route may point only at an endpoint the integration service attested: for this exact URL
/// and protocol, unexpired, and having presented a server key that is one of the route's pins.
pub fn require_endpoint_attested(
    attestation: &EndpointAttestation,
    protocol: Protocol,
    endpoint: &str,
    cert_pins: &[[u8; 32]],
    now: i64,
) -> Result<()> {
    require!(
        attestation.endpoint == endpoint,
        RoutingError::EndpointNotAttested
    );
    require!(
        attestation.expires_at > now,
        RoutingError::EndpointAttestationExpired
    );
    require!(
        attestation.kind == protocol.attestation_kind(),
        RoutingError::EndpointProtocolMismatch
    );
    require!(
        cert_pins.contains(&attestation.spki_sha256),
        RoutingError::EndpointPinNotAttested
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectors the SDK's tests run through `validateRoute` too.
    const VECTORS: &str = include_str!("../../../../testing/fixtures/vectors/endpoint-vectors.txt");

    #[test]
    fn endpoint_vectors() {
        let mut n = 0;
        for line in VECTORS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut cols = line.splitn(3, '\t');
            let (p, expect, url) = (
                cols.next().unwrap(),
                cols.next().unwrap(),
                cols.next().unwrap(),
            );
            let protocol = match p {
                "openAdr3Vtn" => Protocol::OpenAdr3Vtn,
                "ieee2030Dot5" => Protocol::Ieee2030Dot5,
                "ocpp201Csms" => Protocol::Ocpp201Csms,
                other => panic!("unknown protocol {other}"),
            };
            let ok = validate_route(protocol, url, &[[1u8; 32]], 10, 0).is_ok();
            assert_eq!(ok, expect == "ok", "{p} {url:?}");
            n += 1;
        }
        assert!(n >= 40);
    }

    fn attestation(endpoint: &str, kind: AttestationKind, spki: [u8; 32]) -> EndpointAttestation {
        EndpointAttestation {
            version: 1,
            bump: 255,
            kind,
            endpoint_hash: [7; 32],
            endpoint: endpoint.to_string(),
            spki_sha256: spki,
            evidence_hash: [9; 32],
            issuer: Pubkey::new_unique(),
            issued_at: 0,
            expires_at: 100,
            reserved: [0; 32],
        }
    }

    #[test]
    fn routes_need_a_live_matching_endpoint_attestation() {
        let url = "https://vtn.gridco.example/openadr3";
        let a = attestation(url, AttestationKind::OpenAdr3Conformance, [1; 32]);
        let code = |r: Result<()>| match r {
            Ok(()) => None,
            Err(Error::AnchorError(e)) => Some(e.error_name),
            Err(e) => panic!("{e:?}"),
        };
        let ok = |p, u: &str, pins: &[[u8; 32]], now| {
            code(require_endpoint_attested(&a, p, u, pins, now))
        };
        assert_eq!(
            ok(Protocol::OpenAdr3Vtn, url, &[[2; 32], [1; 32]], 99),
            None
        );
        assert_eq!(
            ok(
                Protocol::OpenAdr3Vtn,
                "https://vtn.gridco.example/other",
                &[[1; 32]],
                99
            )
            .as_deref(),
            Some("EndpointNotAttested")
        );
        assert_eq!(
            ok(Protocol::OpenAdr3Vtn, url, &[[1; 32]], 100).as_deref(),
            Some("EndpointAttestationExpired")
        );
        assert_eq!(
            ok(Protocol::Ieee2030Dot5, url, &[[1; 32]], 99).as_deref(),
            Some("EndpointProtocolMismatch")
        );
        assert_eq!(
            ok(Protocol::OpenAdr3Vtn, url, &[[2; 32]], 99).as_deref(),
            Some("EndpointPinNotAttested")
        );
    }

    #[test]
    fn whatwg_ends_in_a_number() {
        for host in [
            "2130706433",
            "0x7f000001",
            "0X7F000001",
            "0x7f.1",
            "0177.0.0.1",
            "127.1",
            "vtn.123",
            "a.0x",
            "a.0xfF",
            "09",
            "1.2.3.4.",
            "a.1.",
        ] {
            assert!(ends_in_a_number(host), "{host}");
        }
        for host in [
            "vtn.example",
            "1a",
            "0xg",
            "0x1.a",
            "1.x1",
            "",
            ".",
            "a..",
            "123.a",
        ] {
            assert!(!ends_in_a_number(host), "{host}");
        }
        assert!(is_canonical_ipv4("10.0.0.1") && is_canonical_ipv4("255.255.255.0"));
        for host in [
            "010.0.0.1",
            "10.0.0.01",
            "256.0.0.1",
            "10.0.1",
            "10.0.0.0.1",
            "1.2.3.4.",
        ] {
            assert!(!is_canonical_ipv4(host), "{host}");
        }
    }

    #[test]
    fn pins_and_expiry() {
        let url = "https://vtn.example";
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[], 10, 0).is_err());
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[[0; 32]], 10, 0).is_err());
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[[1; 32]; 5], 10, 0).is_err());
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[[1; 32], [1; 32]], 10, 0).is_err());
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[[1; 32]], 0, 0).is_err());
        assert!(validate_route(Protocol::OpenAdr3Vtn, url, &[[1; 32], [2; 32]], 1, 0).is_ok());
    }
}
