//! Bufferevents: an fd (or a partner, or another bufferevent) with an input and an output
//! evbuffer, and callbacks when data arrives, drains, or something happens.
//!
//! libevent 2.1.12's bufferevent.c is the specification for everything here: reference
//! counting, when each callback runs (and in which order when deferred), watermarks,
//! suspension, timeouts, and how a freed bufferevent is torn down. The kinds live beside
//! this file: [`socket`], [`pair`], [`filter`]; rate limiting in [`ratelim`]; evshim's
//! `bufferevent_flush_and_close` in [`flush_close`].
//!
//! # Memory and reentrancy
//! A bufferevent is one heap block ([`BufferEvent`]) whose first field is the public
//! `struct bufferevent` (392 bytes, bufferevent_struct.h's layout), so C reads `bev->input`
//! directly. Its memory is freed only by the finalizer the loop runs after the last
//! reference is dropped (libevent's `event_callback_finalize_many_`), never inside an API
//! call: code that holds a reference may therefore keep using the pointer across user
//! callbacks, which can do anything — including `bufferevent_free`.
//!
//! State is reached through the raw pointer, in short statements, never through a `&mut`
//! that lives across a call that could run user code. With `BEV_OPT_THREADSAFE` every
//! access happens under the bufferevent's recursive lock (shared with its evbuffers, and
//! with the partner of a pair), as in libevent.

pub mod filter;
pub mod flush_close;
pub mod pair;
pub mod ratelim;
pub mod socket;

use std::ffi::{c_int, c_short, c_void, CStr};
use std::ptr::{self, NonNull};
use std::sync::Arc;

use libc::timeval;

use crate::base::deferred::{self, Deferred};
use crate::base::event::{event, event_callback, EVLIST_INIT, EV_READ, EV_TIMEOUT, EV_WRITE};
use crate::base::{DelMode, EventBase};
use crate::buffer::{BufLock, CbEntry, CbFn, CbInfo, Evbuffer, CB_ENABLED, CB_NODEFER};
use crate::sync::Lock;

// ---- public constants (bufferevent.h) ----------------------------------------------------

pub(crate) const BEV_EVENT_READING: c_short = 0x01;
pub(crate) const BEV_EVENT_WRITING: c_short = 0x02;
pub(crate) const BEV_EVENT_EOF: c_short = 0x10;
pub(crate) const BEV_EVENT_ERROR: c_short = 0x20;
pub(crate) const BEV_EVENT_TIMEOUT: c_short = 0x40;
pub(crate) const BEV_EVENT_CONNECTED: c_short = 0x80;

pub(crate) const BEV_OPT_CLOSE_ON_FREE: c_int = 1 << 0;
pub(crate) const BEV_OPT_THREADSAFE: c_int = 1 << 1;
pub(crate) const BEV_OPT_DEFER_CALLBACKS: c_int = 1 << 2;
pub(crate) const BEV_OPT_UNLOCK_CALLBACKS: c_int = 1 << 3;

pub(crate) const BEV_TRIG_IGNORE_WATERMARKS: c_int = 1 << 16;
pub(crate) const BEV_TRIG_DEFER_CALLBACKS: c_int = BEV_OPT_DEFER_CALLBACKS;
const BEV_TRIG_ALL_OPTS: c_int = BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS;

/// `enum bufferevent_flush_mode` (BEV_FLUSH = 1 is any mode other than these two).
pub(crate) const BEV_NORMAL: c_int = 0;
pub(crate) const BEV_FINISHED: c_int = 2;

/// `enum bufferevent_filter_result` (BEV_NEED_MORE = 1 is treated as "not OK").
pub(crate) const BEV_OK: c_int = 0;
pub(crate) const BEV_ERROR: c_int = 2;

// Why reading or writing is held back although enabled (libevent's BEV_SUSPEND_*).
pub(crate) const SUSPEND_WM: u16 = 0x01;
pub(crate) const SUSPEND_BW: u16 = 0x02;
pub(crate) const SUSPEND_BW_GROUP: u16 = 0x04;
pub(crate) const SUSPEND_LOOKUP: u16 = 0x08;
pub(crate) const SUSPEND_FILT_READ: u16 = 0x10;

// ---- public layout (bufferevent_struct.h) --------------------------------------------------

/// `struct event_watermark`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct event_watermark {
    pub low: usize,
    pub high: usize,
}

/// `bufferevent_data_cb`.
pub type bufferevent_data_cb = Option<unsafe extern "C" fn(bev: *mut bufferevent, ctx: *mut c_void)>;
/// `bufferevent_event_cb`.
pub type bufferevent_event_cb = Option<unsafe extern "C" fn(bev: *mut bufferevent, what: c_short, ctx: *mut c_void)>;

/// `struct bufferevent_ops`: opaque to C; identifies the kind of a bufferevent (the
/// `be_ops` field points at one of three statics, named as libevent names its types).
pub struct bufferevent_ops {
    pub(crate) name: &'static CStr,
}

pub(crate) static OPS_SOCKET: bufferevent_ops = bufferevent_ops { name: c"socket" };
pub(crate) static OPS_PAIR: bufferevent_ops = bufferevent_ops { name: c"pair_elt" };
pub(crate) static OPS_FILTER: bufferevent_ops = bufferevent_ops { name: c"filter" };

