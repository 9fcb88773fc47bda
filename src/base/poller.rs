//! The poller: one epoll registration per fd (the union of its events' interests), and the
//! fan-out of readiness to the events waiting on that fd.
//!
//! The epoll instance is `mio::Poll`'s: mio owns it, and the cross-thread `mio::Waker` and
//! the signal pipe are registered through `mio::Registry` (edge-triggered, reserved tokens).
//! The program's fds are registered with `epoll_ctl` on `poll.as_raw_fd()` directly, with
//! exactly the mask libevent's epoll backend uses (`epoll.c`/`epolltable-internal.h`):
//! `EPOLLIN`/`EPOLLOUT` for read/write events, `EPOLLRDHUP` only when an `EV_CLOSED` event
//! is added, and `EPOLLET` only when the event that last changed the fd's registration had
//! `EV_ET`. mio's `Registry` cannot do that (it always adds `EPOLLET`, and `EPOLLRDHUP` to
//! every `READABLE`). So the fds are level-triggered in the kernel, as under libevent, and
//! the kernel does what libevent relies on: a reported level-triggered fd is re-queued at
//! the tail of the ready list and reported again next turn while still ready. Each turn
//! makes libevent's system calls: one `epoll_wait`, and `epoll_ctl` exactly when libevent's
//! would (ADD/MOD/DEL, `EEXIST` → MOD and `ENOENT` → ADD retries, DEL errors after a close
//! ignored). (An earlier design registered every fd through mio, edge-triggered, and
//! emulated level-triggering with one `poll()` per turn; docs/event-core.md compares them.)
//!
//! `epoll_wait` also runs on the raw fd, because libevent's mapping of the result needs the
//! exact bits (`EPOLLHUP` without `EPOLLRDHUP` means READ|WRITE, ...), which
//! `mio::event::Event` cannot express. The epoll data word is the address of the fd's slot
//! in the fd table (slots never move), so a result leads to the fd's events without a
//! lookup; the internal registrations use tokens no address can be ([`TOKEN_WAKER`],
//! [`TOKEN_SIGNAL`]).
//!
//! fds that epoll refuses (regular files, /dev/null: `EPERM`) behave as under libevent's poll
//! backend: always ready for what their events wait for.
//!
//! fds whose I/O evshim does itself (bufferevents, listeners) carry events marked
//! [`EVLIST_X_OWN_IO`]: while only such events wait on an fd it is registered once for
//! reading and writing, edge-triggered, whatever the method, and this table keeps its
//! readiness (`ST_RDY_R`/`ST_RDY_W`: set by the kernel's edges, cleared by the owner when a
//! read or write finds the fd drained, [`Poller::drained`]); a ready fd whose events wait
//! for it is on the `ready` list and fires again every turn, as a level-triggered
//! registration would report it, without `epoll_ctl` or probes (docs/event-core.md). Their
//! `ev_events` stay what libevent's would be, so `event_base_foreach_event` and friends
//! show libevent's flags.

use std::ffi::c_short;
use std::io;
use std::os::fd::{AsRawFd, RawFd};

use super::event::*;

/// Data words of the internal registrations (fds use their slot's address).
pub(crate) const TOKEN_WAKER: usize = usize::MAX;
pub(crate) const TOKEN_SIGNAL: usize = usize::MAX - 1;
// The loop tells fds from tokens with one comparison (user-space addresses are far below).
const _: () = assert!(TOKEN_WAKER > TOKEN_SIGNAL);

const INITIAL_NEVENT: usize = 32;
/// fds from here on are checked with `F_GETFD` before the fd table grows for them.
const CHECKED_FD_FROM: usize = 1 << 16;
const MAX_NEVENT: usize = 4096;

// `FdSlot::registered`: libevent's epoll mask for the fd, one bit per epoll flag.
const REG_IN: u8 = 0x01;
const REG_OUT: u8 = 0x02;
const REG_RDHUP: u8 = 0x04;
const REG_ET: u8 = 0x08;

// `FdSlot::state`.
/// The registration takes `EPOLLET` (the event that last changed it had `EV_ET`).
const ST_ET: u8 = 0x01;
/// epoll refused the fd: it is reported as "always ready".
const ST_REFUSED: u8 = 0x02;
/// Every event on the fd (at least one) is marked [`EVLIST_X_OWN_IO`]: registered
/// edge-triggered whatever libevent's flags say (module docs).
const ST_OWN_ONLY: u8 = 0x04;
/// An own-I/O event was added since the fd last had no events: only such fds need the
/// `ST_OWN_ONLY` bookkeeping (plain fds skip it with one test).
const ST_HAS_OWN: u8 = 0x08;
/// Own-I/O fds: last known readable / writable (set by the kernel's edge reports, cleared
/// by the owner when a read or write found the fd drained; see [`Poller::drained`]).
const ST_RDY_R: u8 = 0x10;
const ST_RDY_W: u8 = 0x20;
/// On [`Poller::ready`] (activated again next turn while still ready and wanted).
const ST_QUEUED: u8 = 0x40;
/// Own-I/O fds: the peer hung up (`EPOLLRDHUP`, `EPOLLHUP` or `EPOLLERR` reported). Reading
/// now always finds something (data, EOF or an error), so a short read no longer means
/// drained: the EOF may be queued right behind the data it just read.
const ST_HUP: u8 = 0x80;
const ST_RDY: u8 = ST_RDY_R | ST_RDY_W;

/// Per-fd state, indexed by fd (no hashing on the hot path). 16 bytes: the table is sized
/// by the highest fd, like libevent's fd map (8 bytes per fd there, plus a 16-byte
/// allocation per fd with events).
#[derive(Clone, Copy)]
pub(crate) struct FdSlot {
    /// Events on this fd, newest first (libevent's `LIST_INSERT_HEAD` order, which is also
    /// the order they are activated in).
    pub(crate) head: *mut event,
    /// Events per kind; libevent caps each at 0xffff.
    pub(crate) nread: u16,
    pub(crate) nwrite: u16,
    pub(crate) nclose: u16,
    /// libevent's epoll mask as last applied (`REG_*`; 0 = not registered).
    registered: u8,
    /// `ST_*`.
    state: u8,
}

const _: () = assert!(std::mem::size_of::<FdSlot>() == 16);

impl Default for FdSlot {
    fn default() -> Self {
        FdSlot { head: std::ptr::null_mut(), nread: 0, nwrite: 0, nclose: 0, registered: 0, state: 0 }
    }
}

impl FdSlot {
    #[inline]
    fn refused(&self) -> bool {
        self.state & ST_REFUSED != 0
    }

    /// Every event on the fd is an own-I/O one (`ST_OWN_ONLY`): the poller tracks its
    /// readiness.
    #[inline(always)]
    pub(crate) fn is_own_only(&self) -> bool {
        self.state & ST_OWN_ONLY != 0
    }

    /// Registered with epoll (not refused, some events).
    #[inline]
    pub(crate) fn is_registered(&self) -> bool {
        self.registered != 0
    }

    #[inline]
    fn nevents(&self) -> u32 {
        self.nread as u32 + self.nwrite as u32 + self.nclose as u32
    }
}

/// Slots per page of the fd table (4 KiB pages).
const PAGE_SLOTS: usize = 256;
type FdPage = [FdSlot; PAGE_SLOTS];

