//! The event loop: `struct event_base`, events, timers, signals, the poller.
//!
//! # Concurrency and aliasing model
//! An [`EventBase`] is `{ lock, cond, inner: UnsafeCell<Inner> }`. `Inner` is only touched
//! with the base lock held (or, without threading, from the one thread that uses the base).
//! A `&mut Inner` is created for the duration of one bookkeeping step and never lives across
//! a user callback, a lock release, or a cond wait: the loop re-derives it from the raw
//! pointer after every callback, because callbacks re-enter the API (adding, deleting and
//! freeing events, including the running one).

// Used by evbuffer / bufferevent (other modules), not by the core itself.
#[allow(dead_code)]
pub(crate) mod deferred;
mod dump;
pub mod event;
pub(crate) mod poller;
pub(crate) mod signal;
pub(crate) mod thread;
pub(crate) mod timer;

use std::cell::UnsafeCell;
use std::ffi::{c_int, c_short, c_void, CStr};
use std::ptr;

use libc::timeval;

use self::event::event as Event;
use self::event::*;
use crate::sync::{Cond, Lock};
use poller::{Change, Poller, TOKEN_SIGNAL, TOKEN_WAKER};

use timer::*;

// event_base_loop flags.
pub(crate) const EVLOOP_ONCE: c_int = 0x01;
pub(crate) const EVLOOP_NONBLOCK: c_int = 0x02;
pub(crate) const EVLOOP_NO_EXIT_ON_EMPTY: c_int = 0x04;

// event_base_config_flag.
pub(crate) const FLAG_NOLOCK: c_int = 0x01;
pub(crate) const FLAG_IGNORE_ENV: c_int = 0x02;
pub(crate) const FLAG_NO_CACHE_TIME: c_int = 0x08;
pub(crate) const FLAG_EPOLL_USE_CHANGELIST: c_int = 0x10;
pub(crate) const FLAG_PRECISE_TIMER: c_int = 0x20;

// event_method_feature.
pub(crate) const EV_FEATURE_ET: c_int = 0x01;
pub(crate) const EV_FEATURE_O1: c_int = 0x02;
pub(crate) const EV_FEATURE_FDS: c_int = 0x04;
pub(crate) const EV_FEATURE_EARLY_CLOSE: c_int = 0x08;

/// event_del blocking modes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DelMode {
    Block,
    NoBlock,
    AutoBlock,
    EvenIfFinalizing,
}

const MAX_DEFERREDS_QUEUED: c_int = 32;
const MAX_EPOLL_TIMEOUT_MSEC: i64 = 35 * 60 * 1000;
const CLOCK_SYNC_INTERVAL: i64 = 5;

/// `struct event_config`.
pub struct Config {
    pub(crate) avoid: Vec<Vec<u8>>,
    pub(crate) require_features: c_int,
    pub(crate) flags: c_int,
    pub(crate) n_cpus_hint: c_int,
    pub(crate) max_dispatch_interval: timeval,
    pub(crate) max_dispatch_callbacks: c_int,
    pub(crate) limit_callbacks_after_prio: c_int,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            avoid: Vec::new(),
            require_features: 0,
            flags: 0,
            n_cpus_hint: 0,
            max_dispatch_interval: timeval { tv_sec: -1, tv_usec: 0 },
            max_dispatch_callbacks: c_int::MAX,
            limit_callbacks_after_prio: 1,
        }
    }
}

/// One backend libevent could have picked; we always run on epoll underneath, but report
/// (and honour the feature set of) the one libevent would choose.
pub(crate) struct Method {
    pub(crate) name: &'static CStr,
    pub(crate) features: c_int,
}

pub(crate) static METHODS: [Method; 3] = [
    Method { name: c"epoll", features: EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE },
    Method { name: c"poll", features: EV_FEATURE_FDS | EV_FEATURE_EARLY_CLOSE },
    Method { name: c"select", features: EV_FEATURE_FDS },
];
static EPOLL_CHANGELIST: Method =
    Method { name: c"epoll (with changelist)", features: EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE };

/// A FIFO of callbacks linked through `evcb_active_next`. `tqe_prev` holds the previous
/// *element* (not libevent's pointer-to-next-field), so the queue heads can live in a Vec.
#[derive(Clone, Copy)]
pub(crate) struct CbQueue {
    head: *mut event_callback,
    tail: *mut event_callback,
}

impl CbQueue {
    const EMPTY: CbQueue = CbQueue { head: ptr::null_mut(), tail: ptr::null_mut() };

    unsafe fn push_back(&mut self, e: *mut event_callback) {
        // SAFETY: `e` and the queue members are live callbacks owned by their users.
        unsafe {
            (*e).evcb_active_next.tqe_next = ptr::null_mut();
            (*e).evcb_active_next.tqe_prev = self.tail.cast();
            if self.tail.is_null() {
                self.head = e;
            } else {
                (*self.tail).evcb_active_next.tqe_next = e;
            }
        }
        self.tail = e;
    }

    unsafe fn remove(&mut self, e: *mut event_callback) {
        // SAFETY: `e` is a member of this queue; its neighbours are live.
        unsafe {
            let next = (*e).evcb_active_next.tqe_next;
            let prev: *mut event_callback = (*e).evcb_active_next.tqe_prev.cast();
            if prev.is_null() {
                self.head = next;
            } else {
                (*prev).evcb_active_next.tqe_next = next;
            }
            if next.is_null() {
                self.tail = prev;
            } else {
                (*next).evcb_active_next.tqe_prev = prev.cast();
            }
        }
    }
}

/// A common-timeout queue (`event_base_init_common_timeout`): events with the same duration
/// kept in FIFO order, with one internal heap timer for the head.
pub(crate) struct CommonTimeout {
    /// The magic-encoded duration handed to the program.
    pub(crate) duration: timeval,
    head: *mut Event,
    tail: *mut Event,
    timeout_event: Event,
    base: *const EventBase,
}

/// An `event_base_once` allocation.
#[repr(C)]
struct OnceEvent {
    ev: Event,
    cb: Option<Callback>,
    arg: *mut c_void,
    next: *mut OnceEvent,
    prev: *mut OnceEvent,
}

pub struct EventBase {
    pub(crate) lock: Option<Lock>,
    pub(crate) cond: Option<Cond>,
    inner: UnsafeCell<Inner>,
}

// SAFETY: all mutable state is in `inner`, accessed only under `lock` when the base is
// shared between threads (which requires threading enabled, hence a lock).
unsafe impl Sync for EventBase {}
// SAFETY: as above.
unsafe impl Send for EventBase {}

pub(crate) struct Inner {
    pub(crate) poller: Poller,
    activequeues: Vec<CbQueue>,
    active_later: CbQueue,
    event_count: c_int,
    event_count_max: c_int,
    event_count_active: c_int,
    event_count_active_max: c_int,
    virtual_event_count: c_int,
    virtual_event_count_max: c_int,
    timeheap: MinHeap,
    /// Boxed: each holds an internal `struct event` the heap points to, so it must not move
    /// when the Vec grows.
    #[allow(clippy::vec_box)]
    common_timeouts: Vec<Box<CommonTimeout>>,
    tv_cache: timeval,
    tv_clock_diff: timeval,
    last_updated_clock_diff: i64,
    precise: bool,
    flags: c_int,
    pub(crate) method: &'static Method,
    running_loop: bool,
    event_gotterm: bool,
    event_break: bool,
    event_continue: bool,
    event_running_priority: c_int,
    n_deferreds_queued: c_int,
    current_event: *mut event_callback,
    current_event_waiters: c_int,
    th_owner_id: u64,
    is_notify_pending: bool,
    max_dispatch_time: Option<timeval>,
    max_dispatch_callbacks: c_int,
    limit_callbacks_after_prio: c_int,
    once_head: *mut OnceEvent,
    // Signals.
    sig_lists: Vec<*mut Event>,
    sig_registry: Option<signal::SignalRegistry>,
    sig_evcb: Box<event_callback>,
    sig_caught: Vec<(c_int, u32)>,
    /// Signals that arrived while this base was the signal base, kept after it lost that
    /// role (see [`SIG_BASE`]).
    sig_kept: Vec<(c_int, u32)>,
    /// Signal numbers with at least one event on this base.
    n_sigs: usize,
    self_ptr: *const EventBase,
    /// Owners of work still pending on this base that `event_base_free` must release
    /// (closes started by `bufferevent_flush_and_close`), run after every event is gone.
    teardown: Vec<TeardownHook>,
}

/// A function and its argument, run once when the base is freed.
pub(crate) type TeardownHook = (unsafe fn(*mut c_void), *mut c_void);

/// libevent delivers a signal to one base only: the one that most recently added a signal
/// or started its loop while having signal events (`evsig_set_base_`). Our registries hear
/// every signal, so the core emulates that rule: the signal base keeps what it drains; a base
/// that loses the role stashes what it had already received; other bases discard theirs.
static SIG_BASE: std::sync::atomic::AtomicPtr<EventBase> = std::sync::atomic::AtomicPtr::new(ptr::null_mut());

/// The current "global" base of the 1.x API (`event_init`, `event_set`).
pub(crate) static CURRENT_BASE: std::sync::atomic::AtomicPtr<EventBase> =
    std::sync::atomic::AtomicPtr::new(ptr::null_mut());

fn getenv(name: &CStr) -> bool {
    // SAFETY: NUL-terminated name.
    !unsafe { libc::getenv(name.as_ptr()) }.is_null()
}

fn method_disabled(name: &CStr) -> bool {
    let mut var = b"EVENT_NO".to_vec();
    var.extend(name.to_bytes().iter().map(|c| c.to_ascii_uppercase()));
    var.push(0);
    getenv(CStr::from_bytes_with_nul(&var).unwrap_or(c"EVENT_NO"))
}

