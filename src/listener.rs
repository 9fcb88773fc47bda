//! `struct evconnlistener`: accepts connections on a listening socket and hands each new fd
//! to the program's callback, with libevent 2.1.12's semantics (docs/listener.md).
//!
//! The listener owns one `struct event` on the base (`EV_READ|EV_PERSIST`, as libevent's), so
//! it is counted, visited by `event_base_foreach_event` and keeps the loop alive exactly like
//! libevent's. Unlike libevent's, its fd is registered edge-triggered ([`EVLIST_X_OWN_IO`]):
//! one wake-up accepts until `EAGAIN` (then tells the poller the fd is drained), and whenever
//! the listener stops short of that (the callback disabled or freed it, its callback is
//! unset, `EINTR`) the fd stays marked ready, so the next turn takes the backlog up again, as
//! libevent's level-triggered registration would. No pending connection is forgotten and no
//! turn pays a readiness probe.
//!
//! One deliberate difference: after an accept error that retrying cannot fix at once
//! (`EMFILE`, `ENFILE`, `ENOBUFS`, …) libevent calls the error callback and, the backlog
//! still being readable, calls it again on every loop turn at 100 % CPU until descriptors
//! free up. evshim calls it once and then pauses accepting for a back-off (10 ms, doubling
//! to 500 ms while the error persists) on a hidden internal timer, then retries by itself;
//! `evconnlistener_enable` retries at once, `evconnlistener_disable` cancels.
//!
//! Lifetime, as libevent's: a reference count (1 for the program, +1 while a user callback
//! runs) lets the callbacks free the listener; the last reference destroys it. With
//! `LEV_OPT_THREADSAFE` (and threading enabled) a recursive lock guards the state; it is never
//! held while a user callback runs or while waiting for the base.

use std::cell::UnsafeCell;
use std::ffi::{c_int, c_short, c_uint, c_void};

use libc::{sockaddr, sockaddr_storage, socklen_t, timeval};

use crate::base::event::{
    event, EVLIST_ACTIVE, EVLIST_ACTIVE_LATER, EVLIST_FINALIZING, EVLIST_INSERTED, EVLIST_INTERNAL, EVLIST_TIMEOUT,
    EVLIST_X_HIDDEN, EVLIST_X_OWN_IO, EV_PERSIST, EV_READ,
};
use crate::base::{self, thread as dbg, DelMode, EventBase};
use crate::sync::Lock;
use crate::util::sock;

pub(crate) const LEV_OPT_LEAVE_SOCKETS_BLOCKING: c_uint = 1 << 0;
pub(crate) const LEV_OPT_CLOSE_ON_FREE: c_uint = 1 << 1;
pub(crate) const LEV_OPT_CLOSE_ON_EXEC: c_uint = 1 << 2;
pub(crate) const LEV_OPT_REUSEABLE: c_uint = 1 << 3;
pub(crate) const LEV_OPT_THREADSAFE: c_uint = 1 << 4;
pub(crate) const LEV_OPT_DISABLED: c_uint = 1 << 5;
pub(crate) const LEV_OPT_DEFERRED_ACCEPT: c_uint = 1 << 6;
pub(crate) const LEV_OPT_REUSEABLE_PORT: c_uint = 1 << 7;
pub(crate) const LEV_OPT_BIND_IPV6ONLY: c_uint = 1 << 8;

/// libevent's backlog when the program passes a negative one.
const DEFAULT_BACKLOG: c_int = 128;
/// Accept-error back-off: first pause, and the cap it doubles up to.
const BACKOFF_FIRST_MS: u32 = 10;
const BACKOFF_MAX_MS: u32 = 500;

/// `evconnlistener_cb`, with the listener as an untyped pointer (the C side's
/// `struct evconnlistener *` is this `Listener`).
pub type AcceptCb = unsafe extern "C" fn(*mut c_void, c_int, *mut sockaddr, c_int, *mut c_void);
/// `evconnlistener_errorcb`.
pub type ErrorCb = unsafe extern "C" fn(*mut c_void, *mut c_void);

