//! `struct evbuffer`: the byte queue behind buffer.h.
//!
//! A buffer is a list of chains (see [`chain`]; the list is chains.rs). Which chain receives
//! the next byte, when a chain is realigned, resized or replaced, and how big new chains are
//! follow libevent 2.1.12 decision for decision, because programs observe the layout
//! (`evbuffer_peek`, `evbuffer_reserve_space`, `evbuffer_get_contiguous_space`). The speed
//! comes from
//! everything around it: inlined fast paths, no per-call locking cost when threads are off,
//! SSE2 searches, readln in one pass, and no callback machinery when nobody listens.
//!
//! `lwd` is libevent's `last_with_datap` as an index: the last chain holding data (0 when
//! all chains are empty or there are none). Chains are only ever inserted or removed at the
//! two ends of the list (or replaced in place), so indices stay meaningful.
//!
//! Concurrency: every entry point takes the buffer's lock (when locking is enabled) for its
//! whole duration, like libevent. User code (evbuffer callbacks, reference cleanups) is
//! never called while a `&mut Inner` is live, so a callback may call back into the buffer.

pub mod chain;
mod chains;
pub mod file;
pub mod io;
pub mod search;

use std::cell::UnsafeCell;
use std::ffi::{c_int, c_void};
use std::ptr::NonNull;
use std::sync::Arc;

use chain::{release, Chain, Kind, CHAIN_MAX, FILESEGMENT, IMMUTABLE, MULTICAST, SENDFILE};
use chains::Chains;

/// `EVBUFFER_CB_ENABLED`.
pub(crate) const CB_ENABLED: u32 = 1;
/// libevent's internal `EVBUFFER_CB_NODEFER`: run immediately even on a deferred buffer.
pub(crate) const CB_NODEFER: u32 = 2;
const CB_INTERNAL_FLAGS: u32 = 0xffff_0000;
/// `EVBUFFER_FLAG_DRAINS_TO_FD`.
pub(crate) const FLAG_DRAINS_TO_FD: u32 = 1;

const MAX_TO_COPY_IN_EXPAND: usize = 4096;
const MAX_TO_REALIGN_IN_EXPAND: usize = 2048;
const CHAIN_MAX_AUTO_SIZE: usize = 4096;

/// Evbuffer callbacks: the current `evbuffer_cb_func` or the obsolete `evbuffer_cb`.
#[derive(Clone, Copy)]
pub enum CbFn {
    Info(Option<unsafe extern "C" fn(*mut c_void, *const CbInfo, *mut c_void)>),
    Obsolete(Option<unsafe extern "C" fn(*mut c_void, usize, usize, *mut c_void)>),
}

impl CbFn {
    fn addr(&self) -> usize {
        match *self {
            CbFn::Info(f) => f.map_or(0, |f| f as usize),
            CbFn::Obsolete(f) => f.map_or(0, |f| f as usize),
        }
    }
}

/// `struct evbuffer_cb_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CbInfo {
    pub orig_size: usize,
    pub n_added: usize,
    pub n_deleted: usize,
}

/// One registered callback; C holds it as `struct evbuffer_cb_entry *`.
pub struct CbEntry {
    pub cb: CbFn,
    pub arg: *mut c_void,
    pub flags: u32,
    /// The next (older) entry of its buffer's [`CbList`].
    next: Option<NonNull<CbEntry>>,
}

/// A buffer's callbacks, newest first (libevent's `LIST_INSERT_HEAD` order), linked
/// through the entries themselves: most buffers have none or one (a bufferevent's output
/// buffer has one), and a list head costs no allocation and 8 bytes.
#[derive(Default)]
pub(crate) struct CbList {
    head: Option<NonNull<CbEntry>>,
}

impl CbList {
    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = NonNull<CbEntry>> + '_ {
        // SAFETY: linked entries are live (owned by the list until unlinked).
        std::iter::successors(self.head, |e| unsafe { e.as_ref() }.next)
    }

    pub(crate) fn len(&self) -> usize {
        self.iter().count()
    }

    pub(crate) fn contains(&self, e: NonNull<CbEntry>) -> bool {
        self.iter().any(|x| x == e)
    }

    /// Links a fresh entry in front.
    pub(crate) fn push_front(&mut self, mut e: NonNull<CbEntry>) {
        // SAFETY: a fresh entry, owned by the caller until linked here.
        unsafe { e.as_mut() }.next = self.head;
        self.head = Some(e);
    }

    /// Unlinks `e`; false if it is not on the list.
    pub(crate) fn remove(&mut self, e: *mut CbEntry) -> bool {
        let mut link = &mut self.head;
        while let Some(mut cur) = *link {
            if cur.as_ptr() == e {
                // SAFETY: a linked (live) entry.
                *link = unsafe { cur.as_ref() }.next;
                return true;
            }
            // SAFETY: as above; the borrow moves down the list.
            link = unsafe { &mut cur.as_mut().next };
        }
        false
    }

    /// Unlinks the first entry.
    pub(crate) fn pop_front(&mut self) -> Option<NonNull<CbEntry>> {
        let e = self.head?;
        // SAFETY: a linked (live) entry.
        self.head = unsafe { e.as_ref() }.next;
        Some(e)
    }
}

/// The buffer's lock: none, our own, one shared with a bufferevent, or a raw lock the
/// program passed to `evbuffer_enable_locking`.
pub enum BufLock {
    None,
    /// Boxed: a lock is large, and most buffers have none (memory per idle buffer).
    Own(Box<crate::sync::Lock>),
    Shared(Arc<crate::sync::Lock>),
    Raw(*mut c_void),
}

/// A position as `struct evbuffer_ptr` stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ptr {
    pub pos: isize,
    pub chain: *mut c_void,
    pub pos_in_chain: usize,
}

impl Ptr {
    pub const NOT_FOUND: Ptr = Ptr { pos: -1, chain: std::ptr::null_mut(), pos_in_chain: 0 };
}

/// End-of-line styles (`enum evbuffer_eol_style`).
pub(crate) const EOL_ANY: c_int = 0;
pub(crate) const EOL_CRLF: c_int = 1;
pub(crate) const EOL_CRLF_STRICT: c_int = 2;
pub(crate) const EOL_LF: c_int = 3;
pub(crate) const EOL_NUL: c_int = 4;

pub struct Inner {
    chains: Chains,
    lwd: usize,
    pub total_len: usize,
    n_add_for_cb: usize,
    n_del_for_cb: usize,
    pub freeze_start: bool,
    pub freeze_end: bool,
    pub deferred_cbs: bool,
    pub flags: u32,
    callbacks: CbList,
    pub cb_queue: *mut c_void,
    refcnt: u32,
    pub parent: *mut c_void,
    /// Chains whose release runs outside code; freed once the buffer is consistent.
    dead: Vec<NonNull<Chain>>,
    /// Index of the chain of the last evbuffer_ptr handed out: where the next lookup of a
    /// caller's position starts (search loops pass back what they got).
    ptr_hint: std::cell::Cell<usize>,
    /// `evbuffer_defer_callbacks`: runs the callbacks from `cb_queue`'s loop.
    deferred: Option<Box<crate::base::deferred::Deferred>>,
    /// The owning bufferevent's reference counting, so a scheduled deferred callback
    /// keeps it alive (libevent's bufferevent_incref_/decref_).
    parent_ref: Option<&'static ParentRefs>,
}

/// A bufferevent's (incref, decref) for its own pointer.
pub type ParentRefs = (unsafe fn(*mut c_void), unsafe fn(*mut c_void));

pub struct Evbuffer {
    lock: UnsafeCell<BufLock>,
    inner: UnsafeCell<Inner>,
}

// SAFETY: all access to `inner` happens under the buffer's lock once locking is enabled;
// without locking, the program promises single-threaded use (as with libevent).
unsafe impl Send for Evbuffer {}
// SAFETY: as above.
unsafe impl Sync for Evbuffer {}

/// Why a call was refused because of a freeze, at debug level. errno is left as it was,
/// exactly as libevent leaves it (docs/freeze.md): programs have seen a stale EINPROGRESS
/// here for years, and a different value would be an observable difference.
pub(crate) fn frozen(func: &str, front: bool) {
    let e = crate::util::sock::errno();
    crate::ev_debug!(
        "{func}: refused: the {} of this evbuffer is frozen (errno is left as it was). This buffer usually belongs to a bufferevent, which freezes it; write from the write callback or use bufferevent_flush_and_close",
        if front { "start" } else { "end" }
    );
    set_errno(e);
}

pub(crate) fn set_errno(e: c_int) {
    // SAFETY: errno is thread-local.
    unsafe { *libc::__errno_location() = e };
}

impl Inner {
    fn new() -> Inner {
        Inner {
            chains: Chains::new(),
            lwd: 0,
            total_len: 0,
            n_add_for_cb: 0,
            n_del_for_cb: 0,
            freeze_start: false,
            freeze_end: false,
            deferred_cbs: false,
            flags: 0,
            callbacks: CbList::default(),
            cb_queue: std::ptr::null_mut(),
            refcnt: 1,
            parent: std::ptr::null_mut(),
            dead: Vec::new(),
            ptr_hint: std::cell::Cell::new(0),
            deferred: None,
            parent_ref: None,
        }
    }

    #[inline(always)]
    fn c(&self, i: usize) -> &Chain {
        // SAFETY: every chain in the list is live and owned (or co-owned) by this buffer.
        unsafe { self.chains[i].as_ref() }
    }

    #[inline(always)]
    fn cm(&mut self, i: usize) -> &mut Chain {
        // SAFETY: as in `c`; `&mut self` means no other reference into this buffer exists.
        unsafe { &mut *self.chains[i].as_ptr() }
    }

    #[inline(always)]
    fn len(&self) -> usize {
        self.chains.len()
    }

    /// Drops one chain reference; chains whose release runs outside code wait in `dead`.
    fn free_chain(&mut self, p: NonNull<Chain>) {
        // SAFETY: `p` was just removed from this buffer, which owned a reference.
        let c = unsafe { &mut *p.as_ptr() };
        if !c.has_side_effects() && c.refcnt == 1 {
            // SAFETY: last reference to a plain owned chain.
            unsafe { Chain::dealloc(p) };
        } else {
            self.dead.push(p);
        }
    }