impl EventBase {
    /// `event_base_new_with_config`.
    pub fn new(cfg: Option<&Config>) -> Option<*mut EventBase> {
        thread::note_base_created();
        let default_cfg = Config::default();
        let c = cfg.unwrap_or(&default_cfg);
        let check_env = c.flags & FLAG_IGNORE_ENV == 0;
        let mut flags = c.flags;
        let mut precise = c.flags & FLAG_PRECISE_TIMER != 0;
        if check_env && !precise && getenv(c"EVENT_PRECISE_TIMER") {
            precise = true;
            flags |= FLAG_PRECISE_TIMER;
        }
        // Pick the method libevent would: first not avoided, with the required features,
        // not disabled through the environment.
        let mut method = None;
        for m in METHODS.iter() {
            if c.avoid.iter().any(|a| a.eq_ignore_ascii_case(m.name.to_bytes())) {
                continue;
            }
            if m.features & c.require_features != c.require_features {
                continue;
            }
            if check_env && method_disabled(m.name) {
                continue;
            }
            method = Some(m);
            break;
        }
        let Some(mut method) = method else {
            crate::ev_warn!("event_base_new_with_config: no event mechanism available");
            return None;
        };
        if ptr::eq(method, &METHODS[0])
            && (flags & FLAG_EPOLL_USE_CHANGELIST != 0 || (check_env && getenv(c"EVENT_EPOLL_USE_CHANGELIST")))
        {
            method = &EPOLL_CHANGELIST;
        }
        let poller = match Poller::new() {
            Ok(mut p) => {
                p.poll_semantics = method.features & EV_FEATURE_ET == 0;
                p.no_closed = method.features & EV_FEATURE_EARLY_CLOSE == 0;
                p
            }
            Err(e) => {
                crate::ev_warn!("epoll_create: {}", crate::log::errno_text(e.raw_os_error().unwrap_or(0)));
                crate::ev_warn!("event_base_new_with_config: no event mechanism available");
                return None;
            }
        };
        if getenv(c"EVENT_SHOW_METHOD") {
            crate::ev_msg!("libevent using: {}", method.name.to_str().unwrap_or(""));
        }
        let (max_dispatch_time, mut limit_after) = if cfg.is_some() {
            let t = c.max_dispatch_interval;
            (if t.tv_sec >= 0 { Some(t) } else { None }, c.limit_callbacks_after_prio)
        } else {
            (None, 1)
        };
        let max_cbs = if c.max_dispatch_callbacks >= 0 { c.max_dispatch_callbacks } else { c_int::MAX };
        if max_cbs == c_int::MAX && max_dispatch_time.is_none() {
            limit_after = c_int::MAX;
        }
        // The internal callback that drains the signal registry (libevent's ev_signal event:
        // internal, priority 0). Its argument, the base, is set once the base has an address.
        let sig_evcb: Box<event_callback> = Box::new(event_callback {
            evcb_active_next: event_callback_tailq_entry { tqe_next: ptr::null_mut(), tqe_prev: ptr::null_mut() },
            evcb_flags: EVLIST_INTERNAL,
            evcb_pri: 0,
            evcb_closure: EV_CLOSURE_CB_SELF,
            evcb_cb_union: event_callback_fns { evcb_selfcb: Some(signal_cb) },
            evcb_arg: ptr::null_mut(),
        });
        let (lock, cond) = if c.flags & FLAG_NOLOCK == 0 {
            match Lock::new() {
                Some(l) => {
                    let cond = Cond::new_for(&l);
                    (Some(l), cond)
                }
                None => (None, None),
            }
        } else {
            (None, None)
        };
        let inner = Inner {
            poller,
            activequeues: vec![CbQueue::EMPTY],
            active_later: CbQueue::EMPTY,
            event_count: 0,
            event_count_max: 0,
            event_count_active: 0,
            event_count_active_max: 0,
            virtual_event_count: 0,
            virtual_event_count_max: 0,
            timeheap: MinHeap::default(),
            common_timeouts: Vec::new(),
            tv_cache: tv_zero(),
            tv_clock_diff: tv_zero(),
            last_updated_clock_diff: 0,
            precise,
            flags,
            method,
            running_loop: false,
            event_gotterm: false,
            event_break: false,
            event_continue: false,
            event_running_priority: -1,
            n_deferreds_queued: 0,
            current_event: ptr::null_mut(),
            current_event_waiters: 0,
            th_owner_id: 0,
            is_notify_pending: false,
            max_dispatch_time,
            max_dispatch_callbacks: max_cbs,
            limit_callbacks_after_prio: limit_after,
            once_head: ptr::null_mut(),
            sig_lists: Vec::new(),
            sig_registry: None,
            sig_evcb,
            sig_caught: Vec::new(),
            sig_kept: Vec::new(),
            n_sigs: 0,
            self_ptr: ptr::null(),
            teardown: Vec::new(),
        };
        // The base itself comes from the program's allocator (event_set_mem_functions), as
        // libevent's does.
        let p: *mut EventBase = crate::mm::malloc(std::mem::size_of::<EventBase>()).cast();
        if p.is_null() {
            crate::ev_warn!("event_base_new_with_config: calloc");
            return None;
        }
        // SAFETY: `p` is a fresh allocation of the right size (malloc aligns for any type).
        unsafe { ptr::write(p, EventBase { lock, cond, inner: UnsafeCell::new(inner) }) };
        // SAFETY: just initialised, not shared yet.
        let base = unsafe { &*p };
        // SAFETY: fresh base, not shared yet.
        let i = unsafe { base.inner() };
        i.self_ptr = p;
        i.sig_evcb.evcb_arg = p as *mut c_void;
        let _ = i.gettime();
        if base.lock.is_some() {
            if let Err(e) = i.make_notifiable() {
                crate::ev_warn!("event_base_new_with_config: Unable to make base notifiable. ({e})");
                // SAFETY: ours, never shared.
                unsafe { EventBase::dealloc(p) };
                return None;
            }
        }
        Some(p)
    }

    /// Drops and frees a base allocated by `new`.
    ///
    /// # Safety
    /// `p` came from `new` and is not used afterwards.
    unsafe fn dealloc(p: *mut EventBase) {
        // SAFETY: per the caller.
        unsafe {
            ptr::drop_in_place(p);
            crate::mm::free(p.cast());
        }
    }

    /// The mutable state.
    ///
    /// # Safety
    /// The caller holds the base lock (or the base is not shared between threads), and no
    /// other `&mut Inner` is alive.
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub(crate) unsafe fn inner(&self) -> &mut Inner {
        // SAFETY: guaranteed by the caller.
        unsafe { &mut *self.inner.get() }
    }

    #[inline]
    pub(crate) fn acquire(&self) {
        if let Some(l) = &self.lock {
            l.lock();
        }
    }

    #[inline]
    pub(crate) fn release(&self) {
        if let Some(l) = &self.lock {
            l.unlock();
        }
    }

    /// Runs `f` on the state with the lock held.
    #[inline]
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        self.acquire();
        // SAFETY: lock held; the borrow ends before we release it.
        let r = f(unsafe { self.inner() });
        self.release();
        r
    }

    /// Waits (lock held) until the running callback returns; see `event_del`.
    fn wait_current(&self) {
        if let (Some(l), Some(c)) = (&self.lock, &self.cond) {
            c.wait(l);
        }
    }

    // ----- events -----

    /// `event_add`.
    ///
    /// # Safety
    /// `ev` is a live event assigned to this base.
    pub(crate) unsafe fn add(&self, ev: *mut Event, tv: Option<&timeval>) -> c_int {
        self.acquire();
        // SAFETY: lock held.
        let i = unsafe { self.inner() };
        // A signal event whose callback runs on the loop thread: wait for it (ncalls race).
        // SAFETY: `ev` live per the caller.
        if unsafe { i.current_event == event_to_cb(ev) && (*ev).ev_events & EV_SIGNAL != 0 } && !i.in_loop_thread() {
            i.current_event_waiters += 1;
            self.wait_current();
        }
        // SAFETY: lock held; `ev` live.
        let r = unsafe { self.inner().add_nolock(ev, tv, false) };
        self.release();
        r
    }

    /// `event_add` (no timeout) for an [`EVLIST_X_OWN_IO`] event, whose owner needs the
    /// kernel to report the fd if it is ready right now: a fresh epoll registration does that
    /// by itself; an existing one (another event on the fd, or the event already added) is
    /// re-armed ([`Poller::rearm`]).
    ///
    /// # Safety
    /// `ev` is a live I/O event assigned to this base.
    pub(crate) unsafe fn add_own_io(&self, ev: *mut Event) -> c_int {
        self.acquire();
        // SAFETY: lock held; `ev` live per the caller.
        let i = unsafe { self.inner() };
        // SAFETY: `ev` live per the caller.
        let fd = unsafe { (*ev).ev_fd };
        let was_registered = i.poller.slot_ref(fd).is_some_and(|s| s.registered != 0);
        // SAFETY: lock held; `ev` live.
        let r = unsafe { i.add_nolock(ev, None, false) };
        if r == 0 && was_registered {
            i.poller.rearm(fd);
        }
        self.release();
        r
    }

    /// Re-arms `fd` (see [`Poller::rearm`]).
    pub(crate) fn rearm_fd(&self, fd: c_int) {
        self.with(|i| i.poller.rearm(fd));
    }

    /// `event_del*`.
    ///
    /// # Safety
    /// `ev` is a live event assigned to this base.
    pub(crate) unsafe fn del(&self, ev: *mut Event, mode: DelMode) -> c_int {
        self.acquire();
        // SAFETY: lock held; `ev` live.
        let (r, wait) = unsafe { self.inner().del_nolock(ev, mode) };
        if wait {
            // SAFETY: lock held.
            unsafe { self.inner() }.current_event_waiters += 1;
            self.wait_current();
        }
        self.release();
        r
    }

    /// `event_active`.
    ///
    /// # Safety
    /// `ev` is a live event assigned to this base.
    pub(crate) unsafe fn active(&self, ev: *mut Event, res: c_int, ncalls: c_short) {
        self.acquire();
        // SAFETY: lock held; `ev` live.
        let i = unsafe { self.inner() };
        // SAFETY: `ev` live.
        if unsafe { (*ev).ev_events & EV_SIGNAL != 0 && i.current_event == event_to_cb(ev) } && !i.in_loop_thread() {
            i.current_event_waiters += 1;
            self.wait_current();
        }
        // SAFETY: lock held; `ev` live.
        unsafe { self.inner().active_nolock(ev, res, ncalls) };
        self.release();
    }

    /// `event_base_free`: pending events are left alone (their memory is the caller's);
    /// finalizers run when `run_finalizers`.
    ///
    /// # Safety
    /// `base` came from [`EventBase::new`], is not running a loop, and is not used
    /// afterwards.
    pub(crate) unsafe fn free(base: *mut EventBase, run_finalizers: bool) {
        // SAFETY: per the caller, we own the base now.
        let b = unsafe { &*base };
        if run_finalizers {
            // Run pending finalizers, as libevent's event_base_free_queues_ does.
            loop {
                // SAFETY: single owner at this point.
                let i = unsafe { b.inner() };
                let mut found = ptr::null_mut();
                for q in i.activequeues.iter().chain(std::iter::once(&i.active_later)) {
                    let mut e = q.head;
                    while !e.is_null() {
                        // SAFETY: queue members are live.
                        let c = unsafe { (*e).evcb_closure };
                        if matches!(
                            c,
                            EV_CLOSURE_EVENT_FINALIZE | EV_CLOSURE_EVENT_FINALIZE_FREE | EV_CLOSURE_CB_FINALIZE
                        ) {
                            found = e;
                            break;
                        }
                        // SAFETY: as above.
                        e = unsafe { (*e).evcb_active_next.tqe_next };
                    }
                    if !found.is_null() {
                        break;
                    }
                }
                if found.is_null() {
                    break;
                }
                // SAFETY: `found` is a live queued callback.
                unsafe { i.remove_any_active(found) };
                // SAFETY: finalizer closures, as in process_single_queue.
                unsafe {
                    match (*found).evcb_closure {
                        EV_CLOSURE_CB_FINALIZE => {
                            if let Some(f) = (*found).evcb_cb_union.evcb_cbfinalize {
                                f(found, (*found).evcb_arg);
                            }
                        }
                        c => {
                            let ev = cb_to_event(found);
                            if let Some(f) = (*found).evcb_cb_union.evcb_evfinalize {
                                f(ev, (*found).evcb_arg);
                            }
                            thread::debug_note_teardown(ev);
                            if c == EV_CLOSURE_EVENT_FINALIZE_FREE {
                                crate::mm::free(ev.cast());
                            }
                        }
                    }
                }
            }
        }
        // SAFETY: single owner.
        let i = unsafe { b.inner() };
        // Delete every event, as libevent does: afterwards the program's events are plain
        // "initialized, not pending" ones (so that event_del/event_free on them, even after
        // this, touch nothing of the base's). Hidden internal events (a listener's back-off
        // timer) belong to objects that outlive the base in the same way.
        for ev in i.collect_all_events() {
            // SAFETY: events known to the base are live.
            unsafe {
                let f = (*ev).flags();
                if f & EVLIST_INTERNAL == 0 || f & EVLIST_X_HIDDEN != 0 {
                    let _ = i.del_nolock(ev, DelMode::EvenIfFinalizing);
                }
            }
        }
        for k in 0..i.common_timeouts.len() {
            let ctl: *mut CommonTimeout = &mut *i.common_timeouts[k];
            // SAFETY: our own internal event.
            unsafe {
                let _ = i.del_nolock(&mut (*ctl).timeout_event, DelMode::EvenIfFinalizing);
            }
        }
        // Whatever is still queued (deferred callbacks, finalizing events) is cancelled.
        for q in 0..i.activequeues.len() {
            loop {
                let e = i.activequeues[q].head;
                if e.is_null() {
                    break;
                }
                // SAFETY: live queue member.
                unsafe { i.queue_remove_active(e) };
            }
        }
        loop {
            let e = i.active_later.head;
            if e.is_null() {
                break;
            }
            // SAFETY: live queue member.
            unsafe { i.queue_remove_active_later(e) };
        }
        // Work the base owns on others' behalf is released now that nothing can run.
        for (f, arg) in std::mem::take(&mut i.teardown) {
            // SAFETY: registered by a live owner, which expects this call exactly once.
            unsafe { f(arg) };
        }
        // SAFETY: single owner (the teardown hooks do not touch the base).
        let i = unsafe { b.inner() };
        // event_base_once allocations are ours.
        let mut o = i.once_head;
        while !o.is_null() {
            // SAFETY: once events are live allocations from mm::calloc.
            unsafe {
                let next = (*o).next;
                thread::debug_note_teardown(&(*o).ev);
                crate::mm::free(o.cast());
                o = next;
            }
        }
        i.once_head = ptr::null_mut();
        let _ = SIG_BASE.compare_exchange(
            base,
            ptr::null_mut(),
            std::sync::atomic::Ordering::AcqRel,
            std::sync::atomic::Ordering::Acquire,
        );
        let cur = CURRENT_BASE.load(std::sync::atomic::Ordering::Acquire);
        if ptr::eq(cur, base) {
            CURRENT_BASE.store(ptr::null_mut(), std::sync::atomic::Ordering::Release);
        }
        // SAFETY: from `new`, per the caller.
        unsafe { EventBase::dealloc(base) };
    }
}