/// What the lock guards.
struct State {
    cb: Option<AcceptCb>,
    errorcb: Option<ErrorCb>,
    user_data: *mut c_void,
    flags: c_uint,
    /// The program's reference plus one per user callback in progress.
    refcnt: u32,
    /// `accept4` flags for new connections (`SOCK_NONBLOCK`, `SOCK_CLOEXEC`).
    accept4_flags: c_int,
    /// `evconnlistener_enable`/`_disable` (the event is added only with a callback too).
    enabled: bool,
    /// The last reference is gone: the owner is tearing down (another thread may still be
    /// entering one of our callbacks, which must then leave at once).
    dead: bool,
    /// After an accept error: waiting for the retry timer.
    paused: bool,
    backoff_ms: u32,
}

pub struct Listener {
    /// The listening fd's event (`EV_READ|EV_PERSIST`, [`EVLIST_X_OWN_IO`]).
    ev: UnsafeCell<event>,
    /// The back-off timer after an accept error (internal and hidden: libevent has none).
    retry: UnsafeCell<event>,
    lock: Option<Lock>,
    st: UnsafeCell<State>,
}

// SAFETY: the state is only touched under `lock` when the listener is shared between
// threads (LEV_OPT_THREADSAFE with threading enabled); the events are the base's to guard.
unsafe impl Send for Listener {}
// SAFETY: as above.
unsafe impl Sync for Listener {}

impl Listener {
    #[inline]
    fn lock(&self) {
        if let Some(l) = &self.lock {
            l.lock();
        }
    }

    #[inline]
    fn unlock(&self) {
        if let Some(l) = &self.lock {
            l.unlock();
        }
    }

    /// The state.
    ///
    /// # Safety
    /// The listener lock is held (or the listener is not shared), and no other reference
    /// from `st` is alive.
    #[inline]
    #[allow(clippy::mut_from_ref)]
    unsafe fn st(&self) -> &mut State {
        // SAFETY: guaranteed by the caller.
        unsafe { &mut *self.st.get() }
    }

    #[inline]
    fn ev(&self) -> *mut event {
        self.ev.get()
    }

    /// The base the listener's event is on.
    fn event_base(&self) -> Option<&EventBase> {
        // SAFETY: `ev_base` is written once by `new` and points to a live base (the program
        // must not free the base before using the listener again, as with libevent).
        let b = unsafe { (*self.ev()).ev_base };
        // SAFETY: non-NULL base pointers come from `EventBase::new`.
        (!b.is_null()).then(|| unsafe { &*(b as *const EventBase) })
    }

    /// `evconnlistener_new`: listens on `fd` (`backlog` > 0; < 0 means libevent's 128; 0
    /// means it already listens) and, unless `LEV_OPT_DISABLED`, starts accepting.
    ///
    /// # Safety
    /// `base` is live; `cb`'s contract is the program's.
    pub unsafe fn new(
        base: &EventBase,
        cb: Option<AcceptCb>,
        user_data: *mut c_void,
        flags: c_uint,
        backlog: c_int,
        fd: c_int,
    ) -> Option<*mut Listener> {
        if fd < 0 {
            crate::ev_warn!("evconnlistener_new: bad socket {fd}");
            // What listen() would have said (libevent calls it for a non-zero backlog).
            sock::set_errno(libc::EBADF);
            return None;
        }
        if backlog == 0 {
            // Nothing below would notice a descriptor that cannot accept: check it is a socket.
            // SAFETY: fstat writes into a zeroed stat of the right type.
            let mut stt: libc::stat = unsafe { std::mem::zeroed() };
            // SAFETY: as above.
            if unsafe { libc::fstat(fd, &mut stt) } != 0 {
                sock::warn_errno(format_args!("evconnlistener_new: fstat({fd})"));
                return None;
            }
            if stt.st_mode & libc::S_IFMT != libc::S_IFSOCK {
                crate::ev_warn!("evconnlistener_new: fd {fd} is not a socket");
                sock::set_errno(libc::ENOTSOCK);
                return None;
            }
        } else {
            let n = if backlog > 0 { backlog } else { DEFAULT_BACKLOG };
            // SAFETY: listen on an integer fd is memory-safe.
            if unsafe { libc::listen(fd, n) } < 0 {
                sock::warn_errno(format_args!("evconnlistener_new: listen({fd}, {n})"));
                return None;
            }
        }
        let mut accept4_flags = 0;
        if flags & LEV_OPT_LEAVE_SOCKETS_BLOCKING == 0 {
            accept4_flags |= libc::SOCK_NONBLOCK;
        }
        if flags & LEV_OPT_CLOSE_ON_EXEC != 0 {
            accept4_flags |= libc::SOCK_CLOEXEC;
        }
        let lock = if flags & LEV_OPT_THREADSAFE != 0 { Lock::new() } else { None };
        let lev = crate::mm::try_box(Listener {
            // SAFETY: an all-zero `struct event` is a valid unassigned event.
            ev: UnsafeCell::new(unsafe { std::mem::zeroed() }),
            // SAFETY: as above.
            retry: UnsafeCell::new(unsafe { std::mem::zeroed() }),
            lock,
            st: UnsafeCell::new(State {
                cb,
                errorcb: None,
                user_data,
                flags,
                refcnt: 1,
                accept4_flags,
                enabled: false,
                dead: false,
                paused: false,
                backoff_ms: BACKOFF_FIRST_MS,
            }),
        });
        let Some(lev) = lev else {
            crate::ev_warn!("evconnlistener_new: out of memory");
            return None;
        };
        let lev = Box::into_raw(lev);
        // SAFETY: fresh allocation, not shared yet; the events stay at these addresses until
        // `destroy` frees the box.
        unsafe {
            let nq = base.with(|i| i.nactivequeues());
            let bp = base as *const EventBase as *mut EventBase;
            let ev = (*lev).ev();
            // What libevent's event_assign checks in debug mode.
            dbg::debug_assert_socket_nonblocking(fd, "event_assign");
            base::assign_raw(ev, bp, nq, fd, EV_READ | EV_PERSIST, Some(read_cb), lev.cast());
            (*ev).ev_evcallback.evcb_flags |= EVLIST_X_OWN_IO;
            dbg::debug_note_setup(ev);
            let retry = (*lev).retry.get();
            base::assign_raw(retry, bp, nq, -1, 0, Some(retry_cb), lev.cast());
            (*retry).ev_evcallback.evcb_flags |= EVLIST_INTERNAL | EVLIST_X_HIDDEN;
            if flags & LEV_OPT_DISABLED == 0 {
                // libevent ignores the result here too.
                (*lev).enable();
            }
        }
        Some(lev)
    }