/// `struct bufferevent`, byte for byte as libevent 2.1.12's bufferevent_struct.h (392 bytes
/// on LP64; `input` at 272, `output` at 280). Programs read these fields directly.
#[repr(C)]
pub struct bufferevent {
    pub ev_base: *mut crate::ffi::event::event_base,
    pub be_ops: *const bufferevent_ops,
    pub ev_read: event,
    pub ev_write: event,
    pub input: *mut crate::ffi::buffer::evbuffer,
    pub output: *mut crate::ffi::buffer::evbuffer,
    pub wm_read: event_watermark,
    pub wm_write: event_watermark,
    pub readcb: bufferevent_data_cb,
    pub writecb: bufferevent_data_cb,
    pub errorcb: bufferevent_event_cb,
    pub cbarg: *mut c_void,
    pub timeout_read: timeval,
    pub timeout_write: timeval,
    pub enabled: c_short,
}

const _: () = assert!(std::mem::size_of::<bufferevent>() == 392);
const _: () = assert!(std::mem::offset_of!(bufferevent, input) == 272);
const _: () = assert!(std::mem::offset_of!(bufferevent, output) == 280);

// ---- the private part ------------------------------------------------------------------

/// What kind of bufferevent this is, with the kind's own state.
pub(crate) enum Kind {
    Socket(socket::Socket),
    Pair(pair::Pair),
    /// Boxed: the largest kind and the rarest (memory per socket bufferevent).
    Filter(Box<filter::Filter>),
}

/// A bufferevent: the public struct first (C's pointer is this block's address), then
/// libevent's `bufferevent_private` fields, then the kind's state.
#[repr(C)]
pub struct BufferEvent {
    pub bev: bufferevent,
    /// The recursive lock (`BEV_OPT_THREADSAFE`), shared with both evbuffers.
    pub(crate) lock: Option<Arc<Lock>>,
    pub(crate) refcnt: c_int,
    pub(crate) options: c_int,
    pub(crate) readcb_pending: bool,
    pub(crate) writecb_pending: bool,
    pub(crate) eventcb_pending: c_short,
    pub(crate) errno_pending: c_int,
    pub(crate) read_suspended: u16,
    pub(crate) write_suspended: u16,
    pub(crate) connecting: bool,
    pub(crate) connection_refused: bool,
    /// The last reference was dropped: the finalizer is queued, nothing may start again.
    pub(crate) finalizing: bool,
    pub(crate) max_single_read: isize,
    pub(crate) max_single_write: isize,
    pub(crate) rate_limiting: Option<Box<ratelim::RateLimit>>,
    /// The input buffer's high-watermark callback (`read_watermarks_cb`).
    pub(crate) read_wm_cb: Option<NonNull<CbEntry>>,
    /// Deferred callbacks (`BEV_OPT_DEFER_CALLBACKS`).
    pub(crate) deferred: Deferred,
    /// `bufferevent_flush_and_close` in progress.
    pub(crate) closing: Option<Box<flush_close::Closing>>,
    pub(crate) kind: Kind,
}

/// `MAX_SINGLE_READ_DEFAULT` / `MAX_SINGLE_WRITE_DEFAULT`.
pub(crate) const MAX_SINGLE_DEFAULT: isize = 16384;

/// The private block behind a public pointer, or `None` (with a warning naming `func`) for
/// NULL or a pointer that is not one of ours.
///
/// # Safety
/// `bev` is NULL or points to readable memory of at least `struct bufferevent`'s size.
pub(crate) unsafe fn checked(bev: *mut bufferevent, func: &str) -> Option<*mut BufferEvent> {
    if bev.is_null() {
        crate::ev_warn!("{func}: NULL bufferevent");
        return None;
    }
    // SAFETY: readable per the caller.
    let ops = unsafe { (*bev).be_ops };
    if !(ptr::eq(ops, &OPS_SOCKET) || ptr::eq(ops, &OPS_PAIR) || ptr::eq(ops, &OPS_FILTER)) {
        crate::ev_warn!("{func}: not a bufferevent made by this library");
        return None;
    }
    Some(bev.cast())
}

/// The evbuffer behind a `struct evbuffer *`.
///
/// # Safety
/// `b` is a live evbuffer.
#[inline]
pub(crate) unsafe fn evb<'a>(b: *mut crate::ffi::buffer::evbuffer) -> &'a Evbuffer {
    // SAFETY: evbuffer pointers are `Evbuffer` boxes (see ffi::buffer).
    unsafe { &*(b as *const Evbuffer) }
}

/// Access helpers. Every function here takes the raw pointer of a live bufferevent the
/// caller holds a reference on (or the lock, for pure reads).
impl BufferEvent {
    #[inline]
    pub(crate) unsafe fn input<'a>(p: *mut BufferEvent) -> &'a Evbuffer {
        // SAFETY: a live bufferevent owns its input buffer.
        unsafe { evb((*p).bev.input) }
    }

    #[inline]
    pub(crate) unsafe fn output<'a>(p: *mut BufferEvent) -> &'a Evbuffer {
        // SAFETY: as above.
        unsafe { evb((*p).bev.output) }
    }

    #[inline]
    pub(crate) unsafe fn base<'a>(p: *mut BufferEvent) -> Option<&'a EventBase> {
        // SAFETY: live per the caller; a bufferevent's base outlives it (caller contract).
        let b = unsafe { (*p).bev.ev_base };
        let b =
            if b.is_null() { crate::base::CURRENT_BASE.load(std::sync::atomic::Ordering::Acquire).cast() } else { b };
        // SAFETY: base pointers are EventBase allocations.
        (!b.is_null()).then(|| unsafe { &*(b as *const EventBase) })
    }