    /// Frees chains `from..`, front to back (the order cleanups observe).
    fn free_range(&mut self, from: usize) {
        for i in from..self.chains.len() {
            let p = self.chains[i];
            self.free_chain(p);
        }
        self.chains.truncate(from);
    }

    fn free_all(&mut self) {
        if !self.chains.is_empty() {
            self.free_range(0);
        }
        self.lwd = 0;
    }

    /// `evbuffer_free_trailing_empty_chains`: frees the empty chains after the last chain
    /// with data; returns where a new chain goes.
    #[inline]
    fn free_trailing_empty(&mut self) -> usize {
        let mut i = self.lwd;
        while i < self.len() && self.c(i).off != 0 {
            i += 1;
        }
        if i < self.len() {
            self.free_range(i);
        }
        i
    }

    /// `evbuffer_chain_insert`.
    fn chain_insert(&mut self, p: NonNull<Chain>) -> usize {
        // SAFETY: `p` is a fresh chain owned by the caller.
        let off = unsafe { p.as_ref().off };
        let idx = if self.chains.is_empty() {
            self.chains.push_back(p);
            0
        } else {
            let i = self.free_trailing_empty();
            self.chains.push_back(p);
            if off != 0 {
                self.lwd = i;
            }
            i
        };
        self.total_len += off;
        idx
    }

    /// Takes every chain of `src` (another buffer with data), at the back or the front,
    /// with both buffers' lengths and callback counters: the shared part of
    /// `evbuffer_add_buffer` and `evbuffer_prepend_buffer`.
    #[inline(always)]
    fn take_all_chains(&mut self, src: &mut Inner, front: bool) {
        let in_total = src.total_len;
        if self.total_len == 0 {
            // Empty chains of ours go; the lists swap, so nobody allocates.
            self.free_all();
            self.chains.take_all(&mut src.chains);
            self.lwd = src.lwd;
        } else if front {
            self.lwd += src.chains.len();
            self.chains.prepend_all(&mut src.chains);
        } else {
            let at = self.free_trailing_empty();
            self.lwd = at + src.lwd;
            let n = src.chains.len();
            self.chains.append_front_of(&mut src.chains, n);
        }
        self.total_len += in_total;
        self.n_add_for_cb += in_total;
        src.lwd = 0;
        src.total_len = 0;
        src.n_del_for_cb += in_total;
    }

    fn advance_last_with_data(&mut self) {
        let from = self.lwd + 1;
        if from >= self.len() {
            return;
        }
        // SAFETY: live chains of this buffer.
        if let Some(k) = self.chains.as_slice()[from..].iter().rposition(|p| unsafe { p.as_ref() }.off != 0) {
            self.lwd = from + k;
        }
    }

    fn should_realign(c: &Chain, datlen: usize) -> bool {
        c.buffer_len - c.off >= datlen && c.off < c.buffer_len / 2 && c.off <= MAX_TO_REALIGN_IN_EXPAND
    }

    fn align(c: &mut Chain) {
        // SAFETY: mutable owned chain; both ranges lie inside its storage.
        unsafe { std::ptr::copy(c.buffer.add(c.misalign), c.buffer, c.off) };
        c.misalign = 0;
    }

    // ---- adding ------------------------------------------------------------------------

    /// `evbuffer_add`. Returns 0 or -1; callbacks are the caller's job.
    #[inline]
    pub fn add(&mut self, data: &[u8]) -> c_int {
        if self.freeze_end {
            frozen("evbuffer_add", false);
            return -1;
        }
        let datlen = data.len();
        if datlen > usize::MAX - self.total_len {
            return -1;
        }
        // Fast path: room in the last chain with data.
        if let Some(p) = self.chains.get(self.lwd) {
            // SAFETY: live chain of this buffer, exclusively borrowed through `self`.
            let c = unsafe { &mut *p.as_ptr() };
            // (An empty add still goes the slow way: on an immutable chain libevent
            // appends a fresh chain even for zero bytes.)
            if c.space() >= datlen && datlen != 0 {
                // SAFETY: `space()` bytes are writable after the data.
                unsafe { copy_bytes(c.space_ptr(), data.as_ptr(), datlen) };
                c.off += datlen;
                self.total_len += datlen;
                self.n_add_for_cb += datlen;
                return 0;
            }
        }
        self.add_slow(data)
    }

