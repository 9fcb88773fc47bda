//! Entry points of `event2/event.h`.

use std::ffi::{c_char, c_int, c_short, c_uint, c_void, CStr};
use std::ptr;

use libc::timeval;

use crate::base::event::{self as ev_mod, event, EVLIST_ACTIVE, EVLIST_INIT};
use crate::base::{self, thread as dbg, Config, DelMode, EventBase};
use crate::ffi::types::*;

pub use crate::base::event::{
    event_callback, event_callback_fns, event_callback_tailq_entry, event_fields, event_io_fields, event_list_entry,
    event_signal_fields, event_tailq_entry, event_timeout_pos,
};

/// `struct event_base` (opaque; declared in the core, see `base::event`).
pub use crate::base::event::event_base;

/// `struct event_config` (opaque).
pub struct event_config {
    _opaque: [u8; 0],
}

pub const EV_TIMEOUT: c_short = 0x01;
pub const EV_READ: c_short = 0x02;
pub const EV_WRITE: c_short = 0x04;
pub const EV_SIGNAL: c_short = 0x08;
pub const EV_PERSIST: c_short = 0x10;
pub const EV_ET: c_short = 0x20;
pub const EV_FINALIZE: c_short = 0x40;
pub const EV_CLOSED: c_short = 0x80;

pub const EVLOOP_ONCE: c_int = 0x01;
pub const EVLOOP_NONBLOCK: c_int = 0x02;
pub const EVLOOP_NO_EXIT_ON_EMPTY: c_int = 0x04;

pub const EVENT_BASE_COUNT_ACTIVE: c_uint = 1;
pub const EVENT_BASE_COUNT_VIRTUAL: c_uint = 2;
pub const EVENT_BASE_COUNT_ADDED: c_uint = 4;

pub const EVENT_LOG_DEBUG: c_int = 0;
pub const EVENT_LOG_MSG: c_int = 1;
pub const EVENT_LOG_WARN: c_int = 2;
pub const EVENT_LOG_ERR: c_int = 3;

pub const EVENT_DBG_ALL: u32 = 0xffff_ffff;
pub const EVENT_DBG_NONE: u32 = 0;

pub const EVENT_MAX_PRIORITIES: c_int = 256;

pub type event_callback_fn = Option<unsafe extern "C" fn(evutil_socket_t, c_short, *mut c_void)>;
pub type event_finalize_callback_fn = Option<unsafe extern "C" fn(*mut event, *mut c_void)>;
pub type event_log_cb = Option<unsafe extern "C" fn(severity: c_int, msg: *const c_char)>;
pub type event_fatal_cb = Option<unsafe extern "C" fn(err: c_int)>;
pub type event_base_foreach_event_cb =
    Option<unsafe extern "C" fn(*const event_base, *const event, *mut c_void) -> c_int>;

#[inline]
fn as_base<'a>(b: *const event_base) -> Option<&'a EventBase> {
    // SAFETY: non-NULL `event_base` pointers come from `event_base_new*` (EventBase::new).
    (!b.is_null()).then(|| unsafe { &*(b as *const EventBase) })
}

#[inline]
fn as_cfg<'a>(c: *const event_config) -> Option<&'a mut Config> {
    // SAFETY: non-NULL `event_config` pointers come from `event_config_new` (Box<Config>).
    (!c.is_null()).then(|| unsafe { &mut *(c as *mut Config) })
}

/// The base of `ev`, or a warning naming `func`.
///
/// # Safety
/// `ev` is NULL or points to a `struct event`.
#[inline]
unsafe fn ev_base<'a>(ev: *const event, func: &str) -> Option<&'a EventBase> {
    if !ev.is_null() {
        // SAFETY: non-NULL per the check; the caller vouches for the memory.
        let b = unsafe { (*ev).ev_base };
        if !b.is_null() {
            return as_base(b);
        }
    }
    no_base(ev, func);
    None
}

