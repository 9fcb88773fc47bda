//! Timers: the min-heap of pending timeouts (index kept inside `struct event`), timeval
//! arithmetic, the monotonic clock, and the common-timeout encoding.
//!
//! The heap follows libevent's sift rules exactly (same comparisons, same hole moves), so
//! timers with equal deadlines fire in the same order as with libevent.

use std::ffi::c_int;

use libc::timeval;

use super::event::event;

pub(crate) const MICROSECONDS_MASK: i64 = 0x000f_ffff;
pub(crate) const COMMON_TIMEOUT_IDX_MASK: i64 = 0x0ff0_0000;
pub(crate) const COMMON_TIMEOUT_IDX_SHIFT: u32 = 20;
pub(crate) const COMMON_TIMEOUT_MASK: i64 = 0xf000_0000;
pub(crate) const COMMON_TIMEOUT_MAGIC: i64 = 0x5000_0000;
pub(crate) const MAX_COMMON_TIMEOUTS: usize = 256;

#[inline]
pub(crate) fn tv_zero() -> timeval {
    timeval { tv_sec: 0, tv_usec: 0 }
}

#[inline]
pub(crate) fn tv_gt(a: &timeval, b: &timeval) -> bool {
    if a.tv_sec == b.tv_sec {
        a.tv_usec > b.tv_usec
    } else {
        a.tv_sec > b.tv_sec
    }
}

/// `evutil_timeradd`.
#[inline]
pub(crate) fn tv_add(a: &timeval, b: &timeval) -> timeval {
    let mut r = timeval { tv_sec: a.tv_sec + b.tv_sec, tv_usec: a.tv_usec + b.tv_usec };
    if r.tv_usec >= 1_000_000 {
        r.tv_sec += 1;
        r.tv_usec -= 1_000_000;
    }
    r
}

/// `evutil_timersub`.
#[inline]
pub(crate) fn tv_sub(a: &timeval, b: &timeval) -> timeval {
    let mut r = timeval { tv_sec: a.tv_sec - b.tv_sec, tv_usec: a.tv_usec - b.tv_usec };
    if r.tv_usec < 0 {
        r.tv_sec -= 1;
        r.tv_usec += 1_000_000;
    }
    r
}

#[inline]
pub(crate) fn tv_isset(a: &timeval) -> bool {
    a.tv_sec != 0 || a.tv_usec != 0
}

/// Milliseconds for epoll_wait, rounded up like `evutil_tv_to_msec_`; -1 on overflow.
#[inline]
pub(crate) fn tv_to_msec(tv: &timeval) -> i64 {
    if tv.tv_usec > 1_000_000 || tv.tv_sec > (i64::MAX / 1000) - 1 {
        return -1;
    }
    // (A normalised tv_usec is never negative; the unsigned division is cheaper. A
    // negative one, which libevent's signed arithmetic would round towards zero, keeps the
    // signed division.)
    let ms_part = if tv.tv_usec >= 0 { ((tv.tv_usec + 999) as u64 / 1000) as i64 } else { (tv.tv_usec + 999) / 1000 };
    tv.tv_sec * 1000 + ms_part
}

/// Monotonic time, coarse unless `precise` (libevent: CLOCK_MONOTONIC_COARSE unless
/// EVENT_BASE_FLAG_PRECISE_TIMER).
#[inline]
pub(crate) fn monotonic(precise: bool) -> timeval {
    monotonic_clock(monotonic_clock_id(precise))
}

/// The clock [`monotonic`] reads.
#[inline]
pub(crate) fn monotonic_clock_id(precise: bool) -> libc::clockid_t {
    if precise {
        libc::CLOCK_MONOTONIC
    } else {
        libc::CLOCK_MONOTONIC_COARSE
    }
}

/// `clk` (a monotonic clock) as a timeval.
#[inline(always)]
pub(crate) fn monotonic_clock(clk: libc::clockid_t) -> timeval {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid out-pointer.
    unsafe { libc::clock_gettime(clk, &mut ts) };
    // (tv_nsec is in 0..1e9: the unsigned division is cheaper and the same.)
    timeval { tv_sec: ts.tv_sec, tv_usec: (ts.tv_nsec as u64 / 1000) as i64 }
}

