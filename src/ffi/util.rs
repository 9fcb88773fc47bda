//! Entry points of `event2/util.h`.
//!
//! System structs (`struct sockaddr`, `struct timeval`, `struct tm`, `struct addrinfo`) are
//! declared here as opaque handles so cbindgen writes `struct sockaddr *` in prototypes (and
//! only a harmless forward declaration); the functions cast them to `libc`'s definitions.
//! Other ffi modules that need these types should import them from here.

use crate::ffi::types::*;
use crate::util::{addr, addrinfo, ascii, rng, sock, time};
use std::ffi::{c_char, c_int, c_uint, c_void, CStr};
use std::ptr;

/// `struct sockaddr` (defined by <sys/socket.h>).
pub struct sockaddr {
    _opaque: [u8; 0],
}
/// `struct timeval` (defined by <sys/time.h>).
pub struct timeval {
    _opaque: [u8; 0],
}
/// `struct tm` (defined by <time.h>).
pub struct tm {
    _opaque: [u8; 0],
}
/// `struct evutil_addrinfo`, which util.h `#define`s to `addrinfo` (from <netdb.h>).
pub struct evutil_addrinfo {
    _opaque: [u8; 0],
}
/// `struct evutil_monotonic_timer`: opaque; a boxed [`time::MonotonicTimer`].
pub struct evutil_monotonic_timer {
    _opaque: [u8; 0],
}

pub const EV_MONOT_PRECISE: c_int = 1;
pub const EV_MONOT_FALLBACK: c_int = 2;

pub const EVUTIL_INVALID_SOCKET: c_int = -1;

// getaddrinfo flags and errors: glibc's values, which libevent adopts when the system has
// them (literals, so that cbindgen can write them; a unit test checks them against libc). EVUTIL_EAI_ADDRFAMILY and EVUTIL_EAI_NODATA depend on whether <netdb.h> was read
// with _GNU_SOURCE, so util.h defines those two itself, exactly as libevent does.
pub const EVUTIL_EAI_AGAIN: c_int = -3;
pub const EVUTIL_EAI_BADFLAGS: c_int = -1;
pub const EVUTIL_EAI_FAIL: c_int = -4;
pub const EVUTIL_EAI_FAMILY: c_int = -6;
pub const EVUTIL_EAI_MEMORY: c_int = -10;
pub const EVUTIL_EAI_NONAME: c_int = -2;
pub const EVUTIL_EAI_SERVICE: c_int = -8;
pub const EVUTIL_EAI_SOCKTYPE: c_int = -7;
pub const EVUTIL_EAI_SYSTEM: c_int = -11;
pub const EVUTIL_EAI_CANCEL: c_int = -90001;

pub const EVUTIL_AI_PASSIVE: c_int = 0x0001;
pub const EVUTIL_AI_CANONNAME: c_int = 0x0002;
pub const EVUTIL_AI_NUMERICHOST: c_int = 0x0004;
pub const EVUTIL_AI_NUMERICSERV: c_int = 0x0400;
pub const EVUTIL_AI_V4MAPPED: c_int = 0x0008;
pub const EVUTIL_AI_ALL: c_int = 0x0010;
pub const EVUTIL_AI_ADDRCONFIG: c_int = 0x0020;

/// The bytes of a C string.
///
/// # Safety
/// `p` is non-NULL and NUL-terminated.
unsafe fn cstr<'a>(p: *const c_char) -> &'a CStr {
    // SAFETY: guaranteed by the caller.
    unsafe { CStr::from_ptr(p) }
}

/// Copies `text` into `dst` as snprintf would into a buffer of `len` bytes (`len > 0`):
/// truncated to `len - 1` bytes and always NUL-terminated.
///
/// # Safety
/// `dst` is valid for writes of `len` bytes.
unsafe fn copy_truncated(dst: *mut c_char, len: usize, text: &[u8]) {
    let n = text.len().min(len - 1);
    // SAFETY: `n + 1 <= len` bytes of `dst` are writable (caller); `text` is a separate
    // Rust buffer.
    unsafe {
        ptr::copy_nonoverlapping(text.as_ptr(), dst.cast::<u8>(), n);
        *dst.add(n) = 0;
    }
}

