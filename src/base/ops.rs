//! `event_add` / `event_del` / `event_active` and the callback-level variants (activate,
//! activate later, cancel, finalize), `event_assign`'s fields, and the fan-out of fd readiness
//! to the fd's events (`evmap_io_active_`).

use std::ffi::{c_int, c_short, c_void};
use std::ptr;

use libc::timeval;

use super::event::*;
use super::timer::*;
use super::{thread, Change, CommonTimeout, DelMode, Event, EventBase, Inner, STOP_CONTINUE};

const MAX_DEFERREDS_QUEUED: c_int = 32;

impl EventBase {
    /// `event_add`.
    ///
    /// # Safety
    /// `ev` is a live event assigned to this base.
    #[inline(always)]
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
        let r = unsafe { self.inner().add_nolock_inline(ev, tv, false) };
        self.release();
        r
    }

    /// `event_add` (no timeout) for an [`EVLIST_X_OWN_IO`] event, whose owner needs the
    /// kernel to report the fd if it is ready right now: a fresh epoll registration does that
    /// by itself; an existing one (another event on the fd, or the event already added) is
    /// re-armed ([`Poller::rearm`](super::poller::Poller::rearm)).
    ///
    /// # Safety
    /// `ev` is a live I/O event assigned to this base.
    pub(crate) unsafe fn add_own_io(&self, ev: *mut Event) -> c_int {
        self.acquire();
        // SAFETY: lock held; `ev` live per the caller.
        let i = unsafe { self.inner() };
        // SAFETY: `ev` live per the caller.
        let fd = unsafe { (*ev).ev_fd };
        let was_registered = i.poller.slot_ref(fd).is_some_and(|s| s.is_registered());
        // SAFETY: lock held; `ev` live.
        let r = unsafe { i.add_nolock(ev, None, false) };
        if r == 0 && was_registered && i.poller.rearm(fd) && i.need_notify() {
            i.notify();
        }
        self.release();
        r
    }

    /// Re-arms `fd` (see [`Poller::rearm`](super::poller::Poller::rearm)).
    pub(crate) fn rearm_fd(&self, fd: c_int) {
        self.with(|i| {
            if i.poller.rearm(fd) && i.need_notify() {
                i.notify();
            }
        });
    }

    /// The owner of an own-I/O fd read or wrote it dry (`what`: `EV_READ`/`EV_WRITE`): it
    /// fires again on the kernel's next edge only (see
    /// [`Poller::drained`](super::poller::Poller::drained)).
    #[inline]
    pub(crate) fn io_drained(&self, fd: c_int, what: c_short) {
        self.with(|i| i.poller.drained(fd, what));
    }

    /// `event_del*`.
    ///
    /// # Safety
    /// `ev` is a live event assigned to this base.
    #[inline(always)]
    pub(crate) unsafe fn del(&self, ev: *mut Event, mode: DelMode) -> c_int {
        self.acquire();
        // SAFETY: lock held; `ev` live.
        let (r, wait) = unsafe { self.inner().del_nolock_inline(ev, mode) };
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
}

impl Inner {
    /// `event_add_nolock_`.
    ///
    /// # Safety
    /// Lock held; `ev` is a live event of this base.
    #[inline(never)]
    pub(crate) unsafe fn add_nolock(&mut self, ev: *mut Event, tv: Option<&timeval>, absolute: bool) -> c_int {
        // SAFETY: forwarded.
        unsafe { self.add_nolock_inline(ev, tv, absolute) }
    }

    /// [`Inner::add_nolock`], inlined into `event_add`.
    ///
    /// # Safety
    /// As `add_nolock`.
    #[inline(always)]
    pub(super) unsafe fn add_nolock_inline(&mut self, ev: *mut Event, tv: Option<&timeval>, absolute: bool) -> c_int {
        if thread::debug_mode_on() {
            // SAFETY: forwarded.
            return unsafe { self.add_nolock_debug(ev, tv, absolute) };
        }
        // SAFETY: forwarded.
        unsafe { self.add_impl::<false>(ev, tv, absolute) }
    }

    /// [`Inner::add_nolock`] in debug mode: the event must be set up, and the registry
    /// learns that it is added.
    #[cold]
    #[inline(never)]
    unsafe fn add_nolock_debug(&mut self, ev: *mut Event, tv: Option<&timeval>, absolute: bool) -> c_int {
        thread::debug_assert_is_setup(ev, "event_add");
        // SAFETY: forwarded.
        let r = unsafe { self.add_impl::<true>(ev, tv, absolute) };
        thread::debug_note_add(ev);
        r
    }