    #[inline(never)]
    fn add_slow(&mut self, data: &[u8]) -> c_int {
        let datlen = data.len();
        let ci = match self.chains.get(self.lwd) {
            Some(_) => self.lwd,
            None => {
                let Some(p) = Chain::new(datlen) else { return -1 };
                self.chain_insert(p)
            }
        };
        let remain;
        {
            let c = self.cm(ci);
            if c.flags & IMMUTABLE == 0 {
                remain = c.buffer_len - c.misalign - c.off;
                if remain >= datlen {
                    // SAFETY: room for `datlen` bytes after the data.
                    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), c.space_ptr(), datlen) };
                    c.off += datlen;
                    self.total_len += datlen;
                    self.n_add_for_cb += datlen;
                    return 0;
                } else if Self::should_realign(c, datlen) {
                    Self::align(c);
                    // SAFETY: after realigning, buffer_len - off >= datlen.
                    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), c.buffer.add(c.off), datlen) };
                    c.off += datlen;
                    self.total_len += datlen;
                    self.n_add_for_cb += datlen;
                    return 0;
                }
            } else {
                remain = 0;
            }
        }
        let mut to_alloc = self.c(ci).buffer_len;
        if to_alloc <= CHAIN_MAX_AUTO_SIZE / 2 {
            to_alloc <<= 1;
        }
        to_alloc = to_alloc.max(datlen);
        let Some(tmp) = Chain::new(to_alloc) else { return -1 };
        if remain > 0 {
            let c = self.cm(ci);
            // SAFETY: exactly `remain` writable bytes after the data.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), c.space_ptr(), remain) };
            c.off += remain;
            self.total_len += remain;
            self.n_add_for_cb += remain;
        }
        let rest = &data[remain..];
        // SAFETY: the new chain holds at least `to_alloc >= rest.len()` bytes.
        unsafe {
            let t = &mut *tmp.as_ptr();
            std::ptr::copy_nonoverlapping(rest.as_ptr(), t.buffer, rest.len());
            t.off = rest.len();
        }
        self.chain_insert(tmp);
        self.n_add_for_cb += rest.len();
        0
    }

    /// `evbuffer_prepend`.
    pub fn prepend(&mut self, data: &[u8]) -> c_int {
        let mut datlen = data.len();
        if datlen == 0 {
            return 0;
        }
        if self.freeze_start {
            frozen("evbuffer_prepend", true);
            return -1;
        }
        if datlen > usize::MAX - self.total_len {
            return -1;
        }
        if self.chains.is_empty() {
            let Some(p) = Chain::new(datlen) else { return -1 };
            self.chain_insert(p);
        }
        {
            let c = self.cm(0);
            if c.flags & IMMUTABLE == 0 {
                if c.off == 0 {
                    c.misalign = c.buffer_len;
                }
                if c.misalign >= datlen {
                    // SAFETY: `misalign` free bytes precede the data.
                    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), c.buffer.add(c.misalign - datlen), datlen) };
                    c.off += datlen;
                    c.misalign -= datlen;
                    self.total_len += datlen;
                    self.n_add_for_cb += datlen;
                    return 0;
                } else if c.misalign > 0 {
                    let m = c.misalign;
                    // SAFETY: the first `m` bytes of storage are free.
                    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr().add(datlen - m), c.buffer, m) };
                    c.off += m;
                    c.misalign = 0;
                    self.total_len += m;
                    self.n_add_for_cb += m;
                    datlen -= m;
                }
            }
        }
        let Some(tmp) = Chain::new(datlen) else { return -1 };
        let first_has_data = self.c(0).off != 0;
        // SAFETY: fresh chain with at least `datlen` bytes.
        unsafe {
            let t = &mut *tmp.as_ptr();
            t.off = datlen;
            t.misalign = t.buffer_len - datlen;
            std::ptr::copy_nonoverlapping(data.as_ptr(), t.buffer.add(t.misalign), datlen);
        }
        self.chains.push_front(tmp);
        if self.lwd == 0 {
            if first_has_data {
                self.lwd = 1;
            }
        } else {
            self.lwd += 1;
        }
        self.total_len += datlen;
        self.n_add_for_cb += datlen;
        0
    }

    // ---- space management ----------------------------------------------------------------

    /// `evbuffer_expand_singlechain`: index of a chain with at least `datlen` writable bytes.
    fn expand_singlechain(&mut self, datlen: usize) -> Option<usize> {
        let mut i = self.lwd;
        if i < self.len() && self.c(i).space() == 0 {
            i += 1;
        }
        if i < self.len() && self.c(i).flags & IMMUTABLE == 0 {
            let c = self.c(i);
            if c.space() >= datlen {
                return Some(i);
            }
            if c.off != 0 {
                if Self::should_realign(c, datlen) {
                    Self::align(self.cm(i));
                    return Some(i);
                }
                let c = self.c(i);
                if c.space() < c.buffer_len / 8 || c.off > MAX_TO_COPY_IN_EXPAND || datlen >= CHAIN_MAX - c.off {
                    if i + 1 < self.len() && self.c(i + 1).space() >= datlen {
                        return Some(i + 1);
                    }
                } else {
                    // Resize: copy this chain's data into a bigger one, in place.
                    let off = c.off;
                    let tmp = Chain::new(off + datlen)?;
                    // SAFETY: the new chain holds at least `off` bytes; the old one has them.
                    unsafe {
                        let t = &mut *tmp.as_ptr();
                        std::ptr::copy_nonoverlapping(c.data(), t.buffer, off);
                        t.off = off;
                    }
                    let old = self.chains.replace(i, tmp);
                    self.free_chain(old);
                    return Some(i);
                }
            }
        }
        let p = Chain::new(datlen)?;
        Some(self.chain_insert(p))
    }

    /// `evbuffer_expand_fast_`: at least `datlen` writable bytes in the last `n` chains.
    fn expand_fast(&mut self, datlen: usize, n: usize) -> c_int {
        match self.chains.back() {
            // SAFETY: live chain of this buffer.
            Some(p) if unsafe { p.as_ref() }.flags & IMMUTABLE == 0 => {}
            _ => {
                let Some(p) = Chain::new(datlen) else { return -1 };
                self.chain_insert(p);
                return 0;
            }
        }
        let mut used = 0;
        let mut avail = 0usize;
        let from = self.lwd.min(self.len());
        for p in &self.chains.as_slice()[from..] {
            // SAFETY: live chain of this buffer, exclusively borrowed through `self`.
            let c = unsafe { &mut *p.as_ptr() };
            if c.off != 0 {
                let s = c.space();
                if s != 0 {
                    avail += s;
                    used += 1;
                }
            } else {
                c.misalign = 0;
                avail += c.buffer_len;
                used += 1;
            }
            if avail >= datlen {
                return 0;
            }
            if used == n {
                break;
            }
        }
        if used < n {
            let Some(p) = Chain::new(datlen - avail) else { return -1 };
            self.chains.push_back(p);
            return 0;
        }
        // Replace all the empty chains by one big enough.
        let rmv_all = self.c(self.lwd).off == 0;
        let (start, avail) = if rmv_all { (self.lwd, 0) } else { (self.lwd + 1, self.c(self.lwd).space()) };
        self.free_range(start);
        let Some(p) = Chain::new(datlen - avail) else {
            if rmv_all {
                self.lwd = 0;
            }
            return -1;
        };
        self.chains.push_back(p);
        if rmv_all {
            self.lwd = 0;
        }
        0
    }

    /// `evbuffer_read_setup_vecs_`: up to `vecs.len()` extents of free space, covering
    /// `howmuch` bytes (exactly, when `exact`).
    fn setup_vecs(&mut self, howmuch: usize, vecs: &mut [libc::iovec], exact: bool) -> (usize, usize) {
        let ch = self.chains.as_slice();
        let mut first = self.lwd;
        if ch.get(first).is_some_and(|p| {
            // SAFETY: live chain of this buffer.
            unsafe { p.as_ref() }.space() == 0
        }) {
            first += 1;
        }
        let mut so_far = 0;
        let mut n = 0;
        for (v, p) in vecs.iter_mut().zip(ch.get(first..).unwrap_or(&[])) {
            if so_far >= howmuch {
                break;
            }
            // SAFETY: as above.
            let c = unsafe { p.as_ref() };
            let mut avail = c.space();
            if exact && avail > howmuch - so_far {
                avail = howmuch - so_far;
            }
            *v = libc::iovec { iov_base: c.space_ptr().cast(), iov_len: avail };
            so_far += avail;
            n += 1;
        }
        (n, first)
    }

    /// Whether `expand_fast(h, _)` would stop at the first chain it looks at, so that any
    /// request up to `h` leaves the chains exactly as a request of `h` does.
    fn room_for_read(&self, h: usize) -> bool {
        match (self.chains.back(), self.chains.get(self.lwd)) {
            // SAFETY: live chains of this buffer.
            (Some(last), Some(c)) if unsafe { last.as_ref() }.flags & IMMUTABLE == 0 => {
                // SAFETY: as above.
                let c = unsafe { c.as_ref() };
                if c.off != 0 {
                    c.space() >= h
                } else {
                    c.buffer_len >= h
                }
            }
            _ => false,
        }
    }

    pub fn expand(&mut self, datlen: usize) -> c_int {
        if self.expand_singlechain(datlen).is_some() {
            0
        } else {
            -1
        }
    }

    /// `evbuffer_reserve_space`.
    pub fn reserve_space(&mut self, size: isize, vecs: &mut [libc::iovec]) -> c_int {
        if self.freeze_end {
            frozen("evbuffer_reserve_space", false);
            return -1;
        }
        if vecs.is_empty() {
            return -1;
        }
        if vecs.len() == 1 {
            let Some(i) = self.expand_singlechain(size as usize) else { return -1 };
            let c = self.c(i);
            vecs[0] = libc::iovec { iov_base: c.space_ptr().cast(), iov_len: c.space() };
            1
        } else {
            if self.expand_fast(size as usize, vecs.len()) < 0 {
                return -1;
            }
            if size < 0 {
                return -1;
            }
            self.setup_vecs(size as usize, vecs, false).0 as c_int
        }
    }

    /// `evbuffer_commit_space`. Returns (result, invoke callbacks).
    pub fn commit_space(&mut self, vecs: &[libc::iovec]) -> c_int {
        if self.freeze_end {
            frozen("evbuffer_commit_space", false);
            return -1;
        }
        if vecs.is_empty() {
            return 0;
        }
        let mut added = 0;
        let ch = self.chains.as_slice();
        let Some(&lastp) = ch.last() else { return -1 };
        // SAFETY: live chain of this buffer.
        let last = unsafe { &mut *lastp.as_ptr() };
        if vecs.len() == 1 && vecs[0].iov_base == last.space_ptr().cast() {
            if vecs[0].iov_len > last.space() {
                return -1;
            }
            last.off += vecs[0].iov_len;
            added = vecs[0].iov_len;
            if added != 0 {
                self.advance_last_with_data();
            }
        } else {
            let mut first = self.lwd;
            let Some(fp) = ch.get(first) else { return -1 };
            // SAFETY: live chain of this buffer.
            if unsafe { fp.as_ref() }.space() == 0 {
                first += 1;
            }
            let Some(targets) = ch.get(first..first + vecs.len()) else { return -1 };
            for (v, p) in vecs.iter().zip(targets) {
                // SAFETY: live chain of this buffer.
                let c = unsafe { p.as_ref() };
                if v.iov_base != c.space_ptr().cast() || v.iov_len > c.space() {
                    return -1;
                }
            }
            let mut lwd = self.lwd;
            for (k, (v, p)) in vecs.iter().zip(targets).enumerate() {
                // SAFETY: live chain of this buffer, exclusively borrowed through `self`.
                unsafe { (*p.as_ptr()).off += v.iov_len };
                added += v.iov_len;
                if v.iov_len != 0 {
                    lwd = first + k;
                }
            }
            self.lwd = lwd;
        }
        self.total_len += added;
        self.n_add_for_cb += added;
        0
    }

    // ---- removing ------------------------------------------------------------------------

    /// `evbuffer_drain`. Returns (result, whether callbacks are due).
    pub fn drain(&mut self, len: usize) -> (c_int, bool) {
        let old_len = self.total_len;
        if old_len == 0 {
            return (0, false);
        }
        if self.freeze_start {
            frozen("evbuffer_drain", true);
            return (-1, false);
        }
        let len = len.min(old_len);
        if len == old_len {
            self.free_all();
            self.total_len = 0;
        } else {
            self.total_len -= len;
            let mut remaining = len;
            loop {
                let off = self.c(0).off;
                if remaining < off {
                    break;
                }
                remaining -= off;
                if let Some(p) = self.chains.pop_front() {
                    self.free_chain(p);
                }
                self.lwd = self.lwd.saturating_sub(1);
            }
            let c = self.cm(0);
            c.misalign += remaining;
            c.off -= remaining;
        }
        self.n_del_for_cb += len;
        (0, true)
    }

    /// Copies up to `out.len()` bytes starting at chain `ci`, offset `pic`.
    fn copy_from(&self, mut ci: usize, mut pic: usize, out: &mut [u8]) {
        let mut done = 0;
        while done < out.len() && ci < self.len() {
            let c = self.c(ci);
            let n = (c.off - pic).min(out.len() - done);
            // SAFETY: `n` bytes are readable at data()+pic and writable at out[done..].
            unsafe { std::ptr::copy_nonoverlapping(c.data().add(pic), out.as_mut_ptr().add(done), n) };
            done += n;
            ci += 1;
            pic = 0;
        }
    }

    /// `evbuffer_copyout_from`.
    /// `evbuffer_copyout_from`.
    ///
    /// # Safety
    /// `out` has room for `datlen` bytes (only as many as the buffer holds are written).
    pub unsafe fn copyout_from(&self, pos: Option<(Ptr, usize)>, out: *mut u8, datlen: usize) -> isize {
        let mut datlen = datlen;
        let (ci, pic) = match pos {
            Some((p, ci)) => {
                if p.pos < 0 || datlen > (isize::MAX - p.pos) as usize {
                    return -1;
                }
                let pos = p.pos as usize;
                if pos > self.total_len {
                    return -1;
                }
                if datlen + pos > self.total_len {
                    datlen = self.total_len - pos;
                }
                (ci, p.pos_in_chain)
            }
            None => {
                datlen = datlen.min(self.total_len);
                (0, 0)
            }
        };
        if datlen == 0 {
            return 0;
        }
        if self.freeze_start {
            frozen("evbuffer_copyout/evbuffer_remove", true);
            return -1;
        }
        // SAFETY: the caller's `out` has room for the original datlen >= this datlen, which
        // is at most the bytes stored (so a valid slice length).
        self.copy_from(ci, pic, unsafe { std::slice::from_raw_parts_mut(out, datlen) });
        datlen as isize
    }

    /// `evbuffer_pullup`.
    pub fn pullup(&mut self, size: isize) -> *mut u8 {
        let size = if size < 0 { self.total_len } else { size as usize };
        if size == 0 || size > self.total_len {
            return std::ptr::null_mut();
        }
        let (c0_off, c0_room, c0_sendfile) = {
            let c0 = self.c(0);
            (c0.off, c0.buffer_len - c0.misalign, c0.flags & SENDFILE != 0)
        };
        if c0_off >= size {
            return self.c(0).data() as *mut u8;
        }
        let old_lwd = self.lwd;
        // Where the bytes go: the first chain's own room, or a new chain.
        let (s, mut dst, tmp, mut need) = if !c0_sendfile && c0_room >= size {
            let p = self.chains[0];
            let c = self.cm(0);
            let d = c.space_ptr();
            c.off = size;
            (1usize, d, p, size - c0_off)
        } else {
            let Some(t) = Chain::new(size) else {
                crate::ev_warn!("evbuffer_pullup: out of memory");
                return std::ptr::null_mut();
            };
            // SAFETY: fresh chain.
            let d = unsafe {
                (*t.as_ptr()).off = size;
                (*t.as_ptr()).buffer
            };
            (0usize, d, t, size)
        };
        // Copy and free every chain that fits entirely.
        let mut e = s;
        while e < self.len() && need >= self.c(e).off {
            let c = self.c(e);
            // SAFETY: `dst` has `need >= off` writable bytes left.
            unsafe {
                std::ptr::copy_nonoverlapping(c.data(), dst, c.off);
                dst = dst.add(c.off);
            }
            need -= c.off;
            e += 1;
        }
        if e < self.len() {
            let c = self.cm(e);
            // SAFETY: `need < off` bytes readable here; `dst` has room for them.
            unsafe { std::ptr::copy_nonoverlapping(c.data(), dst, need) };
            c.misalign += need;
            c.off -= need;
        }
        // Splice: remove chains [s, e), put `tmp` first.
        for i in s..e {
            let p = self.chains[i];
            self.free_chain(p);
        }
        self.chains.remove_range(s, e);
        if s == 0 {
            self.chains.push_front(tmp);
        }
        self.lwd = if old_lwd >= s && old_lwd < e {
            0
        } else if old_lwd == e && e > s {
            if self.len() > 1 && self.c(1).off != 0 {
                1
            } else {
                0
            }
        } else if old_lwd < s {
            0
        } else {
            old_lwd - e + 1
        };
        // SAFETY: `tmp` is now chain 0 of this buffer.
        unsafe { tmp.as_ref().data() as *mut u8 }
    }

    // ---- positions and searching -----------------------------------------------------------

    /// Finds the list index of a chain named by an evbuffer_ptr (None: not ours). Starts
    /// at the chain of the last position handed out, so that loops of searches stay O(1).
    pub fn chain_index(&self, chain: *mut c_void) -> Option<usize> {
        let want = chain as *mut Chain;
        let h = self.ptr_hint.get().min(self.len());
        let found = (h..self.len())
            .find(|&i| self.chains[i].as_ptr() == want)
            .or_else(|| (0..h).rev().find(|&i| self.chains[i].as_ptr() == want));
        if let Some(i) = found {
            self.ptr_hint.set(i);
        }
        found
    }

    /// Validates a caller's evbuffer_ptr: Some(chain index or len() for "at the end").
    pub fn resolve(&self, p: &Ptr) -> Option<usize> {
        if p.chain.is_null() {
            return Some(self.len());
        }
        let i = self.chain_index(p.chain)?;
        if p.pos_in_chain > self.c(i).off || p.pos < 0 {
            return None;
        }
        Some(i)
    }

    fn ptr_at(&self, ci: usize, pic: usize, pos: usize) -> Ptr {
        self.ptr_hint.set(ci);
        Ptr { pos: pos as isize, chain: self.chains[ci].as_ptr().cast(), pos_in_chain: pic }
    }

    /// Walks `left` bytes forward from chain `ci`, offset `pic` (libevent's ptr_set loop).
    fn walk(&self, mut ci: usize, mut pic: usize, mut left: usize) -> Option<(usize, usize)> {
        while ci < self.len() && pic + left >= self.c(ci).off {
            left -= self.c(ci).off - pic;
            ci += 1;
            pic = 0;
        }
        if ci < self.len() {
            Some((ci, pic + left))
        } else if left == 0 {
            Some((self.len(), 0))
        } else {
            None
        }
    }

    /// `evbuffer_ptr_set`. `ci` is the resolved chain of `p` for EVBUFFER_PTR_ADD.
    pub fn ptr_set(&self, p: &mut Ptr, position: usize, add: Option<usize>) -> c_int {
        let (ci, pic, newpos) = match add {
            None => (0, 0, position as isize),
            Some(ci) => {
                if p.pos < 0 || usize::MAX - position < p.pos as usize {
                    return -1;
                }
                (ci, p.pos_in_chain, p.pos.wrapping_add(position as isize))
            }
        };
        p.pos = newpos;
        match self.walk(ci, pic, position) {
            Some((ci, pic)) if ci < self.len() => {
                self.ptr_hint.set(ci);
                p.chain = self.chains[ci].as_ptr().cast();
                p.pos_in_chain = pic;
                0
            }
            Some(_) => {
                p.chain = std::ptr::null_mut();
                p.pos_in_chain = 0;
                0
            }
            None => {
                *p = Ptr::NOT_FOUND;
                -1
            }
        }
    }

    /// Leftmost occurrence of `what` at or after (chain `ci`, offset `pic`, absolute `pos`).
    fn find(
        &self,
        what: &[u8],
        mut ci: usize,
        mut pic: usize,
        mut pos: usize,
        limit: usize,
    ) -> Option<(usize, usize, usize)> {
        let k = what.len();
        let first = what[0];
        while ci < self.len() {
            if pos >= limit {
                return None;
            }
            // SAFETY: live chain.
            let bytes = unsafe { self.c(ci).bytes() };
            let hay = &bytes[pic.min(bytes.len())..];
            // Whole matches inside this chain.
            let inside = if hay.len() >= k { search::memmem(hay, what) } else { None };
            // Matches that start in this chain but cross into the next ones: only candidates
            // in the last k-1 bytes need the slow check, and only before `inside`.
            let tail_from = hay.len().saturating_sub(k - 1);
            let stop = inside.unwrap_or(hay.len());
            let mut j = tail_from;
            while j < stop {
                match search::memchr(first, &hay[j..stop]) {
                    Some(d) => {
                        let c = j + d;
                        if self.cmp_at(ci, pic + c, what) {
                            return Some((ci, pic + c, pos + c));
                        }
                        j = c + 1;
                    }
                    None => break,
                }
            }
            if let Some(c) = inside {
                return Some((ci, pic + c, pos + c));
            }
            pos += hay.len();
            ci += 1;
            pic = 0;
        }
        None
    }

    /// Whether the bytes at (chain `ci`, offset `pic`) equal `what` (`evbuffer_ptr_memcmp`).
    fn cmp_at(&self, mut ci: usize, mut pic: usize, mut what: &[u8]) -> bool {
        while !what.is_empty() {
            if ci >= self.len() {
                return false;
            }
            // SAFETY: live chain.
            let b = unsafe { self.c(ci).bytes() };
            let n = (b.len() - pic).min(what.len());
            if b[pic..pic + n] != what[..n] {
                return false;
            }
            what = &what[n..];
            ci += 1;
            pic = 0;
        }
        true
    }

    /// `evbuffer_search_range`. `start`/`end` resolved: (ptr, chain index).
    pub fn search_range(&self, what: &[u8], start: Option<(Ptr, usize)>, end: Option<Ptr>) -> Ptr {
        if what.is_empty() || what.len() > isize::MAX as usize {
            return Ptr::NOT_FOUND;
        }
        let (ci, pic, pos) = match start {
            Some((p, ci)) => (ci, p.pos_in_chain, p.pos as usize),
            None => (0, 0, 0),
        };
        // Past this start position a match cannot end before `end`.
        let limit = match end {
            Some(e) if e.pos >= 0 => (e.pos as usize).saturating_sub(what.len()) + 1,
            Some(_) => 0,
            None => usize::MAX,
        };
        match self.find(what, ci, pic, pos, limit) {
            Some((ci, pic, pos)) => {
                if let Some(e) = end {
                    if pos as isize + what.len() as isize > e.pos {
                        return Ptr::NOT_FOUND;
                    }
                }
                self.ptr_at(ci, pic, pos)
            }
            None => Ptr::NOT_FOUND,
        }
    }

    /// First byte equal to `a` (or `b`) at or after the position; (chain, offset, abs pos).
    fn find_byte(
        &self,
        a: u8,
        b: Option<u8>,
        mut ci: usize,
        mut pic: usize,
        mut pos: usize,
    ) -> Option<(usize, usize, usize)> {
        while ci < self.len() {
            // SAFETY: live chain.
            let bytes = unsafe { self.c(ci).bytes() };
            let hay = &bytes[pic.min(bytes.len())..];
            let hit = match b {
                None => search::memchr(a, hay),
                Some(b) => search::memchr2(a, b, hay),
            };
            if let Some(d) = hit {
                return Some((ci, pic + d, pos + d));
            }
            pos += hay.len();
            ci += 1;
            pic = 0;
        }
        None
    }

    fn byte_at(&self, ci: usize, pic: usize) -> u8 {
        // SAFETY: callers pass a position inside the chain.
        unsafe { *self.c(ci).data().add(pic) }
    }

    /// `evbuffer_search_eol`: (position, eol length).
    pub fn search_eol(&self, start: Option<(Ptr, usize)>, style: c_int) -> (Ptr, usize) {
        let (ci, pic, pos) = match start {
            Some((p, ci)) => {
                if ci >= self.len() {
                    return (Ptr::NOT_FOUND, 0);
                }
                (ci, p.pos_in_chain, p.pos as usize)
            }
            None => (0, 0, 0),
        };
        let found = match style {
            EOL_ANY => self.find_byte(b'\r', Some(b'\n'), ci, pic, pos).map(|(c, o, p)| {
                // Count the run of CR/LF characters (libevent's strspn over "\r\n").
                let mut n = 0;
                let (mut c2, mut o2) = (c, o);
                'run: while c2 < self.len() {
                    // SAFETY: live chain.
                    let b = unsafe { self.c(c2).bytes() };
                    while o2 < b.len() {
                        if b[o2] != b'\r' && b[o2] != b'\n' {
                            break 'run;
                        }
                        n += 1;
                        o2 += 1;
                    }
                    c2 += 1;
                    o2 = 0;
                }
                (c, o, p, n)
            }),
            EOL_CRLF_STRICT => self.find(b"\r\n", ci, pic, pos, usize::MAX).map(|(c, o, p)| (c, o, p, 2)),
            EOL_CRLF => self.find_byte(b'\n', None, ci, pic, pos).map(|(c, o, p)| {
                if p == pos {
                    return (c, o, p, 1);
                }
                // Back up one byte: in this chain, or the last non-empty chain before it.
                let prev = if o > 0 {
                    Some((c, o - 1))
                } else {
                    (0..c).rev().find(|&j| self.c(j).off > 0).map(|j| (j, self.c(j).off - 1))
                };
                match prev {
                    Some((pc, po)) if self.byte_at(pc, po) == b'\r' => (pc, po, p - 1, 2),
                    _ => (c, o, p, 1),
                }
            }),
            EOL_LF => self.find_byte(b'\n', None, ci, pic, pos).map(|(c, o, p)| (c, o, p, 1)),
            EOL_NUL => self.find_byte(0, None, ci, pic, pos).map(|(c, o, p)| (c, o, p, 1)),
            _ => None,
        };
        match found {
            Some((c, o, p, n)) => (self.ptr_at(c, o, p), n),
            None => (Ptr::NOT_FOUND, 0),
        }
    }

    /// `evbuffer_peek`.
    pub fn peek(&self, mut len: isize, start: Option<(Ptr, usize)>, vecs: &mut [libc::iovec], n_vec: c_int) -> c_int {
        let mut idx: c_int = 0;
        let mut so_far: isize = 0;
        let mut ci = 0;
        if let Some((p, sci)) = start {
            if sci >= self.len() {
                return 0;
            }
            let c = self.c(sci);
            so_far = (c.off - p.pos_in_chain) as isize;
            idx = 1;
            if let Some(v) = vecs.first_mut() {
                *v = libc::iovec {
                    iov_base: c.data().wrapping_add(p.pos_in_chain) as *mut c_void,
                    iov_len: so_far as usize,
                };
            }
            ci = sci + 1;
        }
        if n_vec == 0 && len < 0 {
            len = self.total_len as isize;
            if let Some((p, _)) = start {
                len -= p.pos;
            }
        }
        while ci < self.len() {
            if len >= 0 && so_far >= len {
                break;
            }
            let c = self.c(ci);
            if idx < n_vec {
                vecs[idx as usize] = libc::iovec { iov_base: c.data() as *mut c_void, iov_len: c.off };
            } else if len < 0 {
                break;
            }
            idx += 1;
            so_far += c.off as isize;
            ci += 1;
        }
        idx
    }

    /// `evbuffer_readln` when the line and its end are inside the first chain, which keeps
    /// some bytes after them, and nobody listens: the same result as the general path
    /// (search, copy, two drains, two callback rounds) in one step. None: take that path.
    fn readln_fast(&mut self, style: c_int) -> Option<(*mut std::ffi::c_char, usize)> {
        if self.freeze_start || !self.callbacks.is_empty() {
            return None;
        }
        let p = self.chains.front()?;
        // SAFETY: live chain of this buffer.
        let c = unsafe { &mut *p.as_ptr() };
        // SAFETY: as above.
        let b = unsafe { c.bytes() };
        let (n, extra) = match style {
            EOL_LF => (search::memchr(b'\n', b)?, 1),
            EOL_NUL => (search::memchr(0, b)?, 1),
            EOL_CRLF => {
                let q = search::memchr(b'\n', b)?;
                if q > 0 && b[q - 1] == b'\r' {
                    (q - 1, 2)
                } else {
                    (q, 1)
                }
            }
            EOL_CRLF_STRICT => (search::memmem(b, b"\r\n")?, 2),
            EOL_ANY => {
                let q = search::memchr2(b'\r', b'\n', b)?;
                let run = b[q..].iter().take_while(|&&x| x == b'\r' || x == b'\n').count();
                (q, run)
            }
            _ => return None,
        };
        // The chain must outlive the line and its end (else drain frees it: general path).
        if n + extra >= b.len() {
            return None;
        }
        let line = crate::mm::malloc(n + 1).cast::<u8>();
        if line.is_null() {
            return None;
        }
        // SAFETY: `line` has n + 1 bytes; the chain has more than n readable bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(b.as_ptr(), line, n);
            *line.add(n) = 0;
        }
        let used = n + extra;
        c.misalign += used;
        c.off -= used;
        self.total_len -= used;
        // With no callbacks, invoking them only resets the counters.
        self.n_add_for_cb = 0;
        self.n_del_for_cb = 0;
        Some((line.cast(), n))
    }

    pub fn contiguous_space(&self) -> usize {
        self.chains.front().map_or(0, |p| {
            // SAFETY: live chain.
            unsafe { p.as_ref() }.off
        })
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Chains are released explicitly by `decref_and_unlock`; nothing should remain.
        debug_assert!(self.chains.is_empty() && self.dead.is_empty());
    }
}