    /// libevent's name for the bufferevent's type ("socket", "pair_elt", "filter").
    pub(crate) unsafe fn type_name(p: *mut BufferEvent) -> &'static str {
        // SAFETY: live per the caller; be_ops points at one of our statics.
        unsafe { (*(*p).bev.be_ops).name.to_str().unwrap_or("?") }
    }

    #[inline]
    pub(crate) unsafe fn lock(p: *mut BufferEvent) {
        // SAFETY: live per the caller.
        if let Some(l) = unsafe { &(*p).lock } {
            l.lock();
        }
    }

    #[inline]
    pub(crate) unsafe fn unlock(p: *mut BufferEvent) {
        // SAFETY: live per the caller.
        if let Some(l) = unsafe { &(*p).lock } {
            l.unlock();
        }
    }

    /// `bufferevent_incref_and_lock_`.
    #[inline]
    pub(crate) unsafe fn incref_and_lock(p: *mut BufferEvent) {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            (*p).refcnt += 1;
        }
    }

    /// `bufferevent_incref`.
    pub(crate) unsafe fn incref(p: *mut BufferEvent) {
        // SAFETY: live per the caller.
        unsafe {
            Self::incref_and_lock(p);
            Self::unlock(p);
        }
    }

    /// `bufferevent_decref`: 1 if this dropped the last reference.
    pub(crate) unsafe fn decref(p: *mut BufferEvent) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            Self::decref_and_unlock(p)
        }
    }

    /// `bufferevent_decref_and_unlock_`: drops a reference; the last one unlinks the
    /// bufferevent and queues its finalizer on the loop. 1 if that happened.
    pub(crate) unsafe fn decref_and_unlock(p: *mut BufferEvent) -> c_int {
        // SAFETY: live per the caller, who holds the lock and the reference dropped here.
        unsafe {
            if (*p).refcnt <= 0 {
                crate::ev_fatal!("bufferevent_decref_and_unlock_: reference count is already zero");
            }
            (*p).refcnt -= 1;
            if (*p).refcnt > 0 || (*p).finalizing {
                Self::unlock(p);
                return 0;
            }
            (*p).finalizing = true;
            Self::kind_unlink(p);
            let mut cbs: Vec<*mut event_callback> = Vec::with_capacity(6);
            cbs.push(&mut (*p).bev.ev_read.ev_evcallback);
            cbs.push(&mut (*p).bev.ev_write.ev_evcallback);
            cbs.push((*p).deferred.as_callback());
            if let Some(rl) = (*p).rate_limiting.as_deref_mut() {
                if rl.refill_bucket_event.ev_evcallback.evcb_flags & EVLIST_INIT != 0 {
                    cbs.push(&mut rl.refill_bucket_event.ev_evcallback);
                }
            }
            if let Some(c) = flush_close::timer_callback(p) {
                cbs.push(c);
            }
            if let Some(c) = Self::input(p).deferred_callback() {
                cbs.push(c);
            }
            if let Some(c) = Self::output(p).deferred_callback() {
                cbs.push(c);
            }
            match Self::base(p) {
                Some(b) => {
                    deferred::finalize_many(b as *const EventBase as *mut EventBase, &cbs, finalize_cb);
                    Self::unlock(p);
                }
                None => {
                    // No base at all (a compat bufferevent never given one): nothing can be
                    // queued or running, so tear down now.
                    Self::unlock(p);
                    finalize_now(p);
                }
            }
            1
        }
    }

    // ---- callbacks ------------------------------------------------------------------

    /// `bufferevent_run_readcb_`. Lock and a reference held.
    pub(crate) unsafe fn run_readcb(p: *mut BufferEvent, options: c_int) {
        // SAFETY: live per the caller.
        unsafe {
            let Some(cb) = (*p).bev.readcb else { return };
            if ((*p).options | options) & BEV_OPT_DEFER_CALLBACKS != 0 {
                (*p).readcb_pending = true;
                Self::schedule_deferred(p);
            } else {
                cb(p.cast(), (*p).bev.cbarg);
                Self::inbuf_wm_check(p);
            }
        }
    }

    /// `bufferevent_run_writecb_`. Lock and a reference held.
    pub(crate) unsafe fn run_writecb(p: *mut BufferEvent, options: c_int) {
        // SAFETY: live per the caller.
        unsafe {
            let Some(cb) = (*p).bev.writecb else { return };
            if ((*p).options | options) & BEV_OPT_DEFER_CALLBACKS != 0 {
                (*p).writecb_pending = true;
                Self::schedule_deferred(p);
            } else {
                cb(p.cast(), (*p).bev.cbarg);
            }
        }
    }

    /// `bufferevent_run_eventcb_`. Lock and a reference held.
    pub(crate) unsafe fn run_eventcb(p: *mut BufferEvent, what: c_short, options: c_int) {
        // SAFETY: live per the caller.
        unsafe {
            let Some(cb) = (*p).bev.errorcb else { return };
            if ((*p).options | options) & BEV_OPT_DEFER_CALLBACKS != 0 {
                (*p).eventcb_pending |= what;
                (*p).errno_pending = crate::util::sock::errno();
                Self::schedule_deferred(p);
            } else {
                cb(p.cast(), what, (*p).bev.cbarg);
            }
        }
    }

    /// `bufferevent_trigger_nolock_`.
    #[inline]
    pub(crate) unsafe fn trigger_nolock(p: *mut BufferEvent, iotype: c_short, options: c_int) {
        // SAFETY: live per the caller.
        unsafe {
            let ignore = options & BEV_TRIG_IGNORE_WATERMARKS != 0;
            if iotype & EV_READ != 0 && (ignore || Self::input(p).get_length() >= (*p).bev.wm_read.low) {
                Self::run_readcb(p, options);
            }
            if iotype & EV_WRITE != 0 && (ignore || Self::output(p).get_length() <= (*p).bev.wm_write.low) {
                Self::run_writecb(p, options);
            }
        }
    }

    /// `bufferevent_trigger`.
    pub(crate) unsafe fn trigger(p: *mut BufferEvent, iotype: c_short, options: c_int) {
        // SAFETY: live per the caller.
        unsafe {
            Self::incref_and_lock(p);
            Self::trigger_nolock(p, iotype, options & BEV_TRIG_ALL_OPTS);
            Self::decref_and_unlock(p);
        }
    }

    /// `bufferevent_trigger_event`.
    pub(crate) unsafe fn trigger_event(p: *mut BufferEvent, what: c_short, options: c_int) {
        // SAFETY: live per the caller.
        unsafe {
            Self::incref_and_lock(p);
            Self::run_eventcb(p, what, options & BEV_TRIG_ALL_OPTS);
            Self::decref_and_unlock(p);
        }
    }

    /// `SCHEDULE_DEFERRED`: a scheduled deferred callback holds a reference.
    unsafe fn schedule_deferred(p: *mut BufferEvent) {
        // SAFETY: live per the caller; the Deferred lives inside the (never moving) block.
        unsafe {
            let Some(b) = Self::base(p) else { return };
            if deferred::schedule(b as *const EventBase as *mut EventBase, &mut (*p).deferred) {
                (*p).refcnt += 1;
            }
        }
    }

    /// `bufferevent_inbuf_wm_check`: after a read callback, if the input is still at the
    /// high watermark, run the read callback again later (it cannot grow any more).
    unsafe fn inbuf_wm_check(p: *mut BufferEvent) {
        // SAFETY: live per the caller.
        unsafe {
            let high = (*p).bev.wm_read.high;
            if high == 0 || (*p).bev.enabled & EV_READ == 0 || Self::input(p).get_length() < high {
                return;
            }
            Self::trigger(p, EV_READ, BEV_OPT_DEFER_CALLBACKS);
        }
    }

    // ---- suspension -----------------------------------------------------------------

    /// `bufferevent_suspend_read_`.
    pub(crate) unsafe fn suspend_read(p: *mut BufferEvent, what: u16) {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            if (*p).read_suspended == 0 {
                Self::kind_disable(p, EV_READ);
            }
            (*p).read_suspended |= what;
            Self::unlock(p);
        }
    }

    /// `bufferevent_unsuspend_read_`.
    pub(crate) unsafe fn unsuspend_read(p: *mut BufferEvent, what: u16) {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            (*p).read_suspended &= !what;
            if (*p).read_suspended == 0 && (*p).bev.enabled & EV_READ != 0 {
                Self::kind_enable(p, EV_READ);
            }
            Self::unlock(p);
        }
    }

    /// `bufferevent_suspend_write_`.
    pub(crate) unsafe fn suspend_write(p: *mut BufferEvent, what: u16) {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            if (*p).write_suspended == 0 {
                Self::kind_disable(p, EV_WRITE);
            }
            (*p).write_suspended |= what;
            Self::unlock(p);
        }
    }

    /// `bufferevent_unsuspend_write_`.
    pub(crate) unsafe fn unsuspend_write(p: *mut BufferEvent, what: u16) {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            (*p).write_suspended &= !what;
            if (*p).write_suspended == 0 && (*p).bev.enabled & EV_WRITE != 0 {
                Self::kind_enable(p, EV_WRITE);
            }
            Self::unlock(p);
        }
    }

    // ---- the kinds' operations (libevent's bufferevent_ops table) ---------------------

    pub(crate) unsafe fn kind_enable(p: *mut BufferEvent, what: c_short) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            match (*p).kind {
                Kind::Socket(_) => socket::enable(p, what),
                Kind::Pair(_) => pair::enable(p, what),
                Kind::Filter(_) => filter::enable(p, what),
            }
        }
    }

    pub(crate) unsafe fn kind_disable(p: *mut BufferEvent, what: c_short) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            match (*p).kind {
                Kind::Socket(_) => socket::disable(p, what),
                Kind::Pair(_) => pair::disable(p, what),
                Kind::Filter(_) => filter::disable(p, what),
            }
        }
    }

    unsafe fn kind_unlink(p: *mut BufferEvent) {
        // SAFETY: live per the caller.
        unsafe {
            match (*p).kind {
                Kind::Socket(_) => {}
                Kind::Pair(_) => pair::unlink(p),
                Kind::Filter(_) => filter::unlink(p),
            }
        }
    }

    unsafe fn kind_adj_timeouts(p: *mut BufferEvent) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            match (*p).kind {
                Kind::Socket(_) => Self::generic_adj_existing_timeouts(p),
                Kind::Pair(_) | Kind::Filter(_) => Self::generic_adj_timeouts(p),
            }
        }
    }

    /// The fd of a socket bufferevent (or of a filter's underlying one); -1 otherwise.
    pub(crate) unsafe fn getfd(p: *mut BufferEvent) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            let fd = match &(*p).kind {
                Kind::Socket(_) => (*p).bev.ev_read.ev_fd,
                Kind::Filter(f) => Self::getfd(f.underlying),
                Kind::Pair(_) => -1,
            };
            Self::unlock(p);
            fd
        }
    }

    /// `bufferevent_setfd`: 0, or -1 for kinds without an fd.
    pub(crate) unsafe fn setfd(p: *mut BufferEvent, fd: c_int) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            let r = match &(*p).kind {
                Kind::Socket(_) => {
                    socket::setfd(p, fd);
                    0
                }
                Kind::Filter(f) => {
                    let u = f.underlying;
                    Self::setfd(u, fd)
                }
                Kind::Pair(_) => -1,
            };
            if r != 0 {
                crate::ev_debug!("bufferevent_setfd: cannot set fd for this bufferevent to {fd}");
            }
            Self::unlock(p);
            r
        }
    }

    /// `bufferevent_get_underlying`.
    pub(crate) unsafe fn get_underlying(p: *mut BufferEvent) -> *mut BufferEvent {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            let u = match &(*p).kind {
                Kind::Filter(f) => f.underlying,
                _ => ptr::null_mut(),
            };
            Self::unlock(p);
            u
        }
    }

    // ---- enable / disable / timeouts / watermarks -----------------------------------

    /// `bufferevent_enable`.
    pub(crate) unsafe fn enable(p: *mut BufferEvent, what: c_short) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            Self::incref_and_lock(p);
            let mut impl_events = what;
            if (*p).read_suspended != 0 {
                impl_events &= !EV_READ;
            }
            if (*p).write_suspended != 0 {
                impl_events &= !EV_WRITE;
            }
            (*p).bev.enabled |= what;
            let mut r = 0;
            if impl_events != 0 && Self::kind_enable(p, impl_events) < 0 {
                r = -1;
                crate::ev_debug!(
                    "bufferevent_enable: cannot enable 0x{what:x} on a {} bufferevent",
                    Self::type_name(p)
                );
            }
            Self::decref_and_unlock(p);
            r
        }
    }

    /// `bufferevent_disable`.
    pub(crate) unsafe fn disable(p: *mut BufferEvent, what: c_short) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            (*p).bev.enabled &= !what;
            let mut r = 0;
            if Self::kind_disable(p, what) < 0 {
                r = -1;
                crate::ev_debug!(
                    "bufferevent_disable: cannot disable 0x{what:x} on a {} bufferevent",
                    Self::type_name(p)
                );
            }
            Self::unlock(p);
            r
        }
    }

    /// `bufferevent_set_timeouts` (NULL clears).
    pub(crate) unsafe fn set_timeouts(p: *mut BufferEvent, rd: Option<timeval>, wr: Option<timeval>) -> c_int {
        let zero = timeval { tv_sec: 0, tv_usec: 0 };
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            (*p).bev.timeout_read = rd.unwrap_or(zero);
            (*p).bev.timeout_write = wr.unwrap_or(zero);
            let r = Self::kind_adj_timeouts(p);
            Self::unlock(p);
            r
        }
    }

    /// `bufferevent_setwatermark`.
    pub(crate) unsafe fn setwatermark(p: *mut BufferEvent, events: c_short, low: usize, high: usize) {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            if events & EV_WRITE != 0 {
                (*p).bev.wm_write = event_watermark { low, high };
            }
            if events & EV_READ != 0 {
                (*p).bev.wm_read = event_watermark { low, high };
                let input = Self::input(p);
                if high != 0 {
                    let e = match (*p).read_wm_cb {
                        Some(e) => Some(e),
                        None => {
                            let e = input.add_cb(CbFn::Info(Some(inbuf_wm_cb)), p.cast());
                            (*p).read_wm_cb = e;
                            e
                        }
                    };
                    if let Some(e) = e {
                        input.cb_flags(e.as_ptr(), CB_ENABLED | CB_NODEFER, true);
                    }
                    if input.get_length() >= high {
                        Self::suspend_read(p, SUSPEND_WM);
                    } else {
                        Self::unsuspend_read(p, SUSPEND_WM);
                    }
                } else {
                    if let Some(e) = (*p).read_wm_cb {
                        input.cb_flags(e.as_ptr(), CB_ENABLED, false);
                    }
                    Self::unsuspend_read(p, SUSPEND_WM);
                }
            }
            Self::unlock(p);
        }
    }

    /// `bufferevent_flush`.
    pub(crate) unsafe fn flush(p: *mut BufferEvent, iotype: c_short, mode: c_int) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            let r = match (*p).kind {
                Kind::Socket(_) => socket::flush(p, iotype, mode),
                Kind::Pair(_) => pair::flush(p, iotype, mode),
                Kind::Filter(_) => filter::flush(p, iotype, mode),
            };
            Self::unlock(p);
            r
        }
    }

    /// `bufferevent_setcb`.
    pub(crate) unsafe fn setcb(
        p: *mut BufferEvent,
        readcb: bufferevent_data_cb,
        writecb: bufferevent_data_cb,
        eventcb: bufferevent_event_cb,
        cbarg: *mut c_void,
    ) {
        // SAFETY: live per the caller.
        unsafe {
            Self::lock(p);
            (*p).bev.readcb = readcb;
            (*p).bev.writecb = writecb;
            (*p).bev.errorcb = eventcb;
            (*p).bev.cbarg = cbarg;
            Self::unlock(p);
        }
    }

    /// `bufferevent_free`: no callback of the bufferevent runs once this returns.
    pub(crate) unsafe fn free(p: *mut BufferEvent) {
        // SAFETY: live per the caller, whose reference is consumed.
        unsafe {
            Self::lock(p);
            Self::setcb(p, None, None, None, ptr::null_mut());
            Self::cancel_all(p);
            Self::decref_and_unlock(p);
        }
    }

    /// `bufferevent_cancel_all_`: a pending name lookup is abandoned.
    unsafe fn cancel_all(p: *mut BufferEvent) {
        // Lookups run synchronously (getaddrinfo; see socket::connect_hostname), so there
        // is never one to cancel. Kept as the step libevent has here.
        let _ = p;
    }

    // ---- generic timeouts (pair, filter) ----------------------------------------------

    /// `bufferevent_init_generic_timeout_cbs_`: ev_read/ev_write become pure timers that
    /// report `BEV_EVENT_TIMEOUT`.
    pub(crate) unsafe fn init_generic_timeout_cbs(p: *mut BufferEvent) {
        // SAFETY: live per the caller.
        unsafe {
            let base = (*p).bev.ev_base;
            let nq = Self::base(p).map_or(1, |b| b.with(|i| i.nactivequeues()));
            crate::base::assign_internal(
                &mut (*p).bev.ev_read,
                base.cast(),
                nq,
                -1,
                crate::base::event::EV_FINALIZE,
                Some(generic_read_timeout_cb),
                p.cast(),
            );
            crate::base::assign_internal(
                &mut (*p).bev.ev_write,
                base.cast(),
                nq,
                -1,
                crate::base::event::EV_FINALIZE,
                Some(generic_write_timeout_cb),
                p.cast(),
            );
        }
    }

    /// `bufferevent_generic_adj_timeouts_`.
    pub(crate) unsafe fn generic_adj_timeouts(p: *mut BufferEvent) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            let enabled = (*p).bev.enabled;
            let r1 = if enabled & EV_READ != 0 && (*p).read_suspended == 0 && tv_isset(&(*p).bev.timeout_read) {
                let tv = (*p).bev.timeout_read;
                ev_add(&mut (*p).bev.ev_read, Some(&tv))
            } else {
                ev_del(&mut (*p).bev.ev_read)
            };
            let r2 = if enabled & EV_WRITE != 0
                && (*p).write_suspended == 0
                && tv_isset(&(*p).bev.timeout_write)
                && Self::output(p).get_length() > 0
            {
                let tv = (*p).bev.timeout_write;
                ev_add(&mut (*p).bev.ev_write, Some(&tv))
            } else {
                ev_del(&mut (*p).bev.ev_write)
            };
            if r1 < 0 || r2 < 0 {
                -1
            } else {
                0
            }
        }
    }

    /// `bufferevent_generic_adj_existing_timeouts_` (sockets).
    pub(crate) unsafe fn generic_adj_existing_timeouts(p: *mut BufferEvent) -> c_int {
        let mut r = 0;
        // SAFETY: live per the caller.
        unsafe {
            if ev_pending(&(*p).bev.ev_read, EV_READ) {
                if tv_isset(&(*p).bev.timeout_read) {
                    let tv = (*p).bev.timeout_read;
                    if add_event(&mut (*p).bev.ev_read, &tv) < 0 {
                        r = -1;
                    }
                } else {
                    ev_remove_timer(&mut (*p).bev.ev_read);
                }
            }
            if ev_pending(&(*p).bev.ev_write, EV_WRITE) {
                if tv_isset(&(*p).bev.timeout_write) {
                    let tv = (*p).bev.timeout_write;
                    if add_event(&mut (*p).bev.ev_write, &tv) < 0 {
                        r = -1;
                    }
                } else {
                    ev_remove_timer(&mut (*p).bev.ev_write);
                }
            }
        }
        r
    }

    /// `BEV_RESET_GENERIC_READ_TIMEOUT`.
    pub(crate) unsafe fn reset_generic_read_timeout(p: *mut BufferEvent) {
        // SAFETY: live per the caller.
        unsafe {
            if tv_isset(&(*p).bev.timeout_read) {
                let tv = (*p).bev.timeout_read;
                ev_add(&mut (*p).bev.ev_read, Some(&tv));
            }
        }
    }

    /// `BEV_RESET_GENERIC_WRITE_TIMEOUT`.
    pub(crate) unsafe fn reset_generic_write_timeout(p: *mut BufferEvent) {
        // SAFETY: live per the caller.
        unsafe {
            if tv_isset(&(*p).bev.timeout_write) {
                let tv = (*p).bev.timeout_write;
                ev_add(&mut (*p).bev.ev_write, Some(&tv));
            }
        }
    }

    // ---- creation ---------------------------------------------------------------------

    /// `bufferevent_init_common_` plus the allocation: a bufferevent of `kind` with fresh
    /// buffers, one reference, writing enabled. `None` (nothing leaked) on failure.
    pub(crate) fn new_common(
        base: *mut crate::ffi::event::event_base,
        ops: &'static bufferevent_ops,
        kind: Kind,
        options: c_int,
    ) -> Option<*mut BufferEvent> {
        if options & (BEV_OPT_DEFER_CALLBACKS | BEV_OPT_UNLOCK_CALLBACKS) == BEV_OPT_UNLOCK_CALLBACKS {
            crate::ev_warn!("UNLOCK_CALLBACKS requires DEFER_CALLBACKS");
            return None;
        }
        let input = Evbuffer::try_new()?;
        let Some(output) = Evbuffer::try_new() else {
            // SAFETY: ours, never shared.
            unsafe { Evbuffer::free(input) };
            return None;
        };
        let zero_tv = timeval { tv_sec: 0, tv_usec: 0 };
        let lock = if options & BEV_OPT_THREADSAFE != 0 {
            match Lock::new() {
                Some(l) => Some(Arc::new(l)),
                None => {
                    // libevent fails when threading is off (no lock can be allocated).
                    // SAFETY: ours, never shared.
                    unsafe {
                        Evbuffer::free(input);
                        Evbuffer::free(output);
                    }
                    return None;
                }
            }
        } else {
            None
        };
        let b = Box::new(BufferEvent {
            bev: bufferevent {
                ev_base: base,
                be_ops: ops,
                // SAFETY: an all-zero `struct event` is a valid, unassigned event.
                ev_read: unsafe { std::mem::zeroed() },
                // SAFETY: as above.
                ev_write: unsafe { std::mem::zeroed() },
                input: input.as_ptr().cast(),
                output: output.as_ptr().cast(),
                wm_read: event_watermark::default(),
                wm_write: event_watermark::default(),
                readcb: None,
                writecb: None,
                errorcb: None,
                cbarg: ptr::null_mut(),
                timeout_read: zero_tv,
                timeout_write: zero_tv,
                enabled: EV_WRITE,
            },
            lock,
            refcnt: 1,
            options,
            readcb_pending: false,
            writecb_pending: false,
            eventcb_pending: 0,
            errno_pending: 0,
            read_suspended: 0,
            write_suspended: 0,
            connecting: false,
            connection_refused: false,
            finalizing: false,
            max_single_read: MAX_SINGLE_DEFAULT,
            max_single_write: MAX_SINGLE_DEFAULT,
            rate_limiting: None,
            read_wm_cb: None,
            deferred: Deferred::new(
                if options & BEV_OPT_UNLOCK_CALLBACKS != 0 { deferred_cbs_unlocked } else { deferred_cbs_locked },
                ptr::null_mut(),
            ),
            closing: None,
            kind,
        });
        let p = Box::into_raw(b);
        // SAFETY: fresh, exclusively ours.
        unsafe {
            (*p).deferred.set_arg(p.cast());
            let nq = Self::base(p).map_or(1, |b| b.with(|i| i.nactivequeues()));
            (*p).deferred.set_priority((nq / 2) as u8);
            if let Some(l) = &(*p).lock {
                Self::input(p).enable_locking(BufLock::Shared(l.clone()));
                Self::output(p).enable_locking(BufLock::Shared(l.clone()));
            }
            Self::input(p).set_parent(p.cast(), Some(&PARENT_REFS));
            Self::output(p).set_parent(p.cast(), Some(&PARENT_REFS));
        }
        Some(p)
    }

    /// Shares `lock` (a pair's partner, a filter's underlying bufferevent) when this one
    /// has none yet (`bufferevent_enable_locking_`).
    pub(crate) unsafe fn adopt_lock(p: *mut BufferEvent, lock: &Arc<Lock>) {
        // SAFETY: live per the caller, not shared with other threads yet.
        unsafe {
            if (*p).lock.is_some() {
                return;
            }
            (*p).lock = Some(lock.clone());
            Self::input(p).enable_locking(BufLock::Shared(lock.clone()));
            Self::output(p).enable_locking(BufLock::Shared(lock.clone()));
        }
    }
}

