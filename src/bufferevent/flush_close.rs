//! `bufferevent_flush_and_close`: evshim's answer to the 1.4 → 2.x flush bug
//! (docs/flush-and-close.md).
//!
//! The caller hands the bufferevent over, as with `bufferevent_free`; from then on no user
//! callback of it runs. The library keeps the writer going until everything queued has
//! been delivered, then closes properly:
//!
//! * **socket**: drain the output (one write per readiness, rate limits respected, with
//!   `MSG_NOSIGNAL` so a vanished peer is an error, not a SIGPIPE), then `shutdown(SHUT_WR)`
//!   so the peer sees EOF right after the last byte, then *linger*: read and discard what
//!   the peer still sends until its EOF, or until the kernel's send queue is empty
//!   (`SIOCOUTQ` = 0: every byte acknowledged, so even a reset can no longer destroy
//!   anything). Incoming data is discarded from the start, so a peer that will not read
//!   before its own send completes cannot deadlock the close, and unread input can never
//!   turn the final `close` into a data-destroying RST. Bounded: no progress for the
//!   write timeout (`bufferevent_set_timeouts`, else [`STALL_DEFAULT_SECS`]) ends it; so do
//!   a reset, EPIPE, or the base being freed. With `BEV_OPT_CLOSE_ON_FREE` the fd is closed
//!   at the end; without it, evshim works on a `dup` of the fd (so the program may close
//!   its own descriptor at once) and closes only the duplicate.
//! * **pair**: the partner receives everything (as it reads), then `BEV_EVENT_EOF`.
//! * **filter**: the output filter runs with `BEV_FINISHED`; the underlying bufferevent is
//!   then flushed and closed the same way if the filter had `BEV_OPT_CLOSE_ON_FREE`, and
//!   otherwise stays the program's (with the filtered bytes in its output).
//!
//! Pending closes are ordinary events on the base, so `event_base_dispatch` returns only
//! once they are done; `event_base_free` releases those still pending.

use std::ffi::{c_int, c_short, c_void};
use std::ptr;

use libc::timeval;

use super::*;
use crate::base::event::EV_FINALIZE;
use crate::util::sock::errno;

/// Without a write timeout, this many seconds without progress end a close.
pub(crate) const STALL_DEFAULT_SECS: i64 = 30;
/// While lingering, the send queue is checked after 10 ms, then at doubling intervals up
/// to this many milliseconds.
const LINGER_TICK_MAX_MS: i64 = 250;
/// Bytes discarded per readiness (then the loop turns, as for any reader).
const DISCARD_CHUNK: usize = 16384;
const DISCARD_ROUNDS: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Writing what is queued.
    Draining,
    /// Output written and the write side shut down; waiting for the peer.
    Lingering,
}

pub(crate) struct Closing {
    /// Stall watchdog while draining; send-queue checks while lingering.
    timer: event,
    phase: Phase,
    /// The descriptor the close works on (a dup when the program keeps its own).
    fd: c_int,
    dup: bool,
    /// No progress after this long ends the close.
    stall: timeval,
    last_progress: timeval,
    linger_tick_ms: i64,
    outq_last: c_int,
    done: bool,
    /// Registered with the base's teardown list.
    registered: bool,
}

fn now() -> timeval {
    crate::base::timer::monotonic(false)
}

fn elapsed_since(t: &timeval) -> timeval {
    crate::base::timer::tv_sub(&now(), t)
}

/// `bufferevent_flush_and_close`. The caller's reference passes to the library.
pub(crate) unsafe fn start(p: *mut BufferEvent) -> c_int {
    // SAFETY: live per the caller, who owns a reference.
    unsafe {
        BufferEvent::lock(p);
        if (*p).closing.is_some() || (*p).finalizing {
            BufferEvent::unlock(p);
            crate::ev_warn!("bufferevent_flush_and_close: this bufferevent is already being closed");
            return -1;
        }
        // Detach the program: nothing of its runs from now on, not even what is queued.
        BufferEvent::setcb(p, None, None, None, ptr::null_mut());
        (*p).readcb_pending = false;
        (*p).writecb_pending = false;
        (*p).eventcb_pending = 0;
        match (*p).kind {
            Kind::Socket(_) => start_socket(p),
            Kind::Pair(_) => start_pair(p),
            Kind::Filter(_) => start_filter(p),
        }
        0
    }
}

