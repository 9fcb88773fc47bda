//! Socket bufferevents (libevent's bufferevent_sock.c).
//!
//! `ev_read`/`ev_write` are persistent events on the fd. The read side reads once per
//! readiness (at most the high watermark's room, the rate limit, `max_single_read`, and
//! evbuffer's 4096 bytes — read callbacks observe that size, so it stays) into the input
//! buffer, whose end is frozen except during that read. Unlike libevent, no FIONREAD is
//! asked first: it only sized the allocation. The write side is armed by the output buffer's callback when data is added
//! and drains the output (start frozen except during that write) one `writev` per
//! readiness, removing itself when the output is empty. So nothing is written before the
//! loop runs, and `evbuffer_write(bufferevent_get_output(bev), fd)` is refused: see
//! docs/freeze.md.

use std::ffi::{c_int, c_short, c_void, CStr};
use std::ptr;

use libc::timeval;

use super::*;
use crate::base::event::{EVLIST_X_OWN_IO, EV_FINALIZE, EV_PERSIST};
use crate::buffer::io::MAX_READ as READ_MAX;
use crate::buffer::FLAG_DRAINS_TO_FD;
use crate::util::sock::{errno, set_errno};

/// A socket bufferevent's own state (the fd lives in its events).
#[derive(Default)]
pub(crate) struct Socket {
    /// The last name lookup's error (`bufferevent_socket_get_dns_error`).
    pub(crate) dns_error: c_int,
}

/// The socket state of a socket bufferevent.
unsafe fn sock<'a>(p: *mut BufferEvent) -> &'a mut Socket {
    // SAFETY: only called on socket bufferevents (live per the caller).
    match unsafe { &mut (*p).kind } {
        Kind::Socket(s) => s,
        _ => crate::ev_fatal!("bufferevent_socket: not a socket bufferevent"),
    }
}

/// `bufferevent_socket_get_dns_error`: 0 for other kinds.
pub(crate) unsafe fn dns_error(p: *mut BufferEvent) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        let e = match &(*p).kind {
            Kind::Socket(s) => s.dns_error,
            _ => 0,
        };
        BufferEvent::unlock(p);
        e
    }
}

fn rw_retriable(e: c_int) -> bool {
    e == libc::EINTR || e == libc::EAGAIN
}

fn connect_retriable(e: c_int) -> bool {
    e == libc::EINTR || e == libc::EINPROGRESS
}

/// (Re)assigns the read and write events to `fd` (libevent's `event_assign` pair).
pub(crate) unsafe fn reassign(p: *mut BufferEvent, fd: c_int) {
    // SAFETY: live per the caller.
    unsafe {
        let base: *mut EventBase = BufferEvent::base(p).map_or(ptr::null_mut(), |b| b as *const _ as *mut _);
        let nq = BufferEvent::base(p).map_or(1, |b| b.with(|i| i.nactivequeues()));
        let flags = EV_PERSIST | EV_FINALIZE;
        crate::base::assign_internal(&mut (*p).bev.ev_read, base, nq, fd, EV_READ | flags, Some(readcb), p.cast());
        crate::base::assign_internal(&mut (*p).bev.ev_write, base, nq, fd, EV_WRITE | flags, Some(writecb), p.cast());
        // evshim does this fd's I/O itself: registered once, edge-triggered, and told when
        // a read or write finds it drained (the poller's own-I/O mode). libevent's flags and
        // `event_pending` answers are unchanged.
        (*p).bev.ev_read.ev_evcallback.evcb_flags |= EVLIST_X_OWN_IO;
        (*p).bev.ev_write.ev_evcallback.evcb_flags |= EVLIST_X_OWN_IO;
    }
}

/// A read or write came back short or with `EAGAIN`: the fd is drained for `what` until
/// the kernel reports a new edge.
#[inline]
unsafe fn drained(p: *mut BufferEvent, fd: c_int, what: c_short) {
    // SAFETY: live per the caller.
    if let Some(b) = unsafe { event_base_of(&(*p).bev.ev_read) } {
        b.io_drained(fd, what);
    }
}

