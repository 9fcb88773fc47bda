//! `event_base_once`: one-shot events allocated and freed by the base.

use std::ffi::{c_int, c_short, c_void};
use std::ptr;

use libc::timeval;

use super::event::*;
use super::timer::*;
use super::{assign_raw, thread, Event, EventBase, Inner};

/// An `event_base_once` allocation.
#[repr(C)]
pub(super) struct OnceEvent {
    pub(super) ev: Event,
    cb: Option<Callback>,
    arg: *mut c_void,
    pub(super) next: *mut OnceEvent,
    prev: *mut OnceEvent,
}

impl Inner {
    pub(super) unsafe fn once_link(&mut self, o: *mut OnceEvent) {
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

    pub(super) unsafe fn once_unlink(&mut self, o: *mut OnceEvent) {
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
}

pub(super) unsafe extern "C" fn once_cb(fd: c_int, what: c_short, arg: *mut c_void) {
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
