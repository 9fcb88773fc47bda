//! The poller: one epoll registration per fd (the union of its events' interests), and the
//! fan-out of readiness to the events waiting on that fd.
//!
//! The epoll instance is `mio::Poll`'s, and every registration goes through `mio::Registry`
//! (`SourceFd`, token = the fd number), so every fd is edge-triggered (`EPOLLET`; `READABLE`
//! also carries `EPOLLRDHUP`). libevent's epoll backend registers without `EPOLLET` unless
//! the event that last changed the fd's registration had `EV_ET`; its level-triggered
//! semantics are emulated exactly:
//!
//! * An LT kernel re-queues every reported LT fd at the tail of its ready list during
//!   `epoll_wait`, and drops it at the next `epoll_wait` if it is no longer ready. We keep
//!   the same list (`maybe`: this turn's reported fds whose libevent registration has no
//!   `EPOLLET`, in report order) and at the start of the next turn check it with ONE
//!   `poll()` (timeout 0). Still-ready fds are activated first, in that order, then
//!   `epoll_wait`'s results (new edges, which the LT kernel would have queued behind them);
//!   an fd both probed and reported is activated once (plus any new bits). If the probe
//!   found anything, `epoll_wait` does not block, and it is asked for at most the buffer
//!   size minus the probe's hits, as the LT kernel would return at most that many.
//! * A full batch may have left fds in the kernel's list, ahead of where the LT kernel would
//!   re-queue this turn's fds: then those fds are re-armed with `EPOLL_CTL_MOD`
//!   (`Registry::reregister`) in report order instead, which queues them behind the rest.
//! * The registration is changed (`EPOLL_CTL_MOD`) exactly when libevent's would be, even if
//!   mio's interest stays the same, because a MOD re-queues a ready fd in both worlds.
//! * Raw `epoll_wait` results (on `poll.as_raw_fd()`) are used instead of `mio::Events`
//!   because libevent's mapping needs the exact bits: `EPOLLHUP` without `EPOLLRDHUP` means
//!   READ|WRITE, with it only CLOSED; since mio always asks for `EPOLLRDHUP`, the bits are
//!   masked with libevent's registration mask before mapping.
//!
//! Cost (bench/run.sh dispatch, details in docs/event-core.md): the probe is one `poll()`
//! per turn that follows a turn with LT I/O, skipped when the list is empty: +12–15 % CPU on
//! the 1-active-pipe workload (≈ 259 → 293–317 µs), ≈ +5 % with 100 active. Re-arming every
//! fired fd with `EPOLL_CTL_MOD` instead (one `epoll_ctl` per fired fd per turn) measured
//! the same with one active fd and +25–35 % with 100, so the probe was chosen.
//!
//! fds that epoll refuses (regular files, /dev/null: `EPERM`) behave as under libevent's poll
//! backend: always ready for what their events wait for.
//!
//! fds whose I/O evshim does itself (a listener's socket) carry events marked
//! [`EVLIST_X_OWN_IO`]: while only such events wait on an fd it is registered edge-triggered
//! whatever the method, never probed, and the owner tracks readiness itself (reading until
//! `EAGAIN`, or calling [`Poller::rearm`] when it stops short). Their `ev_events` stay what
//! libevent's would be, so `event_base_foreach_event` and friends show libevent's flags.

use std::ffi::c_short;
use std::io;
use std::os::fd::{AsRawFd, RawFd};

use super::event::*;

/// Data words of the internal registrations (fds use their own number).
pub(crate) const TOKEN_WAKER: usize = usize::MAX;
pub(crate) const TOKEN_SIGNAL: usize = usize::MAX - 1;

const INITIAL_NEVENT: usize = 32;
const MAX_NEVENT: usize = 4096;

/// Per-fd state (indexed by fd: no hashing on the hot path).
#[derive(Clone, Copy)]
pub(crate) struct FdSlot {
    /// Events on this fd, newest first (libevent's `LIST_INSERT_HEAD` order, which is also
    /// the order they are activated in).
    pub(crate) head: *mut event,
    pub(crate) nread: u32,
    pub(crate) nwrite: u32,
    pub(crate) nclose: u32,
    /// Events marked [`EVLIST_X_OWN_IO`] on this fd, and the others: with only the former the
    /// fd is registered edge-triggered (see the module docs).
    pub(crate) nown: u32,
    pub(crate) nother: u32,
    pub(crate) et: bool,
    /// libevent's epoll mask for this fd as last synced (0 = not registered); `EPOLLET`
    /// in it means the fd is edge-triggered in libevent's world.
    pub(crate) registered: u32,
    /// On the `maybe` list (reported last turn and level-triggered).
    pub(crate) requeued: bool,
    /// The turn this fd was last reported in, and the raw bits reported then.
    pub(crate) turn: u32,
    pub(crate) seen: u32,
    /// epoll refused the fd: it is polled as "always ready".
    pub(crate) refused: bool,
}

