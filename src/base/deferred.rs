//! Deferred callbacks for evbuffer / bufferevent (libevent's `event_deferred_cb_*`).
//!
//! An owner embeds a [`Deferred`] (in a Box: it must not move while scheduled) and calls
//! [`schedule`]; the callback then runs from the base's loop, with the base lock released,
//! at the deferred's priority (default: the base's middle priority, as libevent's
//! evbuffer/bufferevent code picks). Like `event_deferred_cb_schedule_`, a callback joins the
//! active queue at once (so it runs in this loop turn if its queue is still being processed),
//! except after 32 were queued in one turn: then it waits for the next turn ("active later"),
//! so that callbacks rescheduling themselves cannot starve the poller.

use std::ffi::c_void;
use std::ptr;

use super::event::*;
use super::EventBase;

/// A schedulable callback. `repr(C)` with the `event_callback` first: the active queues
/// hold a pointer to it.
#[repr(C)]
pub struct Deferred {
    evcb: event_callback,
    cb: unsafe fn(*mut c_void),
    arg: *mut c_void,
    /// Explicit priority, else the base's middle one.
    priority: Option<u8>,
}

unsafe extern "C" fn trampoline(evcb: *mut event_callback, _arg: *mut c_void) {
    let d: *mut Deferred = evcb.cast();
    // SAFETY: `evcb` is the first field of a live Deferred (its owner keeps it alive while
    // scheduled; the loop only calls it while scheduled).
    unsafe { ((*d).cb)((*d).arg) };
}

impl Deferred {
    pub fn new(cb: unsafe fn(*mut c_void), arg: *mut c_void) -> Deferred {
        Deferred {
            evcb: event_callback {
                evcb_active_next: event_callback_tailq_entry { tqe_next: ptr::null_mut(), tqe_prev: ptr::null_mut() },
                evcb_flags: 0,
                evcb_pri: 0,
                evcb_closure: EV_CLOSURE_CB_SELF,
                evcb_cb_union: event_callback_fns { evcb_selfcb: Some(trampoline) },
                // Also the queue entry's argument: a finalizer that takes over this entry
                // (`finalize_many`) is called with it.
                evcb_arg: arg,
            },
            cb,
            arg,
            priority: None,
        }
    }

    /// Changes the callback argument (only while not scheduled).
    pub fn set_arg(&mut self, arg: *mut c_void) {
        self.arg = arg;
        self.evcb.evcb_arg = arg;
    }

    /// `event_deferred_cb_set_priority_`.
    pub fn set_priority(&mut self, pri: u8) {
        self.priority = Some(pri);
        self.evcb.evcb_pri = pri;
    }

    /// Whether it is waiting to run.
    pub fn is_scheduled(&self) -> bool {
        self.evcb.evcb_flags & (EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) != 0
    }
}

/// Schedules `d` on `base`'s loop. True if newly scheduled (false if already pending).
///
/// # Safety
/// `base` is a live base; `d` is live and does not move until it ran or was cancelled.
pub(crate) unsafe fn schedule(base: *mut EventBase, d: *mut Deferred) -> bool {
    // SAFETY: per the caller.
    let b = unsafe { &*base };
    b.acquire();
    // SAFETY: lock held; `d` live.
    let r = unsafe {
        let i = b.inner();
        let nq = i.nactivequeues();
        let pri = match (*d).priority {
            Some(p) => (p as i32).min(nq - 1) as u8,
            None => (nq / 2) as u8,
        };
        if (*d).evcb.evcb_flags & (EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) == 0 {
            (*d).evcb.evcb_pri = pri;
        }
        i.deferred_schedule(&mut (*d).evcb)
    };
    b.release();
    r
}

/// Unschedules `d` if pending.
///
/// # Safety
/// `base` is live; `d` is live.
pub(crate) unsafe fn cancel(base: *mut EventBase, d: *mut Deferred) {
    // SAFETY: per the caller.
    let b = unsafe { &*base };
    b.acquire();
    // SAFETY: lock held; `d` live.
    unsafe { b.inner().callback_cancel_nolock(&mut (*d).evcb, false) };
    b.release();
}