/// The per-fd slots, indexed by fd, in pages allocated when an fd in their range first gets
/// an event. Memory follows the fds in use (libevent's flat map costs 8 bytes for every fd
/// up to the highest, plus 16 bytes per fd with events); growing never copies slots, and
/// the list heads never move.
///
/// The pages are raw allocations (null = not allocated) owned by the table and freed when
/// it drops: a slot's address stays valid, and may be kept as a raw pointer across other
/// uses of the table (the add/del/dispatch paths look a slot up once), for the table's
/// whole life.
#[derive(Default)]
pub(crate) struct FdTable {
    pages: Vec<*mut FdPage>,
}

impl Drop for FdTable {
    fn drop(&mut self) {
        for &p in &self.pages {
            if !p.is_null() {
                // SAFETY: allocated in `ensure` with this layout, freed once.
                unsafe { std::alloc::dealloc(p.cast(), std::alloc::Layout::new::<FdPage>()) };
            }
        }
    }
}

impl FdTable {
    /// The slot of `fd`, or null if its page does not exist. (Any `usize` is accepted: a
    /// negative fd cast to `usize` lands far beyond the index.)
    #[inline(always)]
    pub(crate) fn slot_ptr(&self, fd: usize) -> *mut FdSlot {
        match self.pages.get(fd / PAGE_SLOTS) {
            // SAFETY: a non-null page is a live `FdPage`; the index is below PAGE_SLOTS.
            Some(&p) if !p.is_null() => unsafe { p.cast::<FdSlot>().add(fd % PAGE_SLOTS) },
            _ => std::ptr::null_mut(),
        }
    }

    /// The slot of `fd` if its page exists.
    #[inline]
    pub(crate) fn get(&self, fd: usize) -> Option<&FdSlot> {
        // SAFETY: slots live as long as the table; shared borrow of `self`.
        unsafe { self.slot_ptr(fd).as_ref() }
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, fd: usize) -> Option<&mut FdSlot> {
        // SAFETY: slots live as long as the table; unique borrow of `self`.
        unsafe { self.slot_ptr(fd).as_mut() }
    }

    /// One past the highest fd the page index covers.
    pub(crate) fn covered(&self) -> usize {
        self.pages.len() * PAGE_SLOTS
    }

    /// Makes `fd`'s slot exist; false if that cannot be allocated.
    #[cold]
    fn ensure(&mut self, fd: usize) -> bool {
        let pi = fd / PAGE_SLOTS;
        if pi >= self.pages.len() {
            // The index doubles, like libevent's fd map (it is 8 bytes per 256 fds).
            let n = (pi + 1).max(self.pages.len() * 2);
            if self.pages.try_reserve_exact(n - self.pages.len()).is_err() {
                return false;
            }
            self.pages.resize(n, std::ptr::null_mut());
        }
        if self.pages[pi].is_null() {
            // SAFETY: a non-zero-sized layout; all-zero bits are valid slots (null list
            // head, zero counts and flags).
            let p = unsafe { std::alloc::alloc_zeroed(std::alloc::Layout::new::<FdPage>()) }.cast::<FdPage>();
            if p.is_null() {
                return false;
            }
            self.pages[pi] = p;
        }
        true
    }

    /// Every slot of the existing pages, with its fd, in fd order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &FdSlot)> + '_ {
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.is_null())
            // SAFETY: non-null pages are live for the table's life.
            .flat_map(|(pi, &p)| unsafe { &*p }.iter().enumerate().map(move |(k, s)| (pi * PAGE_SLOTS + k, s)))
    }

    /// Every slot, mutably, with its fd.
    fn iter_mut(&mut self) -> impl Iterator<Item = (usize, &mut FdSlot)> + '_ {
        self.pages
            .iter_mut()
            .enumerate()
            .filter(|(_, p)| !p.is_null())
            // SAFETY: non-null pages are live, and each is visited once.
            .flat_map(|(pi, &mut p)| {
                // SAFETY: as above.
                unsafe { &mut *p }.iter_mut().enumerate().map(move |(k, s)| (pi * PAGE_SLOTS + k, s))
            })
    }
}

impl std::ops::Index<usize> for FdTable {
    type Output = FdSlot;
    #[inline]
    fn index(&self, fd: usize) -> &FdSlot {
        self.get(fd).expect("fd slot exists")
    }
}

impl std::ops::IndexMut<usize> for FdTable {
    #[inline]
    fn index_mut(&mut self, fd: usize) -> &mut FdSlot {
        self.get_mut(fd).expect("fd slot exists")
    }
}

/// `ST_OWN_ONLY` before and after adding an event (`own`: marked `EVLIST_X_OWN_IO`) to a
/// slot that has or gets own-I/O events; notes `ST_HAS_OWN`.
#[cold]
fn own_only_after_add(slot: &mut FdSlot, own: bool) -> (bool, bool) {
    let was = slot.state & ST_OWN_ONLY != 0;
    if own {
        slot.state |= ST_HAS_OWN;
    }
    (was, own && (slot.head.is_null() || was))
}

/// `ST_OWN_ONLY` before and after an event left a slot with own-I/O events (the event is
/// already unlinked); clears `ST_HAS_OWN` when no event is left.
#[cold]
fn own_only_after_del(slot: &mut FdSlot, own: bool) -> (bool, bool) {
    let was = slot.state & ST_OWN_ONLY != 0;
    if slot.head.is_null() {
        slot.state &= !ST_HAS_OWN;
        return (was, false);
    }
    if own {
        // Removing an own-I/O event cannot leave only own-I/O events behind unless there
        // were only such events before.
        return (was, was);
    }
    // A plain event left: are the rest (a short list) all own-I/O events?
    let mut e = slot.head;
    while !e.is_null() {
        // SAFETY: list members are live events.
        unsafe {
            if (*e).flags() & EVLIST_X_OWN_IO == 0 {
                return (was, false);
            }
            e = (*e).ev_.ev_io.ev_io_next.le_next;
        }
    }
    (was, true)
}

/// Counts `events`' kinds in `slot`. Some(whether a kind went from 0 to 1), or None if a
/// count would pass libevent's cap (0xffff; the slot is then the caller's to restore).
#[inline(always)]
fn count_add(slot: &mut FdSlot, events: c_short) -> Option<bool> {
    let mut res = false;
    let mut full = false;
    if events & EV_READ != 0 {
        res |= slot.nread == 0;
        full |= slot.nread == u16::MAX;
        slot.nread = slot.nread.wrapping_add(1);
    }
    if events & EV_WRITE != 0 {
        res |= slot.nwrite == 0;
        full |= slot.nwrite == u16::MAX;
        slot.nwrite = slot.nwrite.wrapping_add(1);
    }
    if events & EV_CLOSED != 0 {
        res |= slot.nclose == 0;
        full |= slot.nclose == u16::MAX;
        slot.nclose = slot.nclose.wrapping_add(1);
    }
    if full {
        None
    } else {
        Some(res)
    }
}

/// libevent counts in ints and refuses a count above 0xffff.
#[cold]
fn too_many(fd: RawFd) -> Result<Change, ()> {
    crate::ev_warn!("Too many events reading or writing on fd {fd}");
    Err(())
}

/// `ST_ET` if `events` has `EV_ET`.
#[inline(always)]
fn et_state(events: c_short) -> u8 {
    const _: () = assert!(EV_ET == 0x20 && ST_ET == 1);
    ((events >> 5) & 1) as u8
}