impl Default for FdSlot {
    fn default() -> Self {
        FdSlot {
            head: std::ptr::null_mut(),
            nread: 0,
            nwrite: 0,
            nclose: 0,
            nown: 0,
            nother: 0,
            et: false,
            registered: 0,
            refused: false,
            requeued: false,
            turn: 0,
            seen: 0,
        }
    }
}

pub(crate) struct Poller {
    pub(crate) poll: mio::Poll,
    pub(crate) epfd: RawFd,
    pub(crate) waker: Option<mio::Waker>,
    pub(crate) fds: Vec<FdSlot>,
    /// fds epoll refused and that have events: reported ready every turn.
    pub(crate) refused: Vec<RawFd>,
    /// The epoll_wait buffer. A separate allocation so that the loop can fill it while the
    /// base lock is released (nobody else touches it).
    pub(crate) buf: *mut Vec<libc::epoll_event>,
    /// Level-triggered fds reported in the last turn, in report order (the LT kernel's
    /// re-queue order): probed at the start of the next turn.
    pub(crate) maybe: Vec<RawFd>,
    /// The probe's `poll()` array (reused).
    pub(crate) pfds: Vec<libc::pollfd>,
    /// Under the emulated poll/select methods: registered fds found closed (`POLLNVAL`) this
    /// turn, which epoll has silently forgotten but poll()/select() report.
    pub(crate) nval: Vec<RawFd>,
    /// Loop turn counter (dedupes probe and epoll reports of one fd).
    pub(crate) turn: u32,
    /// The base reports "poll"/"select": no edge-triggering (poll has none).
    pub(crate) poll_semantics: bool,
    /// The base reports "select", which has no EV_CLOSED support (those events never see it).
    pub(crate) no_closed: bool,
}

impl Drop for Poller {
    fn drop(&mut self) {
        // SAFETY: `buf` came from Box::into_raw in `new` and is freed once.
        drop(unsafe { Box::from_raw(self.buf) });
    }
}

/// What `add`/`del` changed.
pub(crate) enum Change {
    /// Nothing to tell the loop.
    Same,
    /// Interest changed (a loop blocked in another thread should re-poll).
    Changed,
}

impl Poller {
    pub(crate) fn new() -> io::Result<Poller> {
        let poll = mio::Poll::new()?;
        let epfd = poll.as_raw_fd();
        let buf = Box::into_raw(Box::new(vec![libc::epoll_event { events: 0, u64: 0 }; INITIAL_NEVENT]));
        Ok(Poller {
            poll,
            epfd,
            waker: None,
            fds: Vec::new(),
            refused: Vec::new(),
            buf,
            maybe: Vec::new(),
            pfds: Vec::new(),
            nval: Vec::new(),
            turn: 0,
            poll_semantics: false,
            no_closed: false,
        })
    }

    #[inline]
    /// The slot of `fd`, growing the table; `None` if that cannot be allocated.
    pub(crate) fn slot(&mut self, fd: RawFd) -> Option<&mut FdSlot> {
        let i = fd as usize;
        if i >= self.fds.len() {
            let n = (i + 1).max(self.fds.len() * 2).max(32);
            if self.fds.try_reserve_exact(n - self.fds.len()).is_err() {
                return None;
            }
            self.fds.resize(n, FdSlot::default());
        }
        Some(&mut self.fds[i])
    }

    #[inline]
    pub(crate) fn slot_ref(&self, fd: RawFd) -> Option<&FdSlot> {
        if fd < 0 {
            return None;
        }
        self.fds.get(fd as usize)
    }