/// Wall-clock time (`evutil_gettimeofday`).
#[inline]
pub(crate) fn wallclock() -> timeval {
    let mut tv = tv_zero();
    // SAFETY: valid out-pointer; NULL timezone.
    unsafe { libc::gettimeofday(&mut tv, std::ptr::null_mut()) };
    tv
}

/// Whether `tv` carries the common-timeout magic for a base with `n` common timeouts.
#[inline]
pub(crate) fn is_common_timeout(tv: &timeval, n: usize) -> bool {
    // (`n` first: most bases have no common timeouts.)
    n != 0
        && (tv.tv_usec & COMMON_TIMEOUT_MASK) == COMMON_TIMEOUT_MAGIC
        && (((tv.tv_usec & COMMON_TIMEOUT_IDX_MASK) >> COMMON_TIMEOUT_IDX_SHIFT) as usize) < n
}

#[inline]
pub(crate) fn common_timeout_idx(tv: &timeval) -> usize {
    ((tv.tv_usec & COMMON_TIMEOUT_IDX_MASK) >> COMMON_TIMEOUT_IDX_SHIFT) as usize
}

/// The min-heap of events with a pending (non-common) timeout.
///
/// Each slot caches its event's deadline next to the pointer, so sifting compares keys in
/// the array instead of chasing two event pointers per comparison (events are scattered in
/// the program's memory: with large heaps those loads are cache misses). Keys compare
/// exactly like libevent's `evutil_timercmp` (seconds, then microseconds), and the sift
/// steps are libevent's, so equal deadlines come out in the same order.
#[derive(Default)]
pub(crate) struct MinHeap {
    p: Vec<Slot>,
}

/// A heap entry: the event's deadline as a 128-bit key (seconds in the high half,
/// microseconds in the low half, each with its sign bit flipped so that unsigned order is
/// the signed order), then the event.
#[derive(Clone, Copy)]
struct Slot {
    hi: u64,
    lo: u64,
    ev: *mut event,
}

const SIGN: u64 = 1 << 63;

impl Slot {
    #[inline(always)]
    fn new(t: &timeval, ev: *mut event) -> Slot {
        Slot { hi: t.tv_sec as u64 ^ SIGN, lo: t.tv_usec as u64 ^ SIGN, ev }
    }

    #[inline(always)]
    fn key(&self) -> u128 {
        ((self.hi as u128) << 64) | self.lo as u128
    }

    #[inline(always)]
    fn deadline(&self) -> timeval {
        timeval { tv_sec: (self.hi ^ SIGN) as i64, tv_usec: (self.lo ^ SIGN) as i64 }
    }

    /// `evutil_timercmp(a, b, >)` (seconds, then microseconds, signed; whatever the
    /// microseconds hold) as one 128-bit comparison, without branches: which of two
    /// deadlines is later is unpredictable, and a mispredicted branch costs more.
    #[inline(always)]
    fn greater(&self, o: &Slot) -> bool {
        self.key() > o.key()
    }
}