/// `memcpy` for the many tiny copies of small adds: a call into libc costs more than the
/// copy itself there.
///
/// # Safety
/// As `copy_nonoverlapping(src, dst, n)`.
#[inline(always)]
unsafe fn copy_bytes(dst: *mut u8, src: *const u8, n: usize) {
    use std::ptr::{read_unaligned as rd, write_unaligned as wr};
    // SAFETY: every access below stays inside [0, n) of both ranges.
    unsafe {
        if n > 16 {
            std::ptr::copy_nonoverlapping(src, dst, n);
        } else if n >= 8 {
            let (a, b) = (rd(src.cast::<u64>()), rd(src.add(n - 8).cast::<u64>()));
            wr(dst.cast::<u64>(), a);
            wr(dst.add(n - 8).cast::<u64>(), b);
        } else if n >= 4 {
            let (a, b) = (rd(src.cast::<u32>()), rd(src.add(n - 4).cast::<u32>()));
            wr(dst.cast::<u32>(), a);
            wr(dst.add(n - 4).cast::<u32>(), b);
        } else if n > 0 {
            *dst = *src;
            *dst.add(n / 2) = *src.add(n / 2);
            *dst.add(n - 1) = *src.add(n - 1);
        }
    }
}

/// Callbacks registered on a buffer, copied before running them so that a callback may add
/// or remove callbacks (itself included) while the list is being walked.
const CB_SNAPSHOT: usize = 8;