/// `bufferevent_socket_new`.
pub(crate) fn new(base: *mut crate::ffi::event::event_base, fd: c_int, options: c_int) -> Option<*mut BufferEvent> {
    let p = BufferEvent::new_common(base, &OPS_SOCKET, Kind::Socket(Socket::default()), options)?;
    // SAFETY: fresh, exclusively ours.
    unsafe {
        let out = BufferEvent::output(p);
        out.set_flags(FLAG_DRAINS_TO_FD);
        reassign(p, fd);
        let _ = out.add_cb(CbFn::Info(Some(outbuf_cb)), p.cast());
        BufferEvent::input(p).freeze(false, true);
        out.freeze(true, true);
    }
    Some(p)
}

/// `bufferevent_socket_outbuf_cb`: data was added while we were not writing: start.
unsafe extern "C" fn outbuf_cb(_buf: *mut c_void, info: *const CbInfo, arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: registered on a live bufferevent's output; `info` is valid for the call.
    unsafe {
        if (*info).n_added != 0
            && (*p).bev.enabled & EV_WRITE != 0
            && !ev_pending(&(*p).bev.ev_write, EV_WRITE)
            && (*p).write_suspended == 0
        {
            let tv = (*p).bev.timeout_write;
            let _ = add_event(&mut (*p).bev.ev_write, &tv);
        }
    }
}

/// What a socket event's work ran into: nothing to report, or libevent's `error:` path
/// (reading or writing disabled, then the event callback with these `BEV_EVENT_*` bits).
type Outcome = Result<(), c_short>;

/// The body shared by both events: a reference and the lock for the whole run (the
/// callbacks inside may free the bufferevent), nothing once it is being finalized, evshim's
/// closing work while `bufferevent_flush_and_close` runs, else `work`; libevent's `error:`
/// path when `work` says so.
///
/// # Safety
/// `p` is the live bufferevent whose event fired.
unsafe fn run_event(
    p: *mut BufferEvent,
    fd: c_int,
    event: c_short,
    dir: c_short,
    work: unsafe fn(*mut BufferEvent, c_int, c_short) -> Outcome,
    closing: unsafe fn(*mut BufferEvent, c_int, c_short),
) {
    // SAFETY: live per the caller; the reference taken first keeps it alive through the
    // user callbacks.
    unsafe {
        BufferEvent::incref_and_lock(p);
        if !(*p).finalizing {
            if (*p).closing.is_some() {
                closing(p, fd, event);
            } else if let Err(what) = work(p, fd, event) {
                BufferEvent::disable(p, dir);
                BufferEvent::run_eventcb(p, what, 0);
            }
        }
        BufferEvent::decref_and_unlock(p);
    }
}

/// `bufferevent_readcb`.
unsafe extern "C" fn readcb(fd: c_int, event: c_short, arg: *mut c_void) {
    // SAFETY: the event belongs to a live bufferevent (finalizing deletes it first).
    unsafe { run_event(arg.cast(), fd, event, EV_READ, read_ready, flush_close::on_readable) }
}

/// `bufferevent_writecb`.
unsafe extern "C" fn writecb(fd: c_int, event: c_short, arg: *mut c_void) {
    // SAFETY: as in `readcb`.
    unsafe { run_event(arg.cast(), fd, event, EV_WRITE, write_ready, flush_close::on_writable) }
}