impl Inner {
    #[inline]
    fn base(&self) -> &EventBase {
        // SAFETY: self_ptr points to the EventBase that owns us.
        unsafe { &*self.self_ptr }
    }

    pub(crate) fn make_notifiable(&mut self) -> std::io::Result<()> {
        if self.poller.waker.is_none() {
            let w = mio::Waker::new(self.poller.poll.registry(), mio::Token(TOKEN_WAKER))?;
            self.poller.waker = Some(w);
        }
        Ok(())
    }

    #[inline]
    pub(crate) fn in_loop_thread(&self) -> bool {
        !self.running_loop || self.th_owner_id == crate::sync::current_thread_id()
    }

    #[inline]
    fn need_notify(&self) -> bool {
        self.poller.waker.is_some() && self.running_loop && self.th_owner_id != crate::sync::current_thread_id()
    }

    fn notify(&mut self) {
        if self.is_notify_pending {
            return;
        }
        if let Some(w) = &self.poller.waker {
            self.is_notify_pending = true;
            let _ = w.wake();
        }
    }

    #[inline]
    pub(crate) fn nactivequeues(&self) -> c_int {
        self.activequeues.len() as c_int
    }

    #[inline]
    fn n_active(&self) -> c_int {
        self.event_count_active
    }

    #[inline]
    fn haveevents(&self) -> bool {
        self.virtual_event_count > 0 || self.event_count > 0
    }

    // ----- time -----

    /// `gettime`: the cached time of this turn, else the monotonic clock.
    pub(crate) fn gettime(&mut self) -> timeval {
        if self.tv_cache.tv_sec != 0 {
            return self.tv_cache;
        }
        let tp = monotonic(self.precise);
        if self.last_updated_clock_diff + CLOCK_SYNC_INTERVAL < tp.tv_sec {
            let wall = wallclock();
            self.tv_clock_diff = tv_sub(&wall, &tp);
            self.last_updated_clock_diff = tp.tv_sec;
        }
        tp
    }

    #[inline]
    fn clear_time_cache(&mut self) {
        self.tv_cache.tv_sec = 0;
    }

    #[inline]
    pub(crate) fn update_time_cache(&mut self) {
        self.tv_cache.tv_sec = 0;
        if self.flags & FLAG_NO_CACHE_TIME == 0 {
            self.tv_cache = self.gettime();
        }
    }

    /// `event_base_update_cache_time`: refreshes the cache only inside a running loop.
    pub(crate) fn update_cache_time_if_running(&mut self) {
        if self.running_loop {
            self.update_time_cache();
        }
    }

    /// `event_base_gettimeofday_cached`.
    pub(crate) fn gettimeofday_cached(&mut self) -> timeval {
        if self.tv_cache.tv_sec == 0 {
            wallclock()
        } else {
            tv_add(&self.tv_cache, &self.tv_clock_diff)
        }
    }

    /// Monotonic → wall-clock offset (for `event_pending`).
    pub(crate) fn clock_diff(&self) -> timeval {
        self.tv_clock_diff
    }

    // ----- queues -----

    #[inline]
    fn incr_count(&mut self, flags: c_short) {
        if flags & EVLIST_INTERNAL == 0 {
            self.event_count += 1;
            self.event_count_max = self.event_count_max.max(self.event_count);
        }
    }

    #[inline]
    fn decr_count(&mut self, flags: c_short) {
        if flags & EVLIST_INTERNAL == 0 {
            self.event_count -= 1;
        }
    }

    unsafe fn queue_insert_inserted(&mut self, ev: *mut Event) {
        // SAFETY: live per the caller.
        let f = unsafe { (*ev).flags() };
        if f & EVLIST_INSERTED != 0 {
            // SAFETY: live per the caller.
            let fd = unsafe { (*ev).ev_fd };
            crate::ev_fatal!("event_queue_insert_inserted: event (fd {fd}) already inserted");
        }
        self.incr_count(f);
        // SAFETY: live.
        unsafe { (*ev).ev_evcallback.evcb_flags |= EVLIST_INSERTED };
    }

    unsafe fn queue_remove_inserted(&mut self, ev: *mut Event) {
        // SAFETY: live per the caller.
        let f = unsafe { (*ev).flags() };
        self.decr_count(f);
        // SAFETY: live.
        unsafe { (*ev).ev_evcallback.evcb_flags &= !EVLIST_INSERTED };
    }

    unsafe fn queue_insert_active(&mut self, evcb: *mut event_callback) {
        // SAFETY: live per the caller.
        let f = unsafe { (*evcb).evcb_flags };
        if f & EVLIST_ACTIVE != 0 {
            return;
        }
        self.incr_count(f);
        // SAFETY: live.
        let pri = unsafe {
            (*evcb).evcb_flags |= EVLIST_ACTIVE;
            (*evcb).evcb_pri as usize
        };
        self.event_count_active += 1;
        self.event_count_active_max = self.event_count_active_max.max(self.event_count_active);
        let q = pri.min(self.activequeues.len() - 1);
        // SAFETY: live.
        unsafe { self.activequeues[q].push_back(evcb) };
    }

    unsafe fn queue_insert_active_later(&mut self, evcb: *mut event_callback) {
        // SAFETY: live per the caller.
        let f = unsafe { (*evcb).evcb_flags };
        if f & (EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) != 0 {
            return;
        }
        self.incr_count(f);
        // SAFETY: live.
        unsafe { (*evcb).evcb_flags |= EVLIST_ACTIVE_LATER };
        self.event_count_active += 1;
        self.event_count_active_max = self.event_count_active_max.max(self.event_count_active);
        // SAFETY: live.
        unsafe { self.active_later.push_back(evcb) };
    }

    pub(crate) unsafe fn queue_remove_active(&mut self, evcb: *mut event_callback) {
        // SAFETY: live per the caller and on its priority's queue.
        unsafe {
            let f = (*evcb).evcb_flags;
            self.decr_count(f);
            (*evcb).evcb_flags &= !EVLIST_ACTIVE;
            self.event_count_active -= 1;
            let q = ((*evcb).evcb_pri as usize).min(self.activequeues.len() - 1);
            self.activequeues[q].remove(evcb);
        }
    }

    unsafe fn queue_remove_active_later(&mut self, evcb: *mut event_callback) {
        // SAFETY: live per the caller and on the active-later queue.
        unsafe {
            let f = (*evcb).evcb_flags;
            self.decr_count(f);
            (*evcb).evcb_flags &= !EVLIST_ACTIVE_LATER;
            self.event_count_active -= 1;
            self.active_later.remove(evcb);
        }
    }

    unsafe fn remove_any_active(&mut self, evcb: *mut event_callback) {
        // SAFETY: live per the caller.
        let f = unsafe { (*evcb).evcb_flags };
        if f & EVLIST_ACTIVE != 0 {
            // SAFETY: on an active queue.
            unsafe { self.queue_remove_active(evcb) };
        } else if f & EVLIST_ACTIVE_LATER != 0 {
            // SAFETY: on the later queue.
            unsafe { self.queue_remove_active_later(evcb) };
        }
    }