    fn mask_of(&self, s: &FdSlot) -> u32 {
        let mut m = 0u32;
        if s.nread > 0 {
            m |= libc::EPOLLIN as u32;
        }
        if s.nwrite > 0 {
            m |= libc::EPOLLOUT as u32;
        }
        if s.nclose > 0 && !self.no_closed {
            m |= libc::EPOLLRDHUP as u32;
        }
        if m != 0 && ((s.et && !self.poll_semantics) || (s.nown > 0 && s.nother == 0)) {
            m |= libc::EPOLLET as u32;
        }
        m
    }

    /// mio's interest for libevent's mask (`READABLE` brings `EPOLLRDHUP`, which `EV_CLOSED`
    /// needs; extra bits are masked off when results are mapped).
    fn interest_of(mask: u32) -> mio::Interest {
        let r = mask & (libc::EPOLLIN | libc::EPOLLRDHUP) as u32 != 0;
        let w = mask & libc::EPOLLOUT as u32 != 0;
        match (r, w) {
            (true, true) => mio::Interest::READABLE | mio::Interest::WRITABLE,
            (false, true) => mio::Interest::WRITABLE,
            _ => mio::Interest::READABLE,
        }
    }

    fn mio_register(&self, fd: RawFd, mask: u32, modify: bool) -> io::Result<()> {
        let reg = self.poll.registry();
        let mut src = mio::unix::SourceFd(&fd);
        let tok = mio::Token(fd as usize);
        let interest = Self::interest_of(mask);
        if modify {
            reg.reregister(&mut src, tok, interest)
        } else {
            reg.register(&mut src, tok, interest)
        }
    }

