//! Filtering bufferevents (libevent's bufferevent_filter.c): a bufferevent on top of
//! another one, with user functions transforming the bytes each way. The filter takes over
//! the underlying bufferevent's callbacks; its own buffers are not frozen.

use std::ffi::{c_int, c_short, c_void};
use std::ptr;

use super::*;

/// A user filter (`bufferevent_filter_cb`; the enums travel as ints).
pub(crate) type FilterFn = Option<
    unsafe extern "C" fn(
        src: *mut crate::ffi::buffer::evbuffer,
        dst: *mut crate::ffi::buffer::evbuffer,
        dst_limit: isize,
        mode: c_int,
        ctx: *mut c_void,
    ) -> c_int,
>;

pub(crate) struct Filter {
    pub(crate) underlying: *mut BufferEvent,
    inbuf_cb: Option<std::ptr::NonNull<CbEntry>>,
    outbuf_cb: Option<std::ptr::NonNull<CbEntry>>,
    got_eof: bool,
    free_context: Option<unsafe extern "C" fn(*mut c_void)>,
    process_in: unsafe extern "C" fn(
        *mut crate::ffi::buffer::evbuffer,
        *mut crate::ffi::buffer::evbuffer,
        isize,
        c_int,
        *mut c_void,
    ) -> c_int,
    process_out: unsafe extern "C" fn(
        *mut crate::ffi::buffer::evbuffer,
        *mut crate::ffi::buffer::evbuffer,
        isize,
        c_int,
        *mut c_void,
    ) -> c_int,
    context: *mut c_void,
}

unsafe fn filt<'a>(p: *mut BufferEvent) -> &'a mut Filter {
    // SAFETY: only called on filter bufferevents (live per the caller).
    match unsafe { &mut (*p).kind } {
        Kind::Filter(f) => f,
        _ => crate::ev_fatal!("bufferevent_filter: not a filtering bufferevent"),
    }
}

/// The filter used for a NULL input or output filter: moves bytes unchanged.
unsafe extern "C" fn null_filter(
    src: *mut crate::ffi::buffer::evbuffer,
    dst: *mut crate::ffi::buffer::evbuffer,
    lim: isize,
    _mode: c_int,
    _ctx: *mut c_void,
) -> c_int {
    // SAFETY: the filter machinery passes live buffers.
    let r = unsafe { evb(src).remove_buffer(evb(dst), if lim < 0 { usize::MAX } else { lim as usize }) };
    if r >= 0 {
        BEV_OK
    } else {
        BEV_ERROR
    }
}

/// `bufferevent_filter_new`.
pub(crate) unsafe fn new(
    underlying: *mut BufferEvent,
    input_filter: FilterFn,
    output_filter: FilterFn,
    options: c_int,
    free_context: Option<unsafe extern "C" fn(*mut c_void)>,
    ctx: *mut c_void,
) -> Option<*mut BufferEvent> {
    let kind = Kind::Filter(Box::new(Filter {
        underlying,
        inbuf_cb: None,
        outbuf_cb: None,
        got_eof: false,
        free_context,
        process_in: input_filter.unwrap_or(null_filter),
        process_out: output_filter.unwrap_or(null_filter),
        context: ctx,
    }));
    // SAFETY: `underlying` is live (caller).
    unsafe {
        let p = BufferEvent::new_common((*underlying).bev.ev_base, &OPS_FILTER, kind, options & !BEV_OPT_THREADSAFE)?;
        if options & BEV_OPT_THREADSAFE != 0 {
            // libevent gives the filter a lock of its own here (its underlying link is set
            // only afterwards, so the underlying bufferevent's lock is not shared).
            if let Some(l) = Lock::new() {
                BufferEvent::adopt_lock(p, &Arc::new(l));
            }
        }
        BufferEvent::setcb(underlying, Some(filter_readcb), Some(filter_writecb), Some(filter_eventcb), p.cast());
        let inp = BufferEvent::input(p);
        let e = inp.add_cb(CbFn::Info(Some(inbuf_cb)), p.cast());
        if let Some(e) = e {
            inp.cb_flags(e.as_ptr(), CB_ENABLED, false);
        }
        filt(p).inbuf_cb = e;
        filt(p).outbuf_cb = BufferEvent::output(p).add_cb(CbFn::Info(Some(outbuf_cb)), p.cast());
        BufferEvent::init_generic_timeout_cbs(p);
        BufferEvent::incref(underlying);
        BufferEvent::enable(underlying, EV_READ | EV_WRITE);
        BufferEvent::suspend_read(underlying, SUSPEND_FILT_READ);
        Some(p)
    }
}

