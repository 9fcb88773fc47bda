//! IPv4/IPv6 text forms: libevent's own `inet_ntop`/`inet_pton` (it does not use the
//! system's, and its output differs: `::1.2.3.4`, no `::` for a single zero word), address
//! and port parsing, and sockaddr ordering.

use super::cparse::{scan_dotted_quad, strtol16_from_xdigit, strtoul10};
use std::ffi::{c_int, CStr, CString};
use std::fmt::{self, Write};

/// A socket address as `evutil_parse_sockaddr_port` produces it.
#[derive(Clone, Copy)]
pub enum SockAddr {
    V4(libc::sockaddr_in),
    V6(libc::sockaddr_in6),
}

/// Any sockaddr, for `sockaddr_cmp`: the two families libevent compares, or just the family.
pub enum AnySockAddr {
    V4(libc::sockaddr_in),
    V6(libc::sockaddr_in6),
    Other(libc::sa_family_t),
}

impl AnySockAddr {
    fn family(&self) -> libc::sa_family_t {
        match self {
            AnySockAddr::V4(_) => libc::AF_INET as libc::sa_family_t,
            AnySockAddr::V6(_) => libc::AF_INET6 as libc::sa_family_t,
            AnySockAddr::Other(f) => *f,
        }
    }
}

/// A fixed buffer for address text (the longest IPv6 form is 45 bytes).
pub struct AddrText {
    bytes: [u8; 64],
    len: usize,
}

