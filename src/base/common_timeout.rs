//! Common timeouts (`event_base_init_common_timeout`): events with one shared duration kept
//! in a FIFO instead of the heap, with one internal heap timer for the queue's head.

use std::ffi::{c_int, c_short, c_void};
use std::ptr;

use libc::timeval;

use super::event::*;
use super::timer::*;
use super::{assign_raw, DelMode, Event, EventBase, Inner};

/// A common-timeout queue (`event_base_init_common_timeout`): events with the same duration
/// kept in FIFO order, with one internal heap timer for the head.
pub(crate) struct CommonTimeout {
    /// The magic-encoded duration handed to the program.
    pub(crate) duration: timeval,
    pub(super) head: *mut Event,
    pub(super) tail: *mut Event,
    pub(super) timeout_event: Event,
    pub(super) base: *const EventBase,
}

impl Inner {
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

    pub(super) unsafe fn common_timeout_schedule(&mut self, ctl: *mut CommonTimeout, head: *mut Event) {
        // SAFETY: `ctl` is one of our boxes; `head` is live.
        unsafe {
            let mut t = (*head).ev_timeout;
            t.tv_usec &= MICROSECONDS_MASK;
            self.add_nolock(&mut (*ctl).timeout_event, Some(&t), true);
        }
    }
}

/// Inserts `ev` in `ctl`'s FIFO, searching from the tail like libevent.
pub(super) unsafe fn insert_common_timeout_inorder(ctl: *mut CommonTimeout, ev: *mut Event) {
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

pub(super) unsafe fn common_remove(ctl: *mut CommonTimeout, ev: *mut Event) {
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
pub(super) unsafe extern "C" fn common_timeout_callback(_fd: c_int, _what: c_short, arg: *mut c_void) {
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