    unsafe fn queue_insert_timeout(&mut self, ev: *mut Event) {
        // SAFETY: live per the caller.
        unsafe {
            let f = (*ev).flags();
            if f & EVLIST_TIMEOUT != 0 {
                crate::ev_fatal!("event_queue_insert_timeout: event (fd {}) already on timeout", (*ev).ev_fd);
            }
            self.incr_count(f);
            (*ev).ev_evcallback.evcb_flags |= EVLIST_TIMEOUT;
            if is_common_timeout(&(*ev).ev_timeout, self.common_timeouts.len()) {
                let idx = common_timeout_idx(&(*ev).ev_timeout);
                let ctl: *mut CommonTimeout = &mut *self.common_timeouts[idx];
                insert_common_timeout_inorder(ctl, ev);
            } else {
                self.timeheap.push(ev);
            }
        }
    }

    unsafe fn queue_remove_timeout(&mut self, ev: *mut Event) {
        // SAFETY: live per the caller.
        unsafe {
            let f = (*ev).flags();
            self.decr_count(f);
            (*ev).ev_evcallback.evcb_flags &= !EVLIST_TIMEOUT;
            if is_common_timeout(&(*ev).ev_timeout, self.common_timeouts.len()) {
                let idx = common_timeout_idx(&(*ev).ev_timeout);
                let ctl: *mut CommonTimeout = &mut *self.common_timeouts[idx];
                common_remove(ctl, ev);
            } else {
                self.timeheap.erase(ev);
            }
        }
    }

    /// `event_queue_make_later_events_active`.
    fn make_later_events_active(&mut self) {
        loop {
            let evcb = self.active_later.head;
            if evcb.is_null() {
                break;
            }
            // SAFETY: live queue member.
            unsafe {
                self.active_later.remove(evcb);
                (*evcb).evcb_flags = ((*evcb).evcb_flags & !EVLIST_ACTIVE_LATER) | EVLIST_ACTIVE;
                let q = ((*evcb).evcb_pri as usize).min(self.activequeues.len() - 1);
                self.activequeues[q].push_back(evcb);
                self.n_deferreds_queued += ((*evcb).evcb_closure == EV_CLOSURE_CB_SELF) as c_int;
            }
        }
    }

    // ----- add / del / activate -----

    /// `event_add_nolock_`.
    ///
    /// # Safety
    /// Lock held; `ev` is a live event of this base.
    pub(crate) unsafe fn add_nolock(&mut self, ev: *mut Event, tv: Option<&timeval>, absolute: bool) -> c_int {
        thread::debug_assert_is_setup(ev, "event_add");
        // SAFETY: `ev` is live per the caller and we hold the lock.
        unsafe {
            let flags = (*ev).flags();
            if flags & EVLIST_FINALIZING != 0 {
                return -1;
            }
            let events = (*ev).ev_events;
            let mut res = 0;
            let mut notify = false;
            if events & (EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL) != 0
                && flags & (EVLIST_INSERTED | EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) == 0
            {
                if events & (EV_READ | EV_WRITE | EV_CLOSED) != 0 {
                    res = match self.poller.add(ev) {
                        Ok(Change::Changed) => 1,
                        Ok(Change::Same) => 0,
                        Err(()) => -1,
                    };
                } else {
                    res = self.signal_add(ev);
                }
                if res != -1 {
                    self.queue_insert_inserted(ev);
                }
                if res == 1 {
                    notify = true;
                    res = 0;
                }
            }
            if res != -1 {
                if let Some(tv) = tv {
                    if (*ev).ev_evcallback.evcb_closure == EV_CLOSURE_EVENT_PERSIST && !absolute {
                        (*ev).set_io_timeout(*tv);
                    }
                    if (*ev).flags() & EVLIST_TIMEOUT != 0 {
                        self.queue_remove_timeout(ev);
                    }
                    // Active because of a timeout: rescheduling cancels that run.
                    if (*ev).flags() & EVLIST_ACTIVE != 0 && (*ev).ev_res & EV_TIMEOUT != 0 {
                        if events & EV_SIGNAL != 0 {
                            let s = (*ev).ev_.ev_signal;
                            if s.ev_ncalls != 0 && !s.ev_pncalls.is_null() {
                                *s.ev_pncalls = 0;
                            }
                        }
                        self.queue_remove_active(event_to_cb(ev));
                    }
                    let now = self.gettime();
                    let ncommon = self.common_timeouts.len();
                    let common = is_common_timeout(tv, ncommon);
                    if absolute {
                        (*ev).ev_timeout = *tv;
                    } else if common {
                        let tmp = timeval { tv_sec: tv.tv_sec, tv_usec: tv.tv_usec & MICROSECONDS_MASK };
                        let mut t = tv_add(&now, &tmp);
                        t.tv_usec |= tv.tv_usec & !MICROSECONDS_MASK;
                        (*ev).ev_timeout = t;
                    } else {
                        (*ev).ev_timeout = tv_add(&now, tv);
                    }
                    self.queue_insert_timeout(ev);
                    if common {
                        let idx = common_timeout_idx(&(*ev).ev_timeout);
                        let ctl: *mut CommonTimeout = &mut *self.common_timeouts[idx];
                        if (*ctl).head == ev {
                            self.common_timeout_schedule(ctl, ev);
                        }
                    } else if (*ev).heap_idx() == 0 {
                        notify = true;
                    } else {
                        let top = self.timeheap.top();
                        if !top.is_null() && tv_gt(&now, &(*top).ev_timeout) {
                            notify = true;
                        }
                    }
                }
            }
            if res != -1 && notify && self.need_notify() {
                self.notify();
            }
            thread::debug_note_add(ev);
            res
        }
    }

    /// `event_del_nolock_`. Returns the result and whether the caller must wait for the
    /// event's running callback (another thread is running it).
    ///
    /// # Safety
    /// Lock held; `ev` is a live event.
    pub(crate) unsafe fn del_nolock(&mut self, ev: *mut Event, mode: DelMode) -> (c_int, bool) {
        // SAFETY: `ev` is live per the caller and we hold the lock.
        unsafe {
            if (*ev).ev_base.is_null() {
                return (-1, false);
            }
            let flags = (*ev).flags();
            if mode != DelMode::EvenIfFinalizing && flags & EVLIST_FINALIZING != 0 {
                return (0, false);
            }
            let events = (*ev).ev_events;
            if events & EV_SIGNAL != 0 {
                let s = (*ev).ev_.ev_signal;
                if s.ev_ncalls != 0 && !s.ev_pncalls.is_null() {
                    *s.ev_pncalls = 0;
                }
            }
            if flags & EVLIST_TIMEOUT != 0 {
                self.queue_remove_timeout(ev);
            }
            let flags = (*ev).flags();
            if flags & EVLIST_ACTIVE != 0 {
                self.queue_remove_active(event_to_cb(ev));
            } else if flags & EVLIST_ACTIVE_LATER != 0 {
                self.queue_remove_active_later(event_to_cb(ev));
            }
            let mut notify = false;
            if (*ev).flags() & EVLIST_INSERTED != 0 {
                self.queue_remove_inserted(ev);
                let changed = if events & (EV_READ | EV_WRITE | EV_CLOSED) != 0 {
                    matches!(self.poller.del(ev), Change::Changed)
                } else {
                    self.signal_del(ev)
                };
                if changed {
                    notify = true;
                }
                if !self.haveevents() && self.n_active() == 0 {
                    notify = true;
                }
            }
            if notify && self.need_notify() {
                self.notify();
            }
            thread::debug_note_del(ev);
            let wait = mode != DelMode::NoBlock
                && self.current_event == event_to_cb(ev)
                && !self.in_loop_thread()
                && (mode == DelMode::Block || events & EV_FINALIZE == 0)
                && self.base().cond.is_some();
            (0, wait)
        }
    }

    /// `event_active_nolock_`.
    ///
    /// # Safety
    /// Lock held; `ev` is a live event of this base.
    pub(crate) unsafe fn active_nolock(&mut self, ev: *mut Event, res: c_int, ncalls: c_short) {
        // SAFETY: `ev` live, lock held.
        unsafe {
            let flags = (*ev).flags();
            if flags & EVLIST_FINALIZING != 0 {
                return;
            }
            match flags & (EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) {
                EVLIST_ACTIVE => {
                    (*ev).ev_res |= res as c_short;
                    return;
                }
                EVLIST_ACTIVE_LATER => (*ev).ev_res |= res as c_short,
                _ => (*ev).ev_res = res as c_short,
            }
            if ((*ev).ev_evcallback.evcb_pri as c_int) < self.event_running_priority {
                self.event_continue = true;
            }
            if (*ev).ev_events & EV_SIGNAL != 0 {
                (*ev).ev_.ev_signal.ev_ncalls = ncalls;
                (*ev).ev_.ev_signal.ev_pncalls = ptr::null_mut();
            }
            self.callback_activate_nolock(event_to_cb(ev));
        }
    }

    /// `event_callback_activate_nolock_`: true if newly activated.
    ///
    /// # Safety
    /// Lock held; `evcb` is live.
    pub(crate) unsafe fn callback_activate_nolock(&mut self, evcb: *mut event_callback) -> bool {
        // SAFETY: live per the caller.
        let f = unsafe { (*evcb).evcb_flags };
        if f & EVLIST_FINALIZING != 0 {
            return false;
        }
        let mut r = true;
        match f & (EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) {
            EVLIST_ACTIVE_LATER => {
                // SAFETY: on the later queue.
                unsafe { self.queue_remove_active_later(evcb) };
                r = false;
            }
            0 => {}
            _ => return false,
        }
        // SAFETY: live.
        unsafe { self.queue_insert_active(evcb) };
        if self.need_notify() {
            self.notify();
        }
        r
    }

    /// `event_callback_activate_later_nolock_`.
    ///
    /// # Safety
    /// Lock held; `evcb` is live.
    pub(crate) unsafe fn callback_activate_later_nolock(&mut self, evcb: *mut event_callback) -> bool {
        // SAFETY: live per the caller.
        if unsafe { (*evcb).evcb_flags } & (EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) != 0 {
            return false;
        }
        // SAFETY: live.
        unsafe { self.queue_insert_active_later(evcb) };
        if self.need_notify() {
            self.notify();
        }
        true
    }