impl AddrText {
    fn new() -> Self {
        AddrText { bytes: [0; 64], len: 0 }
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl Write for AddrText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if end > self.bytes.len() {
            return Err(fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Dotted-quad text of an IPv4 address (bytes in network order).
pub fn format_ipv4(a: [u8; 4]) -> AddrText {
    let mut t = AddrText::new();
    let _ = write!(t, "{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
    t
}

/// libevent's IPv6 text: IPv4-compatible (`::a.b.c.d`, when the last two words are both
/// nonzero) and IPv4-mapped (`::ffff:a.b.c.d`) forms, otherwise lowercase hex words with the
/// first longest run (of two or more) of zero words written as `::`.
pub fn format_ipv6(a: &[u8; 16]) -> AddrText {
    let mut t = AddrText::new();
    let w: [u16; 8] = std::array::from_fn(|i| u16::from_be_bytes([a[2 * i], a[2 * i + 1]]));
    if w[..5].iter().all(|&x| x == 0) && ((w[5] == 0 && w[6] != 0 && w[7] != 0) || w[5] == 0xffff) {
        let _ = if w[5] == 0 {
            write!(t, "::{}.{}.{}.{}", a[12], a[13], a[14], a[15])
        } else {
            write!(t, "::{:x}:{}.{}.{}.{}", w[5], a[12], a[13], a[14], a[15])
        };
        return t;
    }
    // Find the first longest run of zero words.
    let (mut best_pos, mut best_len) = (usize::MAX, 0);
    let mut i = 0;
    while i < 8 {
        if w[i] == 0 {
            let start = i;
            while i < 8 && w[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_pos = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len <= 1 {
        best_pos = usize::MAX;
    }
    let mut i = 0;
    while i < 8 {
        if i == best_pos {
            let _ = t.write_str(if i == 0 { "::" } else { ":" });
            i += best_len;
        } else {
            let _ = write!(t, "{:x}", w[i]);
            if i != 7 {
                let _ = t.write_char(':');
            }
            i += 1;
        }
    }
    t
}

/// libevent's IPv4 parser: `sscanf("%u.%u.%u.%u%c") == 4` and every part at most 255.
pub fn parse_ipv4(s: &[u8]) -> Option<[u8; 4]> {
    let q = scan_dotted_quad(s)?;
    if q.iter().any(|&x| x > 255) {
        return None;
    }
    Some(q.map(|x| x as u8))
}

/// libevent's IPv6 parser (no scope): hex words of at most four characters as `strtol`
/// reads them, one `::`, an optional trailing dotted quad.
pub fn parse_ipv6(s: &[u8]) -> Option<[u8; 16]> {
    let mut words = [0u16; 8];
    let mut gap: Option<usize> = None;
    let mut set = 0usize;
    let dot = s.iter().position(|&b| b == b'.');
    let eow = match dot {
        Some(0) => return None,
        None => s.len(),
        Some(d) => {
            // Back up over the digits before the first dot: the dotted quad starts there.
            let mut e = d;
            while e > 0 && s[e - 1].is_ascii_digit() {
                e -= 1;
            }
            let q = parse_ipv4(&s[e..])?;
            words[6] = u16::from_be_bytes([q[0], q[1]]);
            words[7] = u16::from_be_bytes([q[2], q[3]]);
            set += 2;
            e
        }
    };
    let mut i = 0usize;
    let mut p = 0usize;
    while p < eow {
        if i > 7 {
            return None;
        }
        let c = s[p];
        if c.is_ascii_hexdigit() {
            let (r, n) = strtol16_from_xdigit(&s[p..]);
            if n > 4 || r > 65536 {
                return None;
            }
            words[i] = r as u16;
            i += 1;
            set += 1;
            p += n;
            if p != eow && s.get(p) != Some(&b':') {
                return None;
            }
            p += 1;
        } else if c == b':' && i > 0 && gap.is_none() {
            gap = Some(i);
            p += 1;
        } else if c == b':' && i == 0 && s.get(p + 1) == Some(&b':') && gap.is_none() {
            gap = Some(i);
            p += 2;
        } else {
            return None;
        }
    }
    if set > 8 || (set == 8 && gap.is_some()) || (set < 8 && gap.is_none()) {
        return None;
    }
    if let Some(g) = gap {
        // Words written after the gap; never negative, as every word counted in `set`
        // either precedes the gap or follows it.
        let to_move = set.saturating_sub(if dot.is_some() { 2 } else { 0 } + g);
        let gap_len = 8 - set;
        words.copy_within(g..g + to_move, g + gap_len);
        words[g..g + gap_len].fill(0);
    }
    let mut out = [0u8; 16];
    for (k, w) in words.iter().enumerate() {
        out[2 * k..2 * k + 2].copy_from_slice(&w.to_be_bytes());
    }
    Some(out)
}

/// The zone part of `evutil_inet_pton_scope`: splits `addr%zone` and resolves the zone (an
/// interface name, else a decimal number as `strtoul` reads it). Returns the address part and
/// the index (0 without a zone), or `None` for a zone that is neither.
pub fn split_ipv6_zone(b: &[u8]) -> Option<(&[u8], u32)> {
    let Some(pct) = b.iter().position(|&c| c == b'%') else {
        return Some((b, 0));
    };
    let zone = &b[pct + 1..];
    let index = match CString::new(zone) {
        // SAFETY: `name` is a valid NUL-terminated string for the duration of the call.
        Ok(name) => unsafe { libc::if_nametoindex(name.as_ptr()) },
        Err(_) => 0,
    };
    if index != 0 {
        return Some((&b[..pct], index));
    }
    let (v, used) = strtoul10(zone);
    // strtoul leaves `end` at the start when nothing converts, so only an empty zone passes.
    (used == zone.len()).then_some((&b[..pct], v as u32))
}

/// An IPv6 address with optional `%zone`: the address and interface index.
pub fn parse_ipv6_scope(b: &[u8]) -> Option<([u8; 16], u32)> {
    let (addr, index) = split_ipv6_zone(b)?;
    parse_ipv6(addr).map(|a| (a, index))
}

/// `evutil_parse_sockaddr_port`: `[v6]:port`, `[v6]`, `v6`, `v4:port`, `v4`. The port is
/// read with `atoi` and must be 1..=65535 when present; absent means 0.
pub fn parse_sockaddr_port(s: &CStr) -> Option<SockAddr> {
    let b = s.to_bytes();
    let first_colon = b.iter().position(|&c| c == b':');
    let (addr, port_part, is_v6): (&[u8], Option<&[u8]>, bool) = if b.first() == Some(&b'[') {
        let close = b.iter().position(|&c| c == b']')?;
        let addr = &b[1..close];
        if addr.len() > 127 {
            return None;
        }
        let port = (b.get(close + 1) == Some(&b':')).then(|| &b[close + 2..]);
        (addr, port, true)
    } else if let Some(c) = first_colon {
        if b[c + 1..].contains(&b':') {
            (b, None, true)
        } else {
            if c > 127 {
                return None;
            }
            (&b[..c], Some(&b[c + 1..]), false)
        }
    } else {
        (b, None, false)
    };
    let port = match port_part {
        None => 0u16,
        Some(p) => {
            let n = super::cparse::atoi(p);
            if !(1..=65535).contains(&n) {
                return None;
            }
            n as u16
        }
    };
    if is_v6 {
        let (a, scope) = parse_ipv6_scope(addr)?;
        // SAFETY: sockaddr_in6 is plain old data; all-zero is a valid value.
        let mut sin6: libc::sockaddr_in6 = unsafe { std::mem::zeroed() };
        sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
        sin6.sin6_port = port.to_be();
        sin6.sin6_addr.s6_addr = a;
        sin6.sin6_scope_id = scope;
        Some(SockAddr::V6(sin6))
    } else {
        let a = parse_ipv4(addr)?;
        // SAFETY: sockaddr_in is plain old data; all-zero is a valid value.
        let mut sin: libc::sockaddr_in = unsafe { std::mem::zeroed() };
        sin.sin_family = libc::AF_INET as libc::sa_family_t;
        sin.sin_port = port.to_be();
        sin.sin_addr.s_addr = u32::from_ne_bytes(a);
        Some(SockAddr::V4(sin))
    }
}

/// `evutil_sockaddr_cmp`: family first (their difference), then the address (IPv4 as the
/// raw network-order word, IPv6 bytewise), then optionally the raw port word. Families other
/// than AF_INET/AF_INET6 compare as 1.
pub fn sockaddr_cmp(a: &AnySockAddr, b: &AnySockAddr, include_port: bool) -> c_int {
    let r = c_int::from(a.family()) - c_int::from(b.family());
    if r != 0 {
        return r;
    }
    match (a, b) {
        (AnySockAddr::V4(x), AnySockAddr::V4(y)) => {
            let (ax, ay) = (x.sin_addr.s_addr, y.sin_addr.s_addr);
            if ax != ay {
                return if ax < ay { -1 } else { 1 };
            }
            if include_port {
                c_int::from(x.sin_port) - c_int::from(y.sin_port)
            } else {
                0
            }
        }
        (AnySockAddr::V6(x), AnySockAddr::V6(y)) => {
            let (ax, ay) = (&x.sin6_addr.s6_addr, &y.sin6_addr.s6_addr);
            if let Some(k) = (0..16).find(|&k| ax[k] != ay[k]) {
                return c_int::from(ax[k]) - c_int::from(ay[k]);
            }
            if include_port {
                c_int::from(x.sin6_port) - c_int::from(y.sin6_port)
            } else {
                0
            }
        }
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6(s: &str) -> Option<String> {
        parse_ipv6(s.as_bytes()).map(|a| String::from_utf8(format_ipv6(&a).as_bytes().to_vec()).unwrap())
    }

    #[test]
    fn ipv6_round_trips() {
        assert_eq!(v6("::1").as_deref(), Some("::1"));
        assert_eq!(v6("::").as_deref(), Some("::"));
        assert_eq!(v6("1::").as_deref(), Some("1::"));
        assert_eq!(v6("::ffff:1.2.3.4").as_deref(), Some("::ffff:1.2.3.4"));
        assert_eq!(v6("::1.2.3.4").as_deref(), Some("::1.2.3.4"));
        assert_eq!(v6("1:0:2:0:0:3:0:4").as_deref(), Some("1:0:2::3:0:4"));
        assert_eq!(v6("0x12::").as_deref(), Some("12::"));
        assert_eq!(v6(":1::"), None);
        assert_eq!(v6("1:2:3:4:5:6:7:8:9"), None);
        assert_eq!(v6("1.2.3.4"), None);
    }

    #[test]
    fn ipv4() {
        assert_eq!(parse_ipv4(b"1.2.3.4"), Some([1, 2, 3, 4]));
        assert_eq!(parse_ipv4(b"256.2.3.4"), None);
        assert_eq!(format_ipv4([10, 0, 0, 255]).as_bytes(), b"10.0.0.255");
    }
}
