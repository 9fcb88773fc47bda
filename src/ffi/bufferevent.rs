//! Entry points of `event2/bufferevent.h` (rate limiting: see the end of this file).
//!
//! Vocabulary of the `# Safety` sections (besides ffi's): a *valid bufferevent* is a
//! pointer returned by `bufferevent_socket_new`, `bufferevent_pair_new`,
//! `bufferevent_filter_new` or `bufferevent_new` on which `bufferevent_free` (or
//! `bufferevent_flush_and_close`) has not been called — except that `bufferevent_decref`
//! and `bufferevent_unlock` consume references taken with `bufferevent_incref` /
//! `bufferevent_lock`. A pointer evshim did not make is refused with a warning.

use std::ffi::{c_char, c_int, c_short, c_void, CStr};
use std::ptr;

use crate::bufferevent::{self as core, filter, pair, ratelim, socket, BufferEvent};
use crate::ffi::buffer::evbuffer;
use crate::ffi::event::event_base;
use crate::ffi::types::*;
use crate::ffi::util::sockaddr;

pub use crate::bufferevent::{
    bufferevent, bufferevent_data_cb, bufferevent_event_cb, bufferevent_ops, event_watermark,
};

pub const BEV_EVENT_READING: c_short = 0x01;
pub const BEV_EVENT_WRITING: c_short = 0x02;
pub const BEV_EVENT_EOF: c_short = 0x10;
pub const BEV_EVENT_ERROR: c_short = 0x20;
pub const BEV_EVENT_TIMEOUT: c_short = 0x40;
pub const BEV_EVENT_CONNECTED: c_short = 0x80;

/// `enum bufferevent_trigger_options`.
#[repr(C)]
pub enum bufferevent_trigger_options {
    BEV_TRIG_IGNORE_WATERMARKS = 1 << 16,
    BEV_TRIG_DEFER_CALLBACKS = 1 << 2,
}

/// `enum bufferevent_options`.
#[repr(C)]
pub enum bufferevent_options {
    BEV_OPT_CLOSE_ON_FREE = 1,
    BEV_OPT_THREADSAFE = 2,
    BEV_OPT_DEFER_CALLBACKS = 4,
    BEV_OPT_UNLOCK_CALLBACKS = 8,
}

/// `enum bufferevent_flush_mode` (emitted for the header; parameters use [`FlushModeArg`]).
#[repr(C)]
pub enum bufferevent_flush_mode {
    BEV_NORMAL = 0,
    BEV_FLUSH = 1,
    BEV_FINISHED = 2,
}

/// `enum bufferevent_filter_result` (emitted for the header).
#[repr(C)]
pub enum bufferevent_filter_result {
    BEV_OK = 0,
    BEV_NEED_MORE = 1,
    BEV_ERROR = 2,
}

/// An `enum bufferevent_filter_result` as a filter returns it (any int C hands back).
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct FilterResult(pub c_int);

/// `bufferevent_filter_cb`.
pub type bufferevent_filter_cb = Option<
    unsafe extern "C" fn(
        src: *mut evbuffer,
        dst: *mut evbuffer,
        dst_limit: ev_ssize_t,
        mode: FlushModeArg,
        ctx: *mut c_void,
    ) -> FilterResult,
>;

/// An `enum bufferevent_flush_mode` argument, received as the int C passes (a Rust enum
/// holding an out-of-range value would be undefined behaviour).
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct FlushModeArg(pub c_int);

/// `struct evdns_base` (libevent_extra's; evshim has none and never dereferences it).
pub struct evdns_base {
    _opaque: [u8; 0],
}

/// The private block behind `bev`, or a warning naming `func`.
///
/// # Safety
/// `bev` is NULL or a valid bufferevent.
#[inline]
unsafe fn bev_of(bev: *mut bufferevent, func: &str) -> Option<*mut BufferEvent> {
    // SAFETY: forwarded.
    unsafe { core::checked(bev, func) }
}