/// `be_filter_unlink`: with CLOSE_ON_FREE the underlying bufferevent is freed too;
/// otherwise it gets its callbacks cleared and reading back.
pub(crate) unsafe fn unlink(p: *mut BufferEvent) {
    // SAFETY: live per the caller.
    unsafe {
        let u = filt(p).underlying;
        if (*p).options & BEV_OPT_CLOSE_ON_FREE != 0 {
            if (*u).refcnt < 2 {
                crate::ev_warn!("BEV_OPT_CLOSE_ON_FREE set on an bufferevent with too few references");
            } else if (*p).closing.is_some() {
                // bufferevent_flush_and_close of the filter closes the underlying one the
                // same way (docs/flush-and-close.md).
                flush_close::close_underlying(u);
            } else {
                BufferEvent::free(u);
            }
        } else if !u.is_null() {
            // Still ours (libevent compares the event callback; the argument says the same).
            if (*u).bev.errorcb.is_some() && (*u).bev.cbarg == p.cast() {
                BufferEvent::setcb(u, None, None, None, ptr::null_mut());
            }
            BufferEvent::unsuspend_read(u, SUSPEND_FILT_READ);
        }
    }
}

/// `be_filter_destruct`.
pub(crate) unsafe fn destruct(p: *mut BufferEvent) {
    // SAFETY: live per the caller.
    unsafe {
        let f = filt(p);
        if let Some(free) = f.free_context {
            free(f.context);
        }
        let f = filt(p);
        if let Some(e) = f.inbuf_cb.take() {
            BufferEvent::input(p).remove_cb_entry(e.as_ptr());
        }
        let f = filt(p);
        if let Some(e) = f.outbuf_cb.take() {
            BufferEvent::output(p).remove_cb_entry(e.as_ptr());
        }
    }
}

/// `be_filter_enable`.
pub(crate) unsafe fn enable(p: *mut BufferEvent, what: c_short) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        if what & EV_WRITE != 0 {
            BufferEvent::reset_generic_write_timeout(p);
        }
        if what & EV_READ != 0 {
            BufferEvent::reset_generic_read_timeout(p);
            BufferEvent::unsuspend_read(filt(p).underlying, SUSPEND_FILT_READ);
        }
    }
    0
}

/// `be_filter_disable`.
pub(crate) unsafe fn disable(p: *mut BufferEvent, what: c_short) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        if what & EV_WRITE != 0 {
            ev_del(&mut (*p).bev.ev_write);
        }
        if what & EV_READ != 0 {
            ev_del(&mut (*p).bev.ev_read);
            BufferEvent::suspend_read(filt(p).underlying, SUSPEND_FILT_READ);
        }
    }
    0
}

/// `be_underlying_writebuf_full`.
unsafe fn underlying_writebuf_full(p: *mut BufferEvent, state: c_int) -> bool {
    // SAFETY: live per the caller.
    unsafe {
        let u = filt(p).underlying;
        state == BEV_NORMAL
            && (*u).bev.wm_write.high != 0
            && BufferEvent::output(u).get_length() >= (*u).bev.wm_write.high
    }
}