    /// `event_callback_cancel_nolock_` for non-event callbacks.
    ///
    /// # Safety
    /// Lock held; `evcb` is live.
    pub(crate) unsafe fn callback_cancel_nolock(&mut self, evcb: *mut event_callback, even_if_finalizing: bool) {
        // SAFETY: live per the caller.
        let f = unsafe { (*evcb).evcb_flags };
        if f & EVLIST_FINALIZING != 0 && !even_if_finalizing {
            return;
        }
        if f & EVLIST_INIT != 0 {
            let mode = if even_if_finalizing { DelMode::EvenIfFinalizing } else { DelMode::AutoBlock };
            // SAFETY: an event.
            let _ = unsafe { self.del_nolock(cb_to_event(evcb), mode) };
            return;
        }
        // SAFETY: on whichever queue its flags say.
        unsafe { self.remove_any_active(evcb) };
    }

    /// `event_deferred_cb_schedule_`.
    pub(crate) unsafe fn deferred_schedule(&mut self, evcb: *mut event_callback) -> bool {
        if self.n_deferreds_queued > MAX_DEFERREDS_QUEUED {
            // SAFETY: forwarded.
            unsafe { self.callback_activate_later_nolock(evcb) }
        } else {
            // SAFETY: forwarded.
            let r = unsafe { self.callback_activate_nolock(evcb) };
            if r {
                self.n_deferreds_queued += 1;
            }
            r
        }
    }

    /// `event_remove_timer_nolock_`.
    pub(crate) unsafe fn remove_timer_nolock(&mut self, ev: *mut Event) -> c_int {
        // SAFETY: live per the caller.
        unsafe {
            if (*ev).flags() & EVLIST_TIMEOUT != 0 {
                self.queue_remove_timeout(ev);
                (*ev).set_io_timeout(tv_zero());
            }
        }
        0
    }

    /// `event_finalize_nolock_`.
    pub(crate) unsafe fn finalize_nolock(
        &mut self,
        free: bool,
        ev: *mut Event,
        cb: Option<unsafe extern "C" fn(*mut Event, *mut c_void)>,
    ) {
        // SAFETY: live per the caller.
        unsafe {
            let _ = self.del_nolock(ev, DelMode::NoBlock);
            (*ev).ev_evcallback.evcb_closure =
                if free { EV_CLOSURE_EVENT_FINALIZE_FREE } else { EV_CLOSURE_EVENT_FINALIZE };
            (*ev).ev_evcallback.evcb_cb_union.evcb_evfinalize = cb;
            self.active_nolock(ev, EV_FINALIZE as c_int, 1);
            (*ev).ev_evcallback.evcb_flags |= EVLIST_FINALIZING;
        }
    }

    /// `event_callback_finalize_nolock_`: for deferred-style callbacks (bufferevent teardown).
    pub(crate) unsafe fn callback_finalize_nolock(
        &mut self,
        evcb: *mut event_callback,
        cb: unsafe extern "C" fn(*mut event_callback, *mut c_void),
    ) {
        // SAFETY: live per the caller.
        unsafe {
            if (*evcb).evcb_flags & EVLIST_INIT != 0 {
                let _ = self.del_nolock(cb_to_event(evcb), DelMode::NoBlock);
            } else {
                self.callback_cancel_nolock(evcb, false);
            }
            (*evcb).evcb_closure = EV_CLOSURE_CB_FINALIZE;
            (*evcb).evcb_cb_union.evcb_cbfinalize = Some(cb);
            self.callback_activate_nolock(evcb);
            (*evcb).evcb_flags |= EVLIST_FINALIZING;
        }
    }

    // ----- priorities -----

    /// `event_base_priority_init`.
    pub(crate) fn priority_init(&mut self, npriorities: c_int) -> c_int {
        if self.n_active() > 0 || !(1..256).contains(&npriorities) {
            return -1;
        }
        if npriorities as usize == self.activequeues.len() {
            return 0;
        }
        self.activequeues = vec![CbQueue::EMPTY; npriorities as usize];
        0
    }

    // ----- timers -----

    /// `timeout_next`: how long the poller may sleep (None = forever).
    fn timeout_next(&mut self) -> Option<timeval> {
        let top = self.timeheap.top();
        if top.is_null() {
            return None;
        }
        let now = self.gettime();
        // SAFETY: heap members are live.
        let t = unsafe { (*top).ev_timeout };
        if !tv_gt(&t, &now) {
            return Some(tv_zero());
        }
        Some(tv_sub(&t, &now))
    }

    /// `timeout_process`: activates every event whose deadline passed.
    fn timeout_process(&mut self) {
        if self.timeheap.is_empty() {
            return;
        }
        let now = self.gettime();
        loop {
            let ev = self.timeheap.top();
            if ev.is_null() {
                break;
            }
            // SAFETY: heap members are live.
            unsafe {
                if tv_gt(&(*ev).ev_timeout, &now) {
                    break;
                }
                let _ = self.del_nolock(ev, DelMode::NoBlock);
                self.active_nolock(ev, EV_TIMEOUT as c_int, 1);
            }
        }
    }

    /// `event_base_init_common_timeout`.
    pub(crate) fn init_common_timeout(&mut self, duration: &timeval) -> *const timeval {
        let mut d = *duration;
        if d.tv_usec > 1_000_000 {
            if is_common_timeout(&d, self.common_timeouts.len()) {
                d.tv_usec &= MICROSECONDS_MASK;
            }
            d.tv_sec += d.tv_usec / 1_000_000;
            d.tv_usec %= 1_000_000;
        }
        for ctl in &self.common_timeouts {
            if d.tv_sec == ctl.duration.tv_sec && d.tv_usec == (ctl.duration.tv_usec & MICROSECONDS_MASK) {
                return &ctl.duration;
            }
        }
        if self.common_timeouts.len() == MAX_COMMON_TIMEOUTS {
            crate::ev_warn!(
                "event_base_init_common_timeout: Too many common timeouts already in use; we only support {} per event_base",
                MAX_COMMON_TIMEOUTS
            );
            return ptr::null();
        }
        let n = self.common_timeouts.len() as i64;
        // SAFETY: an all-zero `struct event` is a valid unassigned event.
        let mut ctl = Box::new(CommonTimeout {
            duration: timeval {
                tv_sec: d.tv_sec,
                tv_usec: d.tv_usec | COMMON_TIMEOUT_MAGIC | (n << COMMON_TIMEOUT_IDX_SHIFT),
            },
            head: ptr::null_mut(),
            tail: ptr::null_mut(),
            // SAFETY: an all-zero struct event is a valid, unassigned event.
            timeout_event: unsafe { std::mem::zeroed() },
            base: self.self_ptr,
        });
        let ctl_ptr: *mut CommonTimeout = &mut *ctl;
        let nq = self.nactivequeues();
        assign_raw(
            &mut ctl.timeout_event,
            self.self_ptr as *mut EventBase,
            nq,
            -1,
            0,
            Some(common_timeout_callback),
            ctl_ptr.cast(),
        );
        ctl.timeout_event.ev_evcallback.evcb_flags |= EVLIST_INTERNAL;
        ctl.timeout_event.ev_evcallback.evcb_pri = 0;
        self.common_timeouts.push(ctl);
        &self.common_timeouts.last().expect("just pushed").duration
    }

    unsafe fn common_timeout_schedule(&mut self, ctl: *mut CommonTimeout, head: *mut Event) {
        // SAFETY: `ctl` is one of our boxes; `head` is live.
        unsafe {
            let mut t = (*head).ev_timeout;
            t.tv_usec &= MICROSECONDS_MASK;
            self.add_nolock(&mut (*ctl).timeout_event, Some(&t), true);
        }
    }

    // ----- signals -----

    unsafe fn signal_add(&mut self, ev: *mut Event) -> c_int {
        // SAFETY: live per the caller.
        let sig = unsafe { (*ev).ev_fd };
        if sig < 0 || sig as usize >= signal::NSIG {
            crate::ev_warn!("evsig_add: signal {sig} is out of range (1..{})", signal::NSIG - 1);
            return -1;
        }
        if self.sig_registry.is_none() {
            match signal::SignalRegistry::new() {
                Ok(r) => {
                    let fd = r.read_fd();
                    let mut src = mio::unix::SourceFd(&fd);
                    if let Err(e) = self.poller.poll.registry().register(
                        &mut src,
                        mio::Token(TOKEN_SIGNAL),
                        mio::Interest::READABLE,
                    ) {
                        crate::ev_warn!("evsig_init_: {e}");
                        return -1;
                    }
                    self.sig_registry = Some(r);
                }
                Err(e) => {
                    crate::ev_warn!("evsig_init_: {e}");
                    return -1;
                }
            }
        }
        if self.sig_lists.len() <= sig as usize {
            self.sig_lists.resize(signal::NSIG, ptr::null_mut());
        }
        let first = self.sig_lists[sig as usize].is_null();
        if first {
            let cur = SIG_BASE.load(std::sync::atomic::Ordering::Acquire);
            if !cur.is_null() && !ptr::eq(cur, self.self_ptr) {
                // SAFETY: SIG_BASE is cleared before its base is freed.
                let other_has = unsafe { (*cur).with(|o| o.n_sigs > 0) };
                if other_has {
                    crate::ev_warn!(
                        "Added a signal to event base {:p} with signals already added to event_base {:p}.  Only one can have signals at a time with the {} backend.  The base with the most recently added signal or the most recent event_base_loop() call gets preference; do not rely on this behavior in future Libevent versions.",
                        self.self_ptr,
                        cur,
                        self.method.name.to_str().unwrap_or("")
                    );
                }
            }
            let reg = self.sig_registry.as_mut().expect("created above");
            if reg.add(sig).is_err() {
                return -1;
            }
            self.n_sigs += 1;
            self.become_signal_base();
        }
        // SAFETY: link `ev` at the head of the per-signal list (prev = previous element).
        unsafe {
            let head = self.sig_lists[sig as usize];
            let l = &mut (*ev).ev_.ev_signal.ev_signal_next;
            l.le_next = head;
            l.le_prev = ptr::null_mut();
            if !head.is_null() {
                (*head).ev_.ev_signal.ev_signal_next.le_prev = ev.cast();
            }
        }
        self.sig_lists[sig as usize] = ev;
        if first {
            1
        } else {
            0
        }
    }

    /// `evsig_set_base_`: this base now receives the signals.
    pub(crate) fn become_signal_base(&mut self) {
        let me = self.self_ptr as *mut EventBase;
        let cur = SIG_BASE.load(std::sync::atomic::Ordering::Acquire);
        if ptr::eq(cur, me) {
            return;
        }
        if !cur.is_null() {
            // SAFETY: SIG_BASE is cleared before its base is freed; its state is reached
            // through its own lock (recursive), never while we hold a borrow of it.
            unsafe { (*cur).with(|o| o.stash_signals()) };
        }
        // What reached our pipe while another base was the signal base is not ours.
        let mut junk = std::mem::take(&mut self.sig_caught);
        if let Some(r) = self.sig_registry.as_mut() {
            r.drain(&mut junk);
        }
        junk.clear();
        self.sig_caught = junk;
        SIG_BASE.store(me, std::sync::atomic::Ordering::Release);
    }