// ---------------------------------------------------------------- time

/// Formats `tm` (or the current time, when `tm` is NULL) as an RFC 1123 date into `date`;
/// returns the full length, which is >= `datelen` when the result was truncated.
///
/// # Safety
/// `date` is valid for `datelen` bytes (may be NULL only when `datelen` is 0); `tm` is NULL
/// or a valid `struct tm`.
#[no_mangle]
pub unsafe extern "C" fn evutil_date_rfc1123(date: *mut c_char, datelen: usize, tm: *const tm) -> c_int {
    // SAFETY: `tm` is NULL or a valid struct tm (caller).
    let tm = unsafe { tm.cast::<libc::tm>().as_ref() };
    let Some(text) = time::date_rfc1123(tm) else {
        crate::ev_warn!("evutil_date_rfc1123: weekday or month out of range");
        return -1;
    };
    if datelen == 0 {
        return 0; // as evutil_snprintf with an empty buffer
    }
    if date.is_null() {
        crate::ev_warn!("evutil_date_rfc1123: NULL buffer");
        return -1;
    }
    // SAFETY: `date` has `datelen > 0` writable bytes (caller).
    unsafe { copy_truncated(date, datelen, text.as_bytes()) };
    text.len() as c_int
}

/// Allocates an unconfigured monotonic timer; free it with `evutil_monotonic_timer_free`.
///
/// # Safety
/// No preconditions.
#[no_mangle]
pub unsafe extern "C" fn evutil_monotonic_timer_new() -> *mut evutil_monotonic_timer {
    Box::into_raw(Box::new(time::MonotonicTimer::new())).cast()
}

/// Frees a timer from `evutil_monotonic_timer_new`.
///
/// # Safety
/// `timer` may be NULL (ignored); otherwise it came from `evutil_monotonic_timer_new` and
/// is not used again.
#[no_mangle]
pub unsafe extern "C" fn evutil_monotonic_timer_free(timer: *mut evutil_monotonic_timer) {
    if !timer.is_null() {
        // SAFETY: `timer` was produced by Box::into_raw in evutil_monotonic_timer_new.
        drop(unsafe { Box::from_raw(timer.cast::<time::MonotonicTimer>()) });
    }
}

/// Chooses the timer's clock (EV_MONOT_PRECISE, EV_MONOT_FALLBACK). Returns 0, or -1 for a
/// NULL timer.
///
/// # Safety
/// `timer` may be NULL (reported); otherwise a valid timer from
/// `evutil_monotonic_timer_new`, not used concurrently.
#[no_mangle]
pub unsafe extern "C" fn evutil_configure_monotonic_time(timer: *mut evutil_monotonic_timer, flags: c_int) -> c_int {
    // SAFETY: NULL or a live timer we allocated (caller).
    let Some(t) = (unsafe { timer.cast::<time::MonotonicTimer>().as_mut() }) else {
        crate::ev_warn!("evutil_configure_monotonic_time: NULL timer");
        return -1;
    };
    t.configure(flags)
}

/// Reads the timer into `*tp`. Returns 0, or -1 on NULL arguments or clock failure.
///
/// # Safety
/// `timer` as for `evutil_configure_monotonic_time`; `tp` may be NULL (reported), else a
/// writable `struct timeval`.
#[no_mangle]
pub unsafe extern "C" fn evutil_gettime_monotonic(timer: *mut evutil_monotonic_timer, tp: *mut timeval) -> c_int {
    // SAFETY: NULL or a live timer we allocated (caller).
    let Some(t) = (unsafe { timer.cast::<time::MonotonicTimer>().as_mut() }) else {
        crate::ev_warn!("evutil_gettime_monotonic: NULL timer");
        return -1;
    };
    // SAFETY: NULL or a writable struct timeval (caller).
    let Some(tv) = (unsafe { tp.cast::<libc::timeval>().as_mut() }) else {
        crate::ev_warn!("evutil_gettime_monotonic: NULL timeval");
        return -1;
    };
    match t.now() {
        Some((s, us)) => {
            tv.tv_sec = s as libc::time_t;
            tv.tv_usec = us as libc::suseconds_t;
            0
        }
        None => -1,
    }
}