impl Evbuffer {
    /// `evbuffer_new`: a heap buffer; C owns it as `struct evbuffer *`. `None` when the
    /// allocator fails.
    pub fn try_new() -> Option<NonNull<Evbuffer>> {
        let b = crate::mm::try_box(Evbuffer {
            lock: UnsafeCell::new(BufLock::None),
            inner: UnsafeCell::new(Inner::new()),
        })?;
        Some(NonNull::from(Box::leak(b)))
    }

    /// [`Evbuffer::try_new`] for internal use, where running out of memory is fatal.
    pub fn new() -> NonNull<Evbuffer> {
        Self::try_new().unwrap_or_else(|| crate::ev_fatal!("evbuffer_new: out of memory"))
    }

    /// The buffer's state. Callers hold the lock and keep the borrow short: no user code
    /// may run while it is live.
    #[allow(clippy::mut_from_ref)]
    #[inline(always)]
    pub(crate) fn inner(&self) -> &mut Inner {
        // SAFETY: access is serialised by the buffer's lock (or single-threaded use), and
        // every caller drops the borrow before running user code.
        unsafe { &mut *self.inner.get() }
    }

    #[inline(always)]
    pub fn lock(&self) {
        // SAFETY: the lock field only changes in `enable_locking`, before sharing.
        let l = unsafe { &*self.lock.get() };
        if !matches!(l, BufLock::None) {
            Self::lock_slow(l, true);
        }
    }

    #[inline(always)]
    pub fn unlock(&self) {
        // SAFETY: as in `lock`.
        let l = unsafe { &*self.lock.get() };
        if !matches!(l, BufLock::None) {
            Self::lock_slow(l, false);
        }
    }

    #[inline(never)]
    fn lock_slow(l: &BufLock, lock: bool) {
        match (l, lock) {
            (BufLock::None, _) => {}
            (BufLock::Own(l), true) => l.lock(),
            (BufLock::Own(l), false) => l.unlock(),
            (BufLock::Shared(l), true) => l.lock(),
            (BufLock::Shared(l), false) => l.unlock(),
            (BufLock::Raw(p), true) => crate::sync::raw_lock(*p),
            (BufLock::Raw(p), false) => crate::sync::raw_unlock(*p),
        }
    }

    /// `evbuffer_enable_locking`: -1 when already locked or threading is off.
    pub fn enable_locking(&self, lock: BufLock) -> c_int {
        // SAFETY: called before the buffer is shared between threads (libevent's contract).
        let cur = unsafe { &mut *self.lock.get() };
        if !matches!(cur, BufLock::None) {
            return -1;
        }
        match lock {
            BufLock::None => match crate::sync::Lock::new() {
                Some(l) => *cur = BufLock::Own(Box::new(l)),
                None => return -1,
            },
            l => *cur = l,
        }
        0
    }

    /// Locks two buffers in address order (libevent's EVBUFFER_LOCK2).
    fn lock2(a: &Evbuffer, b: &Evbuffer) {
        if std::ptr::eq(a, b) {
            a.lock();
        } else if (a as *const Evbuffer) < (b as *const Evbuffer) {
            a.lock();
            b.lock();
        } else {
            b.lock();
            a.lock();
        }
    }

    fn unlock2(a: &Evbuffer, b: &Evbuffer) {
        a.unlock();
        if !std::ptr::eq(a, b) {
            b.unlock();
        }
    }

    /// Runs one operation under the lock, then releases retired chains and runs callbacks
    /// when the operation says so.
    #[inline(always)]
    fn op<R>(&self, f: impl FnOnce(&mut Inner) -> (R, bool)) -> R {
        self.lock();
        let (r, invoke) = f(self.inner());
        self.reap();
        if invoke {
            self.invoke_callbacks();
        }
        self.unlock();
        r
    }