/// `be_readbuf_full`.
unsafe fn readbuf_full(p: *mut BufferEvent, state: c_int) -> bool {
    // SAFETY: live per the caller.
    unsafe {
        state == BEV_NORMAL && (*p).bev.wm_read.high != 0 && BufferEvent::input(p).get_length() >= (*p).bev.wm_read.high
    }
}

/// `be_filter_process_input`.
unsafe fn process_input(p: *mut BufferEvent, state: c_int, processed_out: &mut bool) -> c_int {
    // SAFETY: live per the caller (lock and a reference held).
    unsafe {
        if state == BEV_NORMAL && ((*p).bev.enabled & EV_READ == 0 || readbuf_full(p, state)) {
            return BEV_OK;
        }
        let mut res;
        loop {
            let mut limit: isize = -1;
            if state == BEV_NORMAL && (*p).bev.wm_read.high != 0 {
                limit = (*p).bev.wm_read.high as isize - BufferEvent::input(p).get_length() as isize;
            }
            let f = filt(p);
            let (pin, u, ctx) = (f.process_in, f.underlying, f.context);
            res = pin((*u).bev.input, (*p).bev.input, limit, state, ctx);
            if res == BEV_OK {
                *processed_out = true;
            }
            let u = filt(p).underlying;
            if !(res == BEV_OK
                && (*p).bev.enabled & EV_READ != 0
                && BufferEvent::input(u).get_length() != 0
                && !readbuf_full(p, state))
            {
                break;
            }
        }
        if *processed_out {
            BufferEvent::reset_generic_read_timeout(p);
        }
        res
    }
}

/// `be_filter_process_output`.
unsafe fn process_output(p: *mut BufferEvent, state: c_int, processed_out: &mut bool) -> c_int {
    // SAFETY: live per the caller (lock and a reference held).
    unsafe {
        if state == BEV_NORMAL
            && ((*p).bev.enabled & EV_WRITE == 0
                || underlying_writebuf_full(p, state)
                || BufferEvent::output(p).get_length() == 0)
        {
            return BEV_OK;
        }
        let outcb = filt(p).outbuf_cb;
        if let Some(e) = outcb {
            BufferEvent::output(p).cb_flags(e.as_ptr(), CB_ENABLED, false);
        }
        let mut res;
        loop {
            let mut processed = false;
            loop {
                let u = filt(p).underlying;
                let mut limit: isize = -1;
                if state == BEV_NORMAL && (*u).bev.wm_write.high != 0 {
                    limit = (*u).bev.wm_write.high as isize - BufferEvent::output(u).get_length() as isize;
                }
                let f = filt(p);
                let (pout, ctx) = (f.process_out, f.context);
                res = pout((*p).bev.output, (*u).bev.output, limit, state, ctx);
                if res == BEV_OK {
                    processed = true;
                    *processed_out = true;
                }
                if !(res == BEV_OK
                    && (*p).bev.enabled & EV_WRITE != 0
                    && BufferEvent::output(p).get_length() != 0
                    && !underlying_writebuf_full(p, state))
                {
                    break;
                }
            }
            let mut again = false;
            if processed {
                BufferEvent::trigger_nolock(p, EV_WRITE, 0);
                if res == BEV_OK
                    && (*p).bev.enabled & EV_WRITE != 0
                    && BufferEvent::output(p).get_length() != 0
                    && !underlying_writebuf_full(p, state)
                {
                    again = true;
                }
            }
            if !again {
                break;
            }
        }
        if let Some(e) = outcb {
            BufferEvent::output(p).cb_flags(e.as_ptr(), CB_ENABLED, true);
        }
        if *processed_out {
            BufferEvent::reset_generic_write_timeout(p);
        }
        res
    }
}

/// `bufferevent_filtered_outbuf_cb`: the program added output: filter it if we may.
unsafe extern "C" fn outbuf_cb(_buf: *mut c_void, info: *const CbInfo, arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: registered on a live filter's output; `info` valid for the call.
    unsafe {
        if (*info).n_added != 0 {
            let mut any = false;
            BufferEvent::incref_and_lock(p);
            process_output(p, BEV_NORMAL, &mut any);
            BufferEvent::decref_and_unlock(p);
        }
    }
}