impl Deferred {
    /// The queue entry, for [`finalize_many`].
    pub(crate) fn as_callback(&mut self) -> *mut event_callback {
        &mut self.evcb
    }
}

/// libevent's `event_callback_finalize_many_` (what `bufferevent_free` uses): cancels every
/// callback in `evcbs` (events are deleted), and arranges for `cb` to run once, on the loop,
/// after all of them are quiet — on the one currently running if any, else on the first.
/// `cb` receives that callback and its `evcb_arg`.
///
/// # Safety
/// `base` is live; every pointer in `evcbs` is a live event (`struct event`'s first field)
/// or a [`Deferred`]'s callback of that base, and stays valid until `cb` ran.
pub(crate) unsafe fn finalize_many(
    base: *mut EventBase,
    evcbs: &[*mut event_callback],
    cb: unsafe extern "C" fn(*mut event_callback, *mut c_void),
) {
    if evcbs.is_empty() {
        return;
    }
    // SAFETY: per the caller.
    let b = unsafe { &*base };
    b.acquire();
    // SAFETY: lock held; the callbacks are live per the caller.
    unsafe {
        let i = b.inner();
        let mut n_pending = 0;
        for &evcb in evcbs {
            if evcb == i.current_event() {
                i.callback_finalize_nolock(evcb, cb);
                n_pending += 1;
            } else {
                i.callback_cancel_nolock(evcb, false);
            }
        }
        if n_pending == 0 {
            i.callback_finalize_nolock(evcbs[0], cb);
        }
    }
    b.release();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static HITS: AtomicUsize = AtomicUsize::new(0);

    unsafe fn bump(arg: *mut c_void) {
        HITS.fetch_add(if arg as usize == 1000 { 1000 } else { 1 }, Ordering::SeqCst);
    }

    static FINALIZED: AtomicUsize = AtomicUsize::new(0);

    unsafe extern "C" fn fin(_evcb: *mut event_callback, _arg: *mut c_void) {
        FINALIZED.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn finalize_many_cancels_and_runs_the_finalizer_once() {
        let base = EventBase::new(None).expect("base");
        let mut a = Box::new(Deferred::new(bump, 1000 as *mut c_void));
        let mut b = Box::new(Deferred::new(bump, 1000 as *mut c_void));
        // SAFETY: live base; boxed deferreds outlive the loop.
        unsafe {
            assert!(schedule(base, &mut *a));
            finalize_many(base, &[a.as_callback(), b.as_callback()], fin);
            super::super::base_loop(&*base, super::super::EVLOOP_NONBLOCK);
            assert_eq!(FINALIZED.load(Ordering::SeqCst), 1);
            assert!(HITS.load(Ordering::SeqCst) < 1000, "cancelled callback must not run");
            // Finalizing: further schedules are refused.
            assert!(!schedule(base, &mut *a));
            EventBase::free(base, true);
        }
    }

    #[test]
    fn deferred_runs_once_per_schedule_and_cancel_works() {
        let base = EventBase::new(None).expect("base");
        let mut d = Box::new(Deferred::new(bump, std::ptr::dangling_mut::<c_void>()));
        let mut c = Box::new(Deferred::new(bump, 100 as *mut c_void));
        // SAFETY: live base and boxed deferreds that outlive the loop.
        unsafe {
            assert!(schedule(base, &mut *d));
            assert!(!schedule(base, &mut *d), "idempotent while pending");
            assert!(schedule(base, &mut *c));
            cancel(base, &mut *c);
            assert!(d.is_scheduled() && !c.is_scheduled());
            super::super::base_loop(&*base, super::super::EVLOOP_NONBLOCK);
            assert_eq!(HITS.load(Ordering::SeqCst), 1);
            assert!(!d.is_scheduled());
            EventBase::free(base, true);
        }
    }
}