/// [`bev_of`] for calls that change the bufferevent or its data: refused (with a warning
/// naming `func`) once `bufferevent_flush_and_close` has taken the bufferevent over. Getters,
/// and the reference and lock calls a program may have paired before handing it over, are
/// still answered.
///
/// # Safety
/// `bev` is NULL or a valid bufferevent.
#[inline]
unsafe fn bev_open(bev: *mut bufferevent, func: &str) -> Option<*mut BufferEvent> {
    // SAFETY: forwarded.
    let p = unsafe { bev_of(bev, func) }?;
    // SAFETY: a live bufferevent.
    if unsafe { (*p).closing.is_some() } {
        crate::ev_warn!("{func}: this bufferevent is being closed by bufferevent_flush_and_close");
        return None;
    }
    Some(p)
}

fn opt_tv(tv: *const libc::timeval) -> Option<libc::timeval> {
    // SAFETY: NULL or readable (caller's contract).
    (!tv.is_null()).then(|| unsafe { *tv })
}

// ---- creation and connection -------------------------------------------------------------

/// # Safety
/// `base` NULL or a valid base (NULL: the `event_init` base, as libevent); `fd` a socket
/// or -1.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_new(
    base: *mut event_base,
    fd: evutil_socket_t,
    options: c_int,
) -> *mut bufferevent {
    socket::new(base, fd, options).map_or(ptr::null_mut(), |p| p.cast())
}

/// # Safety
/// `bev` a valid socket bufferevent; `addr` NULL or readable for `socklen` bytes.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_connect(
    bev: *mut bufferevent,
    addr: *const sockaddr,
    socklen: c_int,
) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bev, "bufferevent_socket_connect") }) else { return -1 };
    // SAFETY: live bufferevent.
    if !matches!(unsafe { &(*p).kind }, core::Kind::Socket(_)) {
        crate::ev_warn!("bufferevent_socket_connect: not a socket bufferevent");
        return -1;
    }
    if !addr.is_null() && socklen < std::mem::size_of::<libc::sa_family_t>() as c_int {
        crate::ev_warn!("bufferevent_socket_connect: address length {socklen} too short");
        return -1;
    }
    let sa = (!addr.is_null()).then_some((addr.cast::<libc::sockaddr>(), socklen as libc::socklen_t));
    // SAFETY: live bufferevent; `sa` readable per the contract.
    unsafe { socket::connect(p, sa) }
}

/// Resolves with getaddrinfo (blocking the loop, as libevent does without an evdns base;
/// a `dnsbase` from another library is not used).
///
/// # Safety
/// `bev` a valid socket bufferevent; `hostname` NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_connect_hostname(
    bev: *mut bufferevent,
    dnsbase: *mut evdns_base,
    family: c_int,
    hostname: *const c_char,
    port: c_int,
) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bev, "bufferevent_socket_connect_hostname") }) else { return -1 };
    // SAFETY: live bufferevent.
    if !matches!(unsafe { &(*p).kind }, core::Kind::Socket(_)) {
        crate::ev_warn!("bufferevent_socket_connect_hostname: not a socket bufferevent");
        return -1;
    }
    if !dnsbase.is_null() {
        crate::ev_debug!("bufferevent_socket_connect_hostname: evdns is not provided; resolving with getaddrinfo");
    }
    // SAFETY: NUL-terminated per the contract.
    let host = (!hostname.is_null()).then(|| unsafe { CStr::from_ptr(hostname) });
    // SAFETY: live bufferevent.
    unsafe { socket::connect_hostname(p, family, host, port) }
}

/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_get_dns_error(bev: *mut bufferevent) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev, "bufferevent_socket_get_dns_error") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { socket::dns_error(p) }
}

