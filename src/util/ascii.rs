//! Locale-independent ASCII case folding, for protocol text.

use std::ffi::{c_char, c_int};

/// `evutil_ascii_strncasecmp` on the bytes before each string's NUL (bytes past a slice read
/// as the NUL). Like libevent, folded bytes compare as C `char`, so on x86-64 bytes >= 0x80
/// sort before ASCII.
pub fn strncasecmp(a: &[u8], b: &[u8], n: usize) -> c_int {
    for i in 0..n {
        let c1 = a.get(i).copied().unwrap_or(0).to_ascii_lowercase() as c_char;
        let c2 = b.get(i).copied().unwrap_or(0).to_ascii_lowercase() as c_char;
        if c1 < c2 {
            return -1;
        } else if c1 > c2 {
            return 1;
        } else if c1 == 0 {
            return 0;
        }
    }
    0
}

/// `evutil_ascii_strcasecmp`.
pub fn strcasecmp(a: &[u8], b: &[u8]) -> c_int {
    strncasecmp(a, b, usize::MAX)
}
