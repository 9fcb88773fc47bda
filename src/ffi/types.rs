//! C typedefs shared by several headers, spelled as libevent spells them so that cbindgen
//! writes prototypes identical to libevent's. The `ev_*` integer names are macros in
//! `event2/util.h` (hand-written), so cbindgen.toml excludes them from the generated header.

pub use crate::base::event::evutil_socket_t;
pub type ev_ssize_t = isize;
pub type ev_off_t = i64;
pub type ev_socklen_t = libc::socklen_t;
pub type ev_uint8_t = u8;
pub type ev_uint16_t = u16;
pub type ev_uint32_t = u32;
pub type ev_uint64_t = u64;
pub type ev_int8_t = i8;
pub type ev_int16_t = i16;
pub type ev_int32_t = i32;
pub type ev_int64_t = i64;
pub type ev_intptr_t = isize;
pub type ev_uintptr_t = usize;

/// C's `va_list` as a parameter: on x86-64 and aarch64 (SysV) a `va_list` argument is passed
/// as a pointer to the caller's list. Only hand it to C (`vsnprintf`); Rust cannot read it.
pub type va_list = *mut std::ffi::c_void;