// ---------------------------------------------------------------- sockets

/// `socketpair(2)`: two connected sockets in `sv[0]`, `sv[1]`. Returns 0, or -1 with errno.
///
/// # Safety
/// `sv` may be NULL (reported, errno EINVAL); otherwise writable for two descriptors.
#[no_mangle]
pub unsafe extern "C" fn evutil_socketpair(d: c_int, type_: c_int, protocol: c_int, sv: *mut evutil_socket_t) -> c_int {
    if sv.is_null() {
        crate::ev_warn!("evutil_socketpair: NULL fd array");
        sock::set_errno(libc::EINVAL);
        return -1;
    }
    match sock::socketpair(d, type_, protocol) {
        Ok(fds) => {
            // SAFETY: `sv` has room for two descriptors (caller).
            unsafe { ptr::copy_nonoverlapping(fds.as_ptr(), sv, 2) };
            0
        }
        Err(_) => -1,
    }
}

/// Sets O_NONBLOCK. Returns 0, or -1 (with a warning) when fcntl fails.
///
/// # Safety
/// No memory preconditions; `sock` is any integer.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_socket_nonblocking(sock: evutil_socket_t) -> c_int {
    if sock::make_nonblocking(sock).is_ok() {
        0
    } else {
        -1
    }
}

/// SO_REUSEADDR. Returns setsockopt's result.
///
/// # Safety
/// No memory preconditions.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_reuseable(sock: evutil_socket_t) -> c_int {
    sock::make_listen_reuseable(sock)
}

/// SO_REUSEPORT. Returns setsockopt's result.
///
/// # Safety
/// No memory preconditions.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_reuseable_port(sock: evutil_socket_t) -> c_int {
    sock::make_listen_reuseable_port(sock)
}

/// IPV6_V6ONLY. Returns setsockopt's result.
///
/// # Safety
/// No memory preconditions.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_ipv6only(sock: evutil_socket_t) -> c_int {
    sock::make_listen_ipv6only(sock)
}

/// Sets FD_CLOEXEC. Returns 0, or -1 (with a warning) when fcntl fails.
///
/// # Safety
/// No memory preconditions.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_socket_closeonexec(sock: evutil_socket_t) -> c_int {
    if sock::make_closeonexec(sock).is_ok() {
        0
    } else {
        -1
    }
}

/// `close(2)`.
///
/// # Safety
/// The caller owns `sock` and does not use it afterwards.
#[no_mangle]
pub unsafe extern "C" fn evutil_closesocket(sock: evutil_socket_t) -> c_int {
    sock::close(sock)
}

/// TCP_DEFER_ACCEPT. Returns setsockopt's result.
///
/// # Safety
/// No memory preconditions.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_tcp_listen_socket_deferred(sock: evutil_socket_t) -> c_int {
    sock::make_tcp_listen_deferred(sock)
}

// ---------------------------------------------------------------- strings and numbers

/// `strtoll(3)`.
///
/// # Safety
/// `s` may be NULL (reported: returns 0, errno EINVAL, `*endptr` untouched); otherwise
/// NUL-terminated. `endptr` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn evutil_strtoll(s: *const c_char, endptr: *mut *mut c_char, base: c_int) -> ev_int64_t {
    if s.is_null() {
        crate::ev_warn!("evutil_strtoll: NULL string");
        sock::set_errno(libc::EINVAL);
        return 0;
    }
    // SAFETY: `s` is NUL-terminated and `endptr` NULL or writable (caller).
    unsafe { libc::strtoll(s, endptr, base) }
}

extern "C" {
    // `va_list` travels as a pointer on x86-64 and aarch64 (see types::va_list).
    // (cbindgen.toml excludes this declaration from the generated header.)
    fn vsnprintf(buf: *mut c_char, n: usize, format: *const c_char, ap: va_list) -> c_int;
}