/// `ev_base`'s warnings.
#[cold]
#[inline(never)]
fn no_base(ev: *const event, func: &str) {
    if ev.is_null() {
        // libevent's internal helper names (event_del_, …) are kept for the "no base"
        // message below, which programs may match; the NULL case is ours.
        crate::ev_warn!("{}: NULL event", func.trim_end_matches('_').trim_end_matches("_impl"));
    } else {
        crate::ev_warn!("{func}: event has no event_base set.");
    }
}

fn opt_tv<'a>(tv: *const timeval) -> Option<&'a timeval> {
    // SAFETY: the caller passes NULL or a readable timeval.
    (!tv.is_null()).then(|| unsafe { &*tv })
}

// ----- configuration and bases -----

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_config_new() -> *mut event_config {
    crate::mm::try_box(Config::default()).map_or(std::ptr::null_mut(), |c| Box::into_raw(c).cast())
}

/// # Safety
/// `cfg` is NULL or from `event_config_new`, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn event_config_free(cfg: *mut event_config) {
    if !cfg.is_null() {
        // SAFETY: from Box::into_raw in event_config_new.
        drop(unsafe { Box::from_raw(cfg as *mut Config) });
    }
}

/// # Safety
/// `cfg` NULL or valid; `method` NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn event_config_avoid_method(cfg: *mut event_config, method: *const c_char) -> c_int {
    let Some(c) = as_cfg(cfg) else {
        crate::ev_warn!("event_config_avoid_method: NULL config");
        return -1;
    };
    if method.is_null() {
        crate::ev_warn!("event_config_avoid_method: NULL method");
        return -1;
    }
    // SAFETY: NUL-terminated per the caller.
    c.avoid.push(unsafe { CStr::from_ptr(method) }.to_bytes().to_vec());
    0
}

/// # Safety
/// `cfg` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_config_require_features(cfg: *mut event_config, feature: c_int) -> c_int {
    let Some(c) = as_cfg(cfg) else { return -1 };
    c.require_features = feature;
    0
}

/// # Safety
/// `cfg` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_config_set_flag(cfg: *mut event_config, flag: c_int) -> c_int {
    let Some(c) = as_cfg(cfg) else { return -1 };
    c.flags |= flag;
    0
}

/// # Safety
/// `cfg` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_config_set_num_cpus_hint(cfg: *mut event_config, cpus: c_int) -> c_int {
    let Some(c) = as_cfg(cfg) else { return -1 };
    c.n_cpus_hint = cpus;
    0
}

/// # Safety
/// `cfg` NULL or valid; `max_interval` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn event_config_set_max_dispatch_interval(
    cfg: *mut event_config,
    max_interval: *const timeval,
    max_callbacks: c_int,
    min_priority: c_int,
) -> c_int {
    let Some(c) = as_cfg(cfg) else { return -1 };
    c.max_dispatch_interval = match opt_tv(max_interval) {
        Some(t) => *t,
        None => timeval { tv_sec: -1, tv_usec: 0 },
    };
    c.max_dispatch_callbacks = if max_callbacks >= 0 { max_callbacks } else { c_int::MAX };
    c.limit_callbacks_after_prio = min_priority.max(0);
    0
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_base_new() -> *mut event_base {
    match EventBase::new(None) {
        Some(b) => b.cast(),
        None => ptr::null_mut(),
    }
}

/// # Safety
/// `cfg` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_new_with_config(cfg: *const event_config) -> *mut event_base {
    match EventBase::new(as_cfg(cfg).map(|c| &*c)) {
        Some(b) => b.cast(),
        None => ptr::null_mut(),
    }
}

unsafe fn base_free(b: *mut event_base, run_finalizers: bool) {
    let b = if b.is_null() { base::CURRENT_BASE.load(std::sync::atomic::Ordering::Acquire).cast() } else { b };
    if b.is_null() {
        crate::ev_warn!("event_base_free_: no base to free");
        return;
    }
    // Freeing a base under its running loop (from a callback) would pull the loop's
    // memory from under it; libevent does not allow it either. Refuse instead of crashing.
    if as_base(b).is_some_and(|base| base.with(|i| i.is_running())) {
        crate::ev_warn!("event_base_free: the base's event loop is running; not freeing it");
        return;
    }
    // SAFETY: a base pointer from event_base_new*, owned by the caller who frees it now.
    unsafe { EventBase::free(b.cast(), run_finalizers) };
}