/// `be_filter_read_nolock_`.
unsafe fn read_nolock(underlying: *mut BufferEvent, p: *mut BufferEvent) {
    // SAFETY: live per the caller (lock held).
    unsafe {
        if (*p).refcnt <= 0 || (*p).finalizing {
            return;
        }
        let state = if filt(p).got_eof { BEV_FINISHED } else { BEV_NORMAL };
        let mut any = false;
        let _ = process_input(p, state, &mut any);
        if any {
            BufferEvent::trigger_nolock(p, EV_READ, 0);
            if BufferEvent::input(underlying).get_length() > 0 && readbuf_full(p, state) {
                // Data is left below and our input hit its high watermark: come back when
                // the program drains our input.
                if let Some(e) = filt(p).inbuf_cb {
                    BufferEvent::input(p).cb_flags(e.as_ptr(), CB_ENABLED, true);
                }
            }
        }
    }
}

/// `bufferevent_filtered_inbuf_cb`: our input shrank below the watermark: resume.
unsafe extern "C" fn inbuf_cb(_buf: *mut c_void, _info: *const CbInfo, arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: registered on a live filter's input.
    unsafe {
        BufferEvent::lock(p);
        let state = if filt(p).got_eof { BEV_FINISHED } else { BEV_NORMAL };
        if !readbuf_full(p, state) {
            if let Some(e) = filt(p).inbuf_cb {
                BufferEvent::input(p).cb_flags(e.as_ptr(), CB_ENABLED, false);
            }
            let u = filt(p).underlying;
            if BufferEvent::input(u).get_length() > 0 {
                read_nolock(u, p);
            }
        }
        BufferEvent::unlock(p);
    }
}

/// The underlying bufferevent read something (`be_filter_readcb`).
unsafe extern "C" fn filter_readcb(underlying: *mut bufferevent, me: *mut c_void) {
    let p: *mut BufferEvent = me.cast();
    // SAFETY: installed by `new` with the live filter as argument.
    unsafe {
        BufferEvent::lock(p);
        read_nolock(underlying.cast(), p);
        BufferEvent::unlock(p);
    }
}

/// The underlying bufferevent drained its output (`be_filter_writecb`).
unsafe extern "C" fn filter_writecb(_underlying: *mut bufferevent, me: *mut c_void) {
    let p: *mut BufferEvent = me.cast();
    // SAFETY: as above.
    unsafe {
        BufferEvent::lock(p);
        if (*p).refcnt > 0 && !(*p).finalizing {
            let mut any = false;
            process_output(p, BEV_NORMAL, &mut any);
        }
        BufferEvent::unlock(p);
    }
}

/// Something happened below (`be_filter_eventcb`): tell our own event callback.
unsafe extern "C" fn filter_eventcb(_underlying: *mut bufferevent, what: c_short, me: *mut c_void) {
    let p: *mut BufferEvent = me.cast();
    // SAFETY: as above.
    unsafe {
        BufferEvent::lock(p);
        if (*p).refcnt > 0 && !(*p).finalizing {
            BufferEvent::run_eventcb(p, what, 0);
        }
        BufferEvent::unlock(p);
    }
}

/// `be_filter_flush`: runs the filters in `mode`, then flushes the underlying bufferevent.
/// Returns whether the filters processed anything.
pub(crate) unsafe fn flush(p: *mut BufferEvent, iotype: c_short, mode: c_int) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        let mut any = false;
        BufferEvent::incref_and_lock(p);
        if iotype & EV_READ != 0 {
            process_input(p, mode, &mut any);
        }
        if iotype & EV_WRITE != 0 {
            process_output(p, mode, &mut any);
        }
        let u = filt(p).underlying;
        BufferEvent::flush(u, iotype, mode);
        BufferEvent::decref_and_unlock(p);
        any as c_int
    }
}
