//! Transaction signature checks (the banks server trusts its callers; a validator does not).
//!
//! The rule is exactly `VersionedTransaction::verify_with_results` (every signature against
//! the static account key at its index, ed25519-dalek 1.x `verify_strict`), computed with
//! curve25519-dalek 4, which the dependency tree already builds and which picks its AVX2 /
//! AVX-512 backend at run time, where ed25519-dalek 1 only has the portable one: the checks
//! were a third of the addon's time per transaction.
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use sha2::{Digest, Sha512};
use solana_sdk::transaction::VersionedTransaction;

/// `verify_strict` of ed25519-dalek 1.x: canonical `s`, decompressible `A` and `R`, neither of
/// small order, and `[s]B - [k]A == R` with `k = H(R || A || message)`.
fn verify_strict(pubkey: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    let Some(a) = CompressedEdwardsY(*pubkey).decompress() else {
        return false;
    };
    let (r_bytes, s_bytes) = signature.split_at(32);
    let r_bytes: [u8; 32] = r_bytes.try_into().expect("32 bytes");
    let s_bytes: [u8; 32] = s_bytes.try_into().expect("32 bytes");
    // ed25519-dalek 1 takes `s` as is when its top four bits are clear (then `s < 2^252 < l`,
    // so canonical) and otherwise requires it canonical: the same as requiring it canonical.
    let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes)) else {
        return false;
    };
    let Some(r) = CompressedEdwardsY(r_bytes).decompress() else {
        return false;
    };
    if r.is_small_order() || a.is_small_order() {
        return false;
    }
    let k = Scalar::from_hash(
        Sha512::new()
            .chain_update(r_bytes)
            .chain_update(pubkey)
            .chain_update(message),
    );
    EdwardsPoint::vartime_double_scalar_mul_basepoint(&k, &(-a), &s) == r
}

/// Whether every signature of `tx` is valid (`verify_with_results` all true).
pub fn signatures_valid(tx: &VersionedTransaction) -> bool {
    let message = tx.message.serialize();
    tx.signatures
        .iter()
        .zip(tx.message.static_account_keys())
        .all(|(signature, key)| {
            let signature: &[u8; 64] = signature.as_ref().try_into().expect("64 bytes");
            verify_strict(&key.to_bytes(), &message, signature)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_sdk::hash::Hash;
    use solana_sdk::signature::{Keypair, Signature, Signer};
    use solana_sdk::transaction::Transaction;

    fn transfer(payer: &Keypair) -> VersionedTransaction {
        let ix = solana_system_interface::instruction::transfer(
            &payer.pubkey(),
            &solana_sdk::pubkey::Pubkey::new_unique(),
            1,
        );
        Transaction::new_signed_with_payer(
            &[ix],
            Some(&payer.pubkey()),
            &[payer],
            Hash::new_unique(),
        )
        .into()
    }

    /// Same verdict as `solana-sdk`'s own check, on valid and on tampered transactions.
    #[test]
    fn agrees_with_verify_with_results() {
        let payer = Keypair::new();
        let valid = transfer(&payer);
        assert!(signatures_valid(&valid));
        assert!(valid.verify_with_results().iter().all(|v| *v));

        let mut wrong_key = valid.clone();
        wrong_key.signatures[0] = Keypair::new().sign_message(&valid.message.serialize());
        let mut flipped = valid.clone();
        let mut bytes: [u8; 64] = flipped.signatures[0].into();
        bytes[3] ^= 1;
        flipped.signatures[0] = Signature::from(bytes);
        // `s` + l: the same point equation, a non-canonical scalar (malleability).
        let mut malleable = valid.clone();
        let mut bytes: [u8; 64] = malleable.signatures[0].into();
        // l = 2^252 + 27742317777372353535851937790883648493, little-endian.
        let l: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut carry = 0u16;
        for i in 0..32 {
            let sum = u16::from(bytes[32 + i]) + u16::from(l[i]) + carry;
            bytes[32 + i] = sum as u8;
            carry = sum >> 8;
        }
        malleable.signatures[0] = Signature::from(bytes);
        let mut unsigned = valid.clone();
        unsigned.signatures[0] = Signature::default();

        for tx in [wrong_key, flipped, malleable, unsigned] {
            assert!(!signatures_valid(&tx));
            assert!(tx.verify_with_results().iter().any(|v| !*v));
        }
    }
}