/// # Safety
/// `base` NULL (frees the current base) or valid; not used afterwards; not called from a
/// callback of that base.
#[no_mangle]
pub unsafe extern "C" fn event_base_free(base: *mut event_base) {
    // SAFETY: forwarded.
    unsafe { base_free(base, true) }
}

/// # Safety
/// As `event_base_free`.
#[no_mangle]
pub unsafe extern "C" fn event_base_free_nofinalize(base: *mut event_base) {
    // SAFETY: forwarded.
    unsafe { base_free(base, false) }
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_reinit(base: *mut event_base) -> c_int {
    let Some(b) = as_base(base) else {
        crate::ev_warn!("event_reinit: NULL base");
        return -1;
    };
    b.with(|i| i.reinit())
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_dispatch(base: *mut event_base) -> c_int {
    // SAFETY: forwarded.
    unsafe { event_base_loop(base, 0) }
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_method(base: *const event_base) -> *const c_char {
    let Some(b) = as_base(base) else {
        crate::ev_warn!("event_base_get_method: NULL base");
        return ptr::null();
    };
    b.with(|i| i.method.name.as_ptr())
}

static SUPPORTED: SyncPtrs = SyncPtrs([c"epoll".as_ptr(), c"poll".as_ptr(), c"select".as_ptr(), ptr::null()]);
struct SyncPtrs([*const c_char; 4]);
// SAFETY: pointers to immutable static strings.
unsafe impl Sync for SyncPtrs {}

/// # Safety
/// None. The array is static; the caller must not modify it.
#[no_mangle]
pub unsafe extern "C" fn event_get_supported_methods() -> *mut *const c_char {
    SUPPORTED.0.as_ptr() as *mut *const c_char
}

/// # Safety
/// `base` NULL or valid; `tp` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn event_gettime_monotonic(base: *mut event_base, tp: *mut timeval) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    if tp.is_null() {
        return -1;
    }
    let t = b.with(|i| {
        let _ = i;
        crate::base::timer::monotonic(i.flags() & base::FLAG_PRECISE_TIMER != 0)
    });
    // SAFETY: checked non-NULL; writable per the caller.
    unsafe { *tp = t };
    0
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_num_events(base: *mut event_base, type_: c_uint) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    b.with(|i| i.get_num_events(type_))
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_max_events(base: *mut event_base, type_: c_uint, clear: c_int) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    b.with(|i| i.get_max_events(type_, clear != 0))
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_features(base: *const event_base) -> c_int {
    let Some(b) = as_base(base) else { return 0 };
    b.with(|i| i.method.features)
}

// ----- logging / debugging -----

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_enable_debug_mode() {
    dbg::enable_debug_mode();
}

/// # Safety
/// `ev` points to a `struct event`.
#[no_mangle]
pub unsafe extern "C" fn event_debug_unassign(ev: *mut event) {
    if ev.is_null() {
        return;
    }
    dbg::debug_assert_not_added(ev, "event_debug_unassign");
    dbg::debug_note_teardown(ev);
    // SAFETY: non-NULL, caller's memory.
    unsafe { (*ev).ev_evcallback.evcb_flags &= !EVLIST_INIT };
}

/// # Safety
/// `cb` NULL or a function valid for the program's lifetime.
#[no_mangle]
pub unsafe extern "C" fn event_set_log_callback(cb: event_log_cb) {
    crate::log::set_log_callback(cb);
}

/// # Safety
/// As `event_set_log_callback`.
#[no_mangle]
pub unsafe extern "C" fn event_set_fatal_callback(cb: event_fatal_cb) {
    crate::log::set_fatal_callback(cb);
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_enable_debug_logging(which: ev_uint32_t) {
    crate::log::set_debug_mask(which as std::ffi::c_ulong);
}

/// # Safety
/// Function pointers NULL or valid; all three together.
#[no_mangle]
pub unsafe extern "C" fn event_set_mem_functions(
    malloc_fn: Option<unsafe extern "C" fn(sz: usize) -> *mut c_void>,
    realloc_fn: Option<unsafe extern "C" fn(ptr: *mut c_void, sz: usize) -> *mut c_void>,
    free_fn: Option<unsafe extern "C" fn(ptr: *mut c_void)>,
) {
    crate::mm::set_functions(malloc_fn, realloc_fn, free_fn);
}

/// # Safety
/// No base or event may be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn libevent_global_shutdown() {
    dbg::disable_debug_mode();
    crate::base::signal::global_shutdown();
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_get_version() -> *const c_char {
    c"2.1.12-stable".as_ptr()
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_get_version_number() -> ev_uint32_t {
    0x0201_0c00
}

// ----- loop control -----

/// # Safety
/// `base` NULL or valid; `ev` NULL or a `struct event` that is not added.
#[no_mangle]
pub unsafe extern "C" fn event_base_set(base: *mut event_base, ev: *mut event) -> c_int {
    if ev.is_null() || base.is_null() {
        crate::ev_warn!("event_base_set: NULL argument");
        return -1;
    }
    // SAFETY: non-NULL, caller's memory.
    unsafe {
        // (evshim's own-I/O mark, on a bufferevent's events, is not a queue membership.)
        if (*ev).ev_evcallback.evcb_flags & !ev_mod::EVLIST_X_OWN_IO != EVLIST_INIT {
            return -1;
        }
        dbg::debug_assert_is_setup(ev, "event_base_set");
        let Some(b) = as_base(base) else { return -1 };
        (*ev).ev_base = base;
        (*ev).ev_evcallback.evcb_pri = (b.with(|i| i.nactivequeues()) / 2) as u8;
    }
    0
}

/// # Safety
/// `base` NULL or valid; not called from a callback of the same base.
#[no_mangle]
pub unsafe extern "C" fn event_base_loop(base: *mut event_base, flags: c_int) -> c_int {
    let Some(b) = as_base(base) else {
        crate::ev_warn!("event_base_loop: NULL base");
        return -1;
    };
    // SAFETY: valid base.
    unsafe { base::base_loop(b, flags) }
}

unsafe extern "C" fn loopexit_cb(_fd: evutil_socket_t, _what: c_short, arg: *mut c_void) {
    // SAFETY: `arg` is the base that scheduled this one-shot.
    let b = unsafe { &*(arg as *const EventBase) };
    b.with(|i| i.set_gotterm());
}

/// # Safety
/// `base` NULL or valid; `tv` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn event_base_loopexit(base: *mut event_base, tv: *const timeval) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    base::base_once(b, -1, EV_TIMEOUT, Some(loopexit_cb), base.cast(), opt_tv(tv))
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_loopbreak(base: *mut event_base) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    b.with(|i| i.set_break());
    0
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_loopcontinue(base: *mut event_base) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    b.with(|i| i.set_continue());
    0
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_got_exit(base: *mut event_base) -> c_int {
    let Some(b) = as_base(base) else { return 0 };
    b.with(|i| i.got_exit()) as c_int
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_got_break(base: *mut event_base) -> c_int {
    let Some(b) = as_base(base) else { return 0 };
    b.with(|i| i.got_break()) as c_int
}

static SELF_CBARG: u8 = 0;

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_self_cbarg() -> *mut c_void {
    &SELF_CBARG as *const u8 as *mut c_void
}

// ----- events -----

/// # Safety
/// `ev` points to writable memory of `event_get_struct_event_size()` bytes; `base` NULL
/// (the current base) or valid.
#[no_mangle]
pub unsafe extern "C" fn event_assign(
    ev: *mut event,
    base: *mut event_base,
    fd: evutil_socket_t,
    events: c_short,
    callback: event_callback_fn,
    arg: *mut c_void,
) -> c_int {
    if ev.is_null() {
        crate::ev_warn!("event_assign: NULL event");
        return -1;
    }
    let base = if base.is_null() { base::CURRENT_BASE.load(std::sync::atomic::Ordering::Acquire).cast() } else { base };
    let arg = if ptr::eq(arg, &SELF_CBARG as *const u8 as *const c_void) { ev.cast() } else { arg };
    if events & EV_SIGNAL == 0 {
        dbg::debug_assert_socket_nonblocking(fd, "event_assign");
    }
    dbg::debug_assert_not_added(ev, "event_assign");
    if events & EV_SIGNAL != 0 && events & (EV_READ | EV_WRITE | EV_CLOSED) != 0 {
        crate::ev_warn!("event_assign: EV_SIGNAL is not compatible with EV_READ, EV_WRITE or EV_CLOSED");
        return -1;
    }
    let nq = as_base(base).map_or(1, |b| b.with(|i| i.nactivequeues()));
    base::assign_raw(ev, base.cast(), nq, fd, events, callback, arg);
    dbg::debug_note_setup(ev);
    0
}

/// # Safety
/// `base` NULL (current base) or valid.
#[no_mangle]
pub unsafe extern "C" fn event_new(
    base: *mut event_base,
    fd: evutil_socket_t,
    events: c_short,
    cb: event_callback_fn,
    arg: *mut c_void,
) -> *mut event {
    let ev: *mut event = crate::mm::malloc(std::mem::size_of::<event>()).cast();
    if ev.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: fresh allocation; zero it so debug checks read defined memory.
    unsafe { ptr::write_bytes(ev, 0, 1) };
    // SAFETY: `ev` is a fresh allocation of the right size.
    if unsafe { event_assign(ev, base, fd, events, cb, arg) } < 0 {
        // SAFETY: ours, unused.
        unsafe { crate::mm::free(ev.cast()) };
        return ptr::null_mut();
    }
    ev
}

/// # Safety
/// `ev` NULL or from `event_new`; not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn event_free(ev: *mut event) {
    if ev.is_null() {
        return;
    }
    // SAFETY: caller's event; del_impl skips the base when nothing is pending.
    if unsafe { !(*ev).ev_base.is_null() } {
        // SAFETY: forwarded.
        unsafe { del_impl(ev, DelMode::AutoBlock, "event_del_") };
    }
    dbg::debug_note_teardown(ev);
    // SAFETY: from event_new (mm::malloc).
    unsafe { crate::mm::free(ev.cast()) };
}

unsafe fn finalize_impl(flags: c_uint, ev: *mut event, cb: event_finalize_callback_fn, free: bool) -> c_int {
    let _ = flags;
    // SAFETY: forwarded.
    let Some(b) = (unsafe { ev_base(ev, "event_finalize_impl_") }) else {
        return -1;
    };
    // SAFETY: lock held inside; `ev` live.
    b.with(|i| unsafe { i.finalize_nolock(free, ev, cb) });
    0
}

/// # Safety
/// `ev` NULL or a live event.
#[no_mangle]
pub unsafe extern "C" fn event_finalize(flags: c_uint, ev: *mut event, cb: event_finalize_callback_fn) -> c_int {
    // SAFETY: forwarded.
    unsafe { finalize_impl(flags, ev, cb, false) }
}

/// # Safety
/// `ev` NULL or from `event_new`.
#[no_mangle]
pub unsafe extern "C" fn event_free_finalize(flags: c_uint, ev: *mut event, cb: event_finalize_callback_fn) -> c_int {
    // SAFETY: forwarded.
    unsafe { finalize_impl(flags, ev, cb, true) }
}

/// # Safety
/// `base` NULL or valid; `tv` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn event_base_once(
    base: *mut event_base,
    fd: evutil_socket_t,
    events: c_short,
    callback: event_callback_fn,
    arg: *mut c_void,
    tv: *const timeval,
) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    base::base_once(b, fd, events, callback, arg, opt_tv(tv))
}

/// # Safety
/// `ev` NULL or a set-up event; `timeout` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn event_add(ev: *mut event, timeout: *const timeval) -> c_int {
    // SAFETY: forwarded.
    let Some(b) = (unsafe { ev_base(ev, "event_add") }) else { return -1 };
    let tv = opt_tv(timeout);
    if let Some(t) = tv {
        if t.tv_sec < 0 || t.tv_usec < 0 {
            // libevent adds these as already-expired timeouts; keep that.
        }
    }
    // SAFETY: live event of `b`.
    unsafe { b.add(ev, tv) }
}

/// # Safety
/// `ev` NULL or a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_remove_timer(ev: *mut event) -> c_int {
    // SAFETY: forwarded.
    let Some(b) = (unsafe { ev_base(ev, "event_remove_timer") }) else { return -1 };
    dbg::debug_assert_is_setup(ev, "event_remove_timer");
    // SAFETY: live event; lock held inside.
    b.with(|i| unsafe { i.remove_timer_nolock(ev) })
}

