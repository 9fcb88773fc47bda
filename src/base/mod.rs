//! The event loop: `struct event_base`, events, timers, signals, the poller.
//!
//! # Concurrency and aliasing model
//! An [`EventBase`] is `{ lock, cond, inner: UnsafeCell<Inner> }`. `Inner` is only touched
//! with the base lock held (or, without threading, from the one thread that uses the base).
//! A `&mut Inner` is created for the duration of one bookkeeping step and never lives across
//! a user callback, a lock release, or a cond wait: the loop re-derives it from the raw
//! pointer after every callback, because callbacks re-enter the API (adding, deleting and
//! freeing events, including the running one).

mod clock;
mod common_timeout;
mod config;
// Used by evbuffer / bufferevent (other modules), not by the core itself.
#[allow(dead_code)]
pub(crate) mod deferred;
mod dispatch;
mod dump;
pub mod event;
mod lifecycle;
mod once;
mod ops;
pub(crate) mod poller;
mod queue;
mod sigmap;
pub(crate) mod signal;
pub(crate) mod thread;
pub(crate) mod timer;

use std::cell::UnsafeCell;
use std::ffi::{c_int, c_void};
use std::ptr;

use libc::timeval;

use self::event::event as Event;
use self::event::*;
use crate::sync::{Cond, Lock};
use common_timeout::CommonTimeout;
use config::Method;
use once::OnceEvent;
use poller::{Change, Poller, TOKEN_SIGNAL, TOKEN_WAKER};
use queue::CbQueue;
use timer::*;

pub use config::Config;
pub(crate) use config::METHODS;
pub(crate) use dispatch::base_loop;
pub(crate) use once::base_once;
pub(crate) use ops::{assign_internal, assign_raw};

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

// `Inner::stop` bits.
const STOP_GOTTERM: u8 = 0x01;
const STOP_BREAK: u8 = 0x02;
const STOP_CONTINUE: u8 = 0x04;

/// event_del blocking modes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DelMode {
    Block,
    NoBlock,
    AutoBlock,
    EvenIfFinalizing,
}

pub struct EventBase {
    pub(crate) lock: Option<Lock>,
    pub(crate) cond: Option<Cond>,
    /// `lock.is_some()`, tested by `acquire`/`release` (a byte test instead of matching the
    /// Option on every lock operation of the loop).
    locked: bool,
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
    /// The clock `gettime` reads: libevent's coarse monotonic clock, or the precise one.
    clock: libc::clockid_t,
    flags: c_int,
    pub(crate) method: &'static Method,
    running_loop: bool,
    /// `event_gotterm`, `event_break` and `event_continue` as one byte (`STOP_*`): the loop
    /// tests break and continue after every callback with one load.
    stop: u8,
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

impl Inner {
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
}

/// The current "global" base of the 1.x API (`event_init`, `event_set`).
pub(crate) static CURRENT_BASE: std::sync::atomic::AtomicPtr<EventBase> =
    std::sync::atomic::AtomicPtr::new(ptr::null_mut());

impl EventBase {
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
        if self.locked {
            if let Some(l) = &self.lock {
                l.lock();
            }
        }
    }

    #[inline]
    pub(crate) fn release(&self) {
        if self.locked {
            if let Some(l) = &self.lock {
                l.unlock();
            }
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
    pub(crate) fn need_notify(&self) -> bool {
        self.poller.waker.is_some() && self.running_loop && self.th_owner_id != crate::sync::current_thread_id()
    }

    pub(crate) fn notify(&mut self) {
        if self.is_notify_pending {
            return;
        }
        if let Some(w) = &self.poller.waker {
            self.is_notify_pending = true;
            let _ = w.wake();
        }
    }

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
        self.stop |= STOP_BREAK;
        if self.need_notify() {
            self.notify();
        }
    }

    pub(crate) fn set_continue(&mut self) {
        self.stop |= STOP_CONTINUE;
        if self.need_notify() {
            self.notify();
        }
    }

    pub(crate) fn is_running(&self) -> bool {
        self.running_loop
    }

    pub(crate) fn got_break(&self) -> bool {
        self.stop & STOP_BREAK != 0
    }

    pub(crate) fn got_exit(&self) -> bool {
        self.stop & STOP_GOTTERM != 0
    }

    pub(crate) fn set_gotterm(&mut self) {
        self.stop |= STOP_GOTTERM;
    }

    pub(crate) fn current_event(&self) -> *mut event_callback {
        self.current_event
    }

    pub(crate) fn flags(&self) -> c_int {
        self.flags
    }
}
