//! Entry points of `event2/buffer.h`.
use std::ffi::{c_char, c_int, c_void};
pub struct evbuffer { _opaque: [u8; 0] }
/// # Safety
/// test
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_vprintf(buf: *mut evbuffer, fmt: *const c_char, ap: crate::ffi::types::va_list) -> c_int { let _=(buf,fmt,ap); 0 }
