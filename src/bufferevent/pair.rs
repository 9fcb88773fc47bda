//! Paired bufferevents (libevent's bufferevent_pair.c): what one writes, the other reads,
//! moved between their buffers without any fd. Callbacks are always deferred
//! (`BEV_OPT_DEFER_CALLBACKS` is forced on), both sides share one lock, and the buffers
//! are frozen like a socket's: the output's start and the input's end, lifted only while
//! data is moved across.

use std::ffi::{c_int, c_short, c_void};
use std::ptr;

use super::*;

pub(crate) struct Pair {
    pub(crate) partner: *mut BufferEvent,
    /// The partner we were linked to before our last reference went (lock ownership).
    unlinked_partner: *mut BufferEvent,
}

unsafe fn partner_of(p: *mut BufferEvent) -> *mut BufferEvent {
    // SAFETY: live per the caller.
    match unsafe { &(*p).kind } {
        Kind::Pair(pp) => pp.partner,
        _ => ptr::null_mut(),
    }
}

unsafe fn set_partner(p: *mut BufferEvent, partner: *mut BufferEvent) {
    // SAFETY: live per the caller.
    if let Kind::Pair(pp) = unsafe { &mut (*p).kind } {
        pp.partner = partner;
    }
}

/// `incref_and_lock` of bufferevent_pair.c: this side, then the partner.
unsafe fn incref_and_lock(p: *mut BufferEvent) {
    // SAFETY: live per the caller; a linked partner is live.
    unsafe {
        BufferEvent::incref_and_lock(p);
        let partner = partner_of(p);
        if !partner.is_null() {
            BufferEvent::incref_and_lock(partner);
        }
    }
}

unsafe fn decref_and_unlock(p: *mut BufferEvent) {
    // SAFETY: as above.
    unsafe {
        let partner = partner_of(p);
        if !partner.is_null() {
            BufferEvent::decref_and_unlock(partner);
        }
        BufferEvent::decref_and_unlock(p);
    }
}

unsafe fn elt_new(base: *mut crate::ffi::event::event_base, options: c_int) -> Option<*mut BufferEvent> {
    let kind = Kind::Pair(Pair { partner: ptr::null_mut(), unlinked_partner: ptr::null_mut() });
    let p = BufferEvent::new_common(base, &OPS_PAIR, kind, options)?;
    // SAFETY: fresh, exclusively ours.
    unsafe {
        if BufferEvent::output(p).add_cb(CbFn::Info(Some(outbuf_cb)), p.cast()).is_none() {
            BufferEvent::free(p);
            return None;
        }
        BufferEvent::init_generic_timeout_cbs(p);
    }
    Some(p)
}

/// `bufferevent_pair_new`.
pub(crate) fn new(base: *mut crate::ffi::event::event_base, options: c_int) -> Option<[*mut BufferEvent; 2]> {
    let options = options | BEV_OPT_DEFER_CALLBACKS;
    // SAFETY: fresh bufferevents, exclusively ours until returned.
    unsafe {
        let b1 = elt_new(base, options)?;
        let Some(b2) = elt_new(base, options & !BEV_OPT_THREADSAFE) else {
            BufferEvent::free(b1);
            return None;
        };
        if let Some(l) = (*b1).lock.clone() {
            BufferEvent::adopt_lock(b2, &l);
        }
        set_partner(b1, b2);
        set_partner(b2, b1);
        for b in [b1, b2] {
            BufferEvent::input(b).freeze(false, true);
            BufferEvent::output(b).freeze(true, true);
        }
        Some([b1, b2])
    }
}

/// `be_pair_transfer`: moves `src`'s output into `dst`'s input (up to `dst`'s read high
/// watermark unless `ignore_wm`), then runs the read and write callbacks as due.
unsafe fn transfer(src: *mut BufferEvent, dst: *mut BufferEvent, ignore_wm: bool) {
    // SAFETY: both live and locked by the caller (they share the lock).
    unsafe {
        let out = BufferEvent::output(src);
        let inp = BufferEvent::input(dst);
        out.freeze(true, false);
        inp.freeze(false, false);
        let n;
        let high = (*dst).bev.wm_read.high;
        'done: {
            if high != 0 {
                let dst_size = inp.get_length();
                if dst_size < high {
                    n = high - dst_size;
                    out.remove_buffer(inp, n);
                } else {
                    if !ignore_wm {
                        break 'done;
                    }
                    n = out.get_length();
                    inp.add_buffer(out);
                }
            } else {
                n = out.get_length();
                inp.add_buffer(out);
            }
            if n != 0 {
                BufferEvent::reset_generic_read_timeout(dst);
                if BufferEvent::output(dst).get_length() != 0 {
                    BufferEvent::reset_generic_write_timeout(dst);
                } else {
                    ev_del(&mut (*dst).bev.ev_write);
                }
            }
            BufferEvent::trigger_nolock(dst, EV_READ, 0);
            BufferEvent::trigger_nolock(src, EV_WRITE, 0);
        }
        out.freeze(true, true);
        inp.freeze(false, true);
        if (*src).closing.is_some() {
            flush_close::pair_progress(src);
        }
    }
}