impl MinHeap {
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.p.is_empty()
    }
    #[inline]
    pub(crate) fn top(&self) -> *mut event {
        self.p.first().map_or(std::ptr::null_mut(), |s| s.ev)
    }

    /// The first deadline, from the heap's own copy (no visit to the event).
    #[inline(always)]
    pub(crate) fn top_deadline(&self) -> Option<timeval> {
        self.p.first().map(Slot::deadline)
    }
    pub(crate) fn iter(&self) -> impl Iterator<Item = *mut event> + '_ {
        self.p.iter().map(|s| s.ev)
    }

    /// # Safety
    /// `e` is a live event not in the heap; its `ev_timeout` is final while it is in.
    pub(crate) unsafe fn push(&mut self, e: *mut event) {
        // SAFETY: live per the caller.
        let t = unsafe { (*e).ev_timeout };
        let slot = Slot::new(&t, e);
        let n = self.p.len();
        self.p.push(slot);
        // SAFETY: forwarded.
        unsafe { self.shift_up(n, slot) };
    }

    /// Whether `e`, a member, is in the last slot.
    ///
    /// # Safety
    /// `e` is a live event in this heap.
    #[inline(always)]
    pub(crate) unsafe fn is_last(&self, e: *mut event) -> bool {
        // SAFETY: live per the caller.
        let idx = unsafe { (*e).heap_idx() };
        idx >= 0 && idx as usize + 1 == self.p.len()
    }

    /// `erase(e)` then `push(e)` for `e` in the last slot whose `ev_timeout` changed: the
    /// erase leaves every other slot alone, and the push puts `e` back in the same slot and
    /// sifts it up, which is what this does.
    ///
    /// # Safety
    /// `e` is live and [`is_last`](Self::is_last); its `ev_timeout` is final while it is in.
    #[inline(always)]
    pub(crate) unsafe fn rekey_last(&mut self, e: *mut event) {
        // SAFETY: per the caller.
        unsafe {
            debug_assert!(self.is_last(e));
            let slot = Slot::new(&(*e).ev_timeout, e);
            self.shift_up(self.p.len() - 1, slot);
        }
    }

    /// # Safety
    /// `e` is a live event; if its index is -1 nothing happens.
    pub(crate) unsafe fn erase(&mut self, e: *mut event) {
        // SAFETY: `e` is live per the caller.
        let idx = unsafe { (*e).heap_idx() };
        if idx < 0 {
            return;
        }
        let idx = idx as usize;
        let last = self.p.pop().expect("heap member in empty heap");
        if idx < self.p.len() {
            let parent = idx.wrapping_sub(1) / 2;
            // SAFETY: all pointers in the heap are live.
            unsafe {
                if idx > 0 && self.p[parent].greater(&last) {
                    self.shift_up_unconditional(idx, last);
                } else {
                    self.shift_down(idx, last);
                }
            }
        }
        // SAFETY: `e` is live.
        unsafe { (*e).set_heap_idx(-1) };
    }

    /// Slot `i` (unchecked: every caller passes an index below the heap's length).
    #[inline(always)]
    unsafe fn at(&self, i: usize) -> &Slot {
        debug_assert!(i < self.p.len());
        // SAFETY: `i < len` per the caller.
        unsafe { self.p.get_unchecked(i) }
    }

    /// Puts `s` at `i` and records the index in its event.
    #[inline(always)]
    unsafe fn set(&mut self, i: usize, s: Slot) {
        debug_assert!(i < self.p.len());
        // SAFETY: `i < len` per the caller; heap members are live.
        unsafe {
            *self.p.get_unchecked_mut(i) = s;
            (*s.ev).set_heap_idx(i as c_int);
        }
    }

    unsafe fn shift_up_unconditional(&mut self, mut hole: usize, e: Slot) {
        let mut parent = (hole - 1) / 2;
        // SAFETY: `hole < len` on entry and only moves towards the root; heap members are
        // live.
        unsafe {
            loop {
                self.set(hole, *self.at(parent));
                hole = parent;
                if hole == 0 {
                    break;
                }
                parent = (hole - 1) / 2;
                if !self.at(parent).greater(&e) {
                    break;
                }
            }
            self.set(hole, e);
        }
    }

    unsafe fn shift_up(&mut self, mut hole: usize, e: Slot) {
        // SAFETY: `hole < len` on entry and only moves towards the root; heap members are
        // live.
        unsafe {
            while hole > 0 {
                let parent = (hole - 1) / 2;
                if !self.at(parent).greater(&e) {
                    break;
                }
                self.set(hole, *self.at(parent));
                hole = parent;
            }
            self.set(hole, e);
        }
    }

    unsafe fn shift_down(&mut self, mut hole: usize, e: Slot) {
        let n = self.p.len();
        let mut min_child = 2 * (hole + 1);
        // SAFETY: children are read only below `n`; `hole < n` throughout; heap members are
        // live.
        unsafe {
            while min_child <= n {
                // The smaller child (as libevent, which subtracts the comparison's result).
                if min_child == n {
                    min_child -= 1;
                } else {
                    min_child -= self.at(min_child).greater(self.at(min_child - 1)) as usize;
                }
                if !e.greater(self.at(min_child)) {
                    break;
                }
                self.set(hole, *self.at(min_child));
                hole = min_child;
                min_child = 2 * (hole + 1);
            }
            self.set(hole, e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev_at(usec: i64) -> Box<event> {
        // SAFETY: an all-zero struct event is a valid (unassigned) event.
        let mut e: Box<event> = Box::new(unsafe { std::mem::zeroed() });
        e.ev_timeout = timeval { tv_sec: 0, tv_usec: usec };
        e.set_heap_idx(-1);
        e
    }

    #[test]
    fn heap_pops_in_deadline_order_and_erases_anywhere() {
        let mut evs: Vec<Box<event>> = [50, 10, 40, 30, 20, 60, 5].iter().map(|&u| ev_at(u)).collect();
        let mut h = MinHeap::default();
        for e in evs.iter_mut() {
            // SAFETY: boxes outlive the heap.
            unsafe { h.push(&mut **e) };
        }
        // Erase a middle element (40).
        // SAFETY: member of the heap.
        unsafe { h.erase(&mut *evs[2]) };
        assert_eq!(evs[2].heap_idx(), -1);
        let mut out = vec![];
        while !h.is_empty() {
            let t = h.top();
            // SAFETY: live boxes.
            unsafe {
                out.push((*t).ev_timeout.tv_usec);
                h.erase(t);
            }
        }
        assert_eq!(out, vec![5, 10, 20, 30, 50, 60]);
    }

    #[test]
    fn rekey_last_is_erase_then_push() {
        // Random deadlines (with repeats, so that ties matter); after each re-key of the
        // last member both heaps hold the same events in the same slots.
        let mut seed = 12345u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 7) as i64
        };
        for n in 1..40 {
            let mut a: Vec<Box<event>> = (0..n).map(|_| ev_at(rnd())).collect();
            let mut b: Vec<Box<event>> = a.iter().map(|e| ev_at(e.ev_timeout.tv_usec)).collect();
            let (mut ha, mut hb) = (MinHeap::default(), MinHeap::default());
            // SAFETY: the boxes outlive the heaps.
            unsafe {
                for k in 0..n {
                    ha.push(&mut *a[k]);
                    hb.push(&mut *b[k]);
                }
                for _ in 0..20 {
                    let k = (0..n).find(|&k| ha.is_last(&mut *a[k])).unwrap();
                    let t = rnd();
                    a[k].ev_timeout.tv_usec = t;
                    ha.rekey_last(&mut *a[k]);
                    hb.erase(&mut *b[k]);
                    b[k].ev_timeout.tv_usec = t;
                    hb.push(&mut *b[k]);
                    let ia: Vec<i32> = a.iter().map(|e| e.heap_idx()).collect();
                    let ib: Vec<i32> = b.iter().map(|e| e.heap_idx()).collect();
                    assert_eq!(ia, ib);
                }
            }
        }
    }

    #[test]
    fn heap_keys_order_as_timercmp() {
        let vals = [i64::MIN, -1_000_001, -1, 0, 1, 999_999, 1_000_000, 5_000_000, i64::MAX];
        for &s1 in &vals {
            for &u1 in &vals {
                for &s2 in &vals {
                    for &u2 in &vals {
                        let (a, b) = (timeval { tv_sec: s1, tv_usec: u1 }, timeval { tv_sec: s2, tv_usec: u2 });
                        let (x, y) = (Slot::new(&a, std::ptr::null_mut()), Slot::new(&b, std::ptr::null_mut()));
                        assert_eq!(x.greater(&y), tv_gt(&a, &b), "{s1}.{u1} > {s2}.{u2}");
                        assert_eq!((x.deadline().tv_sec, x.deadline().tv_usec), (s1, u1));
                    }
                }
            }
        }
    }

    #[test]
    fn timeval_math_and_msec_rounding() {
        let a = timeval { tv_sec: 1, tv_usec: 900_000 };
        let b = timeval { tv_sec: 0, tv_usec: 200_000 };
        let s = tv_add(&a, &b);
        assert_eq!((s.tv_sec, s.tv_usec), (2, 100_000));
        let d = tv_sub(&b, &a);
        assert_eq!((d.tv_sec, d.tv_usec), (-2, 300_000));
        assert_eq!(tv_to_msec(&timeval { tv_sec: 0, tv_usec: 1 }), 1);
        assert!(is_common_timeout(&timeval { tv_sec: 0, tv_usec: COMMON_TIMEOUT_MAGIC | 5 }, 1));
        assert!(!is_common_timeout(&timeval { tv_sec: 0, tv_usec: COMMON_TIMEOUT_MAGIC | (1 << 20) }, 1));
    }
}
