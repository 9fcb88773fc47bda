//! The loop (`event_base_loop`): one poll per turn, expired timers, then the active queues
//! in priority order, with the base lock released around each callback.

use std::ffi::{c_int, c_short};
use std::ptr;

use libc::timeval;

use super::event::*;
use super::poller::{readiness_in, slot_of_data};
use super::timer::*;
use super::{
    thread, DelMode, Event, EventBase, Inner, EVLOOP_NONBLOCK, EVLOOP_NO_EXIT_ON_EMPTY, EVLOOP_ONCE, STOP_BREAK,
    STOP_CONTINUE, STOP_GOTTERM, TOKEN_SIGNAL,
};

const MAX_EPOLL_TIMEOUT_MSEC: i64 = 35 * 60 * 1000;

impl Inner {
    /// `timeout_next` as `epoll_wait`'s timeout: milliseconds until the first timer (rounded
    /// up, capped like libevent's epoll backend), or -1 when there is none.
    #[inline(always)]
    pub(super) fn timeout_next_msec(&mut self) -> c_int {
        let Some(t) = self.timeheap.top_deadline() else { return -1 };
        let now = self.gettime();
        if !tv_gt(&t, &now) {
            return 0;
        }
        let ms = tv_to_msec(&tv_sub(&t, &now));
        if !(0..=MAX_EPOLL_TIMEOUT_MSEC).contains(&ms) {
            MAX_EPOLL_TIMEOUT_MSEC as c_int
        } else {
            ms as c_int
        }
    }

    /// `timeout_process`: activates every event whose deadline passed.
    #[inline(always)]
    pub(super) fn timeout_process(&mut self) {
        if let Some(t) = self.timeheap.top_deadline() {
            let now = self.gettime();
            if !tv_gt(&t, &now) {
                self.timeout_process_heap(now);
            }
        }
    }

    /// The expired part of `timeout_process` (the first deadline is not after `now`).
    #[inline(never)]
    fn timeout_process_heap(&mut self, now: timeval) {
        while let Some(t) = self.timeheap.top_deadline() {
            if tv_gt(&t, &now) {
                break;
            }
            let ev = self.timeheap.top();
            // SAFETY: heap members are live.
            unsafe {
                let _ = self.del_nolock(ev, DelMode::NoBlock);
                self.active_nolock(ev, EV_TIMEOUT as c_int, 1);
            }
        }
    }
}

/// `event_base_loop`.
///
/// # Safety
/// `b` is a live base; callbacks may re-enter the API but must not free it.
pub(crate) unsafe fn base_loop(b: &EventBase, flags: c_int) -> c_int {
    // The loop is compiled twice: without a lock (threading was off when the base was made,
    // the usual case) its lock operations and the waiters' bookkeeping vanish.
    if b.locked {
        // SAFETY: forwarded.
        unsafe { base_loop_impl::<true>(b, flags) }
    } else {
        // SAFETY: forwarded.
        unsafe { base_loop_impl::<false>(b, flags) }
    }
}

/// Takes the base lock if the base has one (`L`: it does).
#[inline(always)]
fn acquire<const L: bool>(b: &EventBase) {
    if L {
        if let Some(l) = &b.lock {
            l.lock();
        }
    }
}

/// Releases the base lock if the base has one.
#[inline(always)]
fn release<const L: bool>(b: &EventBase) {
    if L {
        if let Some(l) = &b.lock {
            l.unlock();
        }
    }
}

