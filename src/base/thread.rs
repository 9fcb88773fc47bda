//! Threading glue and `event_enable_debug_mode`'s registry of set-up events.
//!
//! Cross-thread notification itself lives in the base (`mio::Waker`, `need_notify`); this
//! module keeps the global debug-mode state. Like libevent, debug mode must be enabled
//! before any base or event exists, and then every event the program sets up is recorded so
//! that misuse (uninitialised, re-assigned while added, …) aborts with a message naming the
//! function instead of corrupting memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::event::{event, EVLIST_INTERNAL};

static DEBUG_MODE: AtomicBool = AtomicBool::new(false);
static TOO_LATE: AtomicBool = AtomicBool::new(false);
/// event address → "added".
static DEBUG_MAP: Mutex<Option<HashMap<usize, bool>>> = Mutex::new(None);

#[inline]
pub(crate) fn debug_mode_on() -> bool {
    DEBUG_MODE.load(Ordering::Relaxed)
}

pub(crate) fn note_base_created() {
    TOO_LATE.store(true, Ordering::Relaxed);
}

/// `event_enable_debug_mode`.
pub(crate) fn enable_debug_mode() {
    if DEBUG_MODE.load(Ordering::Relaxed) {
        crate::ev_fatal_code!(1, "event_enable_debug_mode was called twice!");
    }
    if TOO_LATE.load(Ordering::Relaxed) {
        crate::ev_fatal_code!(1, "event_enable_debug_mode must be called *before* creating any events or event_bases");
    }
    *DEBUG_MAP.lock().unwrap_or_else(|e| e.into_inner()) = Some(HashMap::new());
    DEBUG_MODE.store(true, Ordering::Release);
}

/// `event_disable_debug_mode` (libevent_global_shutdown).
pub(crate) fn disable_debug_mode() {
    *DEBUG_MAP.lock().unwrap_or_else(|e| e.into_inner()) = None;
    DEBUG_MODE.store(false, Ordering::Release);
}

fn with_map<R>(f: impl FnOnce(&mut HashMap<usize, bool>) -> R) -> Option<R> {
    let mut g = DEBUG_MAP.lock().unwrap_or_else(|e| e.into_inner());
    g.as_mut().map(f)
}

fn describe(ev: *const event) -> String {
    // SAFETY: debug mode only; the program handed us this pointer as a `struct event`.
    unsafe { format!("{:p} (events: 0x{:x}, fd: {}, flags: 0x{:x})", ev, (*ev).ev_events, (*ev).ev_fd, (*ev).flags()) }
}

pub(crate) fn debug_note_setup(ev: *const event) {
    TOO_LATE.store(true, Ordering::Relaxed);
    if !debug_mode_on() {
        return;
    }
    with_map(|m| {
        m.insert(ev as usize, false);
    });
}

pub(crate) fn debug_note_teardown(ev: *const event) {
    TOO_LATE.store(true, Ordering::Relaxed);
    if !debug_mode_on() {
        return;
    }
    with_map(|m| {
        m.remove(&(ev as usize));
    });
}

/// The base's own events (common-timeout timers) are not the program's: libevent registers
/// them in its debug map when it assigns them; we simply never check them.
fn is_internal(ev: *const event) -> bool {
    // SAFETY: debug mode only; `ev` is a live event (the callers' contract).
    unsafe { (*ev).ev_evcallback.evcb_flags & EVLIST_INTERNAL != 0 }
}

// The checks below run on every add/del: the debug-mode test is inlined into the caller,
// the rest is out of line.

#[inline]
pub(crate) fn debug_note_add(ev: *const event) {
    if debug_mode_on() {
        note_add_slow(ev);
    }
}

#[cold]
#[inline(never)]
fn note_add_slow(ev: *const event) {
    if is_internal(ev) {
        return;
    }
    if with_map(|m| m.get_mut(&(ev as usize)).map(|a| *a = true).is_some()) == Some(false) {
        crate::ev_fatal!("event_add: noting an add on a non-setup event {}", describe(ev));
    }
}

#[inline]
pub(crate) fn debug_note_del(ev: *const event) {
    if debug_mode_on() {
        note_del_slow(ev);
    }
}

#[cold]
#[inline(never)]
fn note_del_slow(ev: *const event) {
    if is_internal(ev) {
        return;
    }
    if with_map(|m| m.get_mut(&(ev as usize)).map(|a| *a = false).is_some()) == Some(false) {
        crate::ev_fatal!("event_del: noting a del on a non-setup event {}", describe(ev));
    }
}

/// Aborts if `ev` was never set up (debug mode only). `func` names the API function.
#[inline]
pub(crate) fn debug_assert_is_setup(ev: *const event, func: &str) {
    if debug_mode_on() {
        assert_is_setup_slow(ev, func);
    }
}

#[cold]
#[inline(never)]
fn assert_is_setup_slow(ev: *const event, func: &str) {
    if is_internal(ev) {
        return;
    }
    if with_map(|m| m.contains_key(&(ev as usize))) == Some(false) {
        crate::ev_fatal!("{func} called on a non-initialized event {}", describe(ev));
    }
}

/// Aborts if `ev` is currently added (debug mode only).
#[inline]
pub(crate) fn debug_assert_not_added(ev: *const event, func: &str) {
    if debug_mode_on() {
        assert_not_added_slow(ev, func);
    }
}

#[cold]
#[inline(never)]
fn assert_not_added_slow(ev: *const event, func: &str) {
    if with_map(|m| m.get(&(ev as usize)).copied().unwrap_or(false)) == Some(true) {
        crate::ev_fatal!("{func} called on an already added event {}", describe(ev));
    }
}

/// Aborts if `fd` is a blocking socket (debug mode only), as libevent's assertion does.
pub(crate) fn debug_assert_socket_nonblocking(fd: i32, func: &str) {
    if !debug_mode_on() || fd < 0 {
        return;
    }
    // SAFETY: F_GETFL on an arbitrary fd is harmless (EBADF at worst).
    let fl = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if fl >= 0 && fl & libc::O_NONBLOCK == 0 {
        crate::ev_fatal!("{func}: debug mode: fd {fd} is not in non-blocking mode");
    }
}