/// Links `ev` at the head of its fd's list (libevent's `LIST_INSERT_HEAD`).
///
/// # Safety
/// `ev` is live and on no list; `sp` is its fd's slot.
#[inline(always)]
unsafe fn link(ev: *mut event, sp: *mut FdSlot) {
    // SAFETY: per the caller. `le_prev` holds the previous *element* (NULL for the head).
    unsafe {
        let head = (*sp).head;
        let io = &mut (*ev).ev_.ev_io.ev_io_next;
        io.le_next = head;
        io.le_prev = std::ptr::null_mut();
        if !head.is_null() {
            (*head).ev_.ev_io.ev_io_next.le_prev = ev.cast();
        }
        (*sp).head = ev;
    }
}

/// The epoll data word of an fd's registration: the address of its slot, which never moves
/// while the table lives (longer than the epoll instance's registrations matter), so the
/// loop goes from a result to the fd's events without a table lookup. Internal
/// registrations use [`TOKEN_WAKER`]/[`TOKEN_SIGNAL`], which no address can be.
#[inline(always)]
fn data_word(sp: *mut FdSlot) -> u64 {
    debug_assert!(!sp.is_null());
    sp as u64
}

/// The slot a result's data word names (see [`data_word`]), for a word below
/// [`TOKEN_SIGNAL`].
#[inline(always)]
pub(crate) fn slot_of_data(data: usize) -> *mut FdSlot {
    data as *mut FdSlot
}

/// [`Poller::readiness`] with the table already loaded.
#[inline(always)]
pub(crate) fn readiness_in(table: &[c_short; 32], raw: u32) -> c_short {
    table[epoll_index(raw)]
}

/// The five epoll result bits libevent's mapping looks at, packed into 0..32.
#[inline]
fn epoll_index(what: u32) -> usize {
    // EPOLLIN 0x1, EPOLLOUT 0x4, EPOLLERR 0x8, EPOLLHUP 0x10 stay; EPOLLRDHUP (0x2000) moves
    // to 0x2 (EPOLLPRI's place: never registered).
    ((what & 0x1d) | ((what >> 12) & 0x2)) as usize
}

/// `epoll_to_ev` for every combination of the bits `epoll_index` keeps.
static EPOLL_TO_EV: [c_short; 32] = {
    let mut t = [0; 32];
    let mut k = 0;
    while k < 32 {
        let (inb, rdhup, out, err, hup) = (k & 1 != 0, k & 2 != 0, k & 4 != 0, k & 8 != 0, k & 0x10 != 0);
        t[k] = if err || (hup && !rdhup) {
            EV_READ | EV_WRITE
        } else {
            (if inb { EV_READ } else { 0 }) | (if out { EV_WRITE } else { 0 }) | (if rdhup { EV_CLOSED } else { 0 })
        };
        k += 1;
    }
    t
};

/// poll.c's mapping (the emulated "poll"/"select" methods) over the same index:
/// `POLLHUP`/`POLLERR` make the fd readable and writable; `POLLRDHUP` is `EV_CLOSED`.
static POLL_TO_EV: [c_short; 32] = {
    let mut t = [0; 32];
    let mut k = 0;
    while k < 32 {
        // ERR (8) or HUP (16): as IN|OUT (1|4) without them.
        t[k] = if k & 0x18 != 0 { EPOLL_TO_EV[(k & !0x18) | 0x5] } else { EPOLL_TO_EV[k] };
        k += 1;
    }
    t
};

/// [`EPOLL_TO_EV`] with every result marked `EV_ET`, as libevent's epoll backend marks
/// them (only events that asked for `EV_ET` ever see it): what the loop activates with.
static EPOLL_TO_EV_ET: [c_short; 32] = {
    let mut t = [0; 32];
    let mut k = 0;
    while k < 32 {
        t[k] = if EPOLL_TO_EV[k] != 0 { EPOLL_TO_EV[k] | EV_ET } else { 0 };
        k += 1;
    }
    t
};

/// `REG_*` bits → epoll flags.
#[inline]
fn epoll_bits(reg: u8) -> u32 {
    EPOLL_BITS[(reg & 0xf) as usize]
}

static EPOLL_BITS: [u32; 16] = {
    let mut t = [0; 16];
    let mut k = 0;
    while k < 16 {
        let r = k as u8;
        t[k] = (if r & REG_IN != 0 { libc::EPOLLIN as u32 } else { 0 })
            | (if r & REG_OUT != 0 { libc::EPOLLOUT as u32 } else { 0 })
            | (if r & REG_RDHUP != 0 { libc::EPOLLRDHUP as u32 } else { 0 })
            | (if r & REG_ET != 0 { libc::EPOLLET as u32 } else { 0 });
        k += 1;
    }
    t
};