/// The read event's work: one read (at most the watermark's room, the rate limit,
/// `max_single_read` and 4096 bytes), then the read callback.
unsafe fn read_ready(p: *mut BufferEvent, fd: c_int, event: c_short) -> Outcome {
    let what = BEV_EVENT_READING;
    if event == EV_TIMEOUT {
        return Err(what | BEV_EVENT_TIMEOUT);
    }
    // SAFETY: live, referenced and locked (`run_event`).
    unsafe {
        let input = BufferEvent::input(p);
        let mut howmuch: isize = -1;
        if (*p).bev.wm_read.high != 0 {
            howmuch = (*p).bev.wm_read.high as isize - input.get_length() as isize;
            if howmuch <= 0 {
                // The watermark was lowered: stop reading.
                BufferEvent::suspend_read(p, SUSPEND_WM);
                return Ok(());
            }
        }
        let readmax = ratelim::get_read_max(p);
        if howmuch < 0 || howmuch > readmax {
            howmuch = readmax;
        }
        if (*p).read_suspended != 0 {
            return Ok(());
        }
        input.freeze(false, false);
        let want = howmuch.min(READ_MAX as isize) as c_int;
        let res = input.read_bufferevent(fd, want);
        input.freeze(false, true);
        if res > 0 && res < want {
            // A short read on a stream, pipe or tty: nothing more is waiting.
            drained(p, fd, EV_READ);
        }
        if res == -1 {
            let err = errno();
            if rw_retriable(err) {
                if err == libc::EAGAIN {
                    drained(p, fd, EV_READ);
                }
                return Ok(());
            }
            if err == libc::ECONNREFUSED {
                // The connect failed: the write event reports it.
                (*p).connection_refused = true;
                return Ok(());
            }
            return Err(what | BEV_EVENT_ERROR);
        }
        if res == 0 {
            return Err(what | BEV_EVENT_EOF);
        }
        ratelim::decrement_read_buckets(p, res as isize);
        BufferEvent::trigger_nolock(p, EV_READ, 0);
    }
    Ok(())
}

/// The write event's work: finishing a connect, one write of the output (at most the rate
/// limit and `max_single_write`), then the write callback if the output is at or below its
/// low watermark.
unsafe fn write_ready(p: *mut BufferEvent, fd: c_int, event: c_short) -> Outcome {
    let what = BEV_EVENT_WRITING;
    if event == EV_TIMEOUT {
        return Err(what | BEV_EVENT_TIMEOUT);
    }
    // SAFETY: live, referenced and locked (`run_event`).
    unsafe {
        let mut connected = false;
        if (*p).connecting {
            let mut c = finished_connecting(fd);
            if (*p).connection_refused {
                (*p).connection_refused = false;
                c = -1;
            }
            if c == 0 {
                return Ok(());
            }
            (*p).connecting = false;
            if c < 0 {
                ev_del(&mut (*p).bev.ev_write);
                ev_del(&mut (*p).bev.ev_read);
                BufferEvent::run_eventcb(p, BEV_EVENT_ERROR, 0);
                return Ok(());
            }
            connected = true;
            BufferEvent::run_eventcb(p, BEV_EVENT_CONNECTED, 0);
            if (*p).bev.enabled & EV_WRITE == 0 || (*p).write_suspended != 0 {
                ev_del(&mut (*p).bev.ev_write);
                return Ok(());
            }
        }
        let atmost = ratelim::get_write_max(p);
        if (*p).write_suspended != 0 {
            return Ok(());
        }
        let output = BufferEvent::output(p);
        let mut res = 0;
        if output.get_length() > 0 {
            output.freeze(true, false);
            let mut offered = 0;
            res = output.write_atmost_offered(fd, atmost, &mut offered);
            output.freeze(true, true);
            if res > 0 && (res as usize) < offered {
                // A short write: the socket's buffer is full.
                drained(p, fd, EV_WRITE);
            }
            if res == -1 {
                let err = errno();
                if !rw_retriable(err) {
                    return Err(what | BEV_EVENT_ERROR);
                }
                if err == libc::EAGAIN {
                    drained(p, fd, EV_WRITE);
                }
                if output.get_length() == 0 {
                    ev_del(&mut (*p).bev.ev_write);
                }
                return Ok(());
            }
            if res == 0 {
                // A 0-byte write does not mean EOF, but libevent reports it as one.
                return Err(what | BEV_EVENT_EOF);
            }
            ratelim::decrement_write_buckets(p, res as isize);
        }
        if output.get_length() == 0 {
            ev_del(&mut (*p).bev.ev_write);
        }
        // The write callback: drained to (or below) the low watermark.
        if res != 0 || !connected {
            BufferEvent::trigger_nolock(p, EV_WRITE, 0);
        }
    }
    Ok(())
}