/// # Safety
/// `base` a valid base; `bufev` a valid bufferevent with no pending events.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_base_set(base: *mut event_base, bufev: *mut bufferevent) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_base_set") }) else { return -1 };
    if base.is_null() {
        crate::ev_warn!("bufferevent_base_set: NULL base");
        return -1;
    }
    // SAFETY: live bufferevent and base.
    unsafe { socket::base_set(p, base) }
}

/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_base(bev: *mut bufferevent) -> *mut event_base {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev, "bufferevent_get_base") }) else { return ptr::null_mut() };
    // SAFETY: live bufferevent.
    unsafe { (*p).bev.ev_base }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_priority_set(bufev: *mut bufferevent, pri: c_int) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_priority_set") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { socket::priority_set(p, pri) }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_priority(bufev: *const bufferevent) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev as *mut bufferevent, "bufferevent_get_priority") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe {
        if (*p).bev.ev_read.ev_evcallback.evcb_flags & crate::base::event::EVLIST_INIT != 0 {
            (*p).bev.ev_read.ev_evcallback.evcb_pri as c_int
        } else {
            BufferEvent::base(p).map_or(0, |b| b.with(|i| i.nactivequeues()) / 2)
        }
    }
}

/// Frees the bufferevent once its callbacks are quiet; its fd is closed then if it was
/// made with `BEV_OPT_CLOSE_ON_FREE`. Pending output is discarded, as in libevent: use
/// `bufferevent_flush_and_close` to deliver it first. No callback of the bufferevent runs
/// after this returns, not even deferred ones already queued — with one exception, as in
/// libevent: with `BEV_OPT_UNLOCK_CALLBACKS` a callback that another thread is running at
/// that moment (without the lock, by that option's definition) finishes after this returns.
///
/// # Safety
/// `bufev` a valid bufferevent; not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_free(bufev: *mut bufferevent) {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_free") }) else { return };
    // SAFETY: live bufferevent; the caller's reference is consumed.
    unsafe { BufferEvent::free(p) }
}

// ---- callbacks --------------------------------------------------------------------------

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_setcb(
    bufev: *mut bufferevent,
    readcb: bufferevent_data_cb,
    writecb: bufferevent_data_cb,
    eventcb: bufferevent_event_cb,
    cbarg: *mut c_void,
) {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_setcb") }) else { return };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::setcb(p, readcb, writecb, eventcb, cbarg) }
}

/// # Safety
/// `bufev` a valid bufferevent; each out-pointer NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_getcb(
    bufev: *mut bufferevent,
    readcb_ptr: *mut bufferevent_data_cb,
    writecb_ptr: *mut bufferevent_data_cb,
    eventcb_ptr: *mut bufferevent_event_cb,
    cbarg_ptr: *mut *mut c_void,
) {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_getcb") }) else { return };
    // SAFETY: live bufferevent; out-pointers NULL or writable.
    unsafe {
        BufferEvent::lock(p);
        if !readcb_ptr.is_null() {
            *readcb_ptr = (*p).bev.readcb;
        }
        if !writecb_ptr.is_null() {
            *writecb_ptr = (*p).bev.writecb;
        }
        if !eventcb_ptr.is_null() {
            *eventcb_ptr = (*p).bev.errorcb;
        }
        if !cbarg_ptr.is_null() {
            *cbarg_ptr = (*p).bev.cbarg;
        }
        BufferEvent::unlock(p);
    }
}

// ---- fd ---------------------------------------------------------------------------------

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_setfd(bufev: *mut bufferevent, fd: evutil_socket_t) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_setfd") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::setfd(p, fd) }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_getfd(bufev: *mut bufferevent) -> evutil_socket_t {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_getfd") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::getfd(p) }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_underlying(bufev: *mut bufferevent) -> *mut bufferevent {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_get_underlying") }) else { return ptr::null_mut() };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::get_underlying(p).cast() }
}

// ---- data -------------------------------------------------------------------------------