unsafe fn del_impl(ev: *mut event, mode: DelMode, func: &str) -> c_int {
    // Nothing pending and no thread that could be running its callback: nothing to do, and
    // no need to look at the base (which programs sometimes free first; libevent tolerates
    // that in practice, so do we).
    if !ev.is_null() && !crate::sync::threads_enabled() {
        // SAFETY: non-NULL; the caller's event.
        let (f, has_base) = unsafe { ((*ev).ev_evcallback.evcb_flags, !(*ev).ev_base.is_null()) };
        if f & (ev_mod::EVLIST_INSERTED
            | ev_mod::EVLIST_TIMEOUT
            | EVLIST_ACTIVE
            | ev_mod::EVLIST_ACTIVE_LATER
            | ev_mod::EVLIST_FINALIZING)
            == 0
            && has_base
        {
            dbg::debug_note_del(ev);
            return 0;
        }
    }
    // SAFETY: forwarded.
    let Some(b) = (unsafe { ev_base(ev, func) }) else { return -1 };
    // SAFETY: live event of `b`.
    unsafe { b.del(ev, mode) }
}

/// # Safety
/// `ev` NULL or a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_del(ev: *mut event) -> c_int {
    // SAFETY: forwarded.
    unsafe { del_impl(ev, DelMode::AutoBlock, "event_del_") }
}