    /// The body of `event_add_nolock_`; `DEBUG`: debug mode is on.
    #[inline(always)]
    unsafe fn add_impl<const DEBUG: bool>(&mut self, ev: *mut Event, tv: Option<&timeval>, absolute: bool) -> c_int {
        // SAFETY: `ev` is live per the caller and we hold the lock.
        unsafe {
            let flags = (*ev).flags();
            if flags & EVLIST_FINALIZING != 0 {
                return -1;
            }
            let events = (*ev).ev_events;
            let mut res = 0;
            let mut notify = false;
            // Whether the event joined the inserted set: counted together with its timeout,
            // if it gets one (one update of the count and its maximum, which ends where two
            // would).
            let mut inserted = 0;
            if events & (EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL) != 0
                && flags & (EVLIST_INSERTED | EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) == 0
            {
                if events & (EV_READ | EV_WRITE | EV_CLOSED) != 0 {
                    res = match self.poller.add::<DEBUG>(ev) {
                        Ok(Change::Changed) => 1,
                        Ok(Change::Same) => 0,
                        Err(()) => -1,
                    };
                } else {
                    res = self.signal_add(ev);
                }
                if res != -1 {
                    // (Not inserted: checked above.)
                    (*ev).ev_evcallback.evcb_flags |= EVLIST_INSERTED;
                    inserted = 1;
                }
                if res == 1 {
                    notify = true;
                    res = 0;
                }
            }
            if res != -1 {
                if let Some(tv) = tv {
                    notify |= self.add_timeout(ev, events, tv, absolute, inserted);
                } else if inserted != 0 {
                    self.incr_count((*ev).flags());
                }
            }
            if res != -1 && notify && self.need_notify() {
                self.notify();
            }
            res
        }
    }

    /// The timeout part of `event_add_nolock_`: (re)schedules `ev` at `tv` (relative, or
    /// absolute). True if a loop waiting in another thread must re-compute its timeout.
    /// `inserted`: 1 if the caller just made `ev` inserted without counting it yet.
    ///
    /// # Safety
    /// Lock held; `ev` is a live event of this base with `ev_events` = `events`.
    #[inline(always)]
    unsafe fn add_timeout(
        &mut self,
        ev: *mut Event,
        events: c_short,
        tv: &timeval,
        absolute: bool,
        inserted: c_int,
    ) -> bool {
        // SAFETY: per the caller.
        unsafe {
            if (*ev).ev_evcallback.evcb_closure == EV_CLOSURE_EVENT_PERSIST && !absolute {
                (*ev).set_io_timeout(*tv);
            }
            let flags = (*ev).flags();
            let ncommon = self.common_timeouts.len();
            // An event in the heap's last slot (a persistent event re-armed while no later
            // timer was added) keeps its slot and is sifted up from there with its new
            // deadline: exactly what erasing and pushing it again does.
            let mut in_last_slot = false;
            if flags & EVLIST_TIMEOUT != 0 {
                if !is_common_timeout(&(*ev).ev_timeout, ncommon) && self.timeheap.is_last(ev) {
                    in_last_slot = true;
                } else {
                    self.queue_remove_timeout(ev);
                }
            }
            // Active because of a timeout: rescheduling cancels that run.
            if flags & EVLIST_ACTIVE != 0 && (*ev).ev_res & EV_TIMEOUT != 0 {
                if events & EV_SIGNAL != 0 {
                    let s = (*ev).ev_.ev_signal;
                    if s.ev_ncalls != 0 && !s.ev_pncalls.is_null() {
                        *s.ev_pncalls = 0;
                    }
                }
                self.queue_remove_active(event_to_cb(ev));
            }
            let now = self.gettime();
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
            if in_last_slot {
                if !is_common_timeout(&(*ev).ev_timeout, ncommon) {
                    // Still a timeout member: only what the caller adds is counted.
                    self.incr_count_by(flags, inserted);
                    self.timeheap.rekey_last(ev);
                } else {
                    // (To a common-timeout queue: out of the heap after all. By index:
                    // `ev_timeout` no longer says where it was.)
                    self.decr_count(flags);
                    (*ev).ev_evcallback.evcb_flags &= !EVLIST_TIMEOUT;
                    self.timeheap.erase(ev);
                    self.queue_insert_timeout_unchecked(ev, inserted);
                }
            } else {
                // (`ev` is on no timeout list now.)
                self.queue_insert_timeout_unchecked(ev, inserted);
            }
            if common {
                let idx = common_timeout_idx(&(*ev).ev_timeout);
                let ctl: *mut CommonTimeout = &mut *self.common_timeouts[idx];
                if (*ctl).head == ev {
                    self.common_timeout_schedule(ctl, ev);
                }
                false
            } else if (*ev).heap_idx() == 0 {
                true
            } else if self.need_notify() {
                // (Only looked at when a notification could be sent.)
                let top = self.timeheap.top();
                !top.is_null() && tv_gt(&now, &(*top).ev_timeout)
            } else {
                false
            }
        }
    }