/// # Safety
/// `bufev` a valid bufferevent; `data` readable for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_write(bufev: *mut bufferevent, data: *const c_void, size: usize) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_write") }) else { return -1 };
    if data.is_null() && size > 0 {
        crate::ev_warn!("bufferevent_write: NULL data");
        return -1;
    }
    let bytes: &[u8] = if size == 0 {
        &[]
    } else {
        // SAFETY: readable for `size` bytes per the contract.
        unsafe { std::slice::from_raw_parts(data.cast(), size) }
    };
    // SAFETY: live bufferevent.
    if unsafe { BufferEvent::output(p) }.add(bytes) == -1 {
        -1
    } else {
        0
    }
}

/// # Safety
/// `bufev` a valid bufferevent; `buf` a valid evbuffer.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_write_buffer(bufev: *mut bufferevent, buf: *mut evbuffer) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_write_buffer") }) else { return -1 };
    if buf.is_null() {
        crate::ev_warn!("bufferevent_write_buffer: NULL evbuffer");
        return -1;
    }
    // SAFETY: live bufferevent and evbuffer.
    if unsafe { BufferEvent::output(p).add_buffer(core::evb(buf)) } == -1 {
        -1
    } else {
        0
    }
}

/// # Safety
/// `bufev` a valid bufferevent; `data` writable for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_read(bufev: *mut bufferevent, data: *mut c_void, size: usize) -> usize {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_read") }) else { return 0 };
    if data.is_null() && size > 0 {
        crate::ev_warn!("bufferevent_read: NULL data");
        return 0;
    }
    // SAFETY: live bufferevent; `data` writable (ffi::buffer's evbuffer_remove checks).
    let r = unsafe { crate::ffi::buffer::evbuffer_remove((*p).bev.input, data, size) };
    r as usize
}

/// # Safety
/// `bufev` a valid bufferevent; `buf` a valid evbuffer.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_read_buffer(bufev: *mut bufferevent, buf: *mut evbuffer) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_read_buffer") }) else { return -1 };
    if buf.is_null() {
        crate::ev_warn!("bufferevent_read_buffer: NULL evbuffer");
        return -1;
    }
    // SAFETY: live bufferevent and evbuffer.
    unsafe { core::evb(buf).add_buffer(BufferEvent::input(p)) }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_input(bufev: *mut bufferevent) -> *mut evbuffer {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_get_input") }) else { return ptr::null_mut() };
    // SAFETY: live bufferevent.
    unsafe { (*p).bev.input }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_output(bufev: *mut bufferevent) -> *mut evbuffer {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_get_output") }) else { return ptr::null_mut() };
    // SAFETY: live bufferevent.
    unsafe { (*p).bev.output }
}

// ---- enabling, timeouts, watermarks ------------------------------------------------------

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_enable(bufev: *mut bufferevent, event: c_short) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_enable") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::enable(p, event) }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_disable(bufev: *mut bufferevent, event: c_short) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_disable") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::disable(p, event) }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_enabled(bufev: *mut bufferevent) -> c_short {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_get_enabled") }) else { return 0 };
    // SAFETY: live bufferevent.
    unsafe {
        BufferEvent::lock(p);
        let r = (*p).bev.enabled;
        BufferEvent::unlock(p);
        r
    }
}

/// # Safety
/// `bufev` a valid bufferevent; each timeval NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_timeouts(
    bufev: *mut bufferevent,
    timeout_read: *const libc::timeval,
    timeout_write: *const libc::timeval,
) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_set_timeouts") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::set_timeouts(p, opt_tv(timeout_read), opt_tv(timeout_write)) }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_setwatermark(
    bufev: *mut bufferevent,
    events: c_short,
    lowmark: usize,
    highmark: usize,
) {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_setwatermark") }) else { return };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::setwatermark(p, events, lowmark, highmark) }
}

