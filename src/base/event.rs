//! `struct event` and `struct event_callback`: the exact public layout of libevent 2.1.12's
//! `event2/event_struct.h` (128 bytes on LP64), plus the state-flag vocabulary.
//!
//! The memory belongs to the caller (stack, embedded, or `event_new`); the base keeps raw
//! pointers to it while the event is added or active, exactly as libevent does. The public
//! fields hold what libevent keeps there (`ev_fd`, `ev_base`, `ev_events`, `ev_res`,
//! `ev_flags`, `ev_pri`, the callback and its argument, the absolute `ev_timeout`); the
//! "private" words are our intrusive links:
//! - `evcb_active_next`: the active / active-later queue (a TAILQ, like libevent);
//! - `ev_timeout_pos`: the min-heap index, or the common-timeout queue link;
//! - `ev_.ev_io.ev_io_next` / `ev_.ev_signal.ev_signal_next`: the per-fd / per-signal list;
//! - `ev_.ev_io.ev_timeout`: the relative timeout of a persistent event (`ev_io_timeout`).

use std::ffi::{c_int, c_short, c_void};

/// `evutil_socket_t` (a typedef in `event2/util.h`; `ffi::types` re-exports it).
pub type evutil_socket_t = c_int;

/// `struct event_base` as C sees it: opaque (the core's base is [`super::EventBase`]).
/// Declared here so that `struct event` names it without the core depending on `ffi`.
pub struct event_base {
    _opaque: [u8; 0],
}

/// `TAILQ_ENTRY(event_callback)`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct event_callback_tailq_entry {
    pub tqe_next: *mut event_callback,
    pub tqe_prev: *mut *mut event_callback,
}

/// The anonymous union of callback kinds inside `struct event_callback`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union event_callback_fns {
    pub evcb_callback: Option<unsafe extern "C" fn(evutil_socket_t, c_short, *mut c_void)>,
    pub evcb_selfcb: Option<unsafe extern "C" fn(*mut event_callback, *mut c_void)>,
    pub evcb_evfinalize: Option<unsafe extern "C" fn(*mut event, *mut c_void)>,
    pub evcb_cbfinalize: Option<unsafe extern "C" fn(*mut event_callback, *mut c_void)>,
}

/// `struct event_callback`: what the active queues hold (events and deferred callbacks).
#[repr(C)]
pub struct event_callback {
    pub evcb_active_next: event_callback_tailq_entry,
    pub evcb_flags: c_short,
    /// Smaller numbers are higher priority.
    pub evcb_pri: u8,
    pub evcb_closure: u8,
    pub evcb_cb_union: event_callback_fns,
    pub evcb_arg: *mut c_void,
}

/// `TAILQ_ENTRY(event)`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct event_tailq_entry {
    pub tqe_next: *mut event,
    pub tqe_prev: *mut *mut event,
}

/// `LIST_ENTRY(event)`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct event_list_entry {
    pub le_next: *mut event,
    pub le_prev: *mut *mut event,
}

/// `ev_timeout_pos`: heap index, or link in a common-timeout queue.
#[repr(C)]
#[derive(Clone, Copy)]
pub union event_timeout_pos {
    pub ev_next_with_common_timeout: event_tailq_entry,
    pub min_heap_idx: c_int,
}

/// `ev_.ev_io`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct event_io_fields {
    pub ev_io_next: event_list_entry,
    pub ev_timeout: libc::timeval,
}

/// `ev_.ev_signal`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct event_signal_fields {
    pub ev_signal_next: event_list_entry,
    pub ev_ncalls: c_short,
    pub ev_pncalls: *mut c_short,
}

/// `ev_`: I/O or signal bookkeeping.
#[repr(C)]
#[derive(Clone, Copy)]
pub union event_fields {
    pub ev_io: event_io_fields,
    pub ev_signal: event_signal_fields,
}

/// `struct event`.
#[repr(C)]
pub struct event {
    pub ev_evcallback: event_callback,
    pub ev_timeout_pos: event_timeout_pos,
    pub ev_fd: evutil_socket_t,
    pub ev_base: *mut event_base,
    pub ev_: event_fields,
    pub ev_events: c_short,
    /// The result passed to the callback.
    pub ev_res: c_short,
    /// Absolute (monotonic) time of the pending timeout.
    pub ev_timeout: libc::timeval,
}

const _: () = assert!(std::mem::size_of::<event>() == 128);
const _: () = assert!(std::mem::offset_of!(event, ev_fd) == 56);
const _: () = assert!(std::mem::offset_of!(event, ev_base) == 64);
const _: () = assert!(std::mem::offset_of!(event, ev_events) == 104);
const _: () = assert!(std::mem::offset_of!(event, ev_timeout) == 112);

