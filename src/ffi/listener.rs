//! Entry points of `event2/listener.h`: argument checks and conversions around
//! [`crate::listener::Listener`]. The `LEV_OPT_*` macros are written by hand in
//! include/event2/listener.h (as `(1u<<n)`, libevent's spelling); the core defines the same
//! values.

use std::ffi::{c_int, c_uint, c_void};

use crate::base::{EventBase, CURRENT_BASE};
use crate::ffi::event::event_base;
use crate::ffi::types::evutil_socket_t;
use crate::ffi::util::sockaddr;
use crate::listener::{AcceptCb, ErrorCb, Listener};

/// `struct evconnlistener` (opaque): a [`Listener`].
pub struct evconnlistener {
    _opaque: [u8; 0],
}

/// Called with each accepted connection: the listener, the new fd (the program owns it),
/// the peer's address and its length, and the pointer given with the callback.
pub type evconnlistener_cb =
    Option<unsafe extern "C" fn(*mut evconnlistener, evutil_socket_t, *mut sockaddr, c_int, *mut c_void)>;
/// Called when accepting fails in a way retrying will not fix at once (EMFILE…).
pub type evconnlistener_errorcb = Option<unsafe extern "C" fn(*mut evconnlistener, *mut c_void)>;

fn accept_cb(cb: evconnlistener_cb) -> Option<AcceptCb> {
    // SAFETY: both are nullable C function pointers with the same ABI; they differ only in
    // the pointee types of pointer arguments (the listener and the address).
    unsafe { std::mem::transmute::<evconnlistener_cb, Option<AcceptCb>>(cb) }
}

fn error_cb(cb: evconnlistener_errorcb) -> Option<ErrorCb> {
    // SAFETY: as in `accept_cb`.
    unsafe { std::mem::transmute::<evconnlistener_errorcb, Option<ErrorCb>>(cb) }
}

/// The base, or the current (`event_init`) one for NULL as `event_assign` does; else a
/// warning naming `func`.
fn base_or_current<'a>(base: *mut event_base, func: &str) -> Option<&'a EventBase> {
    let b: *const EventBase =
        if base.is_null() { CURRENT_BASE.load(std::sync::atomic::Ordering::Acquire) } else { base.cast() };
    if b.is_null() {
        crate::ev_warn!("{func}: NULL event_base");
        return None;
    }
    // SAFETY: non-NULL base pointers come from `event_base_new*` (EventBase::new).
    Some(unsafe { &*b })
}

/// The listener, or a warning naming `func`.
fn as_listener<'a>(lev: *mut evconnlistener, func: &str) -> Option<&'a Listener> {
    if lev.is_null() {
        crate::ev_warn!("{func}: NULL listener");
        return None;
    }
    // SAFETY: non-NULL listener pointers come from `evconnlistener_new*`.
    Some(unsafe { &*(lev as *const Listener) })
}

/// Starts listening on `fd` (already bound; `backlog` > 0 is passed to listen(), < 0 means
/// 128, 0 means the socket already listens) and accepting with `cb`. Returns NULL (with a
/// log message, and errno from the failing call) if `base` is NULL with no current base, `fd`
/// is not a socket, or listen() fails.
///
/// # Safety
/// `base` NULL or valid; `cb` NULL or a function of this type; `fd` is the program's.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_new(
    base: *mut event_base,
    cb: evconnlistener_cb,
    ptr: *mut c_void,
    flags: c_uint,
    backlog: c_int,
    fd: evutil_socket_t,
) -> *mut evconnlistener {
    let Some(b) = base_or_current(base, "evconnlistener_new") else { return std::ptr::null_mut() };
    // SAFETY: live base; the callback's contract is the program's.
    unsafe { Listener::new(b, accept_cb(cb), ptr, flags, backlog, fd) }.map_or(std::ptr::null_mut(), |l| l.cast())
}