/// # Safety
/// `bufev` a valid bufferevent; `lowmark`/`highmark` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_getwatermark(
    bufev: *mut bufferevent,
    events: c_short,
    lowmark: *mut usize,
    highmark: *mut usize,
) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_getwatermark") }) else { return -1 };
    // SAFETY: live bufferevent; out-pointers NULL or writable.
    unsafe {
        let wm = if events == crate::base::event::EV_WRITE {
            &(*p).bev.wm_write
        } else if events == crate::base::event::EV_READ {
            &(*p).bev.wm_read
        } else {
            return -1;
        };
        BufferEvent::lock(p);
        if !lowmark.is_null() {
            *lowmark = wm.low;
        }
        if !highmark.is_null() {
            *highmark = wm.high;
        }
        BufferEvent::unlock(p);
    }
    0
}

// ---- locking and references ---------------------------------------------------------------

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_lock(bufev: *mut bufferevent) {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_lock") }) else { return };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::incref_and_lock(p) }
}

/// # Safety
/// `bufev` a bufferevent locked by this thread with `bufferevent_lock`.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_unlock(bufev: *mut bufferevent) {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_unlock") }) else { return };
    // SAFETY: live bufferevent, locked with a reference by `bufferevent_lock`.
    unsafe {
        BufferEvent::decref_and_unlock(p);
    }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_incref(bufev: *mut bufferevent) {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_incref") }) else { return };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::incref(p) }
}

/// Returns 1 if this dropped the last reference (the bufferevent is then freed from the
/// loop), else 0.
///
/// # Safety
/// `bufev` a bufferevent on which the caller holds a reference.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_decref(bufev: *mut bufferevent) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bufev, "bufferevent_decref") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe {
        if (*p).refcnt <= 0 || (*p).finalizing {
            crate::ev_warn!("bufferevent_decref: no reference left to drop");
            return -1;
        }
        BufferEvent::decref(p)
    }
}

/// `BEV_NORMAL` on a socket bufferevent does nothing (as libevent); `BEV_FLUSH` and
/// `BEV_FINISHED` with `EV_WRITE` write what the kernel accepts now (evshim's extension:
/// libevent's socket flush is a no-op) and return 1 if anything was written.
///
/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_flush(bufev: *mut bufferevent, iotype: c_short, mode: FlushModeArg) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_flush") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::flush(p, iotype, mode.0) }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_trigger(bufev: *mut bufferevent, iotype: c_short, options: c_int) {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_trigger") }) else { return };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::trigger(p, iotype, options) }
}

/// # Safety
/// `bufev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_trigger_event(bufev: *mut bufferevent, what: c_short, options: c_int) {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bufev, "bufferevent_trigger_event") }) else { return };
    // SAFETY: live bufferevent.
    unsafe { BufferEvent::trigger_event(p, what, options) }
}

// ---- filters and pairs ------------------------------------------------------------------

/// # Safety
/// `underlying` a valid bufferevent; the filter callbacks NULL (pass bytes through) or
/// functions following `bufferevent_filter_cb`'s contract.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_filter_new(
    underlying: *mut bufferevent,
    input_filter: bufferevent_filter_cb,
    output_filter: bufferevent_filter_cb,
    options: c_int,
    free_context: Option<unsafe extern "C" fn(*mut c_void)>,
    ctx: *mut c_void,
) -> *mut bufferevent {
    // SAFETY: forwarded (NULL is refused with a warning, as every bufferevent argument).
    let Some(u) = (unsafe { bev_open(underlying, "bufferevent_filter_new") }) else { return ptr::null_mut() };
    // SAFETY: the same C function type: the newtypes are `repr(transparent)` over int.
    let (fin, fout) = unsafe {
        (
            std::mem::transmute::<bufferevent_filter_cb, filter::FilterFn>(input_filter),
            std::mem::transmute::<bufferevent_filter_cb, filter::FilterFn>(output_filter),
        )
    };
    // SAFETY: live bufferevent.
    unsafe { filter::new(u, fin, fout, options, free_context, ctx) }.map_or(ptr::null_mut(), |p| p.cast())
}