/// # Safety
/// `ev` NULL or a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_del_noblock(ev: *mut event) -> c_int {
    // SAFETY: forwarded.
    unsafe { del_impl(ev, DelMode::NoBlock, "event_del_") }
}

/// # Safety
/// `ev` NULL or a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_del_block(ev: *mut event) -> c_int {
    // SAFETY: forwarded.
    unsafe { del_impl(ev, DelMode::Block, "event_del_") }
}

/// # Safety
/// `ev` NULL or a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_active(ev: *mut event, res: c_int, ncalls: c_short) {
    // SAFETY: forwarded.
    let Some(b) = (unsafe { ev_base(ev, "event_active") }) else { return };
    dbg::debug_assert_is_setup(ev, "event_active");
    // SAFETY: live event of `b`.
    unsafe { b.active(ev, res, ncalls) };
}

/// # Safety
/// `ev` NULL or a set-up event; `tv` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn event_pending(ev: *const event, events: c_short, tv: *mut timeval) -> c_int {
    // SAFETY: forwarded.
    let Some(b) = (unsafe { ev_base(ev, "event_pending") }) else { return 0 };
    dbg::debug_assert_is_setup(ev, "event_pending");
    b.with(|i| {
        // SAFETY: live event; lock held.
        unsafe {
            let f = (*ev).ev_evcallback.evcb_flags;
            let mut flags: c_int = 0;
            if f & ev_mod::EVLIST_INSERTED != 0 {
                flags |= ((*ev).ev_events & (EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL)) as c_int;
            }
            if f & (EVLIST_ACTIVE | ev_mod::EVLIST_ACTIVE_LATER) != 0 {
                flags |= (*ev).ev_res as c_int;
            }
            if f & ev_mod::EVLIST_TIMEOUT != 0 {
                flags |= EV_TIMEOUT as c_int;
            }
            let want = (events & (EV_TIMEOUT | EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL)) as c_int;
            if !tv.is_null() && flags & want & EV_TIMEOUT as c_int != 0 {
                let mut tmp = (*ev).ev_timeout;
                tmp.tv_usec &= crate::base::timer::MICROSECONDS_MASK;
                *tv = crate::base::timer::tv_add(&i.clock_diff(), &tmp);
            }
            flags & want
        }
    })
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_running_event(base: *mut event_base) -> *mut event {
    let Some(b) = as_base(base) else { return ptr::null_mut() };
    b.with(|i| {
        if !i.in_loop_thread() {
            return ptr::null_mut();
        }
        let cb = i.current_event();
        // SAFETY: the running callback is live while it runs.
        if !cb.is_null() && unsafe { (*cb).evcb_flags } & EVLIST_INIT != 0 {
            ev_mod::cb_to_event(cb)
        } else {
            ptr::null_mut()
        }
    })
}