// ---- helpers on the bufferevent's events ------------------------------------------------

pub(crate) fn tv_isset(tv: &timeval) -> bool {
    tv.tv_sec != 0 || tv.tv_usec != 0
}

pub(crate) fn event_base_of<'a>(ev: *const event) -> Option<&'a EventBase> {
    // SAFETY: `ev` is one of a live bufferevent's events.
    let b = unsafe { (*ev).ev_base };
    // SAFETY: base pointers are EventBase allocations.
    (!b.is_null()).then(|| unsafe { &*(b as *const EventBase) })
}

/// `event_add` on one of our events (-1 without a base, as libevent's "no base" path).
pub(crate) unsafe fn ev_add(ev: *mut event, tv: Option<&timeval>) -> c_int {
    match event_base_of(ev) {
        // SAFETY: live event of that base.
        Some(b) => unsafe { b.add(ev, tv) },
        None => -1,
    }
}

/// `bufferevent_add_event_`: a zero timeout means none.
pub(crate) unsafe fn add_event(ev: *mut event, tv: &timeval) -> c_int {
    // SAFETY: forwarded.
    unsafe { ev_add(ev, tv_isset(tv).then_some(tv)) }
}

/// `event_del`. Never waits for a callback running in another thread (the events carry
/// `EV_FINALIZE`, which is what makes libevent's own `event_del` non-blocking here).
pub(crate) unsafe fn ev_del(ev: *mut event) -> c_int {
    // SAFETY: `ev` live.
    if unsafe { (*ev).ev_evcallback.evcb_flags } & EVLIST_INIT == 0 {
        return 0;
    }
    match event_base_of(ev) {
        // SAFETY: live event of that base.
        Some(b) => unsafe { b.del(ev, DelMode::NoBlock) },
        None => -1,
    }
}