/// `be_pair_wants_to_talk`.
unsafe fn wants_to_talk(src: *mut BufferEvent, dst: *mut BufferEvent) -> bool {
    // SAFETY: both live and locked.
    unsafe {
        (*src).bev.enabled & EV_WRITE != 0
            && (*dst).bev.enabled & EV_READ != 0
            && (*dst).read_suspended == 0
            && BufferEvent::output(src).get_length() != 0
    }
}

/// `be_pair_outbuf_cb`: data added to our output goes across if the partner reads.
unsafe extern "C" fn outbuf_cb(_buf: *mut c_void, info: *const CbInfo, arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: registered on a live pair member's output; `info` valid for the call.
    unsafe {
        incref_and_lock(p);
        let partner = partner_of(p);
        if (*info).n_added > (*info).n_deleted && !partner.is_null() && wants_to_talk(p, partner) {
            transfer(p, partner, false);
        }
        decref_and_unlock(p);
    }
}

/// `be_pair_enable`.
pub(crate) unsafe fn enable(p: *mut BufferEvent, what: c_short) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        incref_and_lock(p);
        if what & EV_READ != 0 {
            BufferEvent::reset_generic_read_timeout(p);
        }
        if what & EV_WRITE != 0 && BufferEvent::output(p).get_length() != 0 {
            BufferEvent::reset_generic_write_timeout(p);
        }
        let partner = partner_of(p);
        if what & EV_READ != 0 && !partner.is_null() && wants_to_talk(partner, p) {
            transfer(partner, p, false);
        }
        let partner = partner_of(p);
        if what & EV_WRITE != 0 && !partner.is_null() && wants_to_talk(p, partner) {
            transfer(p, partner, false);
        }
        decref_and_unlock(p);
    }
    0
}

/// `be_pair_disable`.
pub(crate) unsafe fn disable(p: *mut BufferEvent, what: c_short) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        if what & EV_READ != 0 {
            ev_del(&mut (*p).bev.ev_read);
        }
        if what & EV_WRITE != 0 {
            ev_del(&mut (*p).bev.ev_write);
        }
    }
    0
}

/// `be_pair_unlink`: the last reference is gone; the partner forgets us.
pub(crate) unsafe fn unlink(p: *mut BufferEvent) {
    // SAFETY: live per the caller (lock held).
    unsafe {
        let partner = partner_of(p);
        if !partner.is_null() {
            if let Kind::Pair(pp) = &mut (*p).kind {
                pp.unlinked_partner = partner;
            }
            set_partner(partner, ptr::null_mut());
            set_partner(p, ptr::null_mut());
            flush_close::partner_gone(partner);
        }
    }
}

/// `be_pair_destruct`. The shared lock is reference counted here, so libevent's lock
/// ownership hand-over is not needed.
pub(crate) unsafe fn destruct(p: *mut BufferEvent) {
    // SAFETY: live per the caller.
    unsafe {
        if let Kind::Pair(pp) = &mut (*p).kind {
            pp.unlinked_partner = ptr::null_mut();
        }
    }
}

/// `be_pair_flush`: -1 without a partner; `BEV_NORMAL` does nothing; otherwise moves
/// everything across regardless of watermarks, and `BEV_FINISHED` tells the partner EOF.
pub(crate) unsafe fn flush(p: *mut BufferEvent, iotype: c_short, mode: c_int) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        if partner_of(p).is_null() {
            return -1;
        }
        if mode == BEV_NORMAL {
            return 0;
        }
        incref_and_lock(p);
        let partner = partner_of(p);
        if iotype & EV_READ != 0 {
            transfer(partner, p, true);
        }
        if iotype & EV_WRITE != 0 {
            transfer(p, partner, true);
        }
        if mode == BEV_FINISHED {
            let mut what = BEV_EVENT_EOF;
            if iotype & EV_READ != 0 {
                what |= BEV_EVENT_WRITING;
            }
            if iotype & EV_WRITE != 0 {
                what |= BEV_EVENT_READING;
            }
            BufferEvent::run_eventcb(partner, what, 0);
        }
        decref_and_unlock(p);
    }
    0
}

/// `bufferevent_pair_get_partner`: NULL for non-pairs and unlinked pairs.
pub(crate) unsafe fn get_partner(p: *mut BufferEvent) -> *mut BufferEvent {
    // SAFETY: live per the caller.
    unsafe {
        if !matches!((*p).kind, Kind::Pair(_)) {
            return ptr::null_mut();
        }
        incref_and_lock(p);
        let partner = partner_of(p);
        decref_and_unlock(p);
        partner
    }
}