    /// `evconnlistener_new_bind`: a fresh non-blocking TCP socket with the options `flags`
    /// ask for, bound to `sa` and listening.
    ///
    /// # Safety
    /// `base` is live; `sa` points to `socklen` readable bytes of a socket address.
    pub unsafe fn new_bind(
        base: &EventBase,
        cb: Option<AcceptCb>,
        user_data: *mut c_void,
        flags: c_uint,
        backlog: c_int,
        sa: *const sockaddr,
        socklen: c_int,
    ) -> Option<*mut Listener> {
        // SAFETY: `sa` is readable per the caller (the ffi layer refused NULL).
        let family = c_int::from(unsafe { (*sa).sa_family });
        let mut ty = libc::SOCK_STREAM | libc::SOCK_NONBLOCK;
        if flags & LEV_OPT_CLOSE_ON_EXEC != 0 {
            ty |= libc::SOCK_CLOEXEC;
        }
        // SAFETY: plain syscall.
        let fd = unsafe { libc::socket(family, ty, 0) };
        if fd < 0 {
            sock::warn_errno(format_args!("evconnlistener_new_bind: socket"));
            return None;
        }
        let fail = |what: &str| {
            sock::warn_errno(format_args!("evconnlistener_new_bind: {what}"));
            let e = sock::errno();
            sock::close(fd);
            sock::set_errno(e);
            None
        };
        if sock::set_int_opt(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE) < 0 {
            return fail("SO_KEEPALIVE");
        }
        if flags & LEV_OPT_REUSEABLE != 0 && sock::make_listen_reuseable(fd) < 0 {
            return fail("SO_REUSEADDR");
        }
        if flags & LEV_OPT_REUSEABLE_PORT != 0 && sock::make_listen_reuseable_port(fd) < 0 {
            return fail("SO_REUSEPORT");
        }
        if flags & LEV_OPT_DEFERRED_ACCEPT != 0 && sock::make_tcp_listen_deferred(fd) < 0 {
            return fail("TCP_DEFER_ACCEPT");
        }
        if flags & LEV_OPT_BIND_IPV6ONLY != 0 && sock::make_listen_ipv6only(fd) < 0 {
            return fail("IPV6_V6ONLY");
        }
        // SAFETY: `sa` covers `socklen` bytes per the caller; a negative length becomes huge
        // and the kernel refuses it (EINVAL), as with libevent.
        if unsafe { libc::bind(fd, sa, socklen as socklen_t) } < 0 {
            return fail("bind");
        }
        // SAFETY: forwarded; `fd` is ours.
        match unsafe { Listener::new(base, cb, user_data, flags, backlog, fd) } {
            Some(l) => Some(l),
            None => {
                let e = sock::errno();
                sock::close(fd);
                sock::set_errno(e);
                None
            }
        }
    }