/// # Safety
/// `base` NULL or a valid base; `pair` writable for two pointers.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_pair_new(
    base: *mut event_base,
    options: c_int,
    pair: *mut *mut bufferevent,
) -> c_int {
    if pair.is_null() {
        crate::ev_warn!("bufferevent_pair_new: NULL result array");
        return -1;
    }
    match pair::new(base, options) {
        Some([a, b]) => {
            // SAFETY: writable for two pointers per the contract.
            unsafe {
                *pair = a.cast();
                *pair.add(1) = b.cast();
            }
            0
        }
        None => -1,
    }
}

/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_pair_get_partner(bev: *mut bufferevent) -> *mut bufferevent {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev, "bufferevent_pair_get_partner") }) else { return ptr::null_mut() };
    // SAFETY: live bufferevent.
    unsafe { pair::get_partner(p).cast() }
}

// ---- rate limiting (bufferevent_ratelim.c) ------------------------------------------------
//
// Vocabulary: a *valid configuration* is a pointer returned by `ev_token_bucket_cfg_new`
// and not yet freed; a *valid group* one returned by `bufferevent_rate_limit_group_new`
// and not yet freed. A bufferevent keeps a pointer to its configuration (libevent does not
// copy it): the configuration must outlive every bufferevent using it.

pub use crate::bufferevent::ratelim::{bufferevent_rate_limit_group, ev_token_bucket_cfg};

/// The group behind `g`, or a warning naming `func`.
fn group_of(g: *mut bufferevent_rate_limit_group, func: &str) -> Option<*mut bufferevent_rate_limit_group> {
    if g.is_null() {
        crate::ev_warn!("{func}: NULL rate-limit group");
        return None;
    }
    Some(g)
}

/// A new token-bucket configuration: `read_rate`/`write_rate` bytes per tick (at least 1),
/// buckets holding at most `read_burst`/`write_burst` (at least the rate), all at most
/// `EV_RATE_LIMIT_MAX`; `tick_len` NULL means one second. NULL if any of that is violated,
/// and (unlike libevent, which divides by zero later) for a tick under one millisecond.
///
/// # Safety
/// `tick_len` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn ev_token_bucket_cfg_new(
    read_rate: usize,
    read_burst: usize,
    write_rate: usize,
    write_burst: usize,
    tick_len: *const libc::timeval,
) -> *mut ev_token_bucket_cfg {
    ratelim::cfg_new(read_rate, read_burst, write_rate, write_burst, opt_tv(tick_len))
        .map_or(ptr::null_mut(), Box::into_raw)
}

/// # Safety
/// `cfg` NULL or a valid configuration no bufferevent uses any more.
#[no_mangle]
pub unsafe extern "C" fn ev_token_bucket_cfg_free(cfg: *mut ev_token_bucket_cfg) {
    if !cfg.is_null() {
        // SAFETY: made by ev_token_bucket_cfg_new (Box::into_raw), freed once per the contract.
        drop(unsafe { Box::from_raw(cfg) });
    }
}

/// Limits `bev` by `cfg` (NULL: removes its own limit; a group limit stays).
///
/// # Safety
/// `bev` a valid bufferevent; `cfg` NULL or a valid configuration.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_rate_limit(bev: *mut bufferevent, cfg: *mut ev_token_bucket_cfg) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bev, "bufferevent_set_rate_limit") }) else { return -1 };
    // SAFETY: live bufferevent; `cfg` NULL or live.
    unsafe { ratelim::set_rate_limit(p, cfg) }
}

/// A group limited by a copy of `cfg`, whose refill timer runs on `base` (NULL: the
/// `event_init` base) every tick until the group is freed.
///
/// # Safety
/// `base` NULL or a valid base; `cfg` a valid configuration.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_new(
    base: *mut event_base,
    cfg: *const ev_token_bucket_cfg,
) -> *mut bufferevent_rate_limit_group {
    if cfg.is_null() {
        crate::ev_warn!("bufferevent_rate_limit_group_new: NULL configuration");
        return ptr::null_mut();
    }
    let base =
        if base.is_null() { crate::base::CURRENT_BASE.load(std::sync::atomic::Ordering::Acquire) } else { base.cast() };
    if base.is_null() {
        crate::ev_warn!("bufferevent_rate_limit_group_new: NULL base and no current base");
        return ptr::null_mut();
    }
    // SAFETY: a live base and configuration per the contract.
    unsafe { ratelim::group_new(base, &*cfg) }
}