fn new_closing(fd: c_int, dup: bool, stall: timeval) -> Box<Closing> {
    Box::new(Closing {
        // SAFETY: an all-zero `struct event` is a valid, unassigned event.
        timer: unsafe { std::mem::zeroed() },
        phase: Phase::Draining,
        fd,
        dup,
        stall,
        last_progress: now(),
        linger_tick_ms: 10,
        outq_last: -1,
        done: false,
        registered: false,
    })
}

unsafe fn stall_of(p: *mut BufferEvent) -> timeval {
    // SAFETY: live per the caller.
    let w = unsafe { (*p).bev.timeout_write };
    if tv_isset(&w) {
        w
    } else {
        timeval { tv_sec: STALL_DEFAULT_SECS, tv_usec: 0 }
    }
}

/// Arms the close's timer (`after` from now).
unsafe fn arm_timer(p: *mut BufferEvent, after: timeval) {
    // SAFETY: live per the caller; the Closing box does not move.
    unsafe {
        if let Some(c) = (*p).closing.as_deref_mut() {
            ev_add(&mut c.timer, Some(&after));
        }
    }
}

/// Assigns the timer and registers with the base so `event_base_free` can release us.
unsafe fn install(p: *mut BufferEvent, c: Box<Closing>) {
    // SAFETY: live per the caller (lock held).
    unsafe {
        (*p).closing = Some(c);
        let Some(b) = BufferEvent::base(p) else { return };
        let bp = b as *const EventBase as *mut EventBase;
        let nq = b.with(|i| i.nactivequeues());
        if let Some(c) = (*p).closing.as_deref_mut() {
            crate::base::assign_internal(&mut c.timer, bp, nq, -1, EV_FINALIZE, Some(timer_cb), p.cast());
            b.with(|i| i.add_teardown(teardown, p.cast()));
            c.registered = true;
        }
    }
}

unsafe fn start_socket(p: *mut BufferEvent) {
    // SAFETY: live per the caller (lock held; the caller's reference is ours now).
    unsafe {
        let mut fd = (*p).bev.ev_read.ev_fd;
        if fd < 0 {
            // Nothing to write to: the queued bytes cannot be delivered.
            crate::ev_debug!("bufferevent_flush_and_close: no fd: nothing can be delivered");
            BufferEvent::decref_and_unlock(p);
            return;
        }
        let mut dup = false;
        if (*p).options & BEV_OPT_CLOSE_ON_FREE == 0 {
            // The program keeps its descriptor (and may close it now): work on our own.
            let d = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0);
            if d < 0 {
                crate::util::sock::warn_errno(format_args!("bufferevent_flush_and_close: dup({fd})"));
                BufferEvent::decref_and_unlock(p);
                return;
            }
            ev_del(&mut (*p).bev.ev_read);
            ev_del(&mut (*p).bev.ev_write);
            socket::reassign(p, d);
            fd = d;
            dup = true;
        }
        let stall = stall_of(p);
        install(p, new_closing(fd, dup, stall));
        // Writing goes on even if the program had disabled it: a rate limit's refill
        // resumes only an enabled writer (bufferevent_unsuspend_write_).
        (*p).bev.enabled |= EV_WRITE;
        // Reading now only discards (no read callback, no input growth).
        ev_del(&mut (*p).bev.ev_read);
        ev_add(&mut (*p).bev.ev_read, None);
        if (*p).connecting || BufferEvent::output(p).get_length() > 0 {
            if (*p).write_suspended == 0 {
                ev_del(&mut (*p).bev.ev_write);
                ev_add(&mut (*p).bev.ev_write, None);
            }
            arm_timer(p, stall);
        } else {
            ev_del(&mut (*p).bev.ev_write);
            begin_linger(p);
        }
        BufferEvent::unlock(p);
    }
}

