//! Entry points of `event2/event_compat.h`: the 1.x API around a global "current" base.

use std::ffi::{c_char, c_int, c_short, c_void};
use std::ptr;
use std::sync::atomic::Ordering;

use libc::timeval;

use crate::base::event::event;
use crate::base::{EventBase, CURRENT_BASE};
use crate::ffi::event::*;
use crate::ffi::types::*;

fn current() -> *mut event_base {
    CURRENT_BASE.load(Ordering::Acquire).cast()
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_init() -> *mut event_base {
    // SAFETY: plain constructor.
    let b = unsafe { event_base_new_with_config(ptr::null()) };
    if !b.is_null() {
        CURRENT_BASE.store(b.cast::<EventBase>(), Ordering::Release);
    }
    b
}

/// # Safety
/// The current base, if any, is valid.
#[no_mangle]
pub unsafe extern "C" fn event_dispatch() -> c_int {
    // SAFETY: forwarded.
    unsafe { event_loop(0) }
}

/// # Safety
/// The current base, if any, is valid.
#[no_mangle]
pub unsafe extern "C" fn event_loop(flags: c_int) -> c_int {
    // SAFETY: forwarded (NULL is reported).
    unsafe { event_base_loop(current(), flags) }
}

/// # Safety
/// `tv` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn event_loopexit(tv: *const timeval) -> c_int {
    // SAFETY: forwarded.
    unsafe { event_base_loopexit(current(), tv) }
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_loopbreak() -> c_int {
    // SAFETY: forwarded.
    unsafe { event_base_loopbreak(current()) }
}

/// # Safety
/// `tv` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn event_once(
    fd: evutil_socket_t,
    events: c_short,
    cb: Option<unsafe extern "C" fn(evutil_socket_t, c_short, *mut c_void)>,
    arg: *mut c_void,
    tv: *const timeval,
) -> c_int {
    // SAFETY: forwarded.
    unsafe { event_base_once(current(), fd, events, cb, arg, tv) }
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_get_method() -> *const c_char {
    // SAFETY: forwarded (NULL is reported).
    unsafe { event_base_get_method(current()) }
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_priority_init(npriorities: c_int) -> c_int {
    // SAFETY: forwarded.
    unsafe { event_base_priority_init(current(), npriorities) }
}

/// # Safety
/// `ev` writable `struct event` memory.
#[no_mangle]
pub unsafe extern "C" fn event_set(
    ev: *mut event,
    fd: evutil_socket_t,
    events: c_short,
    cb: Option<unsafe extern "C" fn(evutil_socket_t, c_short, *mut c_void)>,
    arg: *mut c_void,
) {
    // event_assign with a NULL base uses the current base (which may be NULL: the event
    // then needs event_base_set before it can be added).
    // SAFETY: forwarded.
    let r = unsafe { event_assign(ev, current(), fd, events, cb, arg) };
    if r != 0 {
        crate::ev_fatal!("event_set: event_assign failed (bad event combination)");
    }
}