/// # Safety
/// `ev` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn event_initialized(ev: *const event) -> c_int {
    if ev.is_null() {
        return 0;
    }
    // SAFETY: readable per the caller.
    (unsafe { (*ev).ev_evcallback.evcb_flags } & EVLIST_INIT != 0) as c_int
}

/// # Safety
/// `ev` a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_get_fd(ev: *const event) -> evutil_socket_t {
    if ev.is_null() {
        return -1;
    }
    dbg::debug_assert_is_setup(ev, "event_get_fd");
    // SAFETY: readable.
    unsafe { (*ev).ev_fd }
}

/// # Safety
/// `ev` a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_get_base(ev: *const event) -> *mut event_base {
    if ev.is_null() {
        return ptr::null_mut();
    }
    dbg::debug_assert_is_setup(ev, "event_get_base");
    // SAFETY: readable.
    unsafe { (*ev).ev_base }
}

/// # Safety
/// `ev` a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_get_events(ev: *const event) -> c_short {
    if ev.is_null() {
        return 0;
    }
    dbg::debug_assert_is_setup(ev, "event_get_events");
    // SAFETY: readable.
    unsafe { (*ev).ev_events }
}

/// # Safety
/// `ev` a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_get_callback(ev: *const event) -> event_callback_fn {
    if ev.is_null() {
        return None;
    }
    dbg::debug_assert_is_setup(ev, "event_get_callback");
    // SAFETY: readable.
    unsafe { (*ev).callback() }
}