unsafe fn start_pair(p: *mut BufferEvent) {
    // SAFETY: live per the caller (lock held).
    unsafe {
        (*p).bev.enabled &= !EV_READ;
        (*p).bev.enabled |= EV_WRITE;
        ev_del(&mut (*p).bev.ev_read);
        ev_del(&mut (*p).bev.ev_write);
        let stall = stall_of(p);
        install(p, new_closing(-1, false, stall));
        arm_timer(p, stall);
        pair_progress(p);
        BufferEvent::unlock(p);
    }
}

unsafe fn start_filter(p: *mut BufferEvent) {
    // SAFETY: live per the caller (lock held).
    unsafe {
        BufferEvent::disable(p, EV_READ);
        (*p).bev.enabled |= EV_WRITE;
        BufferEvent::flush(p, EV_WRITE, BEV_FINISHED);
        // Marked as closing so that unlinking closes the underlying bufferevent the same way
        // (with BEV_OPT_CLOSE_ON_FREE). Nothing is left to wait for here.
        let mut c = new_closing(-1, false, stall_of(p));
        c.done = true;
        (*p).closing = Some(c);
        BufferEvent::decref_and_unlock(p);
    }
}

/// A filter with `BEV_OPT_CLOSE_ON_FREE` is released while closing: its underlying
/// bufferevent is flushed and closed rather than freed.
pub(crate) unsafe fn close_underlying(u: *mut BufferEvent) {
    // SAFETY: live (the filter still holds its own reference on it).
    unsafe {
        if start(u) != 0 {
            BufferEvent::free(u);
        }
    }
}

/// After a pair transfer out of a closing member: done once its output is empty.
pub(crate) unsafe fn pair_progress(p: *mut BufferEvent) {
    // SAFETY: live per the caller (lock held).
    unsafe {
        let Some(c) = (*p).closing.as_deref_mut() else { return };
        if c.done {
            return;
        }
        c.last_progress = now();
        let partner = match &(*p).kind {
            Kind::Pair(pp) => pp.partner,
            _ => return,
        };
        if partner.is_null() {
            finish(p);
            return;
        }
        if BufferEvent::output(p).get_length() == 0 {
            BufferEvent::incref_and_lock(partner);
            BufferEvent::run_eventcb(partner, BEV_EVENT_EOF | BEV_EVENT_READING, 0);
            BufferEvent::decref_and_unlock(partner);
            finish(p);
        }
    }
}

/// The partner of a closing pair member went away: nothing more can be delivered.
pub(crate) unsafe fn partner_gone(p: *mut BufferEvent) {
    // SAFETY: live per the caller (lock held).
    unsafe {
        if (*p).closing.as_deref().is_some_and(|c| !c.done) {
            finish(p);
        }
    }
}

unsafe fn begin_linger(p: *mut BufferEvent) {
    // SAFETY: live per the caller (lock held).
    unsafe {
        let Some(c) = (*p).closing.as_deref_mut() else { return };
        if c.phase == Phase::Lingering {
            // Already shut down (a rate-limit refill re-enabled writing meanwhile).
            return;
        }
        c.phase = Phase::Lingering;
        c.last_progress = now();
        let fd = c.fd;
        libc::shutdown(fd, libc::SHUT_WR);
        let t = c.linger_tick_ms;
        arm_timer(p, timeval { tv_sec: 0, tv_usec: (t * 1000) as _ });
    }
}