    /// `evconnlistener_free`: drops the program's reference; the listener is destroyed now,
    /// or when the user callback that is running returns.
    ///
    /// # Safety
    /// `lev` came from `new` and the program does not use it afterwards.
    pub unsafe fn free(lev: *mut Listener) {
        // SAFETY: live per the caller.
        let l = unsafe { &*lev };
        l.lock();
        // SAFETY: lock held.
        let st = unsafe { l.st() };
        st.cb = None;
        st.errorcb = None;
        // SAFETY: lock held; `lev` live.
        unsafe { Listener::decref_and_unlock(lev) };
    }

    /// Drops one reference (lock held); the last one destroys the listener. Returns whether
    /// it did. The lock is released either way.
    ///
    /// # Safety
    /// Lock held; `lev` live. If this returns true, `lev` is gone.
    unsafe fn decref_and_unlock(lev: *mut Listener) -> bool {
        // SAFETY: live per the caller.
        let l = unsafe { &*lev };
        // SAFETY: lock held.
        let st = unsafe { l.st() };
        st.refcnt -= 1;
        if st.refcnt > 0 {
            l.unlock();
            return false;
        }
        st.dead = true;
        let close_fd = st.flags & LEV_OPT_CLOSE_ON_FREE != 0;
        // Release the lock before waiting for the base: a callback of ours that another thread
        // has just entered needs it to see `dead` and leave, and the base waits for it.
        l.unlock();
        // SAFETY: the events are live until the box is freed below.
        unsafe {
            del_event(l.ev(), DelMode::AutoBlock);
            del_event(l.retry.get(), DelMode::AutoBlock);
            if close_fd {
                sock::close((*l.ev()).ev_fd);
            }
            dbg::debug_note_teardown(l.ev());
            drop(Box::from_raw(lev));
        }
        true
    }

    /// `evconnlistener_enable`: start (or resume) accepting. With no callback set the
    /// listener only remembers it is enabled, as libevent's does.
    pub fn enable(&self) -> c_int {
        self.lock();
        // SAFETY: lock held.
        let st = unsafe { self.st() };
        st.enabled = true;
        // An explicit enable retries at once after an accept error.
        let was_paused = std::mem::replace(&mut st.paused, false);
        let has_cb = st.cb.is_some();
        // SAFETY: the retry timer is ours and live.
        unsafe {
            if was_paused {
                del_event(self.retry.get(), DelMode::NoBlock);
            }
        }
        let r = match (has_cb, self.event_base()) {
            // SAFETY: our live event on its base. Re-arming on enable finds connections that
            // queued while the listener was off.
            (true, Some(b)) => unsafe { b.add_own_io(self.ev()) },
            (true, None) => -1,
            (false, _) => 0,
        };
        self.unlock();
        r
    }

    /// `evconnlistener_disable`. Never waits for a callback running in another thread (that
    /// would deadlock on the listener lock, as libevent's does): such a callback sees the
    /// listener disabled when it returns and stops.
    pub fn disable(&self) -> c_int {
        self.lock();
        // SAFETY: lock held.
        let st = unsafe { self.st() };
        st.enabled = false;
        st.paused = false;
        // SAFETY: our live events.
        let r = unsafe {
            del_event(self.retry.get(), DelMode::NoBlock);
            del_event(self.ev(), DelMode::NoBlock)
        };
        self.unlock();
        r
    }

    /// `evconnlistener_get_base`.
    pub fn base_ptr(&self) -> *mut crate::ffi::event::event_base {
        self.lock();
        // SAFETY: written once by `new`.
        let b = unsafe { (*self.ev()).ev_base };
        self.unlock();
        b
    }

    /// `evconnlistener_get_fd`.
    pub fn fd(&self) -> c_int {
        self.lock();
        // SAFETY: written once by `new`.
        let fd = unsafe { (*self.ev()).ev_fd };
        self.unlock();
        fd
    }

