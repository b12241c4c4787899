//! Pure identity functions (no accounts, no syscalls beyond hashing), mirrored by the SDK's
//! `identity.ts` and checked against the IEEE 2030.5 worked example.
use anchor_lang::solana_program::hash::hash;

use crate::constants::{LFDI_LEN, MAX_NAME_LEN};

/// LFDI: the left-most 160 bits of the SHA-256 certificate fingerprint (IEEE 2030.5 §6.3.4).
pub fn lfdi_from_fingerprint(fingerprint: &[u8; 32]) -> [u8; LFDI_LEN] {
    let mut lfdi = [0u8; LFDI_LEN];
    lfdi.copy_from_slice(&fingerprint[..LFDI_LEN]);
    lfdi
}

/// SFDI: the left-most 36 bits of the LFDI as a decimal integer, followed by a check digit
/// that makes the sum of all digits a multiple of ten (IEEE 2030.5 §6.3.3).
pub fn sfdi_from_lfdi(lfdi: &[u8; LFDI_LEN]) -> u64 {
    let mut top = [0u8; 8];
    top[3..8].copy_from_slice(&lfdi[..5]);
    // 40 bits read; drop the 4 lowest to keep 36.
    let bits36 = u64::from_be_bytes(top) >> 4;
    let mut digit_sum = 0u64;
    let mut rest = bits36;
    while rest > 0 {
        digit_sum += rest % 10;
        rest /= 10;
    }
    let check = (10 - digit_sum % 10) % 10;
    // bits36 < 2^36, so * 10 + 9 cannot overflow u64.
    bits36 * 10 + check
}

/// A registrable name: 1..=63 bytes of `[a-z0-9.-]`, starting with `[a-z0-9]`, no `..`,
/// not ending in `.` or `-`.
pub fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_NAME_LEN {
        return false;
    }
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    bytes.iter().all(|&b| alnum(b) || b == b'-' || b == b'.') && !name.contains("..")
}

/// A partner handle: a registrable name of one label (no dots), e.g. `gridco`.
pub fn is_valid_handle(handle: &str) -> bool {
    is_valid_name(handle) && !handle.contains('.')
}

/// The last label of a dotted name (`"meter-1.gridco"` -> `Some("gridco")`); `None` for a
/// single-label name. Partner handles are single labels, so this is the namespace a dotted
/// name lives in.
pub fn parent_label(name: &str) -> Option<&str> {
    name.rfind('.').map(|i| &name[i + 1..])
}

/// The PDA seed of a name: `sha256(name)`.
pub fn name_hash(name: &str) -> [u8; 32] {
    hash(name.as_bytes()).to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex20(s: &str) -> [u8; 20] {
        let mut out = [0u8; 20];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    #[test]
    fn sfdi_matches_ieee_2030_5_example() {
        // IEEE 2030.5-2018 §6.3.3 worked example.
        let lfdi = hex20("3E4F45AB31EDFE5B67E343E5E4562E31984E23E5");
        assert_eq!(sfdi_from_lfdi(&lfdi), 167_261_211_391);
    }

    #[test]
    fn sfdi_check_digit_makes_digit_sum_multiple_of_ten() {
        for seed in 0u8..=255 {
            let lfdi = [seed; 20];
            let sfdi = sfdi_from_lfdi(&lfdi);
            let sum: u64 = sfdi.to_string().bytes().map(|b| u64::from(b - b'0')).sum();
            assert_eq!(sum % 10, 0, "sfdi {sfdi}");
            assert!(sfdi < (1u64 << 36) * 10);
        }
    }

    #[test]
    fn lfdi_is_fingerprint_prefix() {
        let mut fp = [0u8; 32];
        for (i, b) in fp.iter_mut().enumerate() {
            *b = i as u8;
        }
        assert_eq!(&lfdi_from_fingerprint(&fp)[..], &fp[..20]);
    }

    #[test]
    fn names() {
        for ok in [
            "a",
            "meter-001",
            "acme.utility",
            "x1.y2-z3",
            &"a".repeat(63),
        ] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            ".a",
            "a.",
            "A",
            "a..b",
            "a b",
            "a_b",
            "é",
            &"a".repeat(64),
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn handles_and_parents() {
        assert!(is_valid_handle("gridco"));
        assert!(!is_valid_handle("grid.co"));
        assert!(!is_valid_handle(""));
        assert_eq!(parent_label("meter-1.gridco"), Some("gridco"));
        assert_eq!(parent_label("a.b.c"), Some("c"));
        assert_eq!(parent_label("gridco"), None);
    }

    #[test]
    fn name_hash_is_sha256() {
        // sha256("abc")
        assert_eq!(name_hash("abc")[..4], [0xba, 0x78, 0x16, 0xbf],);
    }
}