    /// `event_del_nolock_`. Returns the result and whether the caller must wait for the
    /// event's running callback (another thread is running it).
    ///
    /// # Safety
    /// Lock held; `ev` is a live event.
    #[inline(never)]
    pub(crate) unsafe fn del_nolock(&mut self, ev: *mut Event, mode: DelMode) -> (c_int, bool) {
        // SAFETY: forwarded.
        unsafe { self.del_nolock_inline(ev, mode) }
    }

    /// [`Inner::del_nolock`], inlined into `event_del` and the loop.
    ///
    /// # Safety
    /// As `del_nolock`.
    #[inline(always)]
    pub(super) unsafe fn del_nolock_inline(&mut self, ev: *mut Event, mode: DelMode) -> (c_int, bool) {
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
                // (Whether a loop in another thread must re-poll: only worked out when one
                // could be told.)
                notify = self.need_notify() && (changed || (!self.haveevents() && self.n_active() == 0));
            }
            if notify {
                self.notify();
            }
            thread::debug_note_del(ev);
            // (The thread check last: it asks for the thread id.)
            let wait = mode != DelMode::NoBlock
                && self.current_event == event_to_cb(ev)
                && (mode == DelMode::Block || events & EV_FINALIZE == 0)
                && self.base().cond.is_some()
                && !self.in_loop_thread();
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
                self.stop |= STOP_CONTINUE;
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

    /// `evmap_io_active_`.
    #[inline]
    pub(crate) fn io_active(&mut self, fd: c_int, what: c_short) {
        let Some(slot) = self.poller.slot_ref(fd) else { return };
        let head = slot.head;
        // SAFETY: lock held; `head` starts fd's list of live events.
        unsafe { self.io_active_list(head, what) }
    }

    /// [`Inner::io_active`] from the fd's list head (the loop has the slot already).
    ///
    /// # Safety
    /// Lock held; `ev` is NULL or the first of an fd list of live events.
    #[inline(always)]
    pub(super) unsafe fn io_active_list(&mut self, ev: *mut Event, what: c_short) {
        // SAFETY: forwarded.
        unsafe { self.io_active_list_impl::<false>(ev, what) }
    }

    /// [`Inner::io_active_list`] from the loop's poll, between two passes over the active
    /// queues: on the loop's own thread (no notification needed) and with no queue running
    /// (`event_running_priority` is -1, so no `event_continue`).
    ///
    /// # Safety
    /// As `io_active_list`, and called by the loop between its poll and its queue processing.
    #[inline(always)]
    pub(super) unsafe fn io_active_list_in_loop(&mut self, ev: *mut Event, what: c_short) {
        debug_assert_eq!(self.event_running_priority, -1);
        // SAFETY: forwarded.
        unsafe { self.io_active_list_impl::<true>(ev, what) }
    }

    #[inline(always)]
    unsafe fn io_active_list_impl<const IN_LOOP: bool>(&mut self, mut ev: *mut Event, what: c_short) {
        while !ev.is_null() {
            // SAFETY: list members are live.
            unsafe {
                let next = (*ev).ev_.ev_io.ev_io_next.le_next;
                let evs = (*ev).ev_events;
                // (`what` may carry EV_ET, which alone does not activate.)
                let res = evs & what;
                if res & (EV_READ | EV_WRITE | EV_CLOSED) != 0 {
                    self.activate_io::<IN_LOOP>(ev, evs, res);
                }
                ev = next;
            }
        }
    }

    /// `event_active_nolock_(ev, res, 1)` for an event on an fd list: inline for the usual
    /// case (not active, not finalizing, not a signal event), else the general path.
    /// `IN_LOOP`: see [`Inner::io_active_list_in_loop`].
    #[inline(always)]
    unsafe fn activate_io<const IN_LOOP: bool>(&mut self, ev: *mut Event, evs: c_short, res: c_short) {
        // SAFETY: `ev` is live (on an fd list); lock held.
        unsafe {
            let f = (*ev).flags();
            if f & (EVLIST_FINALIZING | EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) != 0 || evs & EV_SIGNAL != 0 {
                return self.active_nolock(ev, res as c_int, 1);
            }
            (*ev).ev_res = res;
            if !IN_LOOP && ((*ev).ev_evcallback.evcb_pri as c_int) < self.event_running_priority {
                self.stop |= STOP_CONTINUE;
            }
            self.push_active(event_to_cb(ev), f);
        }
        if !IN_LOOP && self.need_notify() {
            self.notify();
        }
    }
}

/// `event_assign` for evshim's own events (a bufferevent's, a rate limit's, a close's):
/// [`assign_raw`], and debug mode learns the event is set up, as libevent's internal
/// `event_assign` calls tell it (a bufferevent works under `event_enable_debug_mode`).
pub(crate) fn assign_internal(
    ev: *mut Event,
    base: *mut EventBase,
    nactivequeues: c_int,
    fd: c_int,
    events: c_short,
    cb: Option<Callback>,
    arg: *mut c_void,
) {
    assign_raw(ev, base, nactivequeues, fd, events, cb, arg);
    thread::debug_note_setup(ev);
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