    /// `evconnlistener_set_cb`: setting a callback on an enabled listener that had none
    /// starts it. Unsetting it leaves the listener enabled: then, as in libevent, each
    /// wake-up accepts one connection and closes it (see docs/listener.md).
    pub fn set_cb(&self, cb: Option<AcceptCb>, arg: *mut c_void) {
        self.lock();
        // SAFETY: lock held.
        let st = unsafe { self.st() };
        let start = st.enabled && st.cb.is_none();
        st.cb = cb;
        st.user_data = arg;
        if start {
            self.enable();
        }
        self.unlock();
    }

    /// `evconnlistener_set_error_cb`.
    pub fn set_error_cb(&self, errorcb: Option<ErrorCb>) {
        self.lock();
        // SAFETY: lock held.
        unsafe { self.st() }.errorcb = errorcb;
        self.unlock();
    }

    /// The backlog is empty (or must not be looked at before the retry timer): the read
    /// event waits for the next connection.
    fn drained(&self) {
        if let Some(b) = self.event_base() {
            // SAFETY: written once by `new`.
            b.io_drained(unsafe { (*self.ev()).ev_fd }, EV_READ);
        }
    }

    /// The listener stopped before `EAGAIN`: the fd is still ready (fires again next turn).
    fn rearm(&self) {
        if let Some(b) = self.event_base() {
            // SAFETY: written once by `new`.
            b.rearm_fd(unsafe { (*self.ev()).ev_fd });
        }
    }
}

/// `event_del` on one of our events. Like the public `event_del`, an event that is not
/// pending needs no base when no other thread could be running its callback: so a program
/// that frees the base before its listener (which libevent tolerates in practice) is fine.
///
/// # Safety
/// `ev` is one of a live listener's events.
unsafe fn del_event(ev: *mut event, mode: DelMode) -> c_int {
    // SAFETY: live per the caller.
    let (flags, b) = unsafe { ((*ev).flags(), (*ev).ev_base) };
    let pending = EVLIST_INSERTED | EVLIST_TIMEOUT | EVLIST_ACTIVE | EVLIST_ACTIVE_LATER | EVLIST_FINALIZING;
    if b.is_null() || (flags & pending == 0 && !crate::sync::threads_enabled()) {
        dbg::debug_note_del(ev);
        return 0;
    }
    // SAFETY: the event's base is live (see above); `ev` is assigned to it.
    unsafe { (*(b as *const EventBase)).del(ev, mode) }
}

/// `accept4` with libevent's fallback for kernels without it (`accept` + fcntl).
fn accept_conn(fd: c_int, ss: &mut sockaddr_storage, len: &mut socklen_t, flags: c_int) -> c_int {
    let sa = (ss as *mut sockaddr_storage).cast::<sockaddr>();
    // SAFETY: `sa`/`len` describe `ss`, which outlives the call.
    let r = unsafe { libc::accept4(fd, sa, len, flags) };
    if r >= 0 || flags == 0 || !matches!(sock::errno(), libc::EINVAL | libc::ENOSYS) {
        return r;
    }
    // SAFETY: as above.
    let r = unsafe { libc::accept(fd, sa, len) };
    if r < 0 {
        return r;
    }
    let ok = (flags & libc::SOCK_CLOEXEC == 0 || sock::make_closeonexec(r).is_ok())
        && (flags & libc::SOCK_NONBLOCK == 0 || sock::make_nonblocking(r).is_ok());
    if !ok {
        sock::close(r);
        return -1;
    }
    r
}