    /// Like `op` without callbacks.
    #[inline(always)]
    fn read_op<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        self.lock();
        let r = f(self.inner());
        self.reap();
        self.unlock();
        r
    }

    /// Releases chains retired by the last operation (their cleanups run user code).
    #[inline(always)]
    pub(crate) fn reap(&self) {
        if self.inner().dead.is_empty() {
            return;
        }
        self.reap_slow();
    }

    #[inline(never)]
    fn reap_slow(&self) {
        let mut dead = std::mem::take(&mut self.inner().dead);
        for &p in &dead {
            // SAFETY: each retired chain carries the reference this buffer dropped; no
            // borrow of `inner` is live.
            unsafe { release(p) };
        }
        dead.clear();
        let inner = self.inner();
        if inner.dead.is_empty() {
            inner.dead = dead;
        }
    }

    /// `evbuffer_invoke_callbacks_`.
    #[inline(always)]
    pub(crate) fn invoke_callbacks(&self) {
        let inner = self.inner();
        if inner.callbacks.is_empty() {
            inner.n_add_for_cb = 0;
            inner.n_del_for_cb = 0;
            return;
        }
        self.invoke_slow();
    }

    #[inline(never)]
    fn invoke_slow(&self) {
        if self.inner().deferred_cbs {
            self.schedule_deferred();
        }
        self.run_callbacks(false);
    }

    /// Schedules the deferred callbacks on the base's loop; while scheduled, the buffer
    /// (and its bufferevent) stay alive (libevent's `evbuffer_invoke_callbacks_`).
    fn schedule_deferred(&self) {
        let inner = self.inner();
        let base = inner.cb_queue as *mut crate::base::EventBase;
        let Some(d) = inner.deferred.as_deref_mut() else { return };
        let d: *mut crate::base::deferred::Deferred = d;
        // SAFETY: `base` came from `evbuffer_defer_callbacks` (a live base, the caller's
        // contract); `d` is boxed and lives until the buffer is freed, which cancels it.
        if unsafe { crate::base::deferred::schedule(base, d) } {
            let inner = self.inner();
            inner.refcnt += 1;
            if let (Some(&(incref, _)), false) = (inner.parent_ref, inner.parent.is_null()) {
                // SAFETY: the bufferevent registered these for its own pointer.
                unsafe { incref(inner.parent) };
            }
        }
    }

    /// The deferred callback: runs the callbacks that waited, then drops the reference
    /// taken when it was scheduled (`evbuffer_deferred_callback`).
    unsafe fn deferred_cb(arg: *mut c_void) {
        let p = NonNull::new(arg.cast::<Evbuffer>()).expect("deferred evbuffer callback without a buffer");
        // SAFETY: the scheduled callback holds a reference on the buffer.
        let b = unsafe { p.as_ref() };
        b.lock();
        let (parent, decref) = {
            let i = b.inner();
            (i.parent, i.parent_ref.map(|r| r.1))
        };
        b.run_callbacks(true);
        // SAFETY: drops the reference `schedule_deferred` took; we hold the lock.
        unsafe { Self::decref_and_unlock(p) };
        if let (Some(decref), false) = (decref, parent.is_null()) {
            // SAFETY: as in `schedule_deferred`.
            unsafe { decref(parent) };
        }
    }

    /// The deferred-callback entry (after `evbuffer_defer_callbacks`), which a bufferevent
    /// being freed must quiet first (libevent's `evbuffer_get_callbacks_`).
    pub(crate) fn deferred_callback(&self) -> Option<*mut crate::base::event::event_callback> {
        self.lock();
        let r = self.inner().deferred.as_deref_mut().map(|d| d.as_callback());
        self.unlock();
        r
    }

    /// For bufferevents: the owner, and how to keep it alive while a deferred callback of
    /// this buffer is pending (libevent's `evbuffer_set_parent_`).
    pub fn set_parent(&self, bev: *mut c_void, refs: Option<&'static ParentRefs>) {
        self.read_op(|i| {
            i.parent = bev;
            i.parent_ref = refs;
        })
    }

    /// `evbuffer_run_callbacks`.
    pub(crate) fn run_callbacks(&self, running_deferred: bool) {
        let (mask, want, clear) = if running_deferred {
            (CB_NODEFER | CB_ENABLED, CB_ENABLED, true)
        } else if self.inner().deferred_cbs {
            (CB_NODEFER | CB_ENABLED, CB_NODEFER | CB_ENABLED, false)
        } else {
            (CB_ENABLED, CB_ENABLED, true)
        };
        let mut snap = [None::<NonNull<CbEntry>>; CB_SNAPSHOT];
        let mut big = Vec::new();
        let (info, new_size) = {
            let inner = self.inner();
            if inner.callbacks.is_empty() {
                inner.n_add_for_cb = 0;
                inner.n_del_for_cb = 0;
                return;
            }
            if inner.n_add_for_cb == 0 && inner.n_del_for_cb == 0 {
                return;
            }
            let new_size = inner.total_len;
            let info = CbInfo {
                orig_size: new_size.wrapping_add(inner.n_del_for_cb).wrapping_sub(inner.n_add_for_cb),
                n_added: inner.n_add_for_cb,
                n_deleted: inner.n_del_for_cb,
            };
            if clear {
                inner.n_add_for_cb = 0;
                inner.n_del_for_cb = 0;
            }
            if inner.callbacks.len() <= CB_SNAPSHOT {
                for (s, e) in snap.iter_mut().zip(inner.callbacks.iter()) {
                    *s = Some(e);
                }
            } else {
                big = inner.callbacks.iter().collect();
            }
            (info, new_size)
        };
        let me = self as *const Evbuffer as *mut c_void;
        let list: &[NonNull<CbEntry>] = if big.is_empty() {
            let n = snap.iter().take_while(|e| e.is_some()).count();
            // SAFETY: Option<NonNull<T>> has the same layout as NonNull<T> when Some; the
            // first `n` entries are Some.
            unsafe { std::slice::from_raw_parts(snap.as_ptr().cast::<NonNull<CbEntry>>(), n) }
        } else {
            &big
        };
        for &e in list {
            // Skip entries removed by an earlier callback of this round.
            let (cb, arg) = {
                let inner = self.inner();
                if !inner.callbacks.contains(e) {
                    continue;
                }
                // SAFETY: registered entries are live.
                let ent = unsafe { e.as_ref() };
                if ent.flags & mask != want {
                    continue;
                }
                (ent.cb, ent.arg)
            };
            match cb {
                // SAFETY: the program's callback with the arguments it registered for.
                CbFn::Info(Some(f)) => unsafe { f(me, &info, arg) },
                // SAFETY: as above.
                CbFn::Obsolete(Some(f)) => unsafe { f(me, info.orig_size, new_size, arg) },
                _ => {}
            }
        }
    }

    /// `evbuffer_free`.
    ///
    /// # Safety
    /// `p` is a live buffer; the caller's reference is consumed.
    pub unsafe fn free(p: NonNull<Evbuffer>) {
        // SAFETY: caller's contract.
        unsafe {
            p.as_ref().lock();
            Self::decref_and_unlock(p);
        }
    }

    /// Bumps the reference count (`evbuffer_incref_`): multicast chains and bufferevents
    /// keep their buffers alive this way.
    pub fn incref(&self) {
        self.lock();
        self.inner().refcnt += 1;
        self.unlock();
    }

    /// `evbuffer_decref_and_unlock_`.
    ///
    /// # Safety
    /// `p` is live and locked by the caller, who owns the reference dropped here.
    pub unsafe fn decref_and_unlock(p: NonNull<Evbuffer>) {
        // SAFETY: caller's contract.
        let b = unsafe { p.as_ref() };
        let inner = b.inner();
        inner.refcnt -= 1;
        if inner.refcnt > 0 {
            b.unlock();
            return;
        }
        inner.free_all();
        inner.total_len = 0;
        while let Some(e) = inner.callbacks.pop_front() {
            // SAFETY: entries are boxed by `add_cb` and owned by the list.
            drop(unsafe { Box::from_raw(e.as_ptr()) });
        }
        if let Some(mut d) = inner.deferred.take() {
            // SAFETY: the base is live (the program frees buffers before their base);
            // cancelling an unscheduled callback is a no-op.
            unsafe { crate::base::deferred::cancel(inner.cb_queue.cast(), &mut *d) };
        }
        b.reap();
        b.unlock();
        // SAFETY: last reference; the box came from `Evbuffer::new`.
        drop(unsafe { Box::from_raw(p.as_ptr()) });
    }

    // ---- operations --------------------------------------------------------------------

    pub fn set_flags(&self, f: u32) {
        self.read_op(|i| i.flags |= f);
    }

    pub fn clear_flags(&self, f: u32) {
        self.read_op(|i| i.flags &= !f);
    }

    pub fn get_length(&self) -> usize {
        self.read_op(|i| i.total_len)
    }

    pub fn contiguous_space(&self) -> usize {
        self.read_op(|i| i.contiguous_space())
    }

    pub fn expand(&self, n: usize) -> c_int {
        self.read_op(|i| i.expand(n))
    }

    #[inline]
    pub fn add(&self, data: &[u8]) -> c_int {
        self.op(|i| {
            let r = i.add(data);
            (r, r == 0)
        })
    }

    pub fn prepend(&self, data: &[u8]) -> c_int {
        self.op(|i| {
            let r = i.prepend(data);
            (r, r == 0 && !data.is_empty())
        })
    }

    pub fn drain(&self, n: usize) -> c_int {
        self.op(|i| i.drain(n))
    }

    /// `evbuffer_remove`.
    ///
    /// # Safety
    /// `out` has room for `datlen` bytes.
    pub unsafe fn remove(&self, out: *mut u8, datlen: usize) -> c_int {
        self.op(|i| {
            // SAFETY: forwarded contract.
            let n = unsafe { i.copyout_from(None, out, datlen) };
            if n > 0 {
                let (r, inv) = i.drain(n as usize);
                return (if r < 0 { -1 } else { n as c_int }, inv);
            }
            (n as c_int, false)
        })
    }

    /// `evbuffer_copyout_from`; `pos` may be None. Invalid positions give -1.
    ///
    /// # Safety
    /// `out` has room for `datlen` bytes.
    pub unsafe fn copyout_from(&self, pos: Option<&Ptr>, out: *mut u8, datlen: usize) -> isize {
        self.read_op(|i| match pos {
            // SAFETY: forwarded contract.
            None => unsafe { i.copyout_from(None, out, datlen) },
            Some(p) => match i.resolve(p) {
                // SAFETY: forwarded contract.
                Some(ci) => unsafe { i.copyout_from(Some((*p, ci)), out, datlen) },
                None => {
                    crate::ev_warn!("evbuffer_copyout_from: the evbuffer_ptr does not point into this buffer");
                    -1
                }
            },
        })
    }

    pub fn reserve_space(&self, size: isize, vecs: &mut [libc::iovec]) -> c_int {
        self.read_op(|i| i.reserve_space(size, vecs))
    }

    pub fn commit_space(&self, vecs: &[libc::iovec]) -> c_int {
        self.op(|i| {
            let r = i.commit_space(vecs);
            (r, r == 0 && !vecs.is_empty())
        })
    }

    pub fn pullup(&self, size: isize) -> *mut u8 {
        self.read_op(|i| i.pullup(size))
    }

    /// `evbuffer_add_iovec`: bytes added.
    ///
    /// # Safety
    /// Each extent is readable for its length.
    pub unsafe fn add_iovec(&self, vecs: &[libc::iovec]) -> usize {
        self.lock();
        let total = vecs.iter().fold(0usize, |a, v| a.wrapping_add(v.iov_len));
        let mut res = 0;
        let ok = self.inner().expand_fast(total, 2) >= 0;
        self.reap();
        if ok {
            for v in vecs {
                let data = if v.iov_len == 0 {
                    &[][..]
                } else {
                    // SAFETY: the caller vouches for each extent (see the ffi contract).
                    unsafe { std::slice::from_raw_parts(v.iov_base as *const u8, v.iov_len) }
                };
                if self.add(data) < 0 {
                    break;
                }
                res += v.iov_len;
            }
        }
        self.unlock();
        res
    }

    /// `evbuffer_add_vprintf`, with a formatter that writes into the given space and
    /// returns the full length it needs (vsnprintf's contract).
    pub fn add_formatted(&self, mut fmt: impl FnMut(*mut u8, usize) -> c_int) -> c_int {
        self.op(|i| {
            if i.freeze_end {
                frozen("evbuffer_add_printf", false);
                return (-1, false);
            }
            let Some(mut ci) = i.expand_singlechain(64) else { return (-1, false) };
            loop {
                let (ptr, space) = {
                    let c = i.c(ci);
                    (c.space_ptr(), c.space())
                };
                let sz = fmt(ptr, space);
                if sz < 0 || sz as usize >= CHAIN_MAX {
                    return (-1, false);
                }
                let sz = sz as usize;
                if sz < space {
                    // libevent formats with vsnprintf straight into the chain, which leaves a
                    // NUL after the text; programs print `evbuffer_pullup(buf, -1)` as a C
                    // string and rely on it. The byte is spare room, not buffer content.
                    // SAFETY: `sz < space`, so `ptr + sz` is inside the chain's spare room.
                    unsafe { *ptr.add(sz) = 0 };
                    i.cm(ci).off += sz;
                    i.total_len += sz;
                    i.n_add_for_cb += sz;
                    i.advance_last_with_data();
                    return (sz as c_int, true);
                }
                // libevent asks for `sz + 1` bytes computed as an int: for a text of
                // INT_MAX bytes that overflows, the request becomes a huge size_t, and the
                // expansion fails. So a text that does not fit where it was formatted must
                // be shorter than INT_MAX, or nothing is added and the result is -1.
                if sz >= c_int::MAX as usize {
                    return (-1, false);
                }
                match i.expand_singlechain(sz + 1) {
                    Some(n) => ci = n,
                    None => return (-1, false),
                }
            }
        })
    }

    /// `evbuffer_add_buffer(self, src)`.
    pub fn add_buffer(&self, src: &Evbuffer) -> c_int {
        Self::lock2(self, src);
        let r = self.add_buffer_locked(src);
        Self::unlock2(self, src);
        r
    }

    #[inline(always)]
    fn add_buffer_locked(&self, src: &Evbuffer) -> c_int {
        if std::ptr::eq(self, src) {
            return 0;
        }
        let (out, inb) = (self.inner(), src.inner());
        if inb.total_len == 0 {
            return 0;
        }
        if out.freeze_end || inb.freeze_start {
            frozen("evbuffer_add_buffer", !out.freeze_end);
            return -1;
        }
        out.take_all_chains(inb, false);
        self.after_move(src);
        0
    }

    /// After chains moved from `src` to `self`: releases what `self` retired, then runs
    /// `src`'s callbacks and `self`'s (libevent's order).
    #[inline(always)]
    fn after_move(&self, src: &Evbuffer) {
        self.reap();
        src.invoke_callbacks();
        self.invoke_callbacks();
    }

    /// `evbuffer_prepend_buffer(self, src)`.
    pub fn prepend_buffer(&self, src: &Evbuffer) -> c_int {
        Self::lock2(self, src);
        let r = 'r: {
            if std::ptr::eq(self, src) {
                break 'r 0;
            }
            let (out, inb) = (self.inner(), src.inner());
            if inb.total_len == 0 {
                break 'r 0;
            }
            if out.freeze_start || inb.freeze_start {
                frozen("evbuffer_prepend_buffer", true);
                break 'r -1;
            }
            out.take_all_chains(inb, true);
            self.after_move(src);
            0
        };
        Self::unlock2(self, src);
        r
    }

    /// `evbuffer_remove_buffer(self, dst, datlen)`.
    pub fn remove_buffer(&self, dst: &Evbuffer, datlen: usize) -> c_int {
        Self::lock2(self, dst);
        let r = 'r: {
            if datlen == 0 || std::ptr::eq(self, dst) {
                break 'r 0;
            }
            let (src, d) = (self.inner(), dst.inner());
            if d.freeze_end || src.freeze_start {
                frozen("evbuffer_remove_buffer", src.freeze_start);
                break 'r -1;
            }
            if datlen >= src.total_len {
                let n = src.total_len;
                dst.add_buffer_locked(self);
                break 'r n as c_int;
            }
            // Whole chains move while they fit (the last chain with data never does: it
            // would take everything, handled above).
            let mut left = datlen;
            let mut k = 0;
            for p in src.chains.as_slice() {
                // SAFETY: live chain of `src`.
                let off = unsafe { p.as_ref() }.off;
                if off > left {
                    break;
                }
                left -= off;
                k += 1;
            }
            let moved = datlen - left;
            if k > 0 {
                // After dst's last chain with data, replacing its empty tail; dst's
                // last-with-data then advances over them.
                d.free_trailing_empty();
                d.chains.append_front_of(&mut src.chains, k);
                src.lwd = src.lwd.saturating_sub(k);
                d.advance_last_with_data();
                d.total_len += moved;
                d.n_add_for_cb += moved;
            }
            // The rest comes from the (now) first chain: copy it.
            let c = src.cm(0);
            // SAFETY: `left` < off readable bytes of src's first chain; dst is another
            // buffer, so the slice does not alias what `add` writes.
            let added = d.add(unsafe { std::slice::from_raw_parts(c.data(), left) }) == 0;
            c.misalign += left;
            c.off -= left;
            src.total_len -= datlen;
            src.n_del_for_cb += datlen;
            self.reap();
            dst.reap();
            if added {
                // libevent copies this tail with evbuffer_add (even when it is empty, after
                // whole chains moved), which runs dst's callbacks on its own; then it runs
                // them again below. The second run only shows for NODEFER callbacks of a
                // deferring buffer (counters are kept for the deferred run), which libevent
                // calls twice with the same info.
                dst.invoke_callbacks();
            }
            dst.invoke_callbacks();
            self.invoke_callbacks();
            datlen as c_int
        };
        Self::unlock2(self, dst);
        r
    }

    /// `evbuffer_add_buffer_reference(self, src)`.
    pub fn add_buffer_reference(&self, src: &Evbuffer) -> c_int {
        Self::lock2(self, src);
        let r = 'r: {
            if src.inner().total_len == 0 {
                break 'r 0;
            }
            if std::ptr::eq(self, src) {
                break 'r -1;
            }
            let (out, inb) = (self.inner(), src.inner());
            if out.freeze_end {
                frozen("evbuffer_add_buffer_reference", false);
                break 'r -1;
            }
            let shareable = |p: &NonNull<Chain>| {
                // SAFETY: live chains of `src`, which is locked.
                let c = unsafe { p.as_ref() };
                c.flags & (FILESEGMENT | SENDFILE | MULTICAST) == 0
            };
            if !inb.chains.as_slice().iter().all(shareable) {
                break 'r -1;
            }
            let in_total = inb.total_len;
            if out.total_len == 0 {
                out.free_all();
            }
            let srcp = NonNull::from(src);
            for k in 0..inb.chains.len() {
                let pp = inb.chains[k];
                // SAFETY: live chain of `src`, which we hold locked.
                let parent = unsafe { &mut *pp.as_ptr() };
                if parent.off == 0 {
                    continue;
                }
                let Some(t) = Chain::new_foreign(Kind::Multicast { source: srcp, parent: pp }, MULTICAST | IMMUTABLE)
                else {
                    crate::ev_warn!("evbuffer_add_buffer_reference: out of memory");
                    break;
                };
                inb.refcnt += 1;
                parent.refcnt += 1;
                parent.flags |= IMMUTABLE;
                // SAFETY: fresh chain.
                unsafe {
                    let c = &mut *t.as_ptr();
                    c.buffer = parent.buffer;
                    c.buffer_len = parent.buffer_len;
                    c.misalign = parent.misalign;
                    c.off = parent.off;
                }
                out.chain_insert(t);
            }
            out.n_add_for_cb += in_total;
            self.reap();
            self.invoke_callbacks();
            0
        };
        Self::unlock2(self, src);
        r
    }

    /// `evbuffer_add_reference`.
    ///
    /// # Safety
    /// `data` stays readable for `len` bytes until the cleanup runs.
    pub unsafe fn add_reference(
        &self,
        data: *const u8,
        len: usize,
        cleanup: Option<chain::RefCleanup>,
        extra: *mut c_void,
    ) -> c_int {
        let Some(p) = Chain::new_foreign(Kind::Reference { cleanup, extra }, chain::REFERENCE | IMMUTABLE) else {
            return -1;
        };
        // SAFETY: fresh chain.
        unsafe {
            let c = &mut *p.as_ptr();
            c.buffer = data as *mut u8;
            c.buffer_len = len;
            c.off = len;
        }
        self.op(|i| {
            if i.freeze_end {
                frozen("evbuffer_add_reference", false);
                // Never added: free without running the cleanup, as libevent does.
                // SAFETY: our fresh chain, never shared.
                unsafe { Chain::dealloc(p) };
                return (-1, false);
            }
            i.chain_insert(p);
            i.n_add_for_cb += len;
            (0, true)
        })
    }

    /// `evbuffer_readln`: the line (from the C allocator) and its length.
    pub fn readln(&self, style: c_int) -> (*mut std::ffi::c_char, usize) {
        self.lock();
        let inner = self.inner();
        if let Some(r) = inner.readln_fast(style) {
            self.unlock();
            return r;
        }
        if inner.freeze_start {
            frozen("evbuffer_readln", true);
            self.unlock();
            return (std::ptr::null_mut(), 0);
        }
        let (it, extra) = inner.search_eol(None, style);
        if it.pos < 0 {
            self.unlock();
            return (std::ptr::null_mut(), 0);
        }
        let n = it.pos as usize;
        let line = crate::mm::malloc(n + 1).cast::<u8>();
        if line.is_null() {
            crate::ev_warn!("evbuffer_readln: out of memory");
            self.unlock();
            return (std::ptr::null_mut(), 0);
        }
        let mut inv = false;
        if n > 0 {
            // SAFETY: `line` has n + 1 bytes.
            inner.copy_from(0, 0, unsafe { std::slice::from_raw_parts_mut(line, n) });
            inv = inner.drain(n).1;
        }
        // SAFETY: as above.
        unsafe { *line.add(n) = 0 };
        self.reap();
        if inv {
            self.invoke_callbacks();
        }
        let inv = self.inner().drain(extra).1;
        self.reap();
        if inv {
            self.invoke_callbacks();
        }
        self.unlock();
        (line.cast(), n)
    }

    pub fn search_range(&self, what: &[u8], start: Option<&Ptr>, end: Option<&Ptr>) -> Ptr {
        self.read_op(|i| {
            let s = match start {
                None => None,
                Some(p) => match i.resolve(p) {
                    Some(ci) => Some((*p, ci)),
                    None if p.pos < 0 => return Ptr::NOT_FOUND,
                    None => {
                        crate::ev_warn!("evbuffer_search: the start evbuffer_ptr does not point into this buffer");
                        return Ptr::NOT_FOUND;
                    }
                },
            };
            i.search_range(what, s, end.copied())
        })
    }

    /// Position 0 (what a search for an empty string returns).
    pub fn front_ptr(&self) -> Ptr {
        self.read_op(|i| Ptr {
            pos: 0,
            chain: i.chains.front().map_or(std::ptr::null_mut(), |p| p.as_ptr().cast()),
            pos_in_chain: 0,
        })
    }

    pub fn search_eol(&self, start: Option<&Ptr>, style: c_int) -> (Ptr, usize) {
        self.read_op(|i| {
            let s = match start {
                None => None,
                Some(p) => match i.resolve(p) {
                    Some(ci) => Some((*p, ci)),
                    None => {
                        crate::ev_warn!("evbuffer_search_eol: the evbuffer_ptr does not point into this buffer");
                        return (Ptr::NOT_FOUND, 0);
                    }
                },
            };
            i.search_eol(s, style)
        })
    }

    pub fn ptr_set(&self, p: &mut Ptr, position: usize, how: c_int) -> c_int {
        self.read_op(|i| match how {
            0 => i.ptr_set(p, position, None),
            1 => match i.resolve(p) {
                Some(ci) => i.ptr_set(p, position, Some(ci)),
                None => {
                    if p.pos >= 0 {
                        crate::ev_warn!("evbuffer_ptr_set: the evbuffer_ptr does not point into this buffer");
                    }
                    -1
                }
            },
            _ => {
                if position == 0 {
                    p.chain = std::ptr::null_mut();
                    p.pos_in_chain = 0;
                    0
                } else {
                    *p = Ptr::NOT_FOUND;
                    -1
                }
            }
        })
    }

    pub fn peek(&self, len: isize, start: Option<&Ptr>, vecs: &mut [libc::iovec], n_vec: c_int) -> c_int {
        self.read_op(|i| {
            let s = match start {
                None => None,
                Some(p) if p.chain.is_null() => return 0,
                Some(p) => match i.resolve(p) {
                    Some(ci) => Some((*p, ci)),
                    None => {
                        crate::ev_warn!("evbuffer_peek: the evbuffer_ptr does not point into this buffer");
                        return -1;
                    }
                },
            };
            i.peek(len, s, vecs, n_vec)
        })
    }

    pub fn freeze(&self, front: bool, on: bool) {
        self.read_op(|i| {
            if front {
                i.freeze_start = on;
            } else {
                i.freeze_end = on;
            }
        })
    }

    // ---- callbacks -----------------------------------------------------------------------

    /// `evbuffer_add_cb`; `None` when the allocator fails (libevent returns NULL).
    pub fn add_cb(&self, cb: CbFn, arg: *mut c_void) -> Option<NonNull<CbEntry>> {
        let e = NonNull::from(Box::leak(crate::mm::try_box(CbEntry { cb, arg, flags: CB_ENABLED, next: None })?));
        self.read_op(|i| i.callbacks.push_front(e));
        Some(e)
    }

    /// `e` is dereferenced only once found among this buffer's registered entries.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn remove_cb_entry(&self, e: *mut CbEntry) -> c_int {
        let found = self.read_op(|i| i.callbacks.remove(e));
        if !found {
            crate::ev_warn!("evbuffer_remove_cb_entry: the entry is not registered on this buffer");
            return -1;
        }
        // SAFETY: the entry was boxed by `add_cb` and just unlinked.
        drop(unsafe { Box::from_raw(e) });
        0
    }

    pub fn remove_cb(&self, cb: usize, arg: *mut c_void) -> c_int {
        self.lock();
        // SAFETY: registered entries are live.
        let hit = self
            .inner()
            .callbacks
            .iter()
            .find(|e| unsafe { e.as_ref() }.cb.addr() == cb && unsafe { e.as_ref() }.arg == arg);
        let r = match hit {
            Some(e) => self.remove_cb_entry(e.as_ptr()),
            None => -1,
        };
        self.unlock();
        r
    }

    /// `e` is dereferenced only once found among this buffer's registered entries.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn cb_flags(&self, e: *mut CbEntry, flags: u32, set: bool) -> c_int {
        let flags = flags & !CB_INTERNAL_FLAGS;
        self.read_op(|i| {
            if !i.callbacks.iter().any(|x| x.as_ptr() == e) {
                crate::ev_warn!("evbuffer_cb_set_flags: the entry is not registered on this buffer");
                return -1;
            }
            // SAFETY: registered entries are live.
            let ent = unsafe { &mut *e };
            if set {
                ent.flags |= flags;
            } else {
                ent.flags &= !flags;
            }
            0
        })
    }

    /// `evbuffer_setcb`: replaces every callback by one obsolete-style callback (or none).
    pub fn setcb(&self, cb: CbFn, arg: *mut c_void) -> c_int {
        self.lock();
        let mut old = std::mem::take(&mut self.inner().callbacks);
        while let Some(e) = old.pop_front() {
            // SAFETY: boxed by `add_cb`, owned by the list we just emptied.
            drop(unsafe { Box::from_raw(e.as_ptr()) });
        }
        let r = if cb.addr() != 0 && self.add_cb(cb, arg).is_none() { -1 } else { 0 };
        self.unlock();
        r
    }

    /// `evbuffer_defer_callbacks`.
    ///
    /// # Safety
    /// `base` is a live `EventBase` that outlives the buffer.
    pub unsafe fn defer_callbacks(&self, base: *mut c_void) -> c_int {
        let me = self as *const Evbuffer as *mut c_void;
        self.read_op(|i| {
            if let Some(mut d) = i.deferred.take() {
                // SAFETY: the old base is live per the contract; a no-op if not scheduled.
                unsafe { crate::base::deferred::cancel(i.cb_queue.cast(), &mut *d) };
            }
            i.cb_queue = base;
            i.deferred_cbs = true;
            i.deferred = Some(Box::new(crate::base::deferred::Deferred::new(Self::deferred_cb, me)));
        });
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buf_with(parts: &[&[u8]]) -> NonNull<Evbuffer> {
        let b = Evbuffer::new();
        // SAFETY: fresh buffers, freed by the tests.
        let (bb, t) = unsafe { (b.as_ref(), Evbuffer::new()) };
        for p in parts {
            // SAFETY: as above.
            let tt = unsafe { t.as_ref() };
            assert_eq!(tt.add(p), 0);
            assert_eq!(bb.add_buffer(tt), 0);
        }
        // SAFETY: `t` is ours.
        unsafe { Evbuffer::free(t) };
        b
    }

    #[test]
    fn capacities_match_libevent() {
        for (req, cap) in [(0, 976), (976, 976), (977, 2000), (4096, 8144), (100_000, 131_024)] {
            let c = Chain::new(req).unwrap();
            // SAFETY: fresh chain.
            unsafe {
                assert_eq!(c.as_ref().buffer_len, cap, "request {req}");
                Chain::dealloc(c);
            }
        }
    }

    #[test]
    fn search_and_eol_across_chains() {
        let b = buf_with(&[b"ab", b"c\r", b"\nde", b"f"]);
        // SAFETY: live buffer.
        let bb = unsafe { b.as_ref() };
        assert_eq!(bb.get_length(), 8);
        assert_eq!(bb.search_range(b"c\r\nd", None, None).pos, 2);
        assert_eq!(bb.search_range(b"bc", None, None).pos, 1);
        assert_eq!(bb.search_range(b"xyz", None, None).pos, -1);
        assert_eq!(bb.search_eol(None, EOL_CRLF), (bb.search_range(b"\r", None, None), 2));
        assert_eq!(bb.search_eol(None, EOL_LF).0.pos, 4);
        let (line, n) = bb.readln(EOL_CRLF_STRICT);
        assert_eq!(n, 3);
        // SAFETY: a NUL-terminated line from the C allocator.
        unsafe {
            assert_eq!(std::ffi::CStr::from_ptr(line).to_bytes(), b"abc");
            crate::mm::free(line.cast());
        }
        assert_eq!(bb.get_length(), 3);
        // SAFETY: ours.
        unsafe { Evbuffer::free(b) };
    }

    #[test]
    fn pullup_and_ptrs() {
        let b = buf_with(&[b"hello ", b"big ", b"world"]);
        // SAFETY: live buffer.
        let bb = unsafe { b.as_ref() };
        let mut p = Ptr::NOT_FOUND;
        assert_eq!(bb.ptr_set(&mut p, 7, 0), 0);
        assert_eq!(bb.ptr_set(&mut p, 3, 1), 0);
        assert_eq!(p.pos, 10);
        assert_eq!(bb.ptr_set(&mut p, 10, 1), -1);
        assert_eq!(p, Ptr::NOT_FOUND);
        let d = bb.pullup(-1);
        // SAFETY: pullup returned 15 contiguous bytes.
        assert_eq!(unsafe { std::slice::from_raw_parts(d, 15) }, b"hello big world");
        assert_eq!(bb.contiguous_space(), 15);
        assert!(bb.pullup(16).is_null());
        // SAFETY: ours.
        unsafe { Evbuffer::free(b) };
    }
}
