//! The poller: one epoll registration per fd (the union of its events' interests), and the
//! fan-out of readiness to the events waiting on that fd.
//!
//! The epoll instance is `mio::Poll`'s (it also carries the cross-thread `mio::Waker` and the
//! signal registry's fd, both registered through mio with reserved tokens). User fds are
//! registered on that same instance with libevent's own epoll flags — level-triggered, with
//! `EPOLLET` only for `EV_ET` fds — because that is what makes raw events behave exactly as
//! under libevent's epoll backend, at one `epoll_wait` per loop turn. (mio's own
//! registrations are always edge-triggered; emulating level-triggered readiness on top of
//! them needs a `poll()` re-check of recently-ready fds before each wait: one extra syscall
//! per turn whenever I/O happened. Measured by adding just that one `poll()` per turn to
//! this loop: +14% CPU per run on bench.c's 100-pipes/1-active workload, whose turn is
//! otherwise epoll_wait + recv + send — for no gain in exactness.)
//!
//! fds that epoll refuses (regular files, /dev/null: `EPERM`) behave as under libevent's poll
//! backend: always ready for what their events wait for.

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
    pub(crate) et: bool,
    /// epoll mask currently registered (0 = not registered).
    pub(crate) registered: u32,
    /// epoll refused the fd: it is polled as "always ready".
    pub(crate) refused: bool,
}

impl Default for FdSlot {
    fn default() -> Self {
        FdSlot { head: std::ptr::null_mut(), nread: 0, nwrite: 0, nclose: 0, et: false, registered: 0, refused: false }
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
        Ok(Poller { poll, epfd, waker: None, fds: Vec::new(), refused: Vec::new(), buf, poll_semantics: false, no_closed: false })
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
        if m != 0 && s.et && !self.poll_semantics {
            m |= libc::EPOLLET as u32;
        }
        m
    }

    fn ctl(&self, op: c_int_op, fd: RawFd, mask: u32) -> io::Result<()> {
        let mut ev = libc::epoll_event { events: mask, u64: fd as u64 };
        // SAFETY: plain syscall on our epoll fd with a valid event struct.
        if unsafe { libc::epoll_ctl(self.epfd, op, fd, &mut ev) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
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
            match self.ctl(libc::EPOLL_CTL_DEL, fd, 0) {
                // Closed before we got to it: fine, as libevent says.
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::EBADF | libc::EPERM)) => Ok(()),
                r => r,
            }
        } else if s.registered == 0 {
            match self.ctl(libc::EPOLL_CTL_ADD, fd, want) {
                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => self.ctl(libc::EPOLL_CTL_MOD, fd, want),
                r => r,
            }
        } else {
            match self.ctl(libc::EPOLL_CTL_MOD, fd, want) {
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => self.ctl(libc::EPOLL_CTL_ADD, fd, want),
                r => r,
            }
        };
        match res {
            Ok(()) => {
                self.fds[fd as usize].registered = want;
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
        // SAFETY: list members are live.
        if super::thread::debug_mode_on() && !slot.head.is_null() && unsafe { (*slot.head).ev_events } & EV_ET != events & EV_ET {
            crate::ev_warn!("Tried to mix edge-triggered and non-edge-triggered events on fd {fd}");
            return Err(());
        }
        let saved = *slot;
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

    /// After fork: a fresh epoll instance with every fd re-registered.
    pub(crate) fn reinit(&mut self) -> io::Result<()> {
        let poll = mio::Poll::new()?;
        self.epfd = poll.as_raw_fd();
        self.poll = poll;
        self.waker = None;
        for fd in 0..self.fds.len() {
            let s = &mut self.fds[fd];
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

    /// The readiness of an epoll result, as libevent's epoll backend maps it.
    #[inline]
    pub(crate) fn epoll_to_ev(what: u32) -> c_short {
        if what & (libc::EPOLLHUP | libc::EPOLLERR) as u32 != 0 {
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

#[allow(non_camel_case_types)]
type c_int_op = std::ffi::c_int;