/// # Safety
/// `g` a valid group; `cfg` a valid configuration.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_set_cfg(
    g: *mut bufferevent_rate_limit_group,
    cfg: *const ev_token_bucket_cfg,
) -> c_int {
    // libevent returns -1 for either NULL, without a message.
    if g.is_null() || cfg.is_null() {
        return -1;
    }
    // SAFETY: live group and configuration.
    unsafe { ratelim::group_set_cfg(g, &*cfg) };
    0
}

/// # Safety
/// `g` a valid group.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_set_min_share(
    g: *mut bufferevent_rate_limit_group,
    share: usize,
) -> c_int {
    let Some(g) = group_of(g, "bufferevent_rate_limit_group_set_min_share") else { return -1 };
    // SAFETY: live group.
    unsafe { ratelim::group_set_min_share(g, share) }
}

/// Aborts (as libevent's assertion) if a bufferevent is still a member, which a freed
/// bufferevent is until the loop has finalized it.
///
/// # Safety
/// `g` a valid group, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_free(g: *mut bufferevent_rate_limit_group) {
    let Some(g) = group_of(g, "bufferevent_rate_limit_group_free") else { return };
    // SAFETY: live group, released here.
    unsafe { ratelim::group_free(g) }
}

/// NULL `g`: 0 if `bev` is in no group (libevent's no-op), else a warning and -1.
///
/// # Safety
/// `bev` a valid bufferevent; `g` NULL or a valid group.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_add_to_rate_limit_group(
    bev: *mut bufferevent,
    g: *mut bufferevent_rate_limit_group,
) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bev, "bufferevent_add_to_rate_limit_group") }) else { return -1 };
    // SAFETY: live bufferevent; `g` NULL (checked inside) or a live group.
    unsafe { ratelim::add_to_group(p, g) }
}

/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_remove_from_rate_limit_group(bev: *mut bufferevent) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bev, "bufferevent_remove_from_rate_limit_group") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::remove_from_group(p, true) }
}

/// 0 or more than `EV_SSIZE_MAX` restores the default, 16384.
///
/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_max_single_read(bev: *mut bufferevent, size: usize) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bev, "bufferevent_set_max_single_read") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::set_max_single(p, false, size) };
    0
}

/// 0 or more than `EV_SSIZE_MAX` restores the default, 16384.
///
/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_max_single_write(bev: *mut bufferevent, size: usize) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bev, "bufferevent_set_max_single_write") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::set_max_single(p, true, size) };
    0
}

/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_single_read(bev: *mut bufferevent) -> ev_ssize_t {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev, "bufferevent_get_max_single_read") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::get_max_single(p, false) }
}

/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_single_write(bev: *mut bufferevent) -> ev_ssize_t {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev, "bufferevent_get_max_single_write") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::get_max_single(p, true) }
}

/// The bufferevent's own read bucket (`EV_SSIZE_MAX` without a configuration).
///
/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_read_limit(bev: *mut bufferevent) -> ev_ssize_t {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev, "bufferevent_get_read_limit") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::get_limit(p, false) }
}

/// The bufferevent's own write bucket (`EV_SSIZE_MAX` without a configuration).
///
/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_write_limit(bev: *mut bufferevent) -> ev_ssize_t {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev, "bufferevent_get_write_limit") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::get_limit(p, true) }
}

/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_to_read(bev: *mut bufferevent) -> ev_ssize_t {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev, "bufferevent_get_max_to_read") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::get_max_to(p, false) }
}

