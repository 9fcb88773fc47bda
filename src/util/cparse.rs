//! The C library's number scanners, as libevent's address parsers observe them.
//!
//! libevent parses addresses with `sscanf("%u")`, `strtol(.., 16)`, `strtoul(.., 10)` and
//! `atoi`, so their quirks (leading blanks, a sign, `0x` prefixes, wrap-around on overflow) are
//! part of its behaviour: `"+1.2.3.4"` is a valid IPv4 address and `"1.2.3.4:65616"` is not
//! port 80. These helpers reproduce glibc's results in the C locale without a libc call.

/// `isspace` in the C locale.
#[inline]
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Skips blanks and one optional sign; returns (index after them, negative?).
#[inline]
fn blanks_and_sign(s: &[u8]) -> (usize, bool) {
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    (i, neg)
}

/// Decimal digits from `i`: (magnitude saturated at u64::MAX, whether it overflowed, end).
#[inline]
fn decimal(s: &[u8], mut i: usize) -> (u64, bool, usize) {
    let mut v: u64 = 0;
    let mut overflow = false;
    while i < s.len() && s[i].is_ascii_digit() {
        match v.checked_mul(10).and_then(|m| m.checked_add(u64::from(s[i] - b'0'))) {
            Some(n) => v = n,
            None => overflow = true,
        }
        i += 1;
    }
    (if overflow { u64::MAX } else { v }, overflow, i)
}

/// `strtoul(s, &end, 10)` on an LP64 glibc: the value and the number of bytes consumed
/// (0 when nothing converts, as `end == s` in C).
pub(crate) fn strtoul10(s: &[u8]) -> (u64, usize) {
    let (start, neg) = blanks_and_sign(s);
    let (mag, overflow, end) = decimal(s, start);
    if end == start {
        return (0, 0);
    }
    let v = if overflow {
        u64::MAX
    } else if neg {
        mag.wrapping_neg()
    } else {
        mag
    };
    (v, end)
}

/// `atoi(s)`: glibc computes `(int)strtol(s, NULL, 10)`, saturating at LONG_MIN/LONG_MAX
/// and then truncating to 32 bits.
pub(crate) fn atoi(s: &[u8]) -> i32 {
    let (start, neg) = blanks_and_sign(s);
    let (mag, overflow, _) = decimal(s, start);
    let v: i64 = if neg {
        if overflow || mag > i64::MAX as u64 + 1 {
            i64::MIN
        } else {
            (mag as i64).wrapping_neg()
        }
    } else if overflow || mag > i64::MAX as u64 {
        i64::MAX
    } else {
        mag as i64
    };
    v as i32
}

/// One `%u` conversion of glibc's `sscanf` starting at `i`: blanks, a sign, at least one digit;
/// the value is `strtoul`'s, truncated to `unsigned int`. `None` is a matching failure.
pub(crate) fn scan_u(s: &[u8], i: usize) -> Option<(u32, usize)> {
    let rest = &s[i..];
    let (start, neg) = blanks_and_sign(rest);
    let (mag, overflow, end) = decimal(rest, start);
    if end == start {
        return None;
    }
    let v = if overflow {
        u64::MAX
    } else if neg {
        mag.wrapping_neg()
    } else {
        mag
    };
    Some((v as u32, i + end))
}

/// `sscanf(s, "%u.%u.%u.%u%c", ...) == 4`: four numbers separated by single dots and nothing
/// after the last one. Returns the four values (not yet range-checked).
pub(crate) fn scan_dotted_quad(s: &[u8]) -> Option<[u32; 4]> {
    let mut out = [0u32; 4];
    let mut i = 0;
    for (k, slot) in out.iter_mut().enumerate() {
        if k > 0 {
            if s.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let (v, next) = scan_u(s, i)?;
        *slot = v;
        i = next;
    }
    (i == s.len()).then_some(out)
}

/// `strtol(s, &end, 16)` where `s[0]` is a hex digit (so no blanks or sign): the value
/// (saturated; callers reject long inputs anyway) and the bytes consumed, honouring the
/// optional `0x` prefix strtol accepts.
pub(crate) fn strtol16_from_xdigit(s: &[u8]) -> (i64, usize) {
    let mut i = 0;
    if s.len() >= 3 && s[0] == b'0' && (s[1] | 0x20) == b'x' && s[2].is_ascii_hexdigit() {
        i = 2;
    }
    let mut v: i64 = 0;
    let mut overflow = false;
    while i < s.len() && s[i].is_ascii_hexdigit() {
        let d = (s[i] as char).to_digit(16).unwrap_or(0) as i64;
        match v.checked_mul(16).and_then(|m| m.checked_add(d)) {
            Some(n) => v = n,
            None => overflow = true,
        }
        i += 1;
    }
    (if overflow { i64::MAX } else { v }, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtoul_like_glibc() {
        assert_eq!(strtoul10(b""), (0, 0));
        assert_eq!(strtoul10(b"  12x"), (12, 4));
        assert_eq!(strtoul10(b"-1"), (u64::MAX, 2));
        assert_eq!(strtoul10(b"+"), (0, 0));
        assert_eq!(strtoul10(b"99999999999999999999999"), (u64::MAX, 23));
    }

    #[test]
    fn atoi_like_glibc() {
        assert_eq!(atoi(b" 80abc"), 80);
        assert_eq!(atoi(b"4294967376"), 80);
        assert_eq!(atoi(b"99999999999999999999"), -1);
        assert_eq!(atoi(b"-99999999999999999999"), 0);
        assert_eq!(atoi(b""), 0);
    }

    #[test]
    fn dotted_quad() {
        assert_eq!(scan_dotted_quad(b"1.2.3.4"), Some([1, 2, 3, 4]));
        assert_eq!(scan_dotted_quad(b"+1. 2.3.4"), Some([1, 2, 3, 4]));
        assert_eq!(scan_dotted_quad(b"1.2.3.4 "), None);
        assert_eq!(scan_dotted_quad(b"1.2.3"), None);
        assert_eq!(scan_dotted_quad(b"1 .2.3.4"), None);
        assert_eq!(scan_dotted_quad(b"4294967297.2.3.4"), Some([1, 2, 3, 4]));
    }

    #[test]
    fn hex() {
        assert_eq!(strtol16_from_xdigit(b"0x12:"), (0x12, 4));
        assert_eq!(strtol16_from_xdigit(b"0xg"), (0, 1));
        assert_eq!(strtol16_from_xdigit(b"ffff:"), (0xffff, 4));
    }
}