/// `evutil_socket_finished_connecting_`: 1 connected, 0 still in progress, -1 failed
/// (errno set to the socket's error).
pub(crate) fn finished_connecting(fd: c_int) -> c_int {
    let mut e: c_int = 0;
    let mut len = std::mem::size_of::<c_int>() as libc::socklen_t;
    // SAFETY: `e` and `len` are valid for the call.
    if unsafe { libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_ERROR, (&mut e as *mut c_int).cast(), &mut len) } < 0 {
        return -1;
    }
    if e != 0 {
        if connect_retriable(e) {
            return 0;
        }
        set_errno(e);
        return -1;
    }
    1
}

/// `evutil_socket_connect_`: 1 connected, 0 in progress, 2 refused at once, -1 error.
/// A socket made here is closed again on error.
unsafe fn socket_connect(fd: &mut c_int, sa: *const libc::sockaddr, len: libc::socklen_t) -> c_int {
    let mut made = false;
    // SAFETY: `sa` is readable for `len` bytes (caller).
    unsafe {
        if *fd < 0 {
            *fd = libc::socket((*sa).sa_family as c_int, libc::SOCK_STREAM, 0);
            if *fd < 0 {
                return -1;
            }
            made = true;
            if crate::util::sock::make_nonblocking(*fd).is_err() {
                libc::close(*fd);
                *fd = -1;
                return -1;
            }
        }
        if libc::connect(*fd, sa, len) == 0 {
            return 1;
        }
        let e = errno();
        if connect_retriable(e) {
            return 0;
        }
        if e == libc::ECONNREFUSED {
            return 2;
        }
        if made {
            libc::close(*fd);
            set_errno(e);
            *fd = -1;
        }
        -1
    }
}

/// `bufferevent_socket_connect`. `sa` may be None: then the fd must already be set.
pub(crate) unsafe fn connect(p: *mut BufferEvent, sa: Option<(*const libc::sockaddr, libc::socklen_t)>) -> c_int {
    // SAFETY: live per the caller; `sa` readable (caller).
    unsafe {
        BufferEvent::incref_and_lock(p);
        let mut result = -1;
        let mut fd = BufferEvent::getfd(p);
        let mut ownfd = false;
        let mut r = 0;
        'done: {
            if fd < 0 {
                let Some((sa, _)) = sa else { break 'done };
                fd = libc::socket((*sa).sa_family as c_int, libc::SOCK_STREAM | libc::SOCK_NONBLOCK, 0);
                if fd < 0 {
                    break 'done;
                }
                ownfd = true;
            }
            if let Some((sa, len)) = sa {
                r = socket_connect(&mut fd, sa, len);
                if r < 0 {
                    if ownfd {
                        let e = errno();
                        libc::close(fd);
                        set_errno(e);
                    }
                    break 'done;
                }
            }
            BufferEvent::setfd(p, fd);
            if r == 0 {
                if enable(p, EV_WRITE) == 0 {
                    (*p).connecting = true;
                    result = 0;
                }
            } else if r == 1 {
                // Connected at once.
                result = 0;
                (*p).connecting = true;
                BufferEvent::trigger_nolock(p, EV_WRITE, BEV_OPT_DEFER_CALLBACKS);
            } else {
                // Refused at once.
                result = 0;
                BufferEvent::run_eventcb(p, BEV_EVENT_ERROR, BEV_OPT_DEFER_CALLBACKS);
                BufferEvent::disable(p, EV_WRITE | EV_READ);
            }
        }
        BufferEvent::decref_and_unlock(p);
        result
    }
}