/// # Safety
/// `ev` a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_get_callback_arg(ev: *const event) -> *mut c_void {
    if ev.is_null() {
        return ptr::null_mut();
    }
    dbg::debug_assert_is_setup(ev, "event_get_callback_arg");
    // SAFETY: readable.
    unsafe { (*ev).ev_evcallback.evcb_arg }
}

/// # Safety
/// `ev` a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_get_priority(ev: *const event) -> c_int {
    if ev.is_null() {
        return -1;
    }
    dbg::debug_assert_is_setup(ev, "event_get_priority");
    // SAFETY: readable.
    unsafe { (*ev).ev_evcallback.evcb_pri as c_int }
}

/// # Safety
/// `event` a set-up event; each out-pointer NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn event_get_assignment(
    event: *const event,
    base_out: *mut *mut event_base,
    fd_out: *mut evutil_socket_t,
    events_out: *mut c_short,
    callback_out: *mut event_callback_fn,
    arg_out: *mut *mut c_void,
) {
    if event.is_null() {
        crate::ev_warn!("event_get_assignment: NULL event");
        return;
    }
    dbg::debug_assert_is_setup(event, "event_get_assignment");
    // SAFETY: readable event; each out-pointer checked for NULL and writable per the caller.
    unsafe {
        if !base_out.is_null() {
            *base_out = (*event).ev_base;
        }
        if !fd_out.is_null() {
            *fd_out = (*event).ev_fd;
        }
        if !events_out.is_null() {
            *events_out = (*event).ev_events;
        }
        if !callback_out.is_null() {
            *callback_out = (*event).callback();
        }
        if !arg_out.is_null() {
            *arg_out = (*event).ev_evcallback.evcb_arg;
        }
    }
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn event_get_struct_event_size() -> usize {
    std::mem::size_of::<event>()
}

// ----- priorities -----

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_priority_init(base: *mut event_base, npriorities: c_int) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    b.with(|i| i.priority_init(npriorities))
}

/// # Safety
/// `eb` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_npriorities(eb: *mut event_base) -> c_int {
    let eb = if eb.is_null() { base::CURRENT_BASE.load(std::sync::atomic::Ordering::Acquire).cast() } else { eb };
    let Some(b) = as_base(eb) else { return 0 };
    b.with(|i| i.nactivequeues())
}