/// [`base_loop`] for a base with (`L`) or without a lock.
#[inline(always)]
unsafe fn base_loop_impl<const L: bool>(b: &EventBase, flags: c_int) -> c_int {
    acquire::<L>(b);
    {
        // SAFETY: lock held.
        let i = unsafe { b.inner() };
        if i.running_loop {
            return reentrant::<L>(b);
        }
        i.running_loop = true;
        i.clear_time_cache();
        i.th_owner_id = crate::sync::current_thread_id();
        if i.n_sigs > 0 {
            i.become_signal_base();
        }
        i.stop = 0;
    }
    let mut retval = 0;
    loop {
        // SAFETY: lock held; borrow ends before any callback.
        let i = unsafe { b.inner() };
        i.stop &= !STOP_CONTINUE;
        i.n_deferreds_queued = 0;
        if i.stop & (STOP_GOTTERM | STOP_BREAK) != 0 {
            break;
        }
        let timeout = if i.n_active() == 0 && flags & EVLOOP_NONBLOCK == 0 { i.timeout_next_msec() } else { 0 };
        if flags & EVLOOP_NO_EXIT_ON_EMPTY == 0 && !i.haveevents() && i.n_active() == 0 {
            crate::ev_debug!("event_base_loop: no events registered.");
            retval = 1;
            break;
        }
        if !i.active_later.head.is_null() {
            i.make_later_events_active();
        }
        i.clear_time_cache();
        // SAFETY: lock held on entry and exit.
        if unsafe { dispatch::<L>(b, timeout) } < 0 {
            retval = -1;
            break;
        }
        // SAFETY: lock held.
        let i = unsafe { b.inner() };
        i.update_time_cache();
        i.timeout_process();
        if i.n_active() > 0 {
            // SAFETY: lock held.
            let n = unsafe { process_active::<L>(b) };
            // SAFETY: lock held again.
            let i = unsafe { b.inner() };
            if flags & EVLOOP_ONCE != 0 && i.n_active() == 0 && n != 0 {
                break;
            }
        } else if flags & EVLOOP_NONBLOCK != 0 {
            break;
        }
    }
    // SAFETY: lock held.
    let i = unsafe { b.inner() };
    i.clear_time_cache();
    i.running_loop = false;
    release::<L>(b);
    retval
}

/// A loop started from inside the base's own loop: libevent's warning, -1.
#[cold]
#[inline(never)]
fn reentrant<const L: bool>(b: &EventBase) -> c_int {
    crate::ev_warn!(
        "event_base_loop: reentrant invocation.  Only one event_base_loop can run on each event_base at once."
    );
    release::<L>(b);
    -1
}

/// One poll: waits (lock released) and activates what became ready. `timeout` is
/// `epoll_wait`'s (ms, -1 = none).
#[inline(always)]
unsafe fn dispatch<const L: bool>(b: &EventBase, mut timeout: c_int) -> c_int {
    // SAFETY: lock held.
    let i = unsafe { b.inner() };
    if i.poller.special {
        timeout = match before_poll(i, timeout) {
            Some(t) => t,
            None => return -1,
        };
    }
    let p = &mut i.poller;
    let epfd = p.epfd;
    let buf = p.buf;
    // SAFETY: only the loop thread uses `buf` (a separate allocation of `cap` entries).
    let (cap, events) = unsafe { ((*buf).len(), (*buf).as_mut_ptr()) };
    release::<L>(b);
    // SAFETY: only the loop thread uses `buf`; it holds `cap` entries.
    let n = unsafe { libc::epoll_wait(epfd, events, cap as c_int, timeout) };
    acquire::<L>(b);
    // SAFETY: lock held again.
    let i = unsafe { b.inner() };
    i.is_notify_pending = false;
    if n < 0 {
        return poll_failed();
    }
    let n = n as usize;
    let table = i.poller.loop_readiness_table();
    // SAFETY: the kernel filled `n <= cap` entries; nobody else touches `buf`.
    for e in unsafe { std::slice::from_raw_parts(events, n) } {
        let e = *e;
        let data = e.u64 as usize;
        if data >= TOKEN_SIGNAL {
            if data == TOKEN_SIGNAL {
                let cb: *mut event_callback = &mut *i.sig_evcb;
                // SAFETY: our own internal callback.
                unsafe { i.callback_activate_nolock(cb) };
            }
            // (TOKEN_WAKER: nothing to do; the wake-up was the point.)
            continue;
        }
        let what = readiness_in(table, e.events);
        if what == 0 {
            continue;
        }
        // SAFETY: an fd registration's data word is its slot's address; slots live as long
        // as the poller and never move; no other reference to this one is alive.
        let s = unsafe { &mut *slot_of_data(data) };
        let head = s.head;
        if s.is_own_only() && !head.is_null() {
            // SAFETY: `head` is a live event on this fd's list, so its fd is the slot's.
            let fd = unsafe { (*head).ev_fd };
            i.poller.own_report_slot(fd, s, what, e.events);
        }
        // SAFETY: lock held; `head` starts fd's list of live events; this is the loop thread
        // and no callback runs before the queues are processed.
        unsafe { i.io_active_list_in_loop(head, what) };
    }
    if i.poller.special {
        emulated_readiness(i);
    }
    if n == cap {
        i.poller.grow_buffer();
    }
    0
}

