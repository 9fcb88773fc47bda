//! Creating a base (`event_base_new_with_config`), freeing it (`event_base_free`), and
//! `event_reinit` after fork.

use std::cell::UnsafeCell;
use std::ffi::{c_int, c_void};
use std::ptr;

use super::config::{getenv, method_disabled, EPOLL_CHANGELIST};
use super::event::*;
use super::sigmap::{signal_cb, SIG_BASE};
use super::timer::*;
use super::{
    thread, CbQueue, CommonTimeout, Config, DelMode, EventBase, Inner, Poller, CURRENT_BASE, EV_FEATURE_EARLY_CLOSE,
    EV_FEATURE_ET, FLAG_EPOLL_USE_CHANGELIST, FLAG_IGNORE_ENV, FLAG_NOLOCK, FLAG_PRECISE_TIMER, METHODS, TOKEN_SIGNAL,
};
use crate::sync::{Cond, Lock};

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
                p.emulate(method.features & EV_FEATURE_ET == 0, method.features & EV_FEATURE_EARLY_CLOSE == 0);
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
            clock: monotonic_clock_id(precise),
            flags,
            method,
            running_loop: false,
            stop: 0,
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
        unsafe { ptr::write(p, EventBase { locked: lock.is_some(), lock, cond, inner: UnsafeCell::new(inner) }) };
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
    pub(super) unsafe fn dealloc(p: *mut EventBase) {
        // SAFETY: per the caller.
        unsafe {
            ptr::drop_in_place(p);
            crate::mm::free(p.cast());
        }
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