/// `vsnprintf` that always NUL-terminates. Returns the length the full output would have,
/// 0 when `buflen` is 0 (nothing is written), -1 on NULL arguments.
///
/// # Safety
/// `buf` is writable for `buflen` bytes; `format` and `ap` match as for vsnprintf. NULL
/// `buf` (with `buflen > 0`) or `format` is reported.
#[no_mangle]
pub unsafe extern "C" fn evutil_vsnprintf(
    buf: *mut c_char,
    buflen: usize,
    format: *const c_char,
    ap: va_list,
) -> c_int {
    if buflen == 0 {
        return 0;
    }
    if buf.is_null() {
        crate::ev_warn!("evutil_vsnprintf: NULL buffer");
        return -1;
    }
    if format.is_null() {
        crate::ev_warn!("evutil_vsnprintf: NULL format");
        // SAFETY: `buf` has at least one writable byte.
        unsafe { *buf = 0 };
        return -1;
    }
    // SAFETY: arguments as vsnprintf requires (caller); `buflen - 1` is within `buf`.
    unsafe {
        let r = vsnprintf(buf, buflen, format, ap);
        *buf.add(buflen - 1) = 0;
        r
    }
}

/// Formats an IPv4 (`af == AF_INET`) or IPv6 address with libevent's rules. Returns `dst`,
/// or NULL when it does not fit or `af` is unknown.
///
/// # Safety
/// `src` points to an `in_addr`/`in6_addr`; `dst` is writable for `len` bytes. NULL `src`
/// or `dst` is reported.
#[no_mangle]
pub unsafe extern "C" fn evutil_inet_ntop(
    af: c_int,
    src: *const c_void,
    dst: *mut c_char,
    len: usize,
) -> *const c_char {
    if src.is_null() || (dst.is_null() && len > 0) {
        crate::ev_warn!("evutil_inet_ntop: NULL {}", if src.is_null() { "source" } else { "buffer" });
        return ptr::null();
    }
    match af {
        libc::AF_INET => {
            // SAFETY: `src` points to a 4-byte in_addr (caller).
            let a = unsafe { ptr::read_unaligned(src.cast::<[u8; 4]>()) };
            let text = addr::format_ipv4(a);
            if len == 0 {
                return ptr::null();
            }
            // Like snprintf: write what fits, fail if anything was cut.
            // SAFETY: `dst` is writable for `len > 0` bytes (caller).
            unsafe { copy_truncated(dst, len, text.as_bytes()) };
            if text.as_bytes().len() >= len {
                ptr::null()
            } else {
                dst
            }
        }
        libc::AF_INET6 => {
            // SAFETY: `src` points to a 16-byte in6_addr (caller).
            let a = unsafe { ptr::read_unaligned(src.cast::<[u8; 16]>()) };
            let text = addr::format_ipv6(&a);
            // libevent's check lets a string of exactly `len` bytes through, truncated by
            // one (strlcpy); we keep that.
            if text.as_bytes().len() > len {
                return ptr::null();
            }
            // SAFETY: `len >= text len > 0`, and `dst` is writable for `len` bytes.
            unsafe { copy_truncated(dst, len, text.as_bytes()) };
            dst
        }
        _ => ptr::null(),
    }
}

/// Parses `src` as an IPv6 address with an optional `%zone` (interface name or number)
/// into `dst` and `*indexp`; other families as `evutil_inet_pton`. Returns 1, 0 for bad
/// text, -1 for an unknown family or NULL arguments.
///
/// # Safety
/// `src` NUL-terminated; `dst` writable for the family's address size; `indexp` writable.
/// NULL pointers are reported.
#[no_mangle]
pub unsafe extern "C" fn evutil_inet_pton_scope(
    af: c_int,
    src: *const c_char,
    dst: *mut c_void,
    indexp: *mut c_uint,
) -> c_int {
    if indexp.is_null() {
        crate::ev_warn!("evutil_inet_pton_scope: NULL index pointer");
        return -1;
    }
    // SAFETY: `indexp` is writable (caller).
    unsafe { *indexp = 0 };
    if af != libc::AF_INET6 {
        // SAFETY: forwarded from the caller.
        return unsafe { evutil_inet_pton(af, src, dst) };
    }
    if src.is_null() || dst.is_null() {
        crate::ev_warn!("evutil_inet_pton_scope: NULL {}", if src.is_null() { "source" } else { "destination" });
        return -1;
    }
    // SAFETY: `src` is NUL-terminated (caller).
    let Some((text, index)) = addr::split_ipv6_zone(unsafe { cstr(src) }.to_bytes()) else {
        return 0;
    };
    // libevent stores the zone's index even when the address part then fails to parse.
    // SAFETY: `indexp` is writable (caller).
    unsafe { *indexp = index };
    match addr::parse_ipv6(text) {
        Some(a) => {
            // SAFETY: `dst` is writable for an in6_addr (caller).
            unsafe { ptr::write_unaligned(dst.cast::<[u8; 16]>(), a) };
            1
        }
        None => 0,
    }
}