/// The listening fd is readable: accept until `EAGAIN`, handing each connection to the
/// program, as libevent's `listener_read_cb` does (same stops, same reference counting).
unsafe extern "C" fn read_cb(fd: c_int, _what: c_short, arg: *mut c_void) {
    let lev: *mut Listener = arg.cast();
    // SAFETY: the event's argument is its listener, alive while the event can run (destroy
    // deletes the event, waiting for a run in progress, before freeing).
    let l = unsafe { &*lev };
    l.lock();
    // SAFETY: lock held.
    let st = unsafe { l.st() };
    // Another thread freed or disabled the listener as this run began; while paused after an
    // error, the retry timer decides when to look again.
    if st.dead || !st.enabled || st.paused {
        // Paused: not again until the retry timer says so.
        l.drained();
        l.unlock();
        return;
    }
    let err = loop {
        // SAFETY: all-zero is a valid sockaddr_storage.
        let mut ss: sockaddr_storage = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<sockaddr_storage>() as socklen_t;
        // SAFETY: lock held (re-derived: callbacks ran since the last borrow).
        let flags = unsafe { l.st() }.accept4_flags;
        let new_fd = accept_conn(fd, &mut ss, &mut len, flags);
        if new_fd < 0 {
            break sock::errno();
        }
        // SAFETY: lock held.
        let st = unsafe { l.st() };
        st.backoff_ms = BACKOFF_FIRST_MS;
        if len == 0 {
            // Some old kernels answer nmap's probes so; libevent drops those.
            sock::close(new_fd);
            continue;
        }
        let Some(cb) = st.cb else {
            // libevent's behaviour when the listener stays enabled with no callback: the
            // connection is closed, one per wake-up (level-triggered: the next turn takes
            // the next one). Re-arming reproduces the next wake-up.
            sock::close(new_fd);
            l.rearm();
            l.unlock();
            return;
        };
        st.refcnt += 1;
        let ud = st.user_data;
        l.unlock();
        // SAFETY: the program's callback with a fresh connection; `ss` holds `len` bytes.
        unsafe { cb(lev.cast(), new_fd, (&mut ss as *mut sockaddr_storage).cast(), len as c_int, ud) };
        l.lock();
        // SAFETY: lock held; our reference kept the listener alive.
        let st = unsafe { l.st() };
        if st.refcnt == 1 {
            // Freed from inside the callback: ours is the last reference.
            // SAFETY: lock held; `lev` is not touched afterwards.
            unsafe { Listener::decref_and_unlock(lev) };
            return;
        }
        st.refcnt -= 1;
        if !st.enabled {
            // Disabled by the callback: enabling re-arms, so the rest of the backlog waits.
            l.unlock();
            return;
        }
    };
    match err {
        libc::EAGAIN => {
            l.drained();
            l.unlock();
            return;
        }
        libc::EINTR | libc::ECONNABORTED => {
            // libevent stops here and its level-triggered registration brings it back next
            // turn; re-arming does the same for ours.
            l.rearm();
            l.unlock();
            return;
        }
        _ => {}
    }
    // An error retrying will not fix at once (EMFILE, ENFILE, ENOBUFS, ENOMEM, a socket
    // that does not listen, …): report it once, then pause (see the module docs).
    // SAFETY: lock held.
    let st = unsafe { l.st() };
    st.paused = true;
    l.drained();
    if let Some(ecb) = st.errorcb {
        st.refcnt += 1;
        let ud = st.user_data;
        l.unlock();
        // The program reads the reason with EVUTIL_SOCKET_ERROR().
        sock::set_errno(err);
        // SAFETY: the program's error callback.
        unsafe { ecb(lev.cast(), ud) };
        l.lock();
        // SAFETY: lock held; our reference kept the listener alive.
        let st = unsafe { l.st() };
        if st.refcnt == 1 {
            // SAFETY: lock held; `lev` is not touched afterwards.
            unsafe { Listener::decref_and_unlock(lev) };
            return;
        }
        st.refcnt -= 1;
    } else {
        crate::ev_warn!("Error from accept() call: {}", crate::log::errno_text(err));
    }
    // SAFETY: lock held.
    let st = unsafe { l.st() };
    // The error callback may have enabled (retry now) or disabled the listener.
    if st.paused && st.enabled {
        let ms = st.backoff_ms;
        st.backoff_ms = (ms * 2).min(BACKOFF_MAX_MS);
        let tv = timeval { tv_sec: (ms / 1000) as libc::time_t, tv_usec: ((ms % 1000) * 1000) as libc::suseconds_t };
        if let Some(b) = l.event_base() {
            // SAFETY: our live internal timer on its base.
            unsafe { b.add(l.retry.get(), Some(&tv)) };
        }
    }
    sock::set_errno(err);
    l.unlock();
}

/// The back-off after an accept error is over: look at the backlog again.
unsafe extern "C" fn retry_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    // SAFETY: as in `read_cb`: destroy deletes this timer (waiting for a run) before freeing.
    let l = unsafe { &*arg.cast::<Listener>() };
    l.lock();
    // SAFETY: lock held.
    let st = unsafe { l.st() };
    if !st.dead && std::mem::replace(&mut st.paused, false) && st.enabled {
        l.rearm();
    }
    l.unlock();
}