    /// Losing the signal-base role: keep what already arrived, to run on our next turn.
    fn stash_signals(&mut self) {
        let before = self.sig_kept.len();
        if let Some(r) = self.sig_registry.as_mut() {
            r.drain(&mut self.sig_kept);
        }
        if self.sig_kept.len() > before {
            let cb: *mut event_callback = &mut *self.sig_evcb;
            // SAFETY: our own internal callback.
            unsafe { self.callback_activate_nolock(cb) };
        }
    }

    /// Returns true when the signal's last event went (interest changed).
    unsafe fn signal_del(&mut self, ev: *mut Event) -> bool {
        // SAFETY: live per the caller and on its signal's list.
        unsafe {
            let sig = (*ev).ev_fd as usize;
            let l = (*ev).ev_.ev_signal.ev_signal_next;
            let prev: *mut Event = l.le_prev.cast();
            if prev.is_null() {
                self.sig_lists[sig] = l.le_next;
            } else {
                (*prev).ev_.ev_signal.ev_signal_next.le_next = l.le_next;
            }
            if !l.le_next.is_null() {
                (*l.le_next).ev_.ev_signal.ev_signal_next.le_prev = prev.cast();
            }
            if self.sig_lists[sig].is_null() {
                if let Some(r) = self.sig_registry.as_mut() {
                    r.del(sig as c_int);
                }
                self.n_sigs -= 1;
                return true;
            }
        }
        false
    }

    /// `evmap_signal_active_`.
    pub(crate) fn signal_active(&mut self, sig: c_int, ncalls: c_short) {
        if sig < 0 || sig as usize >= self.sig_lists.len() {
            return;
        }
        let mut ev = self.sig_lists[sig as usize];
        while !ev.is_null() {
            // SAFETY: list members are live.
            unsafe {
                let next = (*ev).ev_.ev_signal.ev_signal_next.le_next;
                self.active_nolock(ev, EV_SIGNAL as c_int, ncalls);
                ev = next;
            }
        }
    }

    /// `evmap_io_active_`.
    #[inline]
    pub(crate) fn io_active(&mut self, fd: c_int, what: c_short) {
        let Some(slot) = self.poller.slot_ref(fd) else { return };
        let mut ev = slot.head;
        while !ev.is_null() {
            // SAFETY: list members are live.
            unsafe {
                let next = (*ev).ev_.ev_io.ev_io_next.le_next;
                let evs = (*ev).ev_events;
                if evs & (what & !EV_ET) != 0 {
                    self.active_nolock(ev, (evs & what) as c_int, 1);
                }
                ev = next;
            }
        }
    }

    // ----- once -----

    unsafe fn once_link(&mut self, o: *mut OnceEvent) {
        // SAFETY: `o` is a fresh allocation.
        unsafe {
            (*o).next = self.once_head;
            (*o).prev = ptr::null_mut();
            if !self.once_head.is_null() {
                (*self.once_head).prev = o;
            }
        }
        self.once_head = o;
    }

    unsafe fn once_unlink(&mut self, o: *mut OnceEvent) {
        // SAFETY: `o` is on our list.
        unsafe {
            if (*o).prev.is_null() {
                self.once_head = (*o).next;
            } else {
                (*(*o).prev).next = (*o).next;
            }
            if !(*o).next.is_null() {
                (*(*o).next).prev = (*o).prev;
            }
        }
    }

    // ----- teardown hooks -----

    /// Registers `f(arg)` to run when the base is freed (see `teardown`).
    pub(crate) fn add_teardown(&mut self, f: unsafe fn(*mut c_void), arg: *mut c_void) {
        self.teardown.push((f, arg));
    }

    /// Forgets the hook registered for `arg`.
    pub(crate) fn remove_teardown(&mut self, arg: *mut c_void) {
        if let Some(k) = self.teardown.iter().position(|&(_, a)| a == arg) {
            self.teardown.swap_remove(k);
        }
    }

    // ----- misc queries -----

    pub(crate) fn get_num_events(&self, type_: u32) -> c_int {
        let mut r = 0;
        if type_ & 1 != 0 {
            r += self.event_count_active;
        }
        if type_ & 2 != 0 {
            r += self.virtual_event_count;
        }
        if type_ & 4 != 0 {
            r += self.event_count;
        }
        r
    }

    pub(crate) fn get_max_events(&mut self, type_: u32, clear: bool) -> c_int {
        let mut r = 0;
        if type_ & 1 != 0 {
            r += self.event_count_active_max;
            if clear {
                self.event_count_active_max = 0;
            }
        }
        if type_ & 2 != 0 {
            r += self.virtual_event_count_max;
            if clear {
                self.virtual_event_count_max = 0;
            }
        }
        if type_ & 4 != 0 {
            r += self.event_count_max;
            if clear {
                self.event_count_max = 0;
            }
        }
        r
    }

    pub(crate) fn set_break(&mut self) {
        self.event_break = true;
        if self.need_notify() {
            self.notify();
        }
    }

    pub(crate) fn set_continue(&mut self) {
        self.event_continue = true;
        if self.need_notify() {
            self.notify();
        }
    }

    pub(crate) fn is_running(&self) -> bool {
        self.running_loop
    }

    pub(crate) fn got_break(&self) -> bool {
        self.event_break
    }

    pub(crate) fn got_exit(&self) -> bool {
        self.event_gotterm
    }

    pub(crate) fn set_gotterm(&mut self) {
        self.event_gotterm = true;
    }

    pub(crate) fn current_event(&self) -> *mut event_callback {
        self.current_event
    }

    pub(crate) fn flags(&self) -> c_int {
        self.flags
    }

    /// Every event that is added or active, as `event_base_foreach_event` visits them:
    /// inserted (fd, then signals), then timeout-only, then active-only. evshim's own
    /// [`EVLIST_X_HIDDEN`] events, which libevent does not have, are left out.
    pub(crate) fn collect_events(&self) -> Vec<*mut Event> {
        let mut v = self.collect_all_events();
        // SAFETY: events known to the base are live while they are added or queued.
        v.retain(|&e| unsafe { (*e).flags() } & EVLIST_X_HIDDEN == 0);
        v
    }

    fn collect_all_events(&self) -> Vec<*mut Event> {
        let mut v = Vec::new();
        for s in &self.poller.fds {
            let mut ev = s.head;
            while !ev.is_null() {
                v.push(ev);
                // SAFETY: list members are live.
                ev = unsafe { (*ev).ev_.ev_io.ev_io_next.le_next };
            }
        }
        for &h in &self.sig_lists {
            let mut ev = h;
            while !ev.is_null() {
                v.push(ev);
                // SAFETY: list members are live.
                ev = unsafe { (*ev).ev_.ev_signal.ev_signal_next.le_next };
            }
        }
        for ev in self.timeheap.iter() {
            // SAFETY: heap members are live.
            let f = unsafe { (*ev).flags() };
            if f & EVLIST_INSERTED == 0 {
                v.push(ev);
            }
        }
        for ctl in &self.common_timeouts {
            let mut ev = ctl.head;
            while !ev.is_null() {
                // SAFETY: events known to the base are live while they are added or queued.
                let f = unsafe { (*ev).flags() };
                if f & EVLIST_INSERTED == 0 {
                    v.push(ev);
                }
                // SAFETY: events known to the base are live while they are added or queued.
                ev = unsafe { (*ev).ev_timeout_pos.ev_next_with_common_timeout.tqe_next };
            }
        }
        for q in &self.activequeues {
            let mut cb = q.head;
            while !cb.is_null() {
                // SAFETY: events known to the base are live while they are added or queued.
                let f = unsafe { (*cb).evcb_flags };
                if f & (EVLIST_INIT | EVLIST_INSERTED | EVLIST_TIMEOUT) == EVLIST_INIT {
                    v.push(cb_to_event(cb));
                }
                // SAFETY: events known to the base are live while they are added or queued.
                cb = unsafe { (*cb).evcb_active_next.tqe_next };
            }
        }
        v
    }

    /// `event_reinit` after fork.
    pub(crate) fn reinit(&mut self) -> c_int {
        let had_waker = self.poller.waker.is_some();
        if let Err(e) = self.poller.reinit() {
            crate::ev_warn!("event_reinit: {e}");
            return -1;
        }
        let mut res = 0;
        if had_waker && self.make_notifiable().is_err() {
            res = -1;
        }
        if let Some(r) = self.sig_registry.as_mut() {
            if r.reinit().is_err() {
                res = -1;
            } else {
                let fd = r.read_fd();
                let mut src = mio::unix::SourceFd(&fd);
                if self
                    .poller
                    .poll
                    .registry()
                    .register(&mut src, mio::Token(TOKEN_SIGNAL), mio::Interest::READABLE)
                    .is_err()
                {
                    res = -1;
                }
            }
        }
        res
    }
}

/// Inserts `ev` in `ctl`'s FIFO, searching from the tail like libevent.
unsafe fn insert_common_timeout_inorder(ctl: *mut CommonTimeout, ev: *mut Event) {
    // SAFETY: `ctl` is live and its members are live events.
    unsafe {
        let mut e = (*ctl).tail;
        while !e.is_null() {
            if !tv_gt(&(*e).ev_timeout, &(*ev).ev_timeout) {
                // Insert after e.
                let next = (*e).ev_timeout_pos.ev_next_with_common_timeout.tqe_next;
                (*ev).ev_timeout_pos.ev_next_with_common_timeout =
                    event_tailq_entry { tqe_next: next, tqe_prev: e.cast() };
                (*e).ev_timeout_pos.ev_next_with_common_timeout.tqe_next = ev;
                if next.is_null() {
                    (*ctl).tail = ev;
                } else {
                    (*next).ev_timeout_pos.ev_next_with_common_timeout.tqe_prev = ev.cast();
                }
                return;
            }
            e = (*e).ev_timeout_pos.ev_next_with_common_timeout.tqe_prev.cast();
        }
        let head = (*ctl).head;
        (*ev).ev_timeout_pos.ev_next_with_common_timeout =
            event_tailq_entry { tqe_next: head, tqe_prev: ptr::null_mut() };
        if head.is_null() {
            (*ctl).tail = ev;
        } else {
            (*head).ev_timeout_pos.ev_next_with_common_timeout.tqe_prev = ev.cast();
        }
        (*ctl).head = ev;
    }
}