/// `bufferevent_socket_connect_hostname`. The name is resolved with getaddrinfo, which
/// blocks the loop, exactly as libevent does when given no evdns base (evshim has no
/// evdns; a base from another library cannot be used, so it is treated the same way).
pub(crate) unsafe fn connect_hostname(
    p: *mut BufferEvent,
    family: c_int,
    hostname: Option<&CStr>,
    port: c_int,
) -> c_int {
    if family != libc::AF_INET && family != libc::AF_INET6 && family != libc::AF_UNSPEC {
        return -1;
    }
    if !(1..=65535).contains(&port) {
        return -1;
    }
    // SAFETY: all-zero is a valid addrinfo.
    let mut hint: libc::addrinfo = unsafe { std::mem::zeroed() };
    hint.ai_family = family;
    hint.ai_protocol = libc::IPPROTO_TCP;
    hint.ai_socktype = libc::SOCK_STREAM;
    let portbuf = std::ffi::CString::new(port.to_string()).unwrap_or_default();
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        sock(p).dns_error = 0;
        BufferEvent::suspend_write(p, SUSPEND_LOOKUP);
        BufferEvent::suspend_read(p, SUSPEND_LOOKUP);
        (*p).refcnt += 1;
        let res = crate::util::addrinfo::getaddrinfo(hostname, Some(&portbuf), Some(&hint));
        // libevent's bufferevent_connect_getaddrinfo_cb, called synchronously.
        BufferEvent::lock(p);
        BufferEvent::unsuspend_write(p, SUSPEND_LOOKUP);
        BufferEvent::unsuspend_read(p, SUSPEND_LOOKUP);
        match res {
            Err(e) => {
                sock(p).dns_error = e;
                BufferEvent::run_eventcb(p, BEV_EVENT_ERROR, 0);
                BufferEvent::decref_and_unlock(p);
            }
            Ok(list) => {
                let ai = list.iter().next().map(|a| (a.ai_addr as *const libc::sockaddr, a.ai_addrlen));
                let r = match ai {
                    Some(sa) => connect(p, Some(sa)),
                    None => -1,
                };
                if r < 0 {
                    BufferEvent::run_eventcb(p, BEV_EVENT_ERROR, 0);
                }
                BufferEvent::decref_and_unlock(p);
            }
        }
        BufferEvent::unlock(p);
    }
    0
}

/// `be_socket_enable`. While `bufferevent_flush_and_close` runs, its own timer bounds
/// the close, so the events carry no timeout.
pub(crate) unsafe fn enable(p: *mut BufferEvent, what: c_short) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        let closing = (*p).closing.is_some();
        let zero = timeval { tv_sec: 0, tv_usec: 0 };
        if what & EV_READ != 0 {
            let tv = if closing { zero } else { (*p).bev.timeout_read };
            if add_event(&mut (*p).bev.ev_read, &tv) == -1 {
                return -1;
            }
        }
        if what & EV_WRITE != 0 {
            let tv = if closing { zero } else { (*p).bev.timeout_write };
            if add_event(&mut (*p).bev.ev_write, &tv) == -1 {
                return -1;
            }
        }
    }
    0
}

/// `be_socket_disable`: writing stays armed while connecting.
pub(crate) unsafe fn disable(p: *mut BufferEvent, what: c_short) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        if what & EV_READ != 0 && ev_del(&mut (*p).bev.ev_read) == -1 {
            return -1;
        }
        if what & EV_WRITE != 0 && !(*p).connecting && ev_del(&mut (*p).bev.ev_write) == -1 {
            return -1;
        }
    }
    0
}

/// `be_socket_destruct`: BEV_OPT_CLOSE_ON_FREE closes the fd.
pub(crate) unsafe fn destruct(p: *mut BufferEvent) {
    // SAFETY: live per the caller.
    unsafe {
        let fd = (*p).bev.ev_read.ev_fd;
        if (*p).options & BEV_OPT_CLOSE_ON_FREE != 0 && fd >= 0 {
            libc::close(fd);
        }
    }
}

