//! Entry points of `event2/util.h`.
use crate::ffi::types::*;
use std::ffi::{c_char, c_int, c_void};

pub const EVUTIL_AI_PASSIVE: c_int = 0x1;

/// # Safety
/// test
#[no_mangle]
pub unsafe extern "C" fn evutil_vsnprintf(buf: *mut c_char, buflen: usize, format: *const c_char, ap: va_list) -> c_int {
    let _ = (buf, buflen, format, ap); 0
}
/// # Safety
/// test
#[no_mangle]
pub unsafe extern "C" fn evutil_socketpair(d: c_int, t: c_int, p: c_int, sv: *mut evutil_socket_t) -> c_int { let _=(d,t,p,sv); 0 }
/// # Safety
/// test
#[no_mangle]
pub unsafe extern "C" fn evutil_strtoll(s: *const c_char, endptr: *mut *mut c_char, base: c_int) -> ev_int64_t { let _=(s,endptr,base); 0 }
