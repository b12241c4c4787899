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

/// The confusable skeleton of a name or label over the registry alphabet `[a-z0-9.-]`, in the
/// sense of Unicode TS #39 (section 4, `skeleton(X)`): two strings with the same skeleton look
/// alike. Each byte is replaced by its prototype; separators are dropped. The table:
///
/// | from | to   | source |
/// |------|------|--------|
/// | `0`  | `o`  | confusables.txt `0030 ; 004F` (0 -> O), lowercased: the alphabet has no capitals |
/// | `1`  | `l`  | confusables.txt `0031 ; 006C` (1 -> l) |
/// | `m`  | `rn` | confusables.txt `006D ; 0072 006E` (m -> rn) |
/// | `i`  | `l`  | ours (`I -> l` in confusables.txt; i/l/1 in lowercase sans-serif) |
/// | `w`  | `vv` | ours (w -> vv, the same shape as m -> rn) |
/// | `d`  | `cl` | ours (d -> cl) |
/// | `5`  | `s`  | ours |
/// | `2`  | `z`  | ours |
/// | `6`, `8` | `b` | ours |
/// | `9`  | `g`  | ours |
/// | `-`, `.` | (dropped) | ours: `gr-idco` and `grid.co` read as `gridco` |
///
/// confusables.txt has no other entry whose source is in `[a-z0-9.-]` (checked against the
/// 2025 data). Every target is a fixed point, so the skeleton is idempotent; the mapping is
/// per byte, so `rn`, `vv` and `cl` in the input already equal their prototypes. Leetspeak
/// substitutions that are not visual (`3` for `e`, `4` for `a`, `7` for `t`) are not mapped.
/// Bytes outside the alphabet are kept as they are (names are validated before this is used).
/// Mirrored by the SDK's `skeleton`; both run `testing/fixtures/vectors/skeleton-vectors.txt`.
pub fn skeleton(name: &str) -> String {
    let mut out = String::with_capacity(name.len().saturating_mul(2));
    for c in name.chars() {
        match c {
            '-' | '.' => {}
            '0' => out.push('o'),
            '1' | 'i' => out.push('l'),
            '2' => out.push('z'),
            '5' => out.push('s'),
            '6' | '8' => out.push('b'),
            '9' => out.push('g'),
            'm' => out.push_str("rn"),
            'w' => out.push_str("vv"),
            'd' => out.push_str("cl"),
            other => out.push(other),
        }
    }
    out
}

/// The seed of a skeleton reservation: `sha256(skeleton(name))`.
pub fn skeleton_hash(name: &str) -> [u8; 32] {
    hash(skeleton(name).as_bytes()).to_bytes()
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

    /// The vectors the SDK's `skeleton` runs too: `<input> TAB <skeleton>`.
    const SKELETON_VECTORS: &str =
        include_str!("../../../testing/fixtures/vectors/skeleton-vectors.txt");

    #[test]
    fn skeleton_vectors() {
        let mut n = 0;
        for line in SKELETON_VECTORS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (input, expected) = line.split_once('\t').unwrap();
            assert_eq!(skeleton(input), expected, "{input}");
            assert_eq!(skeleton(expected), expected, "idempotent: {input}");
            n += 1;
        }
        assert!(n >= 20);
    }

    #[test]
    fn look_alikes_share_a_skeleton() {
        for (a, b) in [
            ("gr1dco", "gridco"),
            ("grldco", "gridco"),
            ("gridc0", "gridco"),
            ("gr-idco", "gridco"),
            ("grid.co", "gridco"),
            ("rnetering", "metering"),
            ("vvatt", "watt"),
            ("clata", "data"),
            ("5olar", "solar"),
        ] {
            assert_eq!(skeleton(a), skeleton(b), "{a} {b}");
            assert_eq!(skeleton_hash(a), skeleton_hash(b), "{a} {b}");
        }
        for (a, b) in [
            ("gridco", "acme"),
            ("gridco", "gridcoo"),
            ("meter", "neter"),
        ] {
            assert_ne!(skeleton(a), skeleton(b), "{a} {b}");
        }
    }

    #[test]
    fn name_hash_is_sha256() {
        // sha256("abc")
        assert_eq!(name_hash("abc")[..4], [0xba, 0x78, 0x16, 0xbf],);
    }
}