/// Creates a non-blocking TCP socket for `sa`'s family, applies the `LEV_OPT_*` socket
/// options, binds it to `sa` and listens. NULL (with a log message) if `base` is NULL with no
/// current base, `sa` is NULL, `backlog` is 0, or a system call fails.
///
/// # Safety
/// `base` NULL or valid; `sa` NULL or `socklen` readable bytes of a socket address.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_new_bind(
    base: *mut event_base,
    cb: evconnlistener_cb,
    ptr: *mut c_void,
    flags: c_uint,
    backlog: c_int,
    sa: *const sockaddr,
    socklen: c_int,
) -> *mut evconnlistener {
    let Some(b) = base_or_current(base, "evconnlistener_new_bind") else { return std::ptr::null_mut() };
    if backlog == 0 {
        // A fresh socket cannot already listen.
        crate::ev_warn!("evconnlistener_new_bind: backlog 0");
        return std::ptr::null_mut();
    }
    if sa.is_null() {
        crate::ev_warn!("evconnlistener_new_bind: NULL address");
        return std::ptr::null_mut();
    }
    if socklen < std::mem::size_of::<libc::sa_family_t>() as c_int {
        crate::ev_warn!("evconnlistener_new_bind: address length {socklen} too short");
        return std::ptr::null_mut();
    }
    // SAFETY: live base; `sa` holds `socklen` bytes per the contract.
    unsafe { Listener::new_bind(b, accept_cb(cb), ptr, flags, backlog, sa.cast(), socklen) }
        .map_or(std::ptr::null_mut(), |l| l.cast())
}

/// Disables and frees the listener (now, or when its running callback returns); closes the
/// fd if `LEV_OPT_CLOSE_ON_FREE`.
///
/// # Safety
/// `lev` NULL or valid, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_free(lev: *mut evconnlistener) {
    if as_listener(lev, "evconnlistener_free").is_none() {
        return;
    }
    // SAFETY: a live listener, given up by the program.
    unsafe { Listener::free(lev.cast()) }
}

/// Starts (or resumes) accepting; after an accept error, retries at once. 0, or -1.
///
/// # Safety
/// `lev` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_enable(lev: *mut evconnlistener) -> c_int {
    as_listener(lev, "evconnlistener_enable").map_or(-1, |l| l.enable())
}

/// Stops accepting; connections keep queueing in the kernel's backlog. 0, or -1.
///
/// # Safety
/// `lev` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_disable(lev: *mut evconnlistener) -> c_int {
    as_listener(lev, "evconnlistener_disable").map_or(-1, |l| l.disable())
}

/// The listener's base (NULL for a NULL listener).
///
/// # Safety
/// `lev` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_get_base(lev: *mut evconnlistener) -> *mut event_base {
    as_listener(lev, "evconnlistener_get_base").map_or(std::ptr::null_mut(), |l| l.base_ptr())
}

/// The listening socket (-1 for a NULL listener).
///
/// # Safety
/// `lev` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_get_fd(lev: *mut evconnlistener) -> evutil_socket_t {
    as_listener(lev, "evconnlistener_get_fd").map_or(-1, |l| l.fd())
}

/// Replaces the connection callback and its argument.
///
/// # Safety
/// `lev` NULL or valid; `cb` NULL or a function of this type.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_set_cb(lev: *mut evconnlistener, cb: evconnlistener_cb, arg: *mut c_void) {
    if let Some(l) = as_listener(lev, "evconnlistener_set_cb") {
        l.set_cb(accept_cb(cb), arg);
    }
}

/// Sets (or, with NULL, removes) the error callback.
///
/// # Safety
/// `lev` NULL or valid; `errorcb` NULL or a function of this type.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_set_error_cb(lev: *mut evconnlistener, errorcb: evconnlistener_errorcb) {
    if let Some(l) = as_listener(lev, "evconnlistener_set_error_cb") {
        l.set_error_cb(error_cb(errorcb));
    }
}