// Queue membership flags (`ev_flags`), as libevent.
pub(crate) const EVLIST_TIMEOUT: c_short = 0x01;
pub(crate) const EVLIST_INSERTED: c_short = 0x02;
#[allow(dead_code)]
pub(crate) const EVLIST_SIGNAL: c_short = 0x04;
pub(crate) const EVLIST_ACTIVE: c_short = 0x08;
pub(crate) const EVLIST_INTERNAL: c_short = 0x10;
pub(crate) const EVLIST_ACTIVE_LATER: c_short = 0x20;
pub(crate) const EVLIST_FINALIZING: c_short = 0x40;
pub(crate) const EVLIST_INIT: c_short = 0x80;
#[allow(dead_code)]
pub(crate) const EVLIST_ALL: c_short = 0xff;
// evshim's own flags, above libevent's byte (`event_pending` and the dumps mask them off).
/// The event belongs to an object that does its fd's I/O itself (a listener): the poller
/// registers the fd edge-triggered and the owner tracks readiness (poller.rs).
pub(crate) const EVLIST_X_OWN_IO: c_short = 0x1000;
/// An internal event of evshim's that libevent has no counterpart for (a listener's back-off
/// timer): `event_base_foreach_event` and `event_base_dump_events` skip it.
pub(crate) const EVLIST_X_HIDDEN: c_short = 0x2000;

// Closure kinds (`evcb_closure`), libevent's values.
pub(crate) const EV_CLOSURE_EVENT: u8 = 0;
pub(crate) const EV_CLOSURE_EVENT_SIGNAL: u8 = 1;
pub(crate) const EV_CLOSURE_EVENT_PERSIST: u8 = 2;
pub(crate) const EV_CLOSURE_CB_SELF: u8 = 3;
pub(crate) const EV_CLOSURE_CB_FINALIZE: u8 = 4;
pub(crate) const EV_CLOSURE_EVENT_FINALIZE: u8 = 5;
pub(crate) const EV_CLOSURE_EVENT_FINALIZE_FREE: u8 = 6;

// Event kinds, as in event.h (the public constants live in ffi::event).
pub(crate) const EV_TIMEOUT: c_short = 0x01;
pub(crate) const EV_READ: c_short = 0x02;
pub(crate) const EV_WRITE: c_short = 0x04;
pub(crate) const EV_SIGNAL: c_short = 0x08;
pub(crate) const EV_PERSIST: c_short = 0x10;
pub(crate) const EV_ET: c_short = 0x20;
pub(crate) const EV_FINALIZE: c_short = 0x40;
pub(crate) const EV_CLOSED: c_short = 0x80;

pub(crate) type Callback = unsafe extern "C" fn(evutil_socket_t, c_short, *mut c_void);

impl event {
    #[inline]
    pub(crate) fn flags(&self) -> c_short {
        self.ev_evcallback.evcb_flags
    }
    #[inline]
    pub(crate) fn callback(&self) -> Option<Callback> {
        // SAFETY: every variant of the union is a nullable function pointer of the same
        // size; reading it as the event variant is what libevent's `ev_callback` does.
        unsafe { self.ev_evcallback.evcb_cb_union.evcb_callback }
    }
    #[inline]
    pub(crate) fn heap_idx(&self) -> c_int {
        // SAFETY: plain integer read of a union of POD types.
        unsafe { self.ev_timeout_pos.min_heap_idx }
    }
    #[inline]
    pub(crate) fn set_heap_idx(&mut self, i: c_int) {
        self.ev_timeout_pos.min_heap_idx = i;
    }
    /// `ev_io_timeout`: the relative timeout a persistent event re-arms with.
    #[inline]
    pub(crate) fn io_timeout(&self) -> libc::timeval {
        // SAFETY: POD union read; I/O and timer events use the `ev_io` variant.
        unsafe { self.ev_.ev_io.ev_timeout }
    }
    #[inline]
    pub(crate) fn set_io_timeout(&mut self, tv: libc::timeval) {
        // SAFETY: writing a POD field of the union.
        self.ev_.ev_io.ev_timeout = tv;
    }
}

/// The `struct event` that embeds `evcb` (the callback is its first field).
#[inline]
pub(crate) fn cb_to_event(evcb: *mut event_callback) -> *mut event {
    evcb.cast()
}

#[inline]
pub(crate) fn event_to_cb(ev: *mut event) -> *mut event_callback {
    ev.cast()
}