/// The socket is writable while closing (called from the socket's write callback).
pub(crate) unsafe fn on_writable(p: *mut BufferEvent, _fd: c_int, event: c_short) {
    // SAFETY: live per the caller (lock and a reference held).
    unsafe {
        let Some(c) = (*p).closing.as_deref() else { return };
        if c.done || event == EV_TIMEOUT {
            return;
        }
        let fd = c.fd;
        if (*p).connecting {
            let mut r = socket::finished_connecting(fd);
            if (*p).connection_refused {
                (*p).connection_refused = false;
                r = -1;
            }
            if r == 0 {
                return;
            }
            (*p).connecting = false;
            if r < 0 {
                finish(p);
                return;
            }
        }
        if (*p).write_suspended != 0 {
            return;
        }
        let out = BufferEvent::output(p);
        if out.get_length() > 0 {
            let atmost = ratelim::get_write_max(p);
            out.freeze(true, false);
            let mut offered = 0;
            let n = out.send_atmost(fd, atmost, &mut offered);
            out.freeze(true, true);
            if n < 0 {
                let e = errno();
                if e == libc::EAGAIN {
                    io_drained(p, fd, EV_WRITE);
                } else if e != libc::EINTR {
                    finish(p);
                }
                return;
            }
            if (n as usize) < offered {
                io_drained(p, fd, EV_WRITE);
            }
            if n > 0 {
                ratelim::decrement_write_buckets(p, n as isize);
                if let Some(c) = (*p).closing.as_deref_mut() {
                    c.last_progress = now();
                }
            }
        }
        if out.get_length() == 0 {
            ev_del(&mut (*p).bev.ev_write);
            begin_linger(p);
        }
    }
}

/// What [`discard`] found.
#[derive(PartialEq, Eq)]
enum Discarded {
    /// Nothing more waiting.
    Drained,
    /// Stopped after its rounds with more possibly waiting (the loop turns first).
    More,
    /// The peer's EOF, or a fatal error.
    End,
}

/// Reads and throws away what the peer sends.
fn discard(fd: c_int) -> Discarded {
    let mut buf = [0u8; DISCARD_CHUNK];
    for _ in 0..DISCARD_ROUNDS {
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), libc::MSG_DONTWAIT) };
        if n > 0 {
            if (n as usize) < buf.len() {
                return Discarded::Drained;
            }
            continue;
        }
        if n == 0 {
            return Discarded::End;
        }
        let e = errno();
        return if e == libc::EAGAIN || e == libc::EINTR { Discarded::Drained } else { Discarded::End };
    }
    Discarded::More
}

/// Tells the poller that the close's fd is drained for `what` (own-I/O readiness).
unsafe fn io_drained(p: *mut BufferEvent, fd: c_int, what: c_short) {
    // SAFETY: live per the caller.
    if let Some(b) = unsafe { event_base_of(&(*p).bev.ev_read) } {
        b.io_drained(fd, what);
    }
}

/// The socket is readable while closing (from the socket's read callback).
pub(crate) unsafe fn on_readable(p: *mut BufferEvent, _fd: c_int, _event: c_short) {
    // SAFETY: live per the caller (lock and a reference held).
    unsafe {
        let Some(c) = (*p).closing.as_deref() else { return };
        if c.done {
            return;
        }
        let (fd, phase) = (c.fd, c.phase);
        match discard(fd) {
            Discarded::Drained => io_drained(p, fd, EV_READ),
            Discarded::More => {}
            Discarded::End if phase == Phase::Lingering => finish(p),
            // The peer shut its side: keep writing (it may still read), stop reading.
            Discarded::End => {
                ev_del(&mut (*p).bev.ev_read);
            }
        }
    }
}

/// Unacknowledged bytes in the socket's send queue (-1 if unknown).
fn outq(fd: c_int) -> c_int {
    let mut n: c_int = 0;
    // SAFETY: SIOCOUTQ writes one int.
    if unsafe { libc::ioctl(fd, libc::TIOCOUTQ, &mut n) } < 0 {
        return -1;
    }
    n
}

