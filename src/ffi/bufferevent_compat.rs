//! Entry points of `event2/bufferevent_compat.h` (the 1.4 API).

use std::ffi::{c_int, c_void};
use std::ptr;

use crate::bufferevent::{socket, BufferEvent};
use crate::ffi::bufferevent::{bufferevent, bufferevent_data_cb, bufferevent_event_cb};
use crate::ffi::types::*;

/// A socket bufferevent on the `event_init` base (or none until `bufferevent_base_set`),
/// with its callbacks set.
///
/// # Safety
/// `fd` a socket or -1; the callbacks valid for the bufferevent's life.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_new(
    fd: evutil_socket_t,
    readcb: bufferevent_data_cb,
    writecb: bufferevent_data_cb,
    eventcb: bufferevent_event_cb,
    cbarg: *mut c_void,
) -> *mut bufferevent {
    let Some(p) = socket::new(ptr::null_mut(), fd, 0) else { return ptr::null_mut() };
    // SAFETY: fresh bufferevent.
    unsafe { BufferEvent::setcb(p, readcb, writecb, eventcb, cbarg) };
    p.cast()
}

/// Whole-second timeouts; 0 means none.
///
/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_settimeout(bufev: *mut bufferevent, timeout_read: c_int, timeout_write: c_int) {
    // SAFETY: NULL or valid (contract); checked.
    let Some(p) = (unsafe { crate::bufferevent::checked(bufev, "bufferevent_settimeout") }) else { return };
    let tv = |s: c_int| (s != 0).then_some(libc::timeval { tv_sec: s as libc::time_t, tv_usec: 0 });
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::set_timeouts(p, tv(timeout_read), tv(timeout_write)) };
}
