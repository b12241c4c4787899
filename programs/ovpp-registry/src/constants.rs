//! PDA seeds and protocol limits. Every seed is an IDL `#[constant]`: the SDK's seed bytes
//! and seed builders (`sdk/src/generated/registry/{constants,seeds}.ts`) are generated from
//! the IDL by `scripts/dev/codegen.mjs`, never mirrored by hand.
use anchor_lang::prelude::*;

/// `["config"]`: the single protocol configuration account.
#[constant]
pub const SEED_CONFIG: &[u8] = b"config";

/// `["partner", partner_authority]`: one partner (utility or vendor) per authority key.
#[constant]
pub const SEED_PARTNER: &[u8] = b"partner";

/// `["device", device_key]`: the device record, found from the device's ed25519 key.
#[constant]
pub const SEED_DEVICE: &[u8] = b"device";

/// `["cert", lfdi]`: certificate index, found from the IEEE 2030.5 LFDI (20 bytes).
#[constant]
pub const SEED_CERT: &[u8] = b"cert";

/// `["name", sha256(name)]`: forward name record.
#[constant]
pub const SEED_NAME: &[u8] = b"name";

/// `["reverse", target]`: reverse record (target account -> name).
#[constant]
pub const SEED_REVERSE: &[u8] = b"reverse";

/// Longest partner display name, in bytes.
pub const MAX_PARTNER_NAME_LEN: usize = 64;

/// Most CA root fingerprints a partner may register.
pub const MAX_CA_FINGERPRINTS: usize = 8;

/// Longest registrable name, in bytes (`[a-z0-9][a-z0-9.-]*`).
pub const MAX_NAME_LEN: usize = 63;

/// Length of an IEEE 2030.5 long-form device identifier (SHA-256 of the DER cert, truncated).
pub const LFDI_LEN: usize = 20;

/// Capability flag bits that are defined today; others must be zero.
pub const CAPABILITY_FLAGS_MASK: u32 = (1 << 8) - 1;

/// Protocol bits that are defined today (OpenADR 3, IEEE 2030.5, OCPP 2.0.1).
pub const PROTOCOL_MASK: u8 = 0b111;

/// `["member", wallet]`: an end-user participant (owner of an active device).
#[constant]
pub const SEED_MEMBER: &[u8] = b"member";

/// `["attestation", subject, kind]`: a capability attestation about a device or partner.
#[constant]
pub const SEED_ATTESTATION: &[u8] = b"attestation";

/// `["ca", root_fingerprint]`: global CA root index (root -> the one partner that owns it).
#[constant]
pub const SEED_CA: &[u8] = b"ca";

/// `["endpoint", sha256(endpoint URL)]`: the integration service's attestation that a utility
/// endpoint passed its protocol probe (and which server key it presented).
#[constant]
pub const SEED_ENDPOINT: &[u8] = b"endpoint";

/// Longest endpoint URL, in bytes (the routing program's route endpoint limit).
pub const MAX_ENDPOINT_LEN: usize = 200;

/// `["skeleton", sha256(skeleton(handle))]`: a partner handle's confusable skeleton, reserving
/// every look-alike name (`gr1dco`, `grid.co` for `gridco`) to that partner.
#[constant]
pub const SEED_SKELETON: &[u8] = b"skeleton";

/// `["ctree", merkle_tree]`: the registry's record of a compressed-device tree and the
/// authority (signer) of that `spl-account-compression` tree.
#[constant]
pub const SEED_COMPRESSED_TREE: &[u8] = b"ctree";

/// `["lfdi_chain"]`: marks that the head of the registry-wide LFDI chain exists (once).
#[constant]
pub const SEED_LFDI_CHAIN: &[u8] = b"lfdi_chain";

/// Most devices one `compressed_device_register` may append (bounded by the 1,232-byte
/// transaction: 72 bytes per device).
pub const MAX_COMPRESSED_BATCH: usize = 16;
