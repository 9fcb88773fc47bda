//! The active queues (one FIFO per priority, plus "active later"), the event counts, and
//! membership of the inserted / active / timeout sets (`event_queue_insert_*`).

use std::ffi::{c_int, c_short};
use std::ptr;

use super::common_timeout::{common_remove, insert_common_timeout_inorder};
use super::event::*;
use super::timer::*;
use super::{CommonTimeout, Event, Inner};

/// A FIFO of callbacks linked through `evcb_active_next`. `tqe_prev` holds the previous
/// *element* (not libevent's pointer-to-next-field), so the queue heads can live in a Vec.
#[derive(Clone, Copy)]
pub(crate) struct CbQueue {
    pub(super) head: *mut event_callback,
    pub(super) tail: *mut event_callback,
}

impl CbQueue {
    pub(super) const EMPTY: CbQueue = CbQueue { head: ptr::null_mut(), tail: ptr::null_mut() };

    #[inline]
    pub(super) unsafe fn push_back(&mut self, e: *mut event_callback) {
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

    #[inline]
    pub(super) unsafe fn remove(&mut self, e: *mut event_callback) {
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

impl Inner {
    #[inline]
    pub(crate) fn nactivequeues(&self) -> c_int {
        self.activequeues.len() as c_int
    }

    #[inline]
    pub(super) fn n_active(&self) -> c_int {
        self.event_count_active
    }

    #[inline]
    pub(super) fn haveevents(&self) -> bool {
        self.virtual_event_count > 0 || self.event_count > 0
    }

    #[inline]
    pub(super) fn incr_count(&mut self, flags: c_short) {
        self.incr_count_by(flags, 1);
    }

    /// `incr_count` for `k` memberships at once.
    #[inline(always)]
    pub(super) fn incr_count_by(&mut self, flags: c_short, k: c_int) {
        if flags & EVLIST_INTERNAL == 0 {
            self.event_count += k;
            if self.event_count > self.event_count_max {
                self.event_count_max = self.event_count;
            }
        }
    }

    /// The active queue of priority `pri` (the last one for larger numbers, as libevent
    /// clamps).
    #[inline]
    pub(super) fn active_queue(&mut self, pri: u8) -> &mut CbQueue {
        let q = (pri as usize).min(self.activequeues.len() - 1);
        // SAFETY: there is always at least one queue (`priority_init` refuses 0), and
        // `q <= len - 1`.
        unsafe { self.activequeues.get_unchecked_mut(q) }
    }

    #[inline]
    pub(super) fn decr_count(&mut self, flags: c_short) {
        if flags & EVLIST_INTERNAL == 0 {
            self.event_count -= 1;
        }
    }

    pub(super) unsafe fn queue_remove_inserted(&mut self, ev: *mut Event) {
        // SAFETY: live per the caller.
        let f = unsafe { (*ev).flags() };
        self.decr_count(f);
        // SAFETY: live.
        unsafe { (*ev).ev_evcallback.evcb_flags &= !EVLIST_INSERTED };
    }

    #[inline]
    pub(super) unsafe fn queue_insert_active(&mut self, evcb: *mut event_callback) {
        // SAFETY: live per the caller.
        let f = unsafe { (*evcb).evcb_flags };
        if f & EVLIST_ACTIVE != 0 {
            return;
        }
        // SAFETY: forwarded.
        unsafe { self.push_active(evcb, f) };
    }

    /// `queue_insert_active` for a callback known not to be active; `f` is its flags.
    #[inline]
    pub(super) unsafe fn push_active(&mut self, evcb: *mut event_callback, f: c_short) {
        self.incr_count(f);
        // SAFETY: live per the caller.
        let pri = unsafe {
            (*evcb).evcb_flags = f | EVLIST_ACTIVE;
            (*evcb).evcb_pri
        };
        self.event_count_active += 1;
        if self.event_count_active > self.event_count_active_max {
            self.event_count_active_max = self.event_count_active;
        }
        // SAFETY: live.
        unsafe { self.active_queue(pri).push_back(evcb) };
    }

    pub(super) unsafe fn queue_insert_active_later(&mut self, evcb: *mut event_callback) {
        // SAFETY: live per the caller.
        let f = unsafe { (*evcb).evcb_flags };
        if f & (EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) != 0 {
            return;
        }
        self.incr_count(f);
        // SAFETY: live.
        unsafe { (*evcb).evcb_flags |= EVLIST_ACTIVE_LATER };
        self.event_count_active += 1;
        if self.event_count_active > self.event_count_active_max {
            self.event_count_active_max = self.event_count_active;
        }
        // SAFETY: live.
        unsafe { self.active_later.push_back(evcb) };
    }

    #[inline]
    pub(crate) unsafe fn queue_remove_active(&mut self, evcb: *mut event_callback) {
        // SAFETY: live per the caller and on its priority's queue.
        unsafe {
            let f = (*evcb).evcb_flags;
            self.decr_count(f);
            (*evcb).evcb_flags = f & !EVLIST_ACTIVE;
            self.event_count_active -= 1;
            self.active_queue((*evcb).evcb_pri).remove(evcb);
        }
    }

    /// `queue_remove_active` for the head of active queue `q` (the loop's dequeue).
    ///
    /// # Safety
    /// `evcb` is the first callback of `activequeues[q]`.
    #[inline(always)]
    pub(super) unsafe fn queue_pop_active(&mut self, q: usize, evcb: *mut event_callback) {
        // SAFETY: per the caller `q` is a queue index and `evcb` its live head.
        unsafe {
            let f = (*evcb).evcb_flags;
            self.decr_count(f);
            (*evcb).evcb_flags = f & !EVLIST_ACTIVE;
            self.event_count_active -= 1;
            let aq = self.activequeues.get_unchecked_mut(q);
            debug_assert!(aq.head == evcb);
            let next = (*evcb).evcb_active_next.tqe_next;
            aq.head = next;
            if next.is_null() {
                aq.tail = ptr::null_mut();
            } else {
                (*next).evcb_active_next.tqe_prev = ptr::null_mut();
            }
        }
    }

    pub(super) unsafe fn queue_remove_active_later(&mut self, evcb: *mut event_callback) {
        // SAFETY: live per the caller and on the active-later queue.
        unsafe {
            let f = (*evcb).evcb_flags;
            self.decr_count(f);
            (*evcb).evcb_flags &= !EVLIST_ACTIVE_LATER;
            self.event_count_active -= 1;
            self.active_later.remove(evcb);
        }
    }

    pub(super) unsafe fn remove_any_active(&mut self, evcb: *mut event_callback) {
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

    /// `event_queue_insert_timeout` for an event known to be on no timeout list (libevent's
    /// check for one that is would abort).
    ///
    /// # Safety
    /// `ev` is live, not `EVLIST_TIMEOUT`, its `ev_timeout` set.
    /// `also`: further memberships of `ev` to count with this one (see `add_nolock`).
    #[inline(always)]
    pub(super) unsafe fn queue_insert_timeout_unchecked(&mut self, ev: *mut Event, also: c_int) {
        // SAFETY: live per the caller.
        unsafe {
            let f = (*ev).flags();
            self.incr_count_by(f, 1 + also);
            (*ev).ev_evcallback.evcb_flags = f | EVLIST_TIMEOUT;
            if is_common_timeout(&(*ev).ev_timeout, self.common_timeouts.len()) {
                let idx = common_timeout_idx(&(*ev).ev_timeout);
                let ctl: *mut CommonTimeout = &mut *self.common_timeouts[idx];
                insert_common_timeout_inorder(ctl, ev);
            } else {
                self.timeheap.push(ev);
            }
        }
    }

    #[inline]
    pub(super) unsafe fn queue_remove_timeout(&mut self, ev: *mut Event) {
        // SAFETY: live per the caller.
        unsafe {
            let f = (*ev).flags();
            self.decr_count(f);
            (*ev).ev_evcallback.evcb_flags = f & !EVLIST_TIMEOUT;
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
    pub(super) fn make_later_events_active(&mut self) {
        loop {
            let evcb = self.active_later.head;
            if evcb.is_null() {
                break;
            }
            // SAFETY: live queue member.
            unsafe {
                self.active_later.remove(evcb);
                (*evcb).evcb_flags = ((*evcb).evcb_flags & !EVLIST_ACTIVE_LATER) | EVLIST_ACTIVE;
                self.active_queue((*evcb).evcb_pri).push_back(evcb);
                self.n_deferreds_queued += ((*evcb).evcb_closure == EV_CLOSURE_CB_SELF) as c_int;
            }
        }
    }

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
}