/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_to_write(bev: *mut bufferevent) -> ev_ssize_t {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev, "bufferevent_get_max_to_write") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::get_max_to(p, true) }
}

/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_token_bucket_cfg(bev: *const bufferevent) -> *const ev_token_bucket_cfg {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_of(bev as *mut bufferevent, "bufferevent_get_token_bucket_cfg") }) else {
        return ptr::null();
    };
    // SAFETY: live bufferevent.
    unsafe { ratelim::get_token_bucket_cfg(p) }
}

/// # Safety
/// `grp` a valid group.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_get_read_limit(
    grp: *mut bufferevent_rate_limit_group,
) -> ev_ssize_t {
    let Some(g) = group_of(grp, "bufferevent_rate_limit_group_get_read_limit") else { return -1 };
    // SAFETY: live group.
    unsafe { ratelim::group_get_limit(g, false) }
}

/// # Safety
/// `grp` a valid group.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_get_write_limit(
    grp: *mut bufferevent_rate_limit_group,
) -> ev_ssize_t {
    let Some(g) = group_of(grp, "bufferevent_rate_limit_group_get_write_limit") else { return -1 };
    // SAFETY: live group.
    unsafe { ratelim::group_get_limit(g, true) }
}

/// Aborts (as libevent's assertion) if `bev` has no rate-limit configuration.
///
/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_decrement_read_limit(bev: *mut bufferevent, decr: ev_ssize_t) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bev, "bufferevent_decrement_read_limit") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::decrement_limit(p, false, decr) }
}

/// Aborts (as libevent's assertion) if `bev` has no rate-limit configuration.
///
/// # Safety
/// `bev` a valid bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_decrement_write_limit(bev: *mut bufferevent, decr: ev_ssize_t) -> c_int {
    // SAFETY: forwarded.
    let Some(p) = (unsafe { bev_open(bev, "bufferevent_decrement_write_limit") }) else { return -1 };
    // SAFETY: live bufferevent.
    unsafe { ratelim::decrement_limit(p, true, decr) }
}

/// # Safety
/// `grp` a valid group.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_decrement_read(
    grp: *mut bufferevent_rate_limit_group,
    decr: ev_ssize_t,
) -> c_int {
    let Some(g) = group_of(grp, "bufferevent_rate_limit_group_decrement_read") else { return -1 };
    // SAFETY: live group.
    unsafe { ratelim::group_decrement(g, false, decr) }
}

/// # Safety
/// `grp` a valid group.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_decrement_write(
    grp: *mut bufferevent_rate_limit_group,
    decr: ev_ssize_t,
) -> c_int {
    let Some(g) = group_of(grp, "bufferevent_rate_limit_group_decrement_write") else { return -1 };
    // SAFETY: live group.
    unsafe { ratelim::group_decrement(g, true, decr) }
}

/// Aborts (as libevent's assertion) for a NULL group.
///
/// # Safety
/// `grp` a valid group; each out-pointer NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_get_totals(
    grp: *mut bufferevent_rate_limit_group,
    total_read_out: *mut ev_uint64_t,
    total_written_out: *mut ev_uint64_t,
) {
    if grp.is_null() {
        crate::ev_fatal!("bufferevent_rate_limit_group_get_totals: assertion failed: NULL group");
    }
    // SAFETY: live group; out-pointers NULL or writable.
    unsafe {
        let (r, w) = ratelim::group_get_totals(grp);
        if !total_read_out.is_null() {
            *total_read_out = r;
        }
        if !total_written_out.is_null() {
            *total_written_out = w;
        }
    }
}

/// # Safety
/// `grp` a valid group.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_reset_totals(grp: *mut bufferevent_rate_limit_group) {
    let Some(g) = group_of(grp, "bufferevent_rate_limit_group_reset_totals") else { return };
    // SAFETY: live group.
    unsafe { ratelim::group_reset_totals(g) }
}