/// `epoll_wait` failed: `EINTR` is an empty turn, anything else libevent's warning and -1.
#[cold]
fn poll_failed() -> c_int {
    let err = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    if err != libc::EINTR {
        crate::ev_warn!("epoll_wait: {}", crate::log::errno_text(err));
        return -1;
    }
    0
}

/// What a turn does before `epoll_wait` beyond plain epoll ([`Poller::special`]): fds epoll
/// refused (the poll must not sleep), the emulated methods' closed-fd check, and own-I/O
/// fds still ready, which fire again first (where a level-triggered kernel re-queues the
/// fds it reported last turn). The timeout to poll with, or None when the dispatch fails.
#[inline(never)]
fn before_poll(i: &mut Inner, mut timeout: c_int) -> Option<c_int> {
    let p = &mut i.poller;
    if !p.refused.is_empty() {
        timeout = 0;
    }
    if p.poll_semantics && p.find_closed() > 0 {
        if p.no_closed {
            // libevent's select backend: select() fails on a closed fd.
            crate::ev_warn!("select: {}", crate::log::errno_text(libc::EBADF));
            return None;
        }
        timeout = 0;
    }
    if !p.ready.is_empty() {
        let mut now = std::mem::take(&mut p.ready_now);
        if p.take_ready(&mut now) > 0 {
            timeout = 0;
            for &(fd, what) in &now {
                i.io_active(fd, what);
            }
        }
        i.poller.ready_now = now;
    }
    Some(timeout)
}

/// What the emulated backends report beyond epoll's results: closed fds under "poll"
/// (`POLLNVAL`) and the fds epoll refused (always ready).
#[inline(never)]
fn emulated_readiness(i: &mut Inner) {
    for k in 0..i.poller.nval.len() {
        // libevent's poll backend: POLLNVAL counts as readable and writable.
        let fd = i.poller.nval[k];
        i.io_active(fd, EV_READ | EV_WRITE);
    }
    for k in 0..i.poller.refused.len() {
        let fd = i.poller.refused[k];
        let what = i.poller.refused_readiness(fd);
        i.io_active(fd, what);
    }
}

/// `event_process_active`.
#[inline(always)]
unsafe fn process_active<const L: bool>(b: &EventBase) -> c_int {
    // SAFETY: lock held.
    let i = unsafe { b.inner() };
    if i.limit_callbacks_after_prio != c_int::MAX {
        // (Set only with a callback or time limit: see `event_config_set_max_dispatch_interval`.)
        // SAFETY: forwarded.
        return unsafe { process_active_limited::<L>(b) };
    }
    let mut c = 0;
    let mut q = 0;
    loop {
        // SAFETY: lock held (re-derived each time: callbacks ran in between, and may even
        // have changed the number of priorities).
        let i = unsafe { b.inner() };
        let Some(aq) = i.activequeues.get(q) else { break };
        if !aq.head.is_null() {
            i.event_running_priority = q as c_int;
            // SAFETY: lock held.
            c = unsafe { process_single_queue::<L, false>(b, q, c_int::MAX, None) };
            if c != 0 {
                break;
            }
        }
        q += 1;
    }
    // SAFETY: lock held.
    unsafe { b.inner() }.event_running_priority = -1;
    c
}