unsafe extern "C" fn timer_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: the timer belongs to a live closing bufferevent (finalizing stops it first).
    unsafe {
        BufferEvent::incref_and_lock(p);
        let Some(c) = (*p).closing.as_deref_mut() else {
            BufferEvent::decref_and_unlock(p);
            return;
        };
        if c.done {
            BufferEvent::decref_and_unlock(p);
            return;
        }
        let is_pair = matches!((*p).kind, Kind::Pair(_));
        if c.phase == Phase::Lingering && !is_pair {
            let q = outq(c.fd);
            if q <= 0 {
                // Every byte acknowledged (or not a TCP socket): nothing can be lost now.
                finish(p);
                BufferEvent::decref_and_unlock(p);
                return;
            }
            if c.outq_last < 0 || q < c.outq_last {
                c.last_progress = now();
            }
            c.outq_last = q;
        }
        let idle = elapsed_since(&c.last_progress);
        if !crate::base::timer::tv_gt(&c.stall, &idle) {
            crate::ev_debug!("bufferevent_flush_and_close: no progress: giving up");
            finish(p);
            BufferEvent::decref_and_unlock(p);
            return;
        }
        let next = if c.phase == Phase::Lingering && !is_pair {
            c.linger_tick_ms = (c.linger_tick_ms * 2).min(LINGER_TICK_MAX_MS);
            timeval { tv_sec: 0, tv_usec: (c.linger_tick_ms * 1000) as _ }
        } else {
            crate::base::timer::tv_sub(&c.stall, &idle)
        };
        arm_timer(p, next);
        BufferEvent::decref_and_unlock(p);
    }
}

/// The close is over: stop everything, close the descriptor, drop the reference the
/// program handed over (which queues the usual finalizer).
unsafe fn finish(p: *mut BufferEvent) {
    // SAFETY: live per the caller (lock held, plus the transferred reference).
    unsafe {
        let Some(c) = (*p).closing.as_deref_mut() else { return };
        if c.done {
            return;
        }
        c.done = true;
        ev_del(&mut c.timer);
        let fd = c.fd;
        let dup = c.dup;
        if c.registered {
            c.registered = false;
            if let Some(b) = BufferEvent::base(p) {
                b.with(|i| i.remove_teardown(p.cast()));
            }
        }
        ev_del(&mut (*p).bev.ev_read);
        ev_del(&mut (*p).bev.ev_write);
        if fd >= 0 {
            close_fd(p, fd, dup);
        }
        BufferEvent::lock(p);
        BufferEvent::decref_and_unlock(p);
    }
}

/// Closes the close's descriptor: the dup, or (CLOSE_ON_FREE) the bufferevent's own, after
/// a last discard so that no unread byte turns the close into a reset.
unsafe fn close_fd(p: *mut BufferEvent, fd: c_int, dup: bool) {
    // SAFETY: live per the caller.
    unsafe {
        let _ = discard(fd);
        if dup || (*p).options & BEV_OPT_CLOSE_ON_FREE != 0 {
            libc::close(fd);
            // The events must not name a closed fd (the destructor would close it again).
            (*p).bev.ev_read.ev_fd = -1;
            (*p).bev.ev_write.ev_fd = -1;
        }
    }
}

/// `event_base_free` with this close still pending: release everything now (the base has
/// already dropped our events and queued callbacks).
unsafe fn teardown(arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: registered by a live closing bufferevent; the base is going away, so no
    // callback of ours can run any more.
    unsafe {
        if let Some(c) = (*p).closing.as_deref_mut() {
            c.done = true;
            c.registered = false;
            let (fd, dup) = (c.fd, c.dup);
            if fd >= 0 {
                close_fd(p, fd, dup);
            }
        }
        if let Kind::Pair(pp) = &mut (*p).kind {
            if !pp.partner.is_null() {
                if let Kind::Pair(other) = &mut (*pp.partner).kind {
                    other.partner = ptr::null_mut();
                }
                pp.partner = ptr::null_mut();
            }
        }
        (*p).finalizing = true;
        super::finalize_now(p);
    }
}

/// The close's timer, for the finalizer's list.
pub(crate) unsafe fn timer_callback(p: *mut BufferEvent) -> Option<*mut event_callback> {
    // SAFETY: live per the caller.
    unsafe {
        let c = (*p).closing.as_deref_mut()?;
        (c.timer.ev_evcallback.evcb_flags & EVLIST_INIT != 0).then_some(&mut c.timer.ev_evcallback as *mut _)
    }
}