/// `event_pending(ev, what, NULL)` as a boolean.
pub(crate) unsafe fn ev_pending(ev: *const event, what: c_short) -> bool {
    let Some(b) = event_base_of(ev) else { return false };
    b.with(|_| {
        // SAFETY: live event; lock held.
        let (f, evs, res) = unsafe { ((*ev).ev_evcallback.evcb_flags, (*ev).ev_events, (*ev).ev_res) };
        let mut flags = 0;
        if f & crate::base::event::EVLIST_INSERTED != 0 {
            flags |= evs & (EV_READ | EV_WRITE);
        }
        if f & (crate::base::event::EVLIST_ACTIVE | crate::base::event::EVLIST_ACTIVE_LATER) != 0 {
            flags |= res;
        }
        if f & crate::base::event::EVLIST_TIMEOUT != 0 {
            flags |= EV_TIMEOUT;
        }
        flags & what != 0
    })
}

/// `event_remove_timer`.
pub(crate) unsafe fn ev_remove_timer(ev: *mut event) {
    if let Some(b) = event_base_of(ev) {
        // SAFETY: live event; lock held inside.
        b.with(|i| unsafe { i.remove_timer_nolock(ev) });
    }
}

// ---- C-ABI callbacks -------------------------------------------------------------------

/// The input buffer's callback that enforces the read high watermark.
unsafe extern "C" fn inbuf_wm_cb(buf: *mut c_void, _info: *const CbInfo, arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: registered with a live bufferevent as argument; its input is `buf`.
    unsafe {
        let size = evb(buf.cast()).get_length();
        if size >= (*p).bev.wm_read.high {
            BufferEvent::suspend_read(p, SUSPEND_WM);
        } else {
            BufferEvent::unsuspend_read(p, SUSPEND_WM);
        }
    }
}