/// [`process_active`] with `max_dispatch_callbacks`/`max_dispatch_interval` limits on the
/// priorities from `limit_callbacks_after_prio` on.
#[inline(never)]
unsafe fn process_active_limited<const L: bool>(b: &EventBase) -> c_int {
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
        match i.activequeues.get(q) {
            None => break,
            Some(aq) if aq.head.is_null() => continue,
            Some(_) => {}
        }
        i.event_running_priority = q as c_int;
        // SAFETY: lock held.
        c = unsafe {
            if (q as c_int) < limit_after {
                process_single_queue::<L, false>(b, q, c_int::MAX, None)
            } else {
                process_single_queue::<L, true>(b, q, maxcb, endtime)
            }
        };
        if c != 0 {
            break;
        }
    }
    // SAFETY: lock held.
    unsafe { b.inner() }.event_running_priority = -1;
    c
}

/// `event_process_active_single_queue`: runs queue `q` in FIFO order, releasing the lock
/// around each callback. -1 when a break was requested. `LIMITED`: `max` and `endtime`
/// apply (else they are `INT_MAX` and none).
#[inline(always)]
unsafe fn process_single_queue<const L: bool, const LIMITED: bool>(
    b: &EventBase,
    q: usize,
    max: c_int,
    endtime: Option<timeval>,
) -> c_int {
    let mut count = 0;
    loop {
        // SAFETY: lock held; this borrow ends before the callback is invoked.
        let i = unsafe { b.inner() };
        let Some(aq) = i.activequeues.get(q) else { break };
        let evcb = aq.head;
        if evcb.is_null() {
            break;
        }
        // SAFETY: `evcb` is a live queued callback (the head of queue `q`); we hold the lock.
        unsafe {
            let flags = (*evcb).evcb_flags;
            if flags & EVLIST_INTERNAL == 0 {
                count += 1;
            }
            let closure = (*evcb).evcb_closure;
            if flags & EVLIST_INIT == 0 {
                i.queue_pop_active(q, evcb);
                i.current_event = evcb;
                if L {
                    i.current_event_waiters = 0;
                }
                run_callback_closure(b, evcb, closure);
            } else {
                let ev = cb_to_event(evcb);
                // Off the queue first (it is its head); for a non-persistent event
                // `event_del` then finds it no longer active, and does the rest.
                i.queue_pop_active(q, evcb);
                if (*ev).ev_events & EV_PERSIST == 0 && flags & EVLIST_FINALIZING == 0 {
                    let _ = i.del_nolock_inline(ev, DelMode::NoBlock);
                }
                i.current_event = evcb;
                if L {
                    i.current_event_waiters = 0;
                }
                if closure == EV_CLOSURE_EVENT_PERSIST {
                    // (Tested first: the common case.)
                    persist_closure::<L>(b, ev);
                } else if closure == EV_CLOSURE_EVENT {
                    call_event::<L>(b, ev);
                } else {
                    run_event_closure(b, evcb, ev, closure);
                }
            }
        }
        acquire::<L>(b);
        // SAFETY: lock held again; fresh borrow after the callback.
        let i = unsafe { b.inner() };
        i.current_event = ptr::null_mut();
        // Without a lock no thread can be waiting for the callback (`event_del` waits only
        // on a base with a lock and a condition).
        if L && i.current_event_waiters > 0 {
            i.current_event_waiters = 0;
            if let Some(c) = &b.cond {
                c.broadcast();
            }
        }
        let stop = i.stop;
        if !LIMITED {
            // (One test for the usual case: neither break nor continue.)
            if stop & (STOP_BREAK | STOP_CONTINUE) != 0 {
                if stop & STOP_BREAK != 0 {
                    return -1;
                }
                break;
            }
            continue;
        }
        if stop & STOP_BREAK != 0 {
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
        if stop & STOP_CONTINUE != 0 {
            break;
        }
    }
    count
}

/// `EV_CLOSURE_EVENT`: the callback, once, lock released. Returns with the lock released.
///
/// # Safety
/// Lock held; `ev` was just dequeued and is live until its callback runs.
#[inline(always)]
unsafe fn call_event<const L: bool>(b: &EventBase, ev: *mut Event) {
    // SAFETY: per the caller.
    unsafe {
        let cb = (*ev).callback();
        let (fd, res, arg) = ((*ev).ev_fd, (*ev).ev_res, (*ev).ev_evcallback.evcb_arg);
        release::<L>(b);
        if let Some(f) = cb {
            f(fd, res, arg);
        }
    }
}

/// The closures of events other than plain and persistent ones. Returns with the lock
/// released.
#[inline(never)]
unsafe fn run_event_closure(b: &EventBase, evcb: *mut event_callback, ev: *mut Event, closure: u8) {
    // SAFETY: lock held; `ev` was just dequeued and is live until its callback runs.
    unsafe {
        match closure {
            EV_CLOSURE_EVENT => {
                let cb = (*ev).callback();
                let (fd, res, arg) = ((*ev).ev_fd, (*ev).ev_res, (*ev).ev_evcallback.evcb_arg);
                b.release();
                if let Some(f) = cb {
                    f(fd, res, arg);
                }
            }
            EV_CLOSURE_EVENT_SIGNAL => signal_closure(b, ev),
            EV_CLOSURE_CB_SELF | EV_CLOSURE_CB_FINALIZE => run_callback_closure(b, evcb, closure),
            _ => run_event_finalizer(b, ev, closure),
        }
    }
}

/// The closures of callbacks that are not events (deferred callbacks, finalizers of
/// callbacks). Returns with the lock released.
unsafe fn run_callback_closure(b: &EventBase, evcb: *mut event_callback, closure: u8) {
    // SAFETY: lock held; `evcb` was just dequeued and is live until its callback runs.
    unsafe {
        match closure {
            EV_CLOSURE_CB_SELF => {
                let f = (*evcb).evcb_cb_union.evcb_selfcb;
                let arg = (*evcb).evcb_arg;
                b.release();
                if let Some(f) = f {
                    f(evcb, arg);
                }
            }
            EV_CLOSURE_CB_FINALIZE => {
                b.inner().current_event = ptr::null_mut();
                let f = (*evcb).evcb_cb_union.evcb_cbfinalize;
                let arg = (*evcb).evcb_arg;
                b.release();
                if let Some(f) = f {
                    f(evcb, arg);
                }
            }
            _ => b.release(),
        }
    }
}

/// An event's finalizer (`event_finalize`, `event_free_finalize`). Returns with the lock
/// released.
#[cold]
unsafe fn run_event_finalizer(b: &EventBase, ev: *mut Event, closure: u8) {
    // SAFETY: lock held; `ev` was just dequeued; the finalizer is the last use of it.
    unsafe {
        if closure != EV_CLOSURE_EVENT_FINALIZE && closure != EV_CLOSURE_EVENT_FINALIZE_FREE {
            b.release();
            return;
        }
        b.inner().current_event = ptr::null_mut();
        let f = (*ev).ev_evcallback.evcb_cb_union.evcb_evfinalize;
        let arg = (*ev).ev_evcallback.evcb_arg;
        b.release();
        thread::debug_note_teardown(ev);
        if let Some(f) = f {
            f(ev, arg);
        }
        if closure == EV_CLOSURE_EVENT_FINALIZE_FREE {
            crate::mm::free(ev.cast());
        }
    }
}

/// `event_persist_closure`: re-arm the timeout relative to the last scheduled run, then
/// call. Returns with the lock released.
#[inline(always)]
unsafe fn persist_closure<const L: bool>(b: &EventBase, ev: *mut Event) {
    // SAFETY: lock held; `ev` live (it was just dequeued).
    unsafe {
        if tv_isset(&(*ev).io_timeout()) {
            rearm_persist_timeout(b.inner(), ev);
        }
        call_event::<L>(b, ev);
    }
}

/// The timeout part of `event_persist_closure`.
#[inline(never)]
unsafe fn rearm_persist_timeout(i: &mut Inner, ev: *mut Event) {
    // SAFETY: lock held; `ev` live.
    unsafe {
        let io_tv = (*ev).io_timeout();
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
        i.add_nolock_inline(ev, Some(&run_at), true);
    }
}

/// `event_signal_closure`: call the callback `ncalls` times; `event_del` from inside zeroes
/// our counter through `ev_pncalls`. Returns with the lock released.
pub(super) unsafe fn signal_closure(b: &EventBase, ev: *mut Event) {
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
            let should_break = b.inner().stop & STOP_BREAK != 0;
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