unsafe fn common_remove(ctl: *mut CommonTimeout, ev: *mut Event) {
    // SAFETY: `ev` is on `ctl`'s list.
    unsafe {
        let l = (*ev).ev_timeout_pos.ev_next_with_common_timeout;
        let prev: *mut Event = l.tqe_prev.cast();
        if prev.is_null() {
            (*ctl).head = l.tqe_next;
        } else {
            (*prev).ev_timeout_pos.ev_next_with_common_timeout.tqe_next = l.tqe_next;
        }
        if l.tqe_next.is_null() {
            (*ctl).tail = prev;
        } else {
            (*l.tqe_next).ev_timeout_pos.ev_next_with_common_timeout.tqe_prev = prev.cast();
        }
        (*ev).ev_timeout_pos.min_heap_idx = -1;
    }
}

/// The internal timer of a common-timeout queue fired: activate every due event.
unsafe extern "C" fn common_timeout_callback(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let ctl: *mut CommonTimeout = arg.cast();
    // SAFETY: `ctl` is a live box owned by its base; the base is live while its loop runs.
    unsafe {
        let base = &*(*ctl).base;
        base.acquire();
        let i = base.inner();
        let now = i.gettime();
        let mut ev;
        loop {
            ev = (*ctl).head;
            if ev.is_null() {
                break;
            }
            let t = (*ev).ev_timeout;
            if t.tv_sec > now.tv_sec || (t.tv_sec == now.tv_sec && (t.tv_usec & MICROSECONDS_MASK) > now.tv_usec) {
                break;
            }
            let _ = i.del_nolock(ev, DelMode::NoBlock);
            i.active_nolock(ev, EV_TIMEOUT as c_int, 1);
        }
        if !ev.is_null() {
            i.common_timeout_schedule(ctl, ev);
        }
        base.release();
    }
}

/// The internal signal callback: drain the registry and activate the signal events.
unsafe extern "C" fn signal_cb(_evcb: *mut event_callback, arg: *mut c_void) {
    // SAFETY: `arg` is the base that owns this callback; it runs on that base's loop.
    unsafe {
        let base = &*(arg as *const EventBase);
        base.acquire();
        let i = base.inner();
        let mut caught = std::mem::take(&mut i.sig_caught);
        caught.clear();
        if let Some(r) = i.sig_registry.as_mut() {
            r.drain(&mut caught);
        }
        if !ptr::eq(SIG_BASE.load(std::sync::atomic::Ordering::Acquire), i.self_ptr) {
            caught.clear();
        }
        if !i.sig_kept.is_empty() {
            let kept = std::mem::take(&mut i.sig_kept);
            caught.splice(0..0, kept);
        }
        for &(sig, n) in &caught {
            i.signal_active(sig, n.min(c_short::MAX as u32) as c_short);
        }
        i.sig_caught = caught;
        base.release();
    }
}

/// `event_assign` without checks: fills every field libevent fills.
pub(crate) fn assign_raw(
    ev: *mut Event,
    base: *mut EventBase,
    nactivequeues: c_int,
    fd: c_int,
    events: c_short,
    cb: Option<Callback>,
    arg: *mut c_void,
) {
    // SAFETY: `ev` points to writable memory of `struct event` size (caller's promise).
    unsafe {
        (*ev).ev_base = base.cast();
        (*ev).ev_evcallback.evcb_cb_union.evcb_callback = cb;
        (*ev).ev_evcallback.evcb_arg = arg;
        (*ev).ev_fd = fd;
        (*ev).ev_events = events;
        (*ev).ev_res = 0;
        (*ev).ev_evcallback.evcb_flags = EVLIST_INIT;
        (*ev).ev_.ev_signal.ev_ncalls = 0;
        (*ev).ev_.ev_signal.ev_pncalls = ptr::null_mut();
        (*ev).ev_evcallback.evcb_closure = if events & EV_SIGNAL != 0 {
            EV_CLOSURE_EVENT_SIGNAL
        } else if events & EV_PERSIST != 0 {
            (*ev).set_io_timeout(tv_zero());
            EV_CLOSURE_EVENT_PERSIST
        } else {
            EV_CLOSURE_EVENT
        };
        (*ev).set_heap_idx(-1);
        if !base.is_null() {
            (*ev).ev_evcallback.evcb_pri = (nactivequeues / 2) as u8;
        }
    }
}

// ----- the loop -----

/// `event_base_loop`.
///
/// # Safety
/// `b` is a live base; callbacks may re-enter the API but must not free it.
pub(crate) unsafe fn base_loop(b: &EventBase, flags: c_int) -> c_int {
    b.acquire();
    {
        // SAFETY: lock held.
        let i = unsafe { b.inner() };
        if i.running_loop {
            crate::ev_warn!(
                "event_base_loop: reentrant invocation.  Only one event_base_loop can run on each event_base at once."
            );
            b.release();
            return -1;
        }
        i.running_loop = true;
        i.clear_time_cache();
        i.th_owner_id = crate::sync::current_thread_id();
        if i.n_sigs > 0 {
            i.become_signal_base();
        }
        i.event_gotterm = false;
        i.event_break = false;
    }
    let mut retval = 0;
    let mut done = false;
    while !done {
        // SAFETY: lock held; borrow ends before any callback.
        let i = unsafe { b.inner() };
        i.event_continue = false;
        i.n_deferreds_queued = 0;
        if i.event_gotterm || i.event_break {
            break;
        }
        let tv = if i.n_active() == 0 && flags & EVLOOP_NONBLOCK == 0 { i.timeout_next() } else { Some(tv_zero()) };
        if flags & EVLOOP_NO_EXIT_ON_EMPTY == 0 && !i.haveevents() && i.n_active() == 0 {
            crate::ev_debug!("event_base_loop: no events registered.");
            retval = 1;
            break;
        }
        i.make_later_events_active();
        i.clear_time_cache();
        // SAFETY: lock held on entry and exit.
        if unsafe { dispatch(b, tv) } < 0 {
            retval = -1;
            break;
        }
        // SAFETY: lock held.
        let i = unsafe { b.inner() };
        i.update_time_cache();
        i.timeout_process();
        if i.n_active() > 0 {
            // SAFETY: lock held.
            let n = unsafe { process_active(b) };
            // SAFETY: lock held again.
            let i = unsafe { b.inner() };
            if flags & EVLOOP_ONCE != 0 && i.n_active() == 0 && n != 0 {
                done = true;
            }
        } else if flags & EVLOOP_NONBLOCK != 0 {
            done = true;
        }
    }
    // SAFETY: lock held.
    let i = unsafe { b.inner() };
    i.clear_time_cache();
    i.running_loop = false;
    b.release();
    retval
}

/// One poll: waits (lock released) and activates what became ready.
unsafe fn dispatch(b: &EventBase, tv: Option<timeval>) -> c_int {
    // SAFETY: lock held.
    let i = unsafe { b.inner() };
    let mut timeout = match tv {
        None => -1,
        Some(t) => {
            let ms = tv_to_msec(&t);
            if !(0..=MAX_EPOLL_TIMEOUT_MSEC).contains(&ms) {
                MAX_EPOLL_TIMEOUT_MSEC
            } else {
                ms
            }
        }
    } as c_int;
    if !i.poller.refused.is_empty() {
        timeout = 0;
    }
    let et_mark =
        if ptr::eq(i.method.name, METHODS[0].name) || i.method.features & EV_FEATURE_ET != 0 { EV_ET } else { 0 };
    if i.poller.poll_semantics && i.poller.find_closed() > 0 {
        if i.poller.no_closed {
            // libevent's select backend: select() fails on a closed fd.
            crate::ev_warn!("select: {}", crate::log::errno_text(libc::EBADF));
            return -1;
        }
        timeout = 0;
    }
    // Level-triggered emulation (see poller.rs): last turn's LT fds that are still ready come
    // first, where the LT kernel's ready list has them.
    let probed = i.poller.probe();
    if probed > 0 {
        timeout = 0;
        for k in 0..i.poller.pfds.len() {
            let p = i.poller.pfds[k];
            if p.revents != 0 {
                let what = i.poller.report(p.fd, p.revents as u16 as u32);
                if what != 0 {
                    i.io_active(p.fd, what | et_mark);
                }
            }
        }
    }
    let epfd = i.poller.epfd;
    let buf = i.poller.buf;
    // SAFETY: only the loop thread uses `buf`.
    let cap = unsafe { (*buf).len() };
    // The LT kernel would have returned at most `cap` results, the probed ones included.
    let maxevents = cap.saturating_sub(probed).max(1);
    b.release();
    // Raw epoll_wait on mio's epoll fd (registrations all go through mio::Registry): the
    // exact event bits are needed for libevent's HUP/RDHUP mapping, which mio::event::Event
    // cannot express.
    // SAFETY: only the loop thread uses `buf`; it is a separate allocation of `cap` entries.
    let n = unsafe {
        let v = &mut *buf;
        libc::epoll_wait(epfd, v.as_mut_ptr(), maxevents as c_int, timeout)
    };
    let err = if n < 0 { std::io::Error::last_os_error().raw_os_error().unwrap_or(0) } else { 0 };
    b.acquire();
    // SAFETY: lock held again.
    let i = unsafe { b.inner() };
    i.is_notify_pending = false;
    if n < 0 {
        if err != libc::EINTR {
            crate::ev_warn!("epoll_wait: {}", crate::log::errno_text(err));
            return -1;
        }
        return 0;
    }
    for k in 0..n as usize {
        // SAFETY: the kernel filled `n` entries.
        let e = unsafe { (&*buf)[k] };
        let data = e.u64 as usize;
        match data {
            TOKEN_WAKER => {}
            TOKEN_SIGNAL => {
                let cb: *mut event_callback = &mut *i.sig_evcb;
                // SAFETY: our own internal callback.
                unsafe { i.callback_activate_nolock(cb) };
            }
            fd => {
                let raw = i.poller.effective(fd as c_int, e.events);
                let what = i.poller.report(fd as c_int, raw);
                if what != 0 {
                    i.io_active(fd as c_int, what | et_mark);
                }
            }
        }
    }
    let total = n as usize + probed;
    if total >= cap {
        // A full batch: ready fds may remain in the kernel's list ahead of this turn's.
        i.poller.rearm_maybe();
    }
    for k in 0..i.poller.nval.len() {
        // libevent's poll backend: POLLNVAL counts as readable and writable.
        let fd = i.poller.nval[k];
        i.io_active(fd, EV_READ | EV_WRITE);
    }
    if !i.poller.refused.is_empty() {
        for k in 0..i.poller.refused.len() {
            let fd = i.poller.refused[k];
            let s = i.poller.fds[fd as usize];
            let mut what = 0;
            if s.nread > 0 {
                what |= EV_READ;
            }
            if s.nwrite > 0 {
                what |= EV_WRITE;
            }
            i.io_active(fd, what);
        }
    }
    i.poller.maybe_grow(total);
    0
}