/// How an evbuffer keeps its bufferevent alive while one of its deferred callbacks waits.
static PARENT_REFS: crate::buffer::ParentRefs = (parent_incref, parent_decref);

unsafe fn parent_incref(arg: *mut c_void) {
    // SAFETY: the evbuffer's parent is a live bufferevent.
    unsafe { BufferEvent::incref(arg.cast()) }
}

unsafe fn parent_decref(arg: *mut c_void) {
    // SAFETY: as above; the evbuffer held this reference.
    unsafe {
        BufferEvent::decref(arg.cast());
    }
}

/// The deferred callbacks, run with the lock held (`bufferevent_run_deferred_callbacks_locked`).
unsafe fn deferred_cbs_locked(arg: *mut c_void) {
    // SAFETY: the scheduled callback holds a reference on the bufferevent.
    unsafe { run_deferred(arg.cast(), false) }
}

/// `BEV_OPT_UNLOCK_CALLBACKS`: the lock is released around each user callback.
unsafe fn deferred_cbs_unlocked(arg: *mut c_void) {
    // SAFETY: as above.
    unsafe { run_deferred(arg.cast(), true) }
}

/// libevent's order: a pending "connected" first (it happened before any data), then
/// read, then write, then the other events with the errno saved when they were queued.
unsafe fn run_deferred(p: *mut BufferEvent, unlocked: bool) {
    // SAFETY: the scheduled callback's reference keeps `p` alive until the decref below.
    unsafe {
        BufferEvent::lock(p);
        let call = move |f: &dyn Fn()| {
            if unlocked {
                BufferEvent::unlock(p);
                f();
                BufferEvent::lock(p);
            } else {
                f();
            }
        };
        if (*p).eventcb_pending & BEV_EVENT_CONNECTED != 0 {
            if let Some(cb) = (*p).bev.errorcb {
                (*p).eventcb_pending &= !BEV_EVENT_CONNECTED;
                let arg = (*p).bev.cbarg;
                call(&|| cb(p.cast(), BEV_EVENT_CONNECTED, arg));
            }
        }
        if (*p).readcb_pending {
            if let Some(cb) = (*p).bev.readcb {
                (*p).readcb_pending = false;
                let arg = (*p).bev.cbarg;
                call(&|| cb(p.cast(), arg));
                BufferEvent::inbuf_wm_check(p);
            }
        }
        if (*p).writecb_pending {
            if let Some(cb) = (*p).bev.writecb {
                (*p).writecb_pending = false;
                let arg = (*p).bev.cbarg;
                call(&|| cb(p.cast(), arg));
            }
        }
        if (*p).eventcb_pending != 0 {
            if let Some(cb) = (*p).bev.errorcb {
                let what = (*p).eventcb_pending;
                let err = (*p).errno_pending;
                (*p).eventcb_pending = 0;
                (*p).errno_pending = 0;
                let arg = (*p).bev.cbarg;
                crate::util::sock::set_errno(err);
                call(&|| cb(p.cast(), what, arg));
            }
        }
        BufferEvent::decref_and_unlock(p);
    }
}