/// `be_socket_setfd`: both events move to `fd`; the buffers are unfrozen until the next
/// read/write re-freezes them (libevent 2.1 does exactly this).
pub(crate) unsafe fn setfd(p: *mut BufferEvent, fd: c_int) {
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        ev_del(&mut (*p).bev.ev_read);
        ev_del(&mut (*p).bev.ev_write);
        BufferEvent::input(p).freeze(false, false);
        BufferEvent::output(p).freeze(true, false);
        reassign(p, fd);
        if fd >= 0 {
            let en = (*p).bev.enabled;
            BufferEvent::enable(p, en);
        }
        BufferEvent::unlock(p);
    }
}

/// `be_socket_flush`. libevent's does nothing; evshim's `BEV_FLUSH`/`BEV_FINISHED` with
/// `EV_WRITE` write what the kernel accepts now (an extension, docs/flush-and-close.md):
/// 1 if anything was written, 0 if nothing, -1 on a socket error.
pub(crate) unsafe fn flush(p: *mut BufferEvent, iotype: c_short, mode: c_int) -> c_int {
    if mode == BEV_NORMAL || iotype & EV_WRITE == 0 {
        return 0;
    }
    // SAFETY: live per the caller (lock held).
    unsafe {
        let fd = (*p).bev.ev_write.ev_fd;
        if fd < 0 || (*p).connecting {
            return 0;
        }
        let output = BufferEvent::output(p);
        let mut wrote = 0;
        output.freeze(true, false);
        while output.get_length() > 0 {
            let n = output.write_atmost(fd, -1);
            if n <= 0 {
                if n < 0 && !rw_retriable(errno()) && wrote == 0 {
                    wrote = -1;
                }
                break;
            }
            ratelim::decrement_write_buckets(p, n as isize);
            wrote = 1;
        }
        output.freeze(true, true);
        wrote
    }
}

/// `bufferevent_priority_set` (sockets only): -1 if either event is active or the
/// priority is out of range.
pub(crate) unsafe fn priority_set(p: *mut BufferEvent, pri: c_int) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        let mut r = -1;
        if matches!((*p).kind, Kind::Socket(_)) {
            let ok = event_priority_set(&mut (*p).bev.ev_read, pri) == 0
                && event_priority_set(&mut (*p).bev.ev_write, pri) == 0;
            if ok {
                (*p).deferred.set_priority(pri as u8);
                r = 0;
            }
        }
        BufferEvent::unlock(p);
        r
    }
}

unsafe fn event_priority_set(ev: *mut event, pri: c_int) -> c_int {
    // SAFETY: a live event of the bufferevent.
    unsafe {
        let Some(b) = event_base_of(ev) else { return -1 };
        if (*ev).ev_evcallback.evcb_flags & crate::base::event::EVLIST_ACTIVE != 0 {
            return -1;
        }
        if pri < 0 || pri >= b.with(|i| i.nactivequeues()) {
            return -1;
        }
        (*ev).ev_evcallback.evcb_pri = pri as u8;
    }
    0
}

/// `bufferevent_base_set` (sockets only): both events must not be pending.
pub(crate) unsafe fn base_set(p: *mut BufferEvent, base: *mut crate::ffi::event::event_base) -> c_int {
    // SAFETY: live per the caller; `base` is a live base (checked non-NULL by ffi).
    unsafe {
        BufferEvent::lock(p);
        let mut res = -1;
        if matches!((*p).kind, Kind::Socket(_)) {
            (*p).bev.ev_base = base;
            res = event_base_set(base, &mut (*p).bev.ev_read);
            if res != -1 {
                res = event_base_set(base, &mut (*p).bev.ev_write);
            }
        }
        BufferEvent::unlock(p);
        res
    }
}

unsafe fn event_base_set(base: *mut crate::ffi::event::event_base, ev: *mut event) -> c_int {
    // SAFETY: `base` live; `ev` a live event.
    unsafe {
        if (*ev).ev_evcallback.evcb_flags & !EVLIST_X_OWN_IO != EVLIST_INIT {
            return -1;
        }
        let b = &*(base as *const EventBase);
        (*ev).ev_base = base;
        (*ev).ev_evcallback.evcb_pri = (b.with(|i| i.nactivequeues()) / 2) as u8;
    }
    0
}
