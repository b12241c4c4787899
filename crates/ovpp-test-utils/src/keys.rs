//! The localnet keypairs the natively hosted programs recognise, read from
//! `localnet/keys/` at compile time.
use solana_sdk::signature::Keypair;

/// A keypair from a Solana CLI keypair file's JSON (`[b0, b1, ..., b63]`).
pub fn keypair_from_json(json: &str, what: &str) -> Keypair {
    let bytes: Vec<u8> = json
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|b| b.trim().parse().expect("keypair byte"))
        .collect();
    Keypair::try_from(&bytes[..]).unwrap_or_else(|e| panic!("{what} keypair: {e}"))
}

/// The localnet deployer of natively hosted programs (`ovpp_registry::deployer::LOCALNET_ADMIN`),
/// from `localnet/keys/localnet-admin.json`.
pub fn localnet_admin() -> Keypair {
    let kp = keypair_from_json(
        include_str!("../../../localnet/keys/localnet-admin.json"),
        "localnet admin",
    );
    assert_eq!(
        solana_sdk::signature::Signer::pubkey(&kp),
        ovpp_registry::deployer::LOCALNET_ADMIN
    );
    kp
}

/// The localnet USDC keypair (`localnet/keys/usdc-localnet.json`), the only USDC
/// `payments_init` accepts when the program is natively hosted.
pub fn usdc_localnet_keypair() -> Keypair {
    keypair_from_json(
        include_str!("../../../localnet/keys/usdc-localnet.json"),
        "usdc-localnet",
    )
}
