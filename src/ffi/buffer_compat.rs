//! Entry points of `event2/buffer_compat.h`.
use std::ffi::{c_char, c_int, c_uchar, c_void};

use crate::buffer::{CbFn, Evbuffer};
use crate::ffi::buffer::{evbuffer, evbuffer_pullup, evbuffer_readln, evbuffer_search, EolStyleArg};

/// The obsolete callback type (`old_len`, `new_len` instead of `evbuffer_cb_info`).
pub type evbuffer_cb =
    Option<unsafe extern "C" fn(buffer: *mut evbuffer, old_len: usize, new_len: usize, arg: *mut c_void)>;

/// `evbuffer_readln(buffer, NULL, EVBUFFER_EOL_ANY)`.
///
/// # Safety
/// `buffer` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_readline(buffer: *mut evbuffer) -> *mut c_char {
    // SAFETY: forwarded contract.
    unsafe { evbuffer_readln(buffer, std::ptr::null_mut(), EolStyleArg(0)) }
}

/// Replaces every callback with `cb` (NULL: removes them all).
///
/// # Safety
/// `buffer` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_setcb(buffer: *mut evbuffer, cb: evbuffer_cb, cbarg: *mut c_void) -> c_int {
    if buffer.is_null() {
        crate::ev_warn!("evbuffer_setcb: NULL buffer");
        return -1;
    }
    // SAFETY: a live buffer per the contract.
    let b = unsafe { &*(buffer as *const Evbuffer) };
    // SAFETY: same ABI; only the buffer pointer's C type differs.
    let f = unsafe {
        std::mem::transmute::<evbuffer_cb, Option<unsafe extern "C" fn(*mut c_void, usize, usize, *mut c_void)>>(cb)
    };
    b.setcb(CbFn::Obsolete(f), cbarg)
}

/// Finds `what` and returns a pointer to it inside the (pulled-up) buffer, or NULL.
///
/// # Safety
/// `buffer` may be NULL; `what` has `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_find(buffer: *mut evbuffer, what: *const c_uchar, len: usize) -> *mut c_uchar {
    if buffer.is_null() {
        crate::ev_warn!("evbuffer_find: NULL buffer");
        return std::ptr::null_mut();
    }
    // SAFETY: a live buffer per the contract.
    let b = unsafe { &*(buffer as *const Evbuffer) };
    b.lock();
    // SAFETY: forwarded contract.
    let p = unsafe { evbuffer_search(buffer, what.cast(), len, std::ptr::null()) };
    let r = if p.pos < 0 {
        std::ptr::null_mut()
    } else {
        // SAFETY: forwarded contract.
        let s = unsafe { evbuffer_pullup(buffer, p.pos + len as isize) };
        if s.is_null() {
            s
        } else {
            s.wrapping_add(p.pos as usize)
        }
    };
    b.unlock();
    r
}