/// `event_process_active`.
unsafe fn process_active(b: &EventBase) -> c_int {
    // SAFETY: lock held.
    let i = unsafe { b.inner() };
    let endtime = match i.max_dispatch_time {
        Some(t) => {
            i.update_time_cache();
            let now = i.gettime();
            Some(tv_add(&t, &now))
        }
        None => None,
    };
    let maxcb = i.max_dispatch_callbacks;
    let limit_after = i.limit_callbacks_after_prio;
    let nq = i.activequeues.len();
    let mut c = 0;
    for q in 0..nq {
        // SAFETY: lock held (re-derived each iteration: callbacks ran in between).
        let i = unsafe { b.inner() };
        if q >= i.activequeues.len() {
            break;
        }
        if !i.activequeues[q].head.is_null() {
            i.event_running_priority = q as c_int;
            // SAFETY: lock held.
            c = unsafe {
                if (q as c_int) < limit_after {
                    process_single_queue(b, q, c_int::MAX, None)
                } else {
                    process_single_queue(b, q, maxcb, endtime)
                }
            };
            if c != 0 {
                break;
            }
        }
    }
    // SAFETY: lock held.
    unsafe { b.inner() }.event_running_priority = -1;
    c
}

/// `event_process_active_single_queue`: runs queue `q` in FIFO order, releasing the lock
/// around each callback. -1 when a break was requested.
unsafe fn process_single_queue(b: &EventBase, q: usize, max: c_int, endtime: Option<timeval>) -> c_int {
    let mut count = 0;
    loop {
        // SAFETY: lock held; this borrow ends before the callback is invoked.
        let i = unsafe { b.inner() };
        let evcb = i.activequeues[q].head;
        if evcb.is_null() {
            break;
        }
        // SAFETY: `evcb` is a live queued callback; we hold the lock.
        unsafe {
            let flags = (*evcb).evcb_flags;
            let mut ev: *mut Event = ptr::null_mut();
            if flags & EVLIST_INIT != 0 {
                ev = cb_to_event(evcb);
                if (*ev).ev_events & EV_PERSIST != 0 || flags & EVLIST_FINALIZING != 0 {
                    i.queue_remove_active(evcb);
                } else {
                    let _ = i.del_nolock(ev, DelMode::NoBlock);
                }
            } else {
                i.queue_remove_active(evcb);
            }
            if flags & EVLIST_INTERNAL == 0 {
                count += 1;
            }
            i.current_event = evcb;
            i.current_event_waiters = 0;
            match (*evcb).evcb_closure {
                EV_CLOSURE_EVENT_SIGNAL => signal_closure(b, ev),
                EV_CLOSURE_EVENT_PERSIST => persist_closure(b, ev),
                EV_CLOSURE_EVENT => {
                    let cb = (*ev).callback();
                    let (fd, res, arg) = ((*ev).ev_fd, (*ev).ev_res, (*ev).ev_evcallback.evcb_arg);
                    b.release();
                    if let Some(f) = cb {
                        f(fd, res, arg);
                    }
                }
                EV_CLOSURE_CB_SELF => {
                    let f = (*evcb).evcb_cb_union.evcb_selfcb;
                    let arg = (*evcb).evcb_arg;
                    b.release();
                    if let Some(f) = f {
                        f(evcb, arg);
                    }
                }
                c @ (EV_CLOSURE_EVENT_FINALIZE | EV_CLOSURE_EVENT_FINALIZE_FREE) => {
                    i.current_event = ptr::null_mut();
                    let f = (*evcb).evcb_cb_union.evcb_evfinalize;
                    let arg = (*evcb).evcb_arg;
                    b.release();
                    thread::debug_note_teardown(ev);
                    if let Some(f) = f {
                        f(ev, arg);
                    }
                    if c == EV_CLOSURE_EVENT_FINALIZE_FREE {
                        crate::mm::free(ev.cast());
                    }
                }
                EV_CLOSURE_CB_FINALIZE => {
                    i.current_event = ptr::null_mut();
                    let f = (*evcb).evcb_cb_union.evcb_cbfinalize;
                    let arg = (*evcb).evcb_arg;
                    b.release();
                    if let Some(f) = f {
                        f(evcb, arg);
                    }
                }
                _ => {
                    b.release();
                }
            }
        }
        b.acquire();
        // SAFETY: lock held again; fresh borrow after the callback.
        let i = unsafe { b.inner() };
        i.current_event = ptr::null_mut();
        if i.current_event_waiters > 0 {
            i.current_event_waiters = 0;
            if let Some(c) = &b.cond {
                c.broadcast();
            }
        }
        if i.event_break {
            return -1;
        }
        if count >= max {
            return count;
        }
        if count > 0 {
            if let Some(end) = endtime {
                i.update_time_cache();
                let now = i.gettime();
                if !tv_gt(&end, &now) {
                    return count;
                }
            }
        }
        if i.event_continue {
            break;
        }
    }
    count
}

/// `event_persist_closure`: re-arm the timeout relative to the last scheduled run, then
/// call. Returns with the lock released.
unsafe fn persist_closure(b: &EventBase, ev: *mut Event) {
    // SAFETY: lock held; `ev` live (it was just dequeued).
    unsafe {
        let i = b.inner();
        let io_tv = (*ev).io_timeout();
        if tv_isset(&io_tv) {
            let now = i.gettime();
            let mut delay = io_tv;
            let mut usec_mask = 0;
            let mut relative_to;
            if is_common_timeout(&(*ev).ev_timeout, i.common_timeouts.len()) {
                usec_mask = delay.tv_usec & !MICROSECONDS_MASK;
                delay.tv_usec &= MICROSECONDS_MASK;
                if (*ev).ev_res & EV_TIMEOUT != 0 {
                    relative_to = (*ev).ev_timeout;
                    relative_to.tv_usec &= MICROSECONDS_MASK;
                } else {
                    relative_to = now;
                }
            } else if (*ev).ev_res & EV_TIMEOUT != 0 {
                relative_to = (*ev).ev_timeout;
            } else {
                relative_to = now;
            }
            let mut run_at = tv_add(&relative_to, &delay);
            if tv_gt(&now, &run_at) {
                run_at = tv_add(&now, &delay);
            }
            run_at.tv_usec |= usec_mask;
            i.add_nolock(ev, Some(&run_at), true);
        }
        let cb = (*ev).callback();
        let (fd, res, arg) = ((*ev).ev_fd, (*ev).ev_res, (*ev).ev_evcallback.evcb_arg);
        b.release();
        if let Some(f) = cb {
            f(fd, res, arg);
        }
    }
}

/// `event_signal_closure`: call the callback `ncalls` times; `event_del` from inside zeroes
/// our counter through `ev_pncalls`. Returns with the lock released.
unsafe fn signal_closure(b: &EventBase, ev: *mut Event) {
    let mut ncalls: c_short;
    let pn: *mut c_short;
    // SAFETY: lock held; `ev` live. `ncalls` lives until we return, and `ev_pncalls` is
    // cleared before that, so no dangling pointer escapes.
    unsafe {
        ncalls = (*ev).ev_.ev_signal.ev_ncalls;
        pn = &mut ncalls;
        if ncalls != 0 {
            (*ev).ev_.ev_signal.ev_pncalls = pn;
        }
        b.release();
        loop {
            let mut n = ptr::read_volatile(pn);
            if n == 0 {
                break;
            }
            n -= 1;
            ptr::write_volatile(pn, n);
            (*ev).ev_.ev_signal.ev_ncalls = n;
            if n == 0 {
                (*ev).ev_.ev_signal.ev_pncalls = ptr::null_mut();
            }
            let cb = (*ev).callback();
            if let Some(f) = cb {
                f((*ev).ev_fd, (*ev).ev_res, (*ev).ev_evcallback.evcb_arg);
            }
            b.acquire();
            let should_break = b.inner().event_break;
            b.release();
            if should_break {
                if ptr::read_volatile(pn) != 0 {
                    (*ev).ev_.ev_signal.ev_pncalls = ptr::null_mut();
                }
                return;
            }
        }
    }
}

// ----- event_base_once -----

unsafe extern "C" fn once_cb(fd: c_int, what: c_short, arg: *mut c_void) {
    let o: *mut OnceEvent = arg.cast();
    // SAFETY: `o` is our allocation, live until freed below; its base is live while its
    // loop runs.
    unsafe {
        if let Some(f) = (*o).cb {
            f(fd, what, (*o).arg);
        }
        let base = &*((*o).ev.ev_base as *const EventBase);
        base.acquire();
        base.inner().once_unlink(o);
        base.release();
        thread::debug_note_teardown(&(*o).ev);
        crate::mm::free(o.cast());
    }
}

/// `event_base_once`.
pub(crate) fn base_once(
    b: &EventBase,
    fd: c_int,
    events: c_short,
    cb: Option<Callback>,
    arg: *mut c_void,
    tv: Option<&timeval>,
) -> c_int {
    if events & (EV_SIGNAL | EV_PERSIST) != 0 {
        return -1;
    }
    let o: *mut OnceEvent = crate::mm::calloc(1, std::mem::size_of::<OnceEvent>()).cast();
    if o.is_null() {
        return -1;
    }
    let bp = b as *const EventBase as *mut EventBase;
    let mut activate = false;
    b.acquire();
    // SAFETY: lock held; `o` is a fresh zeroed allocation of the right size.
    unsafe {
        let i = b.inner();
        (*o).cb = cb;
        (*o).arg = arg;
        let nq = i.nactivequeues();
        if events & (EV_TIMEOUT | EV_SIGNAL | EV_READ | EV_WRITE | EV_CLOSED) == EV_TIMEOUT {
            assign_raw(&mut (*o).ev, bp, nq, -1, 0, Some(once_cb), o.cast());
            if tv.is_none_or(|t| !tv_isset(t)) {
                activate = true;
            }
        } else if events & (EV_READ | EV_WRITE | EV_CLOSED) != 0 {
            let ev = events & (EV_READ | EV_WRITE | EV_CLOSED);
            assign_raw(&mut (*o).ev, bp, nq, fd, ev, Some(once_cb), o.cast());
        } else {
            b.release();
            crate::mm::free(o.cast());
            return -1;
        }
        thread::debug_note_setup(&(*o).ev);
        let res = if activate {
            i.active_nolock(&mut (*o).ev, EV_TIMEOUT as c_int, 1);
            0
        } else {
            i.add_nolock(&mut (*o).ev, tv, false)
        };
        if res != 0 {
            b.release();
            thread::debug_note_teardown(&(*o).ev);
            crate::mm::free(o.cast());
            return res;
        }
        i.once_link(o);
    }
    b.release();
    0
}