/// Parses dotted-quad IPv4 (`AF_INET`) or IPv6 (`AF_INET6`) text into `dst`. Returns 1,
/// 0 for bad text, -1 for an unknown family or NULL arguments.
///
/// # Safety
/// `src` NUL-terminated; `dst` writable for the family's address size. NULL is reported.
#[no_mangle]
pub unsafe extern "C" fn evutil_inet_pton(af: c_int, src: *const c_char, dst: *mut c_void) -> c_int {
    if af != libc::AF_INET && af != libc::AF_INET6 {
        return -1;
    }
    if src.is_null() || dst.is_null() {
        crate::ev_warn!("evutil_inet_pton: NULL {}", if src.is_null() { "source" } else { "destination" });
        return -1;
    }
    // SAFETY: `src` is NUL-terminated (caller).
    let text = unsafe { cstr(src) }.to_bytes();
    if af == libc::AF_INET {
        let Some(a) = addr::parse_ipv4(text) else { return 0 };
        // SAFETY: `dst` is writable for an in_addr (caller).
        unsafe { ptr::write_unaligned(dst.cast::<[u8; 4]>(), a) };
    } else {
        let Some(a) = addr::parse_ipv6(text) else { return 0 };
        // SAFETY: `dst` is writable for an in6_addr (caller).
        unsafe { ptr::write_unaligned(dst.cast::<[u8; 16]>(), a) };
    }
    1
}

/// Parses `[v6]:port`, `[v6]`, `v6`, `v4:port` or `v4` into `*out` (zero-filling all
/// `*outlen` bytes first) and sets `*outlen` to the size used. Returns 0, or -1 for bad
/// text, a port outside 1..65535, too small an `*outlen`, or NULL arguments.
///
/// # Safety
/// `str` NUL-terminated; `outlen` readable and writable; `out` writable for `*outlen`
/// bytes. NULL pointers are reported.
#[no_mangle]
pub unsafe extern "C" fn evutil_parse_sockaddr_port(
    str: *const c_char,
    out: *mut sockaddr,
    outlen: *mut c_int,
) -> c_int {
    if str.is_null() || out.is_null() || outlen.is_null() {
        crate::ev_warn!("evutil_parse_sockaddr_port: NULL argument");
        return -1;
    }
    // SAFETY: `str` is NUL-terminated (caller).
    let Some(sa) = addr::parse_sockaddr_port(unsafe { cstr(str) }) else { return -1 };
    let (src, size): (*const u8, usize) = match &sa {
        addr::SockAddr::V4(sin) => ((sin as *const libc::sockaddr_in).cast(), std::mem::size_of_val(sin)),
        addr::SockAddr::V6(sin6) => ((sin6 as *const libc::sockaddr_in6).cast(), std::mem::size_of_val(sin6)),
    };
    // SAFETY: `outlen` is readable (caller).
    let room = unsafe { *outlen };
    if (size as c_int) > room {
        return -1;
    }
    // SAFETY: `out` is writable for `room >= size` bytes (caller); `src` is our local.
    unsafe {
        ptr::write_bytes(out.cast::<u8>(), 0, room as usize);
        ptr::copy_nonoverlapping(src, out.cast::<u8>(), size);
        *outlen = size as c_int;
    }
    0
}

/// Copies a sockaddr of family AF_INET or AF_INET6 (just the family otherwise).
///
/// # Safety
/// `sa` is readable for its family's struct size.
unsafe fn read_sockaddr(sa: *const sockaddr) -> addr::AnySockAddr {
    // SAFETY: every sockaddr starts with its family, and the caller guarantees the struct
    // for that family is readable; unaligned reads tolerate any caller buffer.
    unsafe {
        let family = ptr::read_unaligned(sa.cast::<libc::sa_family_t>());
        match c_int::from(family) {
            libc::AF_INET => addr::AnySockAddr::V4(ptr::read_unaligned(sa.cast())),
            libc::AF_INET6 => addr::AnySockAddr::V6(ptr::read_unaligned(sa.cast())),
            _ => addr::AnySockAddr::Other(family),
        }
    }
}

