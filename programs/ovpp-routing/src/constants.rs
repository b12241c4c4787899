//! PDA seeds and limits. Every seed is an IDL `#[constant]`: the SDK's seed bytes and seed builders
//! (`sdk/src/generated/routing/{constants,seeds}.ts`) are generated from the IDL by
//! `scripts/dev/codegen.mjs`, never mirrored by hand.
use anchor_lang::prelude::*;

/// `["program", utility_partner, program_id_le]`: a utility program (DR, tariff, EV).
#[constant]
pub const SEED_PROGRAM: &[u8] = b"program";

/// `["enrollment", program, device]`: a device's enrollment in a program.
#[constant]
pub const SEED_ENROLLMENT: &[u8] = b"enrollment";

/// `["route", enrollment]`: the connectivity parameters of an approved enrollment.
#[constant]
pub const SEED_ROUTE: &[u8] = b"route";

/// Longest program name, bytes.
pub const MAX_PROGRAM_NAME_LEN: usize = 64;

/// Longest endpoint URL, bytes.
pub const MAX_ENDPOINT_LEN: usize = 200;

/// Most TLS certificate pins (SHA-256 of SubjectPublicKeyInfo) per route.
pub const MAX_CERT_PINS: usize = 4;