    /// Makes the kernel registration match the slot's counts. On failure the counts are
    /// the caller's to roll back.
    fn sync(&mut self, fd: RawFd) -> Result<bool, io::Error> {
        let s = self.fds[fd as usize];
        let want = self.mask_of(&s);
        if s.refused {
            return Ok(false);
        }
        if want == s.registered {
            return Ok(false);
        }
        let res = if want == 0 {
            let mut src = mio::unix::SourceFd(&fd);
            match self.poll.registry().deregister(&mut src) {
                // Closed before we got to it: fine, as libevent says.
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::EBADF | libc::EPERM)) => Ok(()),
                r => r,
            }
        } else if s.registered == 0 {
            match self.mio_register(fd, want, false) {
                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => self.mio_register(fd, want, true),
                r => r,
            }
        } else {
            match self.mio_register(fd, want, true) {
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => self.mio_register(fd, want, false),
                r => r,
            }
        };
        match res {
            Ok(()) => {
                let slot = &mut self.fds[fd as usize];
                slot.registered = want;
                if want == 0 {
                    // The kernel forgets a deleted fd: so does the re-queue list.
                    slot.requeued = false;
                }
                Ok(true)
            }
            Err(e) if e.raw_os_error() == Some(libc::EPERM) && s.registered == 0 => {
                // Regular files and the like: poll(2) semantics, always ready.
                self.fds[fd as usize].refused = true;
                self.refused.push(fd);
                Ok(true)
            }
            Err(e) => Err(e),
        }
    }

    /// `evmap_io_add_`: links `ev` into its fd's list and widens the registration.
    ///
    /// # Safety
    /// `ev` is a live, initialised I/O event not yet on any fd list.
    pub(crate) unsafe fn add(&mut self, ev: *mut event) -> Result<Change, ()> {
        // SAFETY: live per the caller.
        let (fd, events) = unsafe { ((*ev).ev_fd, (*ev).ev_events) };
        if fd < 0 {
            // libevent's evmap ignores negative fds: the event is "added" but never fires.
            return Ok(Change::Same);
        }
        if fd >= 1 << 27 {
            // libevent's fd map refuses to grow past INT_MAX bytes of pointers: a silent -1.
            return Err(());
        }
        if fd as usize >= self.fds.len() {
            // A new, high fd: make sure it exists before sizing the table for it (a garbage
            // fd must cost a warning, not gigabytes).
            // SAFETY: F_GETFD on any number is harmless.
            if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
                let op_events = (if events & EV_READ != 0 { libc::EPOLLIN } else { 0 })
                    | (if events & EV_WRITE != 0 { libc::EPOLLOUT } else { 0 })
                    | (if events & EV_CLOSED != 0 { libc::EPOLLRDHUP } else { 0 })
                    | (if events & EV_ET != 0 && !self.poll_semantics { libc::EPOLLET } else { 0 });
                let et = (events & EV_ET) as i32;
                let ch = |flag: c_short| if events & flag != 0 { 1 | et } else { 0 };
                let name = |c: i32| if c & 1 != 0 { "add" } else { "none" };
                let (r, w, c) = (ch(EV_READ), ch(EV_WRITE), ch(EV_CLOSED));
                crate::ev_warn!(
                    "Epoll ADD({op_events}) on fd {fd} failed. Old events were 0; read change was {r} ({}); write change was {w} ({}); close change was {c} ({}): {}",
                    name(r),
                    name(w),
                    name(c),
                    crate::log::errno_text(libc::EBADF)
                );
                return Err(());
            }
        }
        let Some(slot) = self.slot(fd) else {
            crate::ev_warn!("evmap_io_add_: out of memory for fd {fd}");
            return Err(());
        };
        // libevent refuses mixing edge- and level-triggered events on one fd only in debug
        // mode (comparing with the fd's newest event); otherwise the registration simply
        // takes the ET-ness of whichever event last changed it.
        let mixes_et = || {
            // SAFETY: list members are live events (the caller holds the base lock).
            let newest = unsafe { (*slot.head).ev_events };
            newest & EV_ET != events & EV_ET
        };
        if super::thread::debug_mode_on() && !slot.head.is_null() && mixes_et() {
            crate::ev_warn!("Tried to mix edge-triggered and non-edge-triggered events on fd {fd}");
            return Err(());
        }
        let saved = *slot;
        // SAFETY: live per the caller.
        let own = unsafe { (*ev).flags() } & EVLIST_X_OWN_IO != 0;
        // (Whether EPOLLET flips with these counts is `sync`'s business: `res` below is about
        // libevent's registration, whose edge-triggeredness `et` mirrors.)
        if own {
            slot.nown += 1;
        } else {
            slot.nother += 1;
        }
        let mut res = false;
        if events & EV_READ != 0 {
            slot.nread += 1;
            res |= slot.nread == 1;
        }
        if events & EV_WRITE != 0 {
            slot.nwrite += 1;
            res |= slot.nwrite == 1;
        }
        if events & EV_CLOSED != 0 {
            slot.nclose += 1;
            res |= slot.nclose == 1;
        }
        if slot.nread > 0xffff || slot.nwrite > 0xffff || slot.nclose > 0xffff {
            *slot = saved;
            crate::ev_warn!("Too many events reading or writing on fd {fd}");
            return Err(());
        }
        if res {
            slot.et = events & EV_ET != 0;
        }
        match self.sync(fd) {
            Ok(changed) => {
                let slot = &mut self.fds[fd as usize];
                // SAFETY: `ev` is live; the list links are ours. `le_prev` holds the previous
                // *element* (NULL for the head), so the slot Vec may grow freely.
                unsafe {
                    let io = &mut (*ev).ev_.ev_io.ev_io_next;
                    io.le_next = slot.head;
                    io.le_prev = std::ptr::null_mut();
                    if !slot.head.is_null() {
                        (*slot.head).ev_.ev_io.ev_io_next.le_prev = ev.cast();
                    }
                    slot.head = ev;
                }
                Ok(if changed { Change::Changed } else { Change::Same })
            }
            Err(e) => {
                // libevent's epoll backend message (PRINT_CHANGES), then strerror.
                let op = if saved.registered == 0 { "ADD" } else { "MOD" };
                let want = self.mask_of(&self.fds[fd as usize]) as i32;
                let old = (if saved.nread > 0 { EV_READ } else { 0 })
                    | (if saved.nwrite > 0 { EV_WRITE } else { 0 })
                    | (if saved.nclose > 0 { EV_CLOSED } else { 0 });
                let et = (events & EV_ET) as i32;
                let ch = |flag: c_short| if events & flag != 0 { 1 | et } else { 0 };
                let name = |c: i32| if c & 1 != 0 { "add" } else { "none" };
                let (r, w, c) = (ch(EV_READ), ch(EV_WRITE), ch(EV_CLOSED));
                crate::ev_warn!(
                    "Epoll {op}({want}) on fd {fd} failed. Old events were {old}; read change was {r} ({}); write change was {w} ({}); close change was {c} ({}): {}",
                    name(r),
                    name(w),
                    name(c),
                    crate::log::errno_text(e.raw_os_error().unwrap_or(0))
                );
                self.fds[fd as usize] = saved;
                Err(())
            }
        }
    }

    /// `evmap_io_del_`: unlinks `ev` and narrows (or drops) the registration.
    ///
    /// # Safety
    /// `ev` is a live event currently on its fd's list.
    pub(crate) unsafe fn del(&mut self, ev: *mut event) -> Change {
        // SAFETY: live per the caller; links were set by `add`.
        let (fd, events) = unsafe { ((*ev).ev_fd, (*ev).ev_events) };
        if fd < 0 {
            return Change::Same;
        }
        // SAFETY: as above; `le_prev` is the previous element or NULL.
        unsafe {
            let io = (*ev).ev_.ev_io.ev_io_next;
            let prev: *mut event = io.le_prev.cast();
            if prev.is_null() {
                self.fds[fd as usize].head = io.le_next;
            } else {
                (*prev).ev_.ev_io.ev_io_next.le_next = io.le_next;
            }
            if !io.le_next.is_null() {
                (*io.le_next).ev_.ev_io.ev_io_next.le_prev = prev.cast();
            }
        }
        let slot = &mut self.fds[fd as usize];
        // SAFETY: live per the caller.
        let own = unsafe { (*ev).flags() } & EVLIST_X_OWN_IO != 0;
        if own {
            slot.nown -= 1;
        } else {
            slot.nother -= 1;
        }
        let mut res = false;
        if events & EV_READ != 0 {
            slot.nread -= 1;
            res |= slot.nread == 0;
        }
        if events & EV_WRITE != 0 {
            slot.nwrite -= 1;
            res |= slot.nwrite == 0;
        }
        if events & EV_CLOSED != 0 {
            slot.nclose -= 1;
            res |= slot.nclose == 0;
        }
        if res {
            // As libevent's epoll backend: the re-registration carries the deleted event's
            // edge-triggeredness.
            slot.et = events & EV_ET != 0;
        }
        if slot.nread + slot.nwrite + slot.nclose == 0 && slot.refused {
            slot.refused = false;
            if let Some(i) = self.refused.iter().position(|&f| f == fd) {
                self.refused.swap_remove(i);
            }
            return Change::Changed;
        }
        match self.sync(fd) {
            Ok(true) => Change::Changed,
            _ => Change::Same,
        }
    }

    /// Re-arms `fd`'s registration unchanged (`EPOLL_CTL_MOD`): the kernel queues the fd
    /// again if it is ready now, and wakes a thread blocked in `epoll_wait`. For an owner of
    /// an edge-triggered fd that stopped before `EAGAIN` and must hear of it again, as a
    /// level-triggered registration would have (see [`EVLIST_X_OWN_IO`]).
    pub(crate) fn rearm(&mut self, fd: RawFd) {
        let Some(s) = self.slot_ref(fd) else { return };
        if s.registered != 0 && !s.refused {
            let _ = self.mio_register(fd, s.registered, true);
        }
    }

    /// After fork: a fresh epoll instance with every fd re-registered.
    pub(crate) fn reinit(&mut self) -> io::Result<()> {
        let poll = mio::Poll::new()?;
        self.epfd = poll.as_raw_fd();
        self.poll = poll;
        self.waker = None;
        self.maybe.clear();
        for fd in 0..self.fds.len() {
            let s = &mut self.fds[fd];
            s.requeued = false;
            if s.refused {
                continue;
            }
            s.registered = 0;
            if s.nread + s.nwrite + s.nclose > 0 {
                let _ = self.sync(fd as RawFd);
            }
        }
        Ok(())
    }

    /// The readiness of an epoll result, as libevent's epoll backend maps it. `what` must
    /// already be masked with libevent's registration (see [`Poller::effective`]).
    #[inline]
    pub(crate) fn epoll_to_ev(what: u32) -> c_short {
        if what & libc::EPOLLERR as u32 != 0 {
            return EV_READ | EV_WRITE;
        }
        if what & libc::EPOLLHUP as u32 != 0 && what & libc::EPOLLRDHUP as u32 == 0 {
            return EV_READ | EV_WRITE;
        }
        let mut ev = 0;
        if what & libc::EPOLLIN as u32 != 0 {
            ev |= EV_READ;
        }
        if what & libc::EPOLLOUT as u32 != 0 {
            ev |= EV_WRITE;
        }
        if what & libc::EPOLLRDHUP as u32 != 0 {
            ev |= EV_CLOSED;
        }
        ev
    }

    /// The bits libevent's registration of `fd` would have let through (mio registers
    /// `EPOLLRDHUP` with every `READABLE`, and `EPOLLIN` for `EV_CLOSED`-only fds).
    #[inline]
    pub(crate) fn effective(&self, fd: RawFd, raw: u32) -> u32 {
        match self.fds.get(fd as usize) {
            Some(s) => {
                let mut raw =
                    raw & ((s.registered & !(libc::EPOLLET as u32)) | (libc::EPOLLERR | libc::EPOLLHUP) as u32);
                if self.poll_semantics && raw & (libc::EPOLLERR | libc::EPOLLHUP) as u32 != 0 {
                    // libevent's poll backend: HUP/ERR make the fd readable and writable,
                    // and POLLRDHUP still means EV_CLOSED.
                    raw = (raw & !((libc::EPOLLERR | libc::EPOLLHUP) as u32)) | (libc::EPOLLIN | libc::EPOLLOUT) as u32;
                }
                raw
            }
            None => 0,
        }
    }

    /// Starts a turn: probes last turn's level-triggered fds with one `poll()`. Leaves the
    /// results in `pfds` (`revents` already masked; 0 = not ready) and returns how many are
    /// ready. The `maybe` list is emptied: the turn's reports rebuild it.
    pub(crate) fn probe(&mut self) -> usize {
        self.turn = self.turn.wrapping_add(1);
        self.pfds.clear();
        if self.maybe.is_empty() {
            return 0;
        }
        for k in 0..self.maybe.len() {
            let fd = self.maybe[k];
            let s = &mut self.fds[fd as usize];
            if !s.requeued {
                continue;
            }
            s.requeued = false;
            let m = s.registered;
            let mut events = 0;
            if m & libc::EPOLLIN as u32 != 0 {
                events |= libc::POLLIN;
            }
            if m & libc::EPOLLOUT as u32 != 0 {
                events |= libc::POLLOUT;
            }
            if m & libc::EPOLLRDHUP as u32 != 0 {
                events |= libc::POLLRDHUP;
            }
            if events != 0 {
                self.pfds.push(libc::pollfd { fd, events, revents: 0 });
            }
        }
        self.maybe.clear();
        if self.pfds.is_empty() {
            return 0;
        }
        // SAFETY: `pfds` is a valid array of `len` pollfds; timeout 0 never blocks.
        let n = unsafe { libc::poll(self.pfds.as_mut_ptr(), self.pfds.len() as libc::nfds_t, 0) };
        if n <= 0 {
            return 0;
        }
        let mut ready = 0;
        for k in 0..self.pfds.len() {
            let p = self.pfds[k];
            // POLLNVAL: closed, so gone from epoll too.
            let raw = if p.revents & libc::POLLNVAL != 0 { 0 } else { self.effective(p.fd, p.revents as u16 as u32) };
            self.pfds[k].revents = raw as i16;
            if raw != 0 {
                ready += 1;
            }
        }
        ready
    }

    /// Emulated poll/select methods only: which registered fds were closed behind our back
    /// (libevent's poll backend reports them as `POLLNVAL`, its select backend fails). One
    /// `poll()` over the registered fds, as those backends do every turn anyway.
    pub(crate) fn find_closed(&mut self) -> usize {
        self.nval.clear();
        let mut pfds = std::mem::take(&mut self.pfds);
        pfds.clear();
        for (fd, s) in self.fds.iter().enumerate() {
            if s.registered != 0 {
                pfds.push(libc::pollfd { fd: fd as RawFd, events: 0, revents: 0 });
            }
        }
        // SAFETY: `pfds` is a valid array; timeout 0 never blocks.
        if !pfds.is_empty() && unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, 0) } > 0 {
            self.nval.extend(pfds.iter().filter(|p| p.revents & libc::POLLNVAL != 0).map(|p| p.fd));
        }
        self.pfds = pfds;
        self.nval.len()
    }

    /// Records that `fd` is reported with the (masked) bits `raw` this turn. Returns the
    /// readiness to activate (0 = nothing new), and queues level-triggered fds for the next
    /// probe.
    #[inline]
    pub(crate) fn report(&mut self, fd: RawFd, raw: u32) -> c_short {
        let turn = self.turn;
        let Some(s) = self.fds.get_mut(fd as usize) else { return 0 };
        if raw == 0 {
            return 0;
        }
        if s.turn == turn {
            // Probed and also reported by epoll: once, plus whatever is new.
            let old = Self::epoll_to_ev(s.seen);
            s.seen |= raw;
            return Self::epoll_to_ev(s.seen) & !old;
        }
        s.turn = turn;
        s.seen = raw;
        if s.registered & libc::EPOLLET as u32 == 0 && !s.requeued {
            s.requeued = true;
            self.maybe.push(fd);
        }
        Self::epoll_to_ev(raw)
    }

    /// After a full batch the kernel may still hold ready fds that the LT kernel would report
    /// before this turn's re-queued ones: re-arm those with `EPOLL_CTL_MOD` (which queues a
    /// ready fd at the tail) instead of probing them.
    pub(crate) fn rearm_maybe(&mut self) {
        for k in 0..self.maybe.len() {
            let fd = self.maybe[k];
            let s = &mut self.fds[fd as usize];
            s.requeued = false;
            let m = s.registered;
            if m != 0 {
                let _ = self.mio_register(fd, m, true);
            }
        }
        self.maybe.clear();
    }

    /// Grows the result buffer after a full batch, as libevent does.
    pub(crate) fn maybe_grow(&mut self, n: usize) {
        // SAFETY: only the loop thread touches the buffer, and not concurrently with this.
        let buf = unsafe { &mut *self.buf };
        if n == buf.len() && buf.len() < MAX_NEVENT {
            let len = (buf.len() * 2).min(MAX_NEVENT);
            buf.resize(len, libc::epoll_event { events: 0, u64: 0 });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make_event(fd: RawFd, own: bool) -> Box<event> {
        // SAFETY: an all-zero `struct event` is a valid unassigned event.
        let mut ev: Box<event> = Box::new(unsafe { std::mem::zeroed() });
        ev.ev_fd = fd;
        ev.ev_events = EV_READ | EV_PERSIST;
        ev.ev_evcallback.evcb_flags = EVLIST_INIT | if own { EVLIST_X_OWN_IO } else { 0 };
        ev
    }

    /// The fds `epoll_wait` reports right now (timeout 0).
    fn reported(p: &Poller) -> Vec<RawFd> {
        let mut buf = [libc::epoll_event { events: 0, u64: 0 }; 8];
        // SAFETY: `buf` holds 8 entries.
        let n = unsafe { libc::epoll_wait(p.epfd, buf.as_mut_ptr(), 8, 0) };
        buf[..n.max(0) as usize].iter().map(|e| e.u64 as RawFd).collect()
    }

    const IN: u32 = libc::EPOLLIN as u32;
    const ET: u32 = libc::EPOLLET as u32;

    #[test]
    fn own_io_fd_is_edge_triggered_while_alone_and_rearm_reports_it_again() {
        let mut p = Poller::new().unwrap();
        let [a, b] = crate::util::sock::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0).unwrap();
        let mut own = make_event(a, true);
        let mut other = make_event(a, false);
        // SAFETY: live events, each added once and deleted once below.
        unsafe {
            p.add(&mut *own).unwrap();
            assert_eq!(p.fds[a as usize].registered, IN | ET);
            p.add(&mut *other).unwrap();
            assert_eq!(p.fds[a as usize].registered, IN, "a level-triggered event keeps its semantics");
            p.del(&mut *other);
            assert_eq!(p.fds[a as usize].registered, IN | ET);
        }
        // SAFETY: a one-byte write from a valid buffer.
        assert_eq!(unsafe { libc::write(b, b"x".as_ptr().cast(), 1) }, 1);
        assert_eq!(reported(&p), vec![a]);
        assert!(reported(&p).is_empty(), "edge-triggered: reported once");
        p.rearm(a);
        assert_eq!(reported(&p), vec![a], "re-armed while ready: reported again");
        assert!(reported(&p).is_empty());
        // Deleting drops the registration; adding again re-polls the fd (no new edge needed).
        // SAFETY: `own` is on the list.
        unsafe { p.del(&mut *own) };
        assert_eq!(p.fds[a as usize].registered, 0);
        // SAFETY: `own` is live and off the list.
        unsafe { p.add(&mut *own).unwrap() };
        assert_eq!(reported(&p), vec![a]);
        // SAFETY: on the list.
        unsafe { p.del(&mut *own) };
        crate::util::sock::close(a);
        crate::util::sock::close(b);
    }
}