pub(crate) struct Poller {
    pub(crate) poll: mio::Poll,
    pub(crate) epfd: RawFd,
    pub(crate) waker: Option<mio::Waker>,
    pub(crate) fds: FdTable,
    /// fds epoll refused and that have events: reported ready every turn.
    pub(crate) refused: Vec<RawFd>,
    /// The epoll_wait buffer. A separate allocation so that the loop can fill it while the
    /// base lock is released (nobody else touches it).
    pub(crate) buf: *mut Vec<libc::epoll_event>,
    /// Under the emulated poll/select methods: registered fds found closed (`POLLNVAL`) this
    /// turn, which epoll has silently forgotten but poll()/select() report.
    pub(crate) nval: Vec<RawFd>,
    /// `find_closed`'s `poll()` array (reused).
    pfds: Vec<libc::pollfd>,
    /// Own-I/O-only fds believed ready for something their events wait for (`ST_QUEUED`):
    /// activated at the start of each turn until the owner reports them drained.
    pub(crate) ready: Vec<RawFd>,
    /// `take_ready`'s output (reused).
    pub(crate) ready_now: Vec<(RawFd, c_short)>,
    /// The base reports "poll"/"select": no edge-triggering (poll has none).
    pub(crate) poll_semantics: bool,
    /// The base reports "select", which has no EV_CLOSED support (those events never see it).
    pub(crate) no_closed: bool,
    /// The `REG_*` kinds the method registers (no `REG_RDHUP` under "select").
    kinds: u8,
    /// `REG_ET` if the method has edge-triggering, else 0.
    et: u8,
    /// Something beyond plain epoll results needs looking at each turn: the emulated
    /// poll/select methods, fds epoll refused, or own-I/O fds on the ready list. One test on
    /// the loop's path instead of three (kept by [`Poller::note_special`]).
    pub(crate) special: bool,
    /// The method's readiness mapping: libevent's epoll one, or poll.c's.
    ev_table: &'static [c_short; 32],
    /// The same with the method's mark on every result: `EV_ET` under epoll, whose backend
    /// marks its results so; none under poll/select.
    loop_table: &'static [c_short; 32],
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
            fds: FdTable::default(),
            refused: Vec::new(),
            buf,
            nval: Vec::new(),
            pfds: Vec::new(),
            ready: Vec::new(),
            ready_now: Vec::new(),
            poll_semantics: false,
            no_closed: false,
            kinds: REG_IN | REG_OUT | REG_RDHUP,
            et: REG_ET,
            special: false,
            ev_table: &EPOLL_TO_EV,
            loop_table: &EPOLL_TO_EV_ET,
        })
    }

    /// Recomputes [`Poller::special`] after one of its inputs changed.
    #[inline]
    fn note_special(&mut self) {
        self.special = self.poll_semantics || !self.refused.is_empty() || !self.ready.is_empty();
    }

    /// The reported method is "poll" (`poll_semantics`) or "select" (also `no_closed`).
    pub(crate) fn emulate(&mut self, poll_semantics: bool, no_closed: bool) {
        self.poll_semantics = poll_semantics;
        self.no_closed = no_closed;
        self.kinds = REG_IN | REG_OUT | if no_closed { 0 } else { REG_RDHUP };
        self.et = if poll_semantics { 0 } else { REG_ET };
        self.ev_table = if poll_semantics { &POLL_TO_EV } else { &EPOLL_TO_EV };
        // libevent's epoll backend marks its results EV_ET (only events that asked for EV_ET
        // are ever affected); its poll and select backends do not.
        self.loop_table = if poll_semantics { &POLL_TO_EV } else { &EPOLL_TO_EV_ET };
        self.note_special();
    }

    /// The slot of `fd`, creating it; `None` if that cannot be allocated.
    #[inline]
    pub(crate) fn slot(&mut self, fd: RawFd) -> Option<&mut FdSlot> {
        let i = fd as usize;
        if self.fds.slot_ptr(i).is_null() && !self.fds.ensure(i) {
            return None;
        }
        self.fds.get_mut(i)
    }

    #[inline]
    pub(crate) fn slot_ref(&self, fd: RawFd) -> Option<&FdSlot> {
        if fd < 0 {
            return None;
        }
        self.fds.get(fd as usize)
    }

    /// libevent's epoll mask for the slot's counts (`REG_*`). An own-I/O-only fd is
    /// registered for reading and writing, edge-triggered, whatever its owner waits for
    /// right now: its events come and go without `epoll_ctl` (readiness is tracked in the
    /// slot instead; module docs).
    #[inline(always)]
    fn mask_of(&self, s: &FdSlot) -> u8 {
        if s.state & ST_OWN_ONLY != 0 && s.nevents() != 0 {
            // `EPOLLRDHUP` too (under "select" too: this is ours, not the method's): the
            // owner must know when a short read was followed by the peer's EOF.
            return REG_IN | REG_OUT | REG_RDHUP | REG_ET;
        }
        self.plain_mask_of(s)
    }

    /// [`Poller::plain_mask_of`] for a slot whose only event has `events` (its first, on a
    /// plain fd): the mask from the event's kinds alone, and its `EV_ET`.
    #[inline(always)]
    fn single_mask(&self, events: c_short) -> u8 {
        const _: () = assert!(EV_READ >> 1 == REG_IN as c_short && EV_WRITE >> 1 == REG_OUT as c_short);
        const _: () = assert!(EV_CLOSED >> 5 == REG_RDHUP as c_short);
        let kinds = (((events >> 1) & 3) | ((events >> 5) & 4)) as u8;
        let m = kinds & self.kinds;
        let et = (et_state(events) << 3) & self.et;
        if m != 0 {
            m | et
        } else {
            0
        }
    }

    /// [`Poller::mask_of`] for a slot that is not own-I/O-only: libevent's mask.
    #[inline(always)]
    fn plain_mask_of(&self, s: &FdSlot) -> u8 {
        let kinds = ((s.nread != 0) as u8) | (((s.nwrite != 0) as u8) << 1) | (((s.nclose != 0) as u8) << 2);
        const _: () = assert!(REG_IN == 1 && REG_OUT == 2 && REG_RDHUP == 4);
        let m = kinds & self.kinds;
        // EPOLLET: libevent's, if the method has it. (An own-I/O-only fd with events took
        // `mask_of`'s other branch; without events the mask is 0.)
        const _: () = assert!(ST_ET << 3 == REG_ET);
        let et = ((s.state & ST_ET) << 3) & self.et;
        if m != 0 {
            m | et
        } else {
            0
        }
    }

    /// One `epoll_ctl` on mio's epoll instance for `fd` (whose slot exists), data word =
    /// the slot's address ([`data_word`]).
    fn ctl(&self, op: libc::c_int, fd: RawFd, reg: u8) -> io::Result<()> {
        let mut ev = libc::epoll_event { events: epoll_bits(reg), u64: data_word(self.fds.slot_ptr(fd as usize)) };
        // SAFETY: `ev` is a valid epoll_event; the kernel validates `epfd` and `fd`.
        if unsafe { libc::epoll_ctl(self.epfd, op, fd, &mut ev) } == -1 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Makes the kernel registration match the slot's counts, with the operation (and the
    /// retries) libevent's `epoll_apply_one_change` uses. Returns whether the registration
    /// changed. On failure the counts are the caller's to roll back.
    fn sync(&mut self, fd: RawFd) -> Result<bool, io::Error> {
        let sp = self.fds.slot_ptr(fd as usize);
        assert!(!sp.is_null(), "fd slot exists");
        // SAFETY: `sp` is fd's live slot.
        unsafe { self.sync_slot::<false>(fd, sp) }
    }

    /// [`Poller::sync`] with the slot already looked up. `PLAIN`: the fd has no own-I/O
    /// events (`ST_HAS_OWN` clear, hence not `ST_OWN_ONLY`).
    ///
    /// # Safety
    /// `sp` is `fd`'s slot (non-null).
    #[inline(always)]
    unsafe fn sync_slot<const PLAIN: bool>(&mut self, fd: RawFd, sp: *mut FdSlot) -> Result<bool, io::Error> {
        // SAFETY: per the caller; slots never move and nothing else borrows this one.
        let s = unsafe { &*sp };
        let want = if PLAIN {
            debug_assert!(s.state & (ST_HAS_OWN | ST_OWN_ONLY) == 0);
            self.plain_mask_of(s)
        } else {
            self.mask_of(s)
        };
        // SAFETY: forwarded.
        unsafe { self.apply(fd, sp, want) }
    }

    /// Makes `fd`'s registration `want` (libevent's mask for its events, computed by the
    /// caller), as [`Poller::sync`] does.
    ///
    /// # Safety
    /// `sp` is `fd`'s slot (non-null).
    #[inline(always)]
    unsafe fn apply(&mut self, fd: RawFd, sp: *mut FdSlot, want: u8) -> Result<bool, io::Error> {
        // SAFETY: per the caller; slots never move and nothing else borrows this one.
        let s = unsafe { &mut *sp };
        if s.refused() || want == s.registered {
            return Ok(false);
        }
        let op = if want == 0 {
            libc::EPOLL_CTL_DEL
        } else if s.registered == 0 {
            libc::EPOLL_CTL_ADD
        } else {
            libc::EPOLL_CTL_MOD
        };
        let mut e = libc::epoll_event { events: epoll_bits(want), u64: data_word(sp) };
        // SAFETY: `e` is a valid epoll_event; the kernel validates `epfd` and `fd`.
        if unsafe { libc::epoll_ctl(self.epfd, op, fd, &mut e) } == -1 {
            return self.sync_failed(fd, op, want);
        }
        s.registered = want;
        // A new registration reports the fd's state afresh (an edge-triggered ADD or MOD
        // queues a ready fd); what we knew before no longer holds.
        s.state &= !(ST_RDY | ST_HUP);
        Ok(true)
    }

    /// `epoll_ctl` failed: libevent's retries (ADD → MOD on `EEXIST`, MOD → ADD on `ENOENT`;
    /// a DEL of a closed fd is fine), and fds epoll refuses become "always ready".
    #[cold]
    #[inline(never)]
    fn sync_failed(&mut self, fd: RawFd, op: libc::c_int, want: u8) -> Result<bool, io::Error> {
        let e = io::Error::last_os_error();
        let res = match (op, e.raw_os_error()) {
            (libc::EPOLL_CTL_DEL, Some(libc::ENOENT | libc::EBADF | libc::EPERM)) => Ok(()),
            (libc::EPOLL_CTL_ADD, Some(libc::EEXIST)) => self.ctl(libc::EPOLL_CTL_MOD, fd, want),
            (libc::EPOLL_CTL_MOD, Some(libc::ENOENT)) => self.ctl(libc::EPOLL_CTL_ADD, fd, want),
            _ => Err(e),
        };
        let registered = self.fds[fd as usize].registered;
        match res {
            Ok(()) => {
                self.fds[fd as usize].registered = want;
                Ok(true)
            }
            Err(e) if e.raw_os_error() == Some(libc::EPERM) && registered == 0 => {
                // Regular files and the like: poll(2) semantics, always ready.
                self.fds[fd as usize].state |= ST_REFUSED;
                self.refused.push(fd);
                self.note_special();
                Ok(true)
            }
            Err(e) => Err(e),
        }
    }

    /// `evmap_io_add_`: links `ev` into its fd's list and widens the registration.
    ///
    /// # Safety
    /// `ev` is a live, initialised I/O event not yet on any fd list.
    /// `DEBUG`: debug mode is on (libevent then refuses mixing edge- and level-triggered
    /// events on one fd).
    #[inline(always)]
    pub(crate) unsafe fn add<const DEBUG: bool>(&mut self, ev: *mut event) -> Result<Change, ()> {
        // SAFETY: live per the caller.
        let (fd, events, flags) = unsafe { ((*ev).ev_fd, (*ev).ev_events, (*ev).flags()) };
        if fd < 0 {
            // libevent's evmap ignores negative fds: the event is "added" but never fires.
            return Ok(Change::Same);
        }
        let mut sp = self.fds.slot_ptr(fd as usize);
        if sp.is_null() {
            self.grow_for(fd, events)?;
            sp = self.fds.slot_ptr(fd as usize);
        }
        // SAFETY: the slot exists now; slots never move, and this is the only reference.
        let slot = unsafe { &mut *sp };
        // libevent refuses mixing edge- and level-triggered events on one fd only in debug
        // mode (comparing with the fd's newest event); otherwise the registration simply
        // takes the ET-ness of whichever event last changed it.
        if DEBUG && !slot.head.is_null() {
            // SAFETY: list members are live events (the caller holds the base lock).
            if unsafe { (*slot.head).ev_events } & EV_ET != events & EV_ET {
                crate::ev_warn!("Tried to mix edge-triggered and non-edge-triggered events on fd {fd}");
                return Err(());
            }
        }
        let own = flags & EVLIST_X_OWN_IO != 0;
        if own || slot.state & ST_HAS_OWN != 0 {
            // SAFETY: forwarded.
            return unsafe { self.add_with_own(ev, fd, events, sp, own) };
        }
        // A plain fd: libevent's registration, nothing of ours.
        let saved = *slot;
        let Some(res) = count_add(slot, events) else {
            *slot = saved;
            return too_many(fd);
        };
        let mut changed = false;
        if res {
            // Only a kind going from 0 to 1 changes libevent's registration (and its
            // ET-ness).
            slot.state = (slot.state & !ST_ET) | et_state(events);
            // (The fd's first event, the usual case: its kinds are the fd's.)
            let want = if saved.head.is_null() { self.single_mask(events) } else { self.plain_mask_of(slot) };
            // SAFETY: `sp` is fd's slot.
            match unsafe { self.apply(fd, sp, want) } {
                Ok(c) => changed = c,
                Err(e) => return self.add_failed(fd, events, sp, saved, &e),
            }
        }
        // SAFETY: `ev` live, not on a list; `sp` is its fd's slot.
        unsafe { link(ev, sp) };
        Ok(if changed { Change::Changed } else { Change::Same })
    }

    /// [`Poller::add`] on an fd that has or gets own-I/O events.
    ///
    /// # Safety
    /// As `add`; `sp` is `fd`'s slot.
    #[inline(never)]
    unsafe fn add_with_own(
        &mut self,
        ev: *mut event,
        fd: RawFd,
        events: c_short,
        sp: *mut FdSlot,
        own: bool,
    ) -> Result<Change, ()> {
        // SAFETY: per the caller.
        let slot = unsafe { &mut *sp };
        let saved = *slot;
        // Whether the fd's events are all own-I/O ones, before and after.
        let (was_own_only, own_only) = own_only_after_add(slot, own);
        let Some(res) = count_add(slot, events) else {
            *slot = saved;
            return too_many(fd);
        };
        let mut changed = false;
        if res || own_only != was_own_only {
            // Only a kind going from 0 to 1 changes libevent's registration (and its
            // ET-ness); an own-I/O fd getting another kind of event changes ours.
            if res {
                slot.state = (slot.state & !ST_ET) | et_state(events);
            }
            if own_only != was_own_only {
                slot.state ^= ST_OWN_ONLY;
            }
            // SAFETY: `sp` is fd's slot.
            match unsafe { self.sync_slot::<false>(fd, sp) } {
                Ok(c) => changed = c,
                Err(e) => return self.add_failed(fd, events, sp, saved, &e),
            }
        }
        // SAFETY: `ev` live, not on a list; `sp` is its fd's slot.
        unsafe { link(ev, sp) };
        // SAFETY: `sp` is fd's slot.
        let slot = unsafe { &mut *sp };
        if slot.state & (ST_OWN_ONLY | ST_RDY) > ST_OWN_ONLY && self.queue_if_wanted(fd) {
            // Already known ready for what this event waits for: it fires next turn, as a
            // level-triggered registration would report it (no `epoll_ctl` needed). A loop
            // waiting in another thread must hear of it.
            changed = true;
        }
        Ok(if changed { Change::Changed } else { Change::Same })
    }

    /// The registration change for an add failed: the slot goes back to `saved`, with
    /// libevent's warning.
    #[cold]
    #[inline(never)]
    fn add_failed(
        &mut self,
        fd: RawFd,
        events: c_short,
        sp: *mut FdSlot,
        saved: FdSlot,
        e: &io::Error,
    ) -> Result<Change, ()> {
        // SAFETY: `sp` is fd's slot (the caller's).
        let slot = unsafe { &mut *sp };
        let want = self.mask_of(slot);
        *slot = saved;
        self.warn_ctl_failed(fd, events, &saved, want, e);
        Err(())
    }

    /// The `EV_READ`/`EV_WRITE` kinds an own-I/O slot's events wait for and it is known
    /// ready for.
    #[inline]
    fn ready_wanted(s: &FdSlot) -> c_short {
        let mut what = 0;
        if s.state & ST_RDY_R != 0 && s.nread != 0 {
            what |= EV_READ;
        }
        if s.state & ST_RDY_W != 0 && s.nwrite != 0 {
            what |= EV_WRITE;
        }
        what
    }

    /// Puts an own-I/O-only fd on the ready list if it is ready for something it waits for.
    /// True if it was not on it before.
    #[inline]
    fn queue_if_wanted(&mut self, fd: RawFd) -> bool {
        let sp = self.fds.slot_ptr(fd as usize);
        // SAFETY: callers pass an fd whose slot exists.
        unsafe { self.queue_slot_if_wanted(fd, &mut *sp) }
    }

    /// [`Poller::queue_if_wanted`] with the slot looked up.
    #[inline]
    fn queue_slot_if_wanted(&mut self, fd: RawFd, s: &mut FdSlot) -> bool {
        if s.state & (ST_OWN_ONLY | ST_QUEUED) == ST_OWN_ONLY && Self::ready_wanted(s) != 0 {
            s.state |= ST_QUEUED;
            self.ready.push(fd);
            self.special = true;
            return true;
        }
        false
    }

    /// An edge report for an own-I/O-only fd (libevent's readiness `what`): remembered, and
    /// the fd is queued so that it fires again next turn while still ready — what a
    /// level-triggered registration does, without asking the kernel each turn.
    /// `raw` is the kernel's result bits. True if the fd was newly queued.
    #[inline]
    pub(crate) fn own_report(&mut self, fd: RawFd, what: c_short, raw: u32) -> bool {
        let sp = self.fds.slot_ptr(fd as usize);
        if sp.is_null() {
            return false;
        }
        // SAFETY: fd's live slot.
        let s = unsafe { &mut *sp };
        if s.state & ST_OWN_ONLY == 0 {
            return false;
        }
        self.own_report_slot(fd, s, what, raw)
    }

    /// [`Poller::own_report`] for a slot known to be own-I/O-only (the loop looked it up).
    #[inline]
    pub(crate) fn own_report_slot(&mut self, fd: RawFd, s: &mut FdSlot, what: c_short, raw: u32) -> bool {
        if what & EV_READ != 0 {
            s.state |= ST_RDY_R;
        }
        if what & EV_WRITE != 0 {
            s.state |= ST_RDY_W;
        }
        if raw & (libc::EPOLLRDHUP | libc::EPOLLHUP | libc::EPOLLERR) as u32 != 0 {
            s.state |= ST_HUP | ST_RDY_R;
        }
        self.queue_slot_if_wanted(fd, s)
    }

    /// The owner of an own-I/O fd found it drained for `what` (a read or write came back
    /// short or with `EAGAIN`): no more activations until the kernel reports a new edge.
    #[inline]
    pub(crate) fn drained(&mut self, fd: RawFd, what: c_short) {
        if fd < 0 {
            return;
        }
        if let Some(s) = self.fds.get_mut(fd as usize) {
            if what & EV_READ != 0 && s.state & ST_HUP == 0 {
                s.state &= !ST_RDY_R;
            }
            if what & EV_WRITE != 0 {
                s.state &= !ST_RDY_W;
            }
        }
    }

    /// Start of a turn: the ready list, minus fds no longer ready for what they wait for,
    /// with what each should fire for. Returns how many remain.
    pub(crate) fn take_ready(&mut self, out: &mut Vec<(RawFd, c_short)>) -> usize {
        out.clear();
        let mut k = 0;
        while k < self.ready.len() {
            let fd = self.ready[k];
            let s = &mut self.fds[fd as usize];
            let what = if s.state & ST_OWN_ONLY != 0 { Self::ready_wanted(s) } else { 0 };
            if what == 0 {
                s.state &= !ST_QUEUED;
                self.ready.swap_remove(k);
                continue;
            }
            out.push((fd, what));
            k += 1;
        }
        self.note_special();
        out.len()
    }

    /// Creates the slot of an fd the table has no page for.
    #[cold]
    #[inline(never)]
    fn grow_for(&mut self, fd: RawFd, events: c_short) -> Result<(), ()> {
        if fd >= 1 << 27 {
            // libevent's fd map refuses to grow past INT_MAX bytes of pointers: a silent -1.
            return Err(());
        }
        if fd as usize >= self.fds.covered().max(CHECKED_FD_FROM) {
            // A new fd far beyond the table: make sure it exists before sizing the table for
            // it (a garbage fd must cost a warning, not gigabytes). Below that, a table of
            // at most 1 MiB is grown without a system call, and epoll_ctl reports a bad fd
            // with the same warning.
            // SAFETY: F_GETFD on any number is harmless.
            if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
                let op_events = (if events & EV_READ != 0 { libc::EPOLLIN } else { 0 })
                    | (if events & EV_WRITE != 0 { libc::EPOLLOUT } else { 0 })
                    | (if events & EV_CLOSED != 0 { libc::EPOLLRDHUP } else { 0 })
                    | (if events & EV_ET != 0 && !self.poll_semantics { libc::EPOLLET } else { 0 });
                self.warn_change_failed("ADD", op_events, fd, events, 0, libc::EBADF);
                return Err(());
            }
        }
        if self.slot(fd).is_none() {
            crate::ev_warn!("evmap_io_add_: out of memory for fd {fd}");
            return Err(());
        }
        Ok(())
    }

    /// libevent's epoll backend message for a failed change: `old` is the slot before the
    /// add, `want` the mask that was refused.
    #[cold]
    #[inline(never)]
    fn warn_ctl_failed(&self, fd: RawFd, events: c_short, old: &FdSlot, want: u8, e: &io::Error) {
        let op = if old.registered == 0 { "ADD" } else { "MOD" };
        let oldev = (if old.nread > 0 { EV_READ } else { 0 })
            | (if old.nwrite > 0 { EV_WRITE } else { 0 })
            | (if old.nclose > 0 { EV_CLOSED } else { 0 });
        self.warn_change_failed(op, epoll_bits(want) as i32, fd, events, oldev, e.raw_os_error().unwrap_or(0));
    }

    /// The text of libevent's `PRINT_CHANGES` for a failed change, then strerror.
    #[cold]
    fn warn_change_failed(&self, op: &str, want: i32, fd: RawFd, events: c_short, old: c_short, errno: i32) {
        let et = (events & EV_ET) as i32;
        let ch = |flag: c_short| if events & flag != 0 { 1 | et } else { 0 };
        let name = |c: i32| if c & 1 != 0 { "add" } else { "none" };
        let (r, w, c) = (ch(EV_READ), ch(EV_WRITE), ch(EV_CLOSED));
        crate::ev_warn!(
            "Epoll {op}({want}) on fd {fd} failed. Old events were {old}; read change was {r} ({}); write change was {w} ({}); close change was {c} ({}): {}",
            name(r),
            name(w),
            name(c),
            crate::log::errno_text(errno)
        );
    }

    /// `evmap_io_del_`: unlinks `ev` and narrows (or drops) the registration.
    ///
    /// # Safety
    /// `ev` is a live event currently on its fd's list.
    #[inline(always)]
    pub(crate) unsafe fn del(&mut self, ev: *mut event) -> Change {
        // SAFETY: live per the caller; links were set by `add`.
        let (fd, events) = unsafe { ((*ev).ev_fd, (*ev).ev_events) };
        if fd < 0 {
            return Change::Same;
        }
        let sp = self.fds.slot_ptr(fd as usize);
        if sp.is_null() {
            return Change::Same;
        }
        // SAFETY: fd's live slot; slots never move and this is the only reference.
        let slot = unsafe { &mut *sp };
        // SAFETY: live per the caller.
        let own = unsafe { (*ev).flags() } & EVLIST_X_OWN_IO != 0;
        // SAFETY: as above; `le_prev` is the previous element or NULL.
        unsafe {
            let io = (*ev).ev_.ev_io.ev_io_next;
            let prev: *mut event = io.le_prev.cast();
            if prev.is_null() {
                slot.head = io.le_next;
            } else {
                (*prev).ev_.ev_io.ev_io_next.le_next = io.le_next;
            }
            if !io.le_next.is_null() {
                (*io.le_next).ev_.ev_io.ev_io_next.le_prev = prev.cast();
            }
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
        let plain = slot.state & ST_HAS_OWN == 0;
        let (was_own_only, own_only) = if plain { (false, false) } else { own_only_after_del(slot, own) };
        if !res && own_only == was_own_only {
            // Every kind still has events: the registration stays.
            return Change::Same;
        }
        if own_only != was_own_only {
            slot.state ^= ST_OWN_ONLY;
        }
        if res {
            // As libevent's epoll backend: the re-registration carries the deleted event's
            // edge-triggeredness.
            slot.state = (slot.state & !ST_ET) | et_state(events);
        }
        if slot.refused() {
            return self.del_refused(fd, sp);
        }
        // SAFETY: `sp` is fd's slot (with no own-I/O events if `plain`).
        let r = unsafe {
            if slot.head.is_null() {
                // The fd's last event (the usual case): no mask left to work out.
                self.apply(fd, sp, 0)
            } else if plain {
                self.sync_slot::<true>(fd, sp)
            } else {
                self.sync_slot::<false>(fd, sp)
            }
        };
        match r {
            Ok(true) => Change::Changed,
            _ => Change::Same,
        }
    }

    /// An event left an fd epoll refused: with no events left it stops being "always ready".
    #[cold]
    fn del_refused(&mut self, fd: RawFd, sp: *mut FdSlot) -> Change {
        // SAFETY: fd's live slot (the caller's).
        let slot = unsafe { &mut *sp };
        if slot.nevents() != 0 {
            return Change::Same;
        }
        slot.state &= !ST_REFUSED;
        if let Some(i) = self.refused.iter().position(|&f| f == fd) {
            self.refused.swap_remove(i);
        }
        self.note_special();
        Change::Changed
    }

    /// Re-arms `fd`'s registration unchanged (`EPOLL_CTL_MOD`): the kernel queues the fd
    /// again if it is ready now, and wakes a thread blocked in `epoll_wait`. For an owner of
    /// an edge-triggered fd that stopped before `EAGAIN` and must hear of it again, as a
    /// level-triggered registration would have (see [`EVLIST_X_OWN_IO`]).
    pub(crate) fn rearm(&mut self, fd: RawFd) -> bool {
        let Some(s) = self.slot_ref(fd) else { return false };
        if s.state & ST_OWN_ONLY != 0 {
            // Readiness is ours to track: the owner says it stopped short, so the fd is
            // still ready.
            return self.own_report(fd, EV_READ, 0);
        }
        if s.registered != 0 && !s.refused() {
            let _ = self.ctl(libc::EPOLL_CTL_MOD, fd, s.registered);
        }
        false
    }

    /// After fork: a fresh epoll instance with every fd re-registered.
    pub(crate) fn reinit(&mut self) -> io::Result<()> {
        let poll = mio::Poll::new()?;
        self.epfd = poll.as_raw_fd();
        self.poll = poll;
        self.waker = None;
        let mut with_events = Vec::new();
        self.ready.clear();
        self.note_special();
        for (fd, s) in self.fds.iter_mut() {
            s.state &= !(ST_RDY | ST_QUEUED | ST_HUP);
            if s.refused() {
                continue;
            }
            s.registered = 0;
            if s.nevents() > 0 {
                with_events.push(fd as RawFd);
            }
        }
        for fd in with_events {
            let _ = self.sync(fd);
        }
        Ok(())
    }

    /// The readiness of an epoll result, as libevent's epoll backend maps it: `EPOLLERR`,
    /// or `EPOLLHUP` without `EPOLLRDHUP`, is READ|WRITE; else IN → READ, OUT → WRITE,
    /// RDHUP → CLOSED.
    #[cfg(test)]
    pub(crate) fn epoll_to_ev(what: u32) -> c_short {
        EPOLL_TO_EV[epoll_index(what)]
    }

    /// The readiness an `epoll_wait` result means: libevent's epoll mapping, or, under the
    /// emulated poll/select methods, poll.c's (`POLLHUP`/`POLLERR` make the fd readable and
    /// writable; `POLLRDHUP` is `EV_CLOSED`). The kernel reports only the registered bits
    /// (libevent's mask) plus `EPOLLERR`/`EPOLLHUP`, as it does for libevent.
    #[cfg(test)]
    pub(crate) fn readiness(&self, raw: u32) -> c_short {
        readiness_in(self.ev_table, raw)
    }

    /// The readiness table the loop activates with ([`readiness_in`]): the method's mapping
    /// with its mark on every result (`EV_ET` under epoll).
    #[inline(always)]
    pub(crate) fn loop_readiness_table(&self) -> &'static [c_short; 32] {
        self.loop_table
    }

    /// What a refused ("always ready") fd reports: everything its events wait for.
    #[inline]
    pub(crate) fn refused_readiness(&self, fd: RawFd) -> c_short {
        let s = &self.fds[fd as usize];
        (if s.nread > 0 { EV_READ } else { 0 }) | (if s.nwrite > 0 { EV_WRITE } else { 0 })
    }

    /// Emulated poll/select methods only: which registered fds were closed behind our back
    /// (libevent's poll backend reports them as `POLLNVAL`, its select backend fails). One
    /// `poll()` over the registered fds, as those backends do every turn anyway.
    pub(crate) fn find_closed(&mut self) -> usize {
        self.nval.clear();
        let mut pfds = std::mem::take(&mut self.pfds);
        pfds.clear();
        for (fd, s) in self.fds.iter() {
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

    /// Grows the result buffer after a full batch, as libevent does.
    #[cold]
    pub(crate) fn grow_buffer(&mut self) {
        // SAFETY: only the loop thread touches the buffer, and not concurrently with this.
        let buf = unsafe { &mut *self.buf };
        if buf.len() < MAX_NEVENT {
            let len = (buf.len() * 2).min(MAX_NEVENT);
            buf.resize(len, libc::epoll_event { events: 0, u64: 0 });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// libevent's `epoll_dispatch` mapping, written out branch by branch.
    fn reference(what: u32) -> c_short {
        let (err, hup, rdhup) =
            (what & libc::EPOLLERR as u32 != 0, what & libc::EPOLLHUP as u32 != 0, what & libc::EPOLLRDHUP as u32 != 0);
        if err || (hup && !rdhup) {
            return EV_READ | EV_WRITE;
        }
        let mut ev = 0;
        if what & libc::EPOLLIN as u32 != 0 {
            ev |= EV_READ;
        }
        if what & libc::EPOLLOUT as u32 != 0 {
            ev |= EV_WRITE;
        }
        if rdhup {
            ev |= EV_CLOSED;
        }
        ev
    }

    #[test]
    fn epoll_mapping_table_matches_libevents_branches() {
        let bits = [libc::EPOLLIN, libc::EPOLLOUT, libc::EPOLLERR, libc::EPOLLHUP, libc::EPOLLRDHUP, libc::EPOLLPRI];
        for k in 0..(1u32 << bits.len()) {
            let what = (0..bits.len()).filter(|b| k & (1 << b) != 0).fold(0u32, |m, b| m | bits[b] as u32);
            // EPOLLPRI is never registered, so the kernel never reports it; the rest must map
            // exactly.
            if what & libc::EPOLLPRI as u32 == 0 {
                assert_eq!(Poller::epoll_to_ev(what), reference(what), "bits {what:#x}");
            }
        }
    }

    #[test]
    fn poll_mapping_table_matches_the_branches() {
        const ERR_HUP: u32 = (libc::EPOLLERR | libc::EPOLLHUP) as u32;
        let mut p = Poller::new().unwrap();
        p.emulate(true, false);
        let bits = [libc::EPOLLIN, libc::EPOLLOUT, libc::EPOLLERR, libc::EPOLLHUP, libc::EPOLLRDHUP];
        for k in 0..(1u32 << bits.len()) {
            let what = (0..bits.len()).filter(|b| k & (1 << b) != 0).fold(0u32, |m, b| m | bits[b] as u32);
            // poll.c: POLLHUP/POLLERR make the fd readable and writable.
            let want = if what & ERR_HUP != 0 {
                reference((what & !ERR_HUP) | (libc::EPOLLIN | libc::EPOLLOUT) as u32)
            } else {
                reference(what)
            };
            assert_eq!(p.readiness(what), want, "bits {what:#x}");
        }
        p.emulate(false, false);
        assert_eq!(p.readiness(libc::EPOLLHUP as u32), EV_READ | EV_WRITE);
        assert_eq!(p.readiness((libc::EPOLLHUP | libc::EPOLLRDHUP) as u32), EV_CLOSED);
    }

    #[test]
    fn fd_table_pages_appear_on_demand_and_iterate_in_fd_order() {
        let mut t = FdTable::default();
        assert!(t.get(5).is_none());
        assert!(t.ensure(1000));
        assert!(t.get(5).is_none(), "page 0 is not allocated by fd 1000");
        assert!(t.ensure(5));
        t[1000].nread = 1;
        t[5].nwrite = 2;
        let used: Vec<(usize, u16, u16)> =
            t.iter().filter(|(_, s)| s.nevents() > 0).map(|(fd, s)| (fd, s.nread, s.nwrite)).collect();
        assert_eq!(used, vec![(5, 0, 2), (1000, 1, 0)]);
        assert!(t.covered() > 1000);
    }

    fn make_event(fd: RawFd, own: bool) -> Box<event> {
        // SAFETY: an all-zero `struct event` is a valid unassigned event.
        let mut ev: Box<event> = Box::new(unsafe { std::mem::zeroed() });
        ev.ev_fd = fd;
        ev.ev_events = EV_READ | EV_PERSIST;
        ev.ev_evcallback.evcb_flags = EVLIST_INIT | if own { EVLIST_X_OWN_IO } else { 0 };
        ev
    }

    /// The fds `epoll_wait` reports right now (timeout 0), from their data words.
    fn reported(p: &Poller) -> Vec<RawFd> {
        let mut buf = [libc::epoll_event { events: 0, u64: 0 }; 8];
        // SAFETY: `buf` holds 8 entries.
        let n = unsafe { libc::epoll_wait(p.epfd, buf.as_mut_ptr(), 8, 0) };
        buf[..n.max(0) as usize]
            .iter()
            .map(|e| {
                let fd = (0..p.fds.covered()).find(|&fd| p.fds.slot_ptr(fd) as u64 == e.u64);
                fd.expect("the data word is a slot's address") as RawFd
            })
            .collect()
    }

    #[test]
    fn own_io_fd_is_edge_triggered_while_alone_and_its_readiness_is_tracked() {
        let mut p = Poller::new().unwrap();
        let [a, b] = crate::util::sock::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0).unwrap();
        let mut own = make_event(a, true);
        let mut other = make_event(a, false);
        let reg = |p: &Poller| epoll_bits(p.fds[a as usize].registered);
        const IN: u32 = libc::EPOLLIN as u32;
        const OWN: u32 = (libc::EPOLLIN | libc::EPOLLOUT | libc::EPOLLRDHUP | libc::EPOLLET) as u32;
        let ready = |p: &mut Poller| {
            let mut v = Vec::new();
            p.take_ready(&mut v);
            v
        };
        // SAFETY: live events, each added once and deleted once below.
        unsafe {
            p.add::<false>(&mut *own).unwrap();
            assert_eq!(reg(&p), OWN, "own I/O: registered once for everything, edge-triggered");
            p.add::<false>(&mut *other).unwrap();
            assert_eq!(reg(&p), IN, "a level-triggered event keeps its semantics");
            p.del(&mut *other);
            assert_eq!(reg(&p), OWN);
        }
        // SAFETY: a one-byte write from a valid buffer.
        assert_eq!(unsafe { libc::write(b, b"x".as_ptr().cast(), 1) }, 1);
        assert_eq!(reported(&p), vec![a]);
        assert!(reported(&p).is_empty(), "edge-triggered: reported once");
        // What the loop does with the report: remembered, and fired again next turn.
        assert!(p.own_report(a, EV_READ, IN));
        assert_eq!(ready(&mut p), vec![(a, EV_READ)]);
        assert_eq!(ready(&mut p), vec![(a, EV_READ)], "still ready: fires every turn");
        p.drained(a, EV_READ);
        assert!(ready(&mut p).is_empty(), "drained: waits for the next edge");
        assert!(p.rearm(a), "the owner stopped short: ready again");
        assert_eq!(ready(&mut p), vec![(a, EV_READ)]);
        // A hang-up makes reads sticky: a short read may leave the EOF behind.
        assert!(!p.own_report(a, EV_READ, IN | libc::EPOLLRDHUP as u32));
        p.drained(a, EV_READ);
        assert_eq!(ready(&mut p), vec![(a, EV_READ)]);
        // Deleting drops the registration and what was known; adding again re-polls the fd.
        // SAFETY: `own` is on the list.
        unsafe { p.del(&mut *own) };
        assert_eq!(reg(&p), 0);
        assert!(ready(&mut p).is_empty());
        // SAFETY: `own` is live and off the list.
        unsafe { p.add::<false>(&mut *own).unwrap() };
        assert_eq!(reported(&p), vec![a]);
        // SAFETY: on the list.
        unsafe { p.del(&mut *own) };
        crate::util::sock::close(a);
        crate::util::sock::close(b);
    }

    #[test]
    fn plain_fd_is_level_triggered_and_reported_every_turn() {
        let mut p = Poller::new().unwrap();
        let [a, b] = crate::util::sock::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0).unwrap();
        let mut ev = make_event(a, false);
        // SAFETY: live event, added and deleted once.
        unsafe { p.add::<false>(&mut *ev).unwrap() };
        assert_eq!(epoll_bits(p.fds[a as usize].registered), libc::EPOLLIN as u32);
        // SAFETY: a one-byte write from a valid buffer.
        assert_eq!(unsafe { libc::write(b, b"x".as_ptr().cast(), 1) }, 1);
        assert_eq!(reported(&p), vec![a]);
        assert_eq!(reported(&p), vec![a], "level-triggered: reported while readable");
        // SAFETY: on the list.
        unsafe { p.del(&mut *ev) };
        assert!(reported(&p).is_empty());
        crate::util::sock::close(a);
        crate::util::sock::close(b);
    }

    #[test]
    fn registration_bits_are_libevents_epoll_flags() {
        assert_eq!(epoll_bits(0), 0);
        assert_eq!(epoll_bits(REG_IN), libc::EPOLLIN as u32);
        assert_eq!(epoll_bits(REG_OUT | REG_RDHUP), (libc::EPOLLOUT | libc::EPOLLRDHUP) as u32);
        assert_eq!(epoll_bits(REG_IN | REG_ET), (libc::EPOLLIN | libc::EPOLLET) as u32);
    }
}