unsafe extern "C" fn generic_read_timeout_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: the event belongs to a live bufferevent (finalizing stops it first).
    unsafe {
        BufferEvent::incref_and_lock(p);
        BufferEvent::disable(p, EV_READ);
        BufferEvent::run_eventcb(p, BEV_EVENT_TIMEOUT | BEV_EVENT_READING, 0);
        BufferEvent::decref_and_unlock(p);
    }
}

unsafe extern "C" fn generic_write_timeout_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: as above.
    unsafe {
        BufferEvent::incref_and_lock(p);
        BufferEvent::disable(p, EV_WRITE);
        BufferEvent::run_eventcb(p, BEV_EVENT_TIMEOUT | BEV_EVENT_WRITING, 0);
        BufferEvent::decref_and_unlock(p);
    }
}

/// `bufferevent_finalize_cb_`: runs from the loop once every callback of the bufferevent
/// is quiet; releases everything.
unsafe extern "C" fn finalize_cb(_evcb: *mut event_callback, arg: *mut c_void) {
    // SAFETY: `arg` is the bufferevent whose events/deferred were finalized; nothing else
    // refers to it any more.
    unsafe { finalize_now(arg.cast()) }
}

/// The teardown itself (also used directly when there is no base to queue it on).
pub(crate) unsafe fn finalize_now(p: *mut BufferEvent) {
    // SAFETY: the last reference is gone and no callback of `p` can run.
    unsafe {
        BufferEvent::lock(p);
        let underlying = match &(*p).kind {
            Kind::Filter(f) => f.underlying,
            _ => ptr::null_mut(),
        };
        match (*p).kind {
            Kind::Socket(_) => socket::destruct(p),
            Kind::Pair(_) => pair::destruct(p),
            Kind::Filter(_) => filter::destruct(p),
        }
        if let Some(e) = (*p).read_wm_cb.take() {
            BufferEvent::input(p).remove_cb_entry(e.as_ptr());
        }
        // Clear the parent links first: freeing may run deferred evbuffer callbacks'
        // cancellation, which must not touch this block.
        BufferEvent::input(p).set_parent(ptr::null_mut(), None);
        BufferEvent::output(p).set_parent(ptr::null_mut(), None);
        Evbuffer::free(NonNull::new_unchecked((*p).bev.input as *mut Evbuffer));
        Evbuffer::free(NonNull::new_unchecked((*p).bev.output as *mut Evbuffer));
        ratelim::on_finalize(p);
        // Debug mode forgets the events whose memory goes now.
        crate::base::thread::debug_note_teardown(&(*p).bev.ev_read);
        crate::base::thread::debug_note_teardown(&(*p).bev.ev_write);
        if let Some(c) = flush_close::timer_callback(p) {
            crate::base::thread::debug_note_teardown(crate::base::event::cb_to_event(c));
        }
        BufferEvent::unlock(p);
        drop(Box::from_raw(p));
        if !underlying.is_null() {
            BufferEvent::decref(underlying);
        }
    }
}