/// # Safety
/// `ev` NULL or a set-up event.
#[no_mangle]
pub unsafe extern "C" fn event_priority_set(ev: *mut event, pri: c_int) -> c_int {
    // SAFETY: forwarded.
    let Some(b) = (unsafe { ev_base(ev, "event_priority_set") }) else { return -1 };
    dbg::debug_assert_is_setup(ev, "event_priority_set");
    // SAFETY: readable/writable event.
    unsafe {
        if (*ev).ev_evcallback.evcb_flags & EVLIST_ACTIVE != 0 {
            return -1;
        }
        if pri < 0 || pri >= b.with(|i| i.nactivequeues()) {
            return -1;
        }
        (*ev).ev_evcallback.evcb_pri = pri as u8;
    }
    0
}

/// # Safety
/// `base` NULL or valid; `duration` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn event_base_init_common_timeout(
    base: *mut event_base,
    duration: *const timeval,
) -> *const timeval {
    let Some(b) = as_base(base) else { return ptr::null() };
    let Some(d) = opt_tv(duration) else {
        crate::ev_warn!("event_base_init_common_timeout: NULL duration");
        return ptr::null();
    };
    b.with(|i| i.init_common_timeout(d))
}

// ----- introspection -----

/// # Safety
/// `base` NULL or valid; `output` a valid FILE.
#[no_mangle]
pub unsafe extern "C" fn event_base_dump_events(base: *mut event_base, output: *mut libc::FILE) {
    let Some(b) = as_base(base) else { return };
    if output.is_null() {
        return;
    }
    let text = b.dump_events();
    // SAFETY: valid FILE per the caller; the bytes are a valid buffer.
    unsafe { libc::fwrite(text.as_ptr().cast(), 1, text.len(), output) };
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_active_by_fd(base: *mut event_base, fd: evutil_socket_t, events: c_short) {
    let Some(b) = as_base(base) else { return };
    b.with(|i| {
        if events & EV_TIMEOUT == 0 {
            i.io_active(fd, events & (EV_READ | EV_WRITE | EV_CLOSED));
        } else {
            for e in i.collect_events() {
                // SAFETY: events in the base are live.
                unsafe {
                    if (*e).ev_evcallback.evcb_flags & ev_mod::EVLIST_TIMEOUT != 0 && (*e).ev_fd == fd {
                        i.active_nolock(e, EV_TIMEOUT as c_int, 1);
                    }
                }
            }
        }
    });
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_active_by_signal(base: *mut event_base, sig: c_int) {
    let Some(b) = as_base(base) else { return };
    b.with(|i| i.signal_active(sig, 1));
}

/// # Safety
/// `base` NULL or valid; `fn_` must not add or delete events.
#[no_mangle]
pub unsafe extern "C" fn event_base_foreach_event(
    base: *mut event_base,
    fn_: event_base_foreach_event_cb,
    arg: *mut c_void,
) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    let Some(f) = fn_ else { return -1 };
    b.with(|i| {
        for e in i.collect_events() {
            // SAFETY: the program's callback on a live event of this base.
            let r = unsafe { f(base, e, arg) };
            if r != 0 {
                return r;
            }
        }
        0
    })
}

/// # Safety
/// `base` NULL (current base) or valid; `tv` writable.
#[no_mangle]
pub unsafe extern "C" fn event_base_gettimeofday_cached(base: *mut event_base, tv: *mut timeval) -> c_int {
    if tv.is_null() {
        return -1;
    }
    let base = if base.is_null() { base::CURRENT_BASE.load(std::sync::atomic::Ordering::Acquire).cast() } else { base };
    let t = match as_base(base) {
        Some(b) => b.with(|i| i.gettimeofday_cached()),
        None => crate::base::timer::wallclock(),
    };
    // SAFETY: checked non-NULL, writable per the caller.
    unsafe { *tv = t };
    0
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn event_base_update_cache_time(base: *mut event_base) -> c_int {
    let Some(b) = as_base(base) else { return -1 };
    b.with(|i| i.update_cache_time_if_running());
    0
}