/// Orders two sockaddrs (family, address, then port if `include_port`): 0 when equal,
/// negative or positive otherwise; 1 for families other than AF_INET/AF_INET6; -1 for NULL.
///
/// # Safety
/// Both are NULL (reported) or valid sockaddrs of their family's size.
#[no_mangle]
pub unsafe extern "C" fn evutil_sockaddr_cmp(sa1: *const sockaddr, sa2: *const sockaddr, include_port: c_int) -> c_int {
    if sa1.is_null() || sa2.is_null() {
        crate::ev_warn!("evutil_sockaddr_cmp: NULL sockaddr");
        return -1;
    }
    // SAFETY: both are valid sockaddrs (caller).
    let (a, b) = unsafe { (read_sockaddr(sa1), read_sockaddr(sa2)) };
    addr::sockaddr_cmp(&a, &b, include_port != 0)
}

/// ASCII-only case-insensitive compare: -1, 0 or 1 (-1 with a warning for NULL).
///
/// # Safety
/// Both strings NUL-terminated; NULL is reported.
#[no_mangle]
pub unsafe extern "C" fn evutil_ascii_strcasecmp(str1: *const c_char, str2: *const c_char) -> c_int {
    if str1.is_null() || str2.is_null() {
        crate::ev_warn!("evutil_ascii_strcasecmp: NULL string");
        return -1;
    }
    // SAFETY: both are NUL-terminated (caller).
    let (a, b) = unsafe { (cstr(str1).to_bytes(), cstr(str2).to_bytes()) };
    ascii::strcasecmp(a, b)
}

/// As `evutil_ascii_strcasecmp`, on at most `n` bytes.
///
/// # Safety
/// Each string is NUL-terminated or at least `n` bytes long; NULL is reported when `n > 0`.
#[no_mangle]
pub unsafe extern "C" fn evutil_ascii_strncasecmp(str1: *const c_char, str2: *const c_char, n: usize) -> c_int {
    if n == 0 {
        return 0;
    }
    if str1.is_null() || str2.is_null() {
        crate::ev_warn!("evutil_ascii_strncasecmp: NULL string");
        return -1;
    }
    // SAFETY: each string has a NUL or `n` readable bytes (caller), which strnlen respects.
    let (a, b) = unsafe {
        (
            std::slice::from_raw_parts(str1.cast::<u8>(), libc::strnlen(str1, n)),
            std::slice::from_raw_parts(str2.cast::<u8>(), libc::strnlen(str2, n)),
        )
    };
    ascii::strncasecmp(a, b, n)
}

// ---------------------------------------------------------------- getaddrinfo

/// Blocking getaddrinfo with libevent's hint handling. Returns 0 and sets `*res` (free it
/// with `evutil_freeaddrinfo`), or an EVUTIL_EAI_* code leaving `*res` untouched.
///
/// # Safety
/// `nodename`, `servname` NULL or NUL-terminated; `hints_in` NULL or a valid addrinfo;
/// `res` writable (NULL is reported: EVUTIL_EAI_SYSTEM with errno EINVAL).
#[no_mangle]
pub unsafe extern "C" fn evutil_getaddrinfo(
    nodename: *const c_char,
    servname: *const c_char,
    hints_in: *const evutil_addrinfo,
    res: *mut *mut evutil_addrinfo,
) -> c_int {
    if res.is_null() {
        crate::ev_warn!("evutil_getaddrinfo: NULL result pointer");
        sock::set_errno(libc::EINVAL);
        return EVUTIL_EAI_SYSTEM;
    }
    // SAFETY: NULL or NUL-terminated / valid (caller).
    let (node, serv, hints) = unsafe {
        (
            (!nodename.is_null()).then(|| cstr(nodename)),
            (!servname.is_null()).then(|| cstr(servname)),
            hints_in.cast::<libc::addrinfo>().as_ref(),
        )
    };
    match addrinfo::getaddrinfo(node, serv, hints) {
        Ok(list) => {
            // SAFETY: `res` is writable (caller).
            unsafe { *res = list.into_raw().cast() };
            0
        }
        Err(e) => e,
    }
}

/// Frees a list from `evutil_getaddrinfo`.
///
/// # Safety
/// `ai` is NULL (reported) or a list head from `evutil_getaddrinfo`, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn evutil_freeaddrinfo(ai: *mut evutil_addrinfo) {
    if ai.is_null() {
        crate::ev_warn!("evutil_freeaddrinfo: NULL list");
        return;
    }
    // SAFETY: a list we handed out (caller).
    unsafe { addrinfo::free_raw(ai.cast()) };
}

/// Text for an EVUTIL_EAI_* code (a static string).
///
/// # Safety
/// No preconditions.
#[no_mangle]
pub unsafe extern "C" fn evutil_gai_strerror(err: c_int) -> *const c_char {
    addrinfo::gai_strerror(err)
}

// ---------------------------------------------------------------- secure RNG

/// Fills `buf` with `n` cryptographically secure random bytes.
///
/// # Safety
/// `buf` writable for `n` bytes; NULL with `n > 0` is reported.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_get_bytes(buf: *mut c_void, n: usize) {
    if n == 0 {
        return;
    }
    if buf.is_null() {
        crate::ev_warn!("evutil_secure_rng_get_bytes: NULL buffer");
        return;
    }
    // SAFETY: `buf` is writable for `n` bytes (caller).
    rng::fill(unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), n) });
}

/// Seeds the RNG if needed: always 0 (the kernel CSPRNG needs no seeding).
///
/// # Safety
/// No preconditions.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_init() -> c_int {
    rng::init()
}

/// Debian's libevent (built on arc4random) has no seed file and returns -1; so do we.
///
/// # Safety
/// No preconditions; `fname` is not read.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_set_urandom_device_file(fname: *mut c_char) -> c_int {
    let _ = fname;
    -1
}

/// Extra entropy: ignored, as by Debian's arc4random-based libevent (the kernel CSPRNG
/// does not take unprivileged seed material).
///
/// # Safety
/// No preconditions; `dat` is not read.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_add_bytes(dat: *const c_char, datlen: usize) {
    let _ = (dat, datlen);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_system() {
        assert_eq!(EV_MONOT_PRECISE, time::MONOT_PRECISE);
        assert_eq!(EV_MONOT_FALLBACK, time::MONOT_FALLBACK);
        for (ours, sys) in [
            (EVUTIL_EAI_AGAIN, libc::EAI_AGAIN),
            (EVUTIL_EAI_BADFLAGS, libc::EAI_BADFLAGS),
            (EVUTIL_EAI_FAIL, libc::EAI_FAIL),
            (EVUTIL_EAI_FAMILY, libc::EAI_FAMILY),
            (EVUTIL_EAI_MEMORY, libc::EAI_MEMORY),
            (EVUTIL_EAI_NONAME, libc::EAI_NONAME),
            (EVUTIL_EAI_SERVICE, libc::EAI_SERVICE),
            (EVUTIL_EAI_SOCKTYPE, libc::EAI_SOCKTYPE),
            (EVUTIL_EAI_SYSTEM, libc::EAI_SYSTEM),
            (addrinfo::EAI_NODATA, libc::EAI_NODATA),
            (addrinfo::EAI_ADDRFAMILY, -9),
            (EVUTIL_AI_PASSIVE, libc::AI_PASSIVE),
            (EVUTIL_AI_CANONNAME, libc::AI_CANONNAME),
            (EVUTIL_AI_NUMERICHOST, libc::AI_NUMERICHOST),
            (EVUTIL_AI_NUMERICSERV, libc::AI_NUMERICSERV),
            (EVUTIL_AI_V4MAPPED, libc::AI_V4MAPPED),
            (EVUTIL_AI_ALL, libc::AI_ALL),
            (EVUTIL_AI_ADDRCONFIG, libc::AI_ADDRCONFIG),
        ] {
            assert_eq!(ours, sys);
        }
    }
}
