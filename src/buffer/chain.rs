//! One chain: a block of memory and the window `[misalign, misalign + off)` of it that holds
//! the buffer's bytes. Owned chains carry their storage inline (one allocation per chain);
//! reference, file-segment and multicast chains point at memory owned elsewhere.
//!
//! Capacities follow libevent's policy exactly (a power of two of at least 1024 bytes,
//! minus libevent's 48-byte chain header), because they are visible to programs through
//! `evbuffer_reserve_space`, `evbuffer_peek` and `evbuffer_get_contiguous_space`.

use std::alloc::{alloc, dealloc, Layout};
use std::ffi::c_void;
use std::ptr::NonNull;

use super::file::FileSegment;
use super::Evbuffer;

/// `sizeof(struct evbuffer_chain)` in libevent on LP64: capacities subtract it.
pub(crate) const LE_CHAIN_HDR: usize = 48;
pub(crate) const MIN_BUFFER_SIZE: usize = 1024;
/// `EVBUFFER_CHAIN_MAX` (off_t and size_t are both 64-bit here).
pub(crate) const CHAIN_MAX: usize = isize::MAX as usize;

// Chain flags, libevent's values.
pub(crate) const FILESEGMENT: u32 = 0x0001;
pub(crate) const SENDFILE: u32 = 0x0002;
pub(crate) const REFERENCE: u32 = 0x0004;
pub(crate) const IMMUTABLE: u32 = 0x0008;
pub(crate) const MULTICAST: u32 = 0x0080;

pub type RefCleanup = unsafe extern "C" fn(data: *const c_void, datalen: usize, extra: *mut c_void);

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// `evbuffer_add_reference`: the caller's memory, released through `cleanup`.
    Reference { cleanup: Option<RefCleanup>, extra: *mut c_void },
    /// A window onto a file segment (mapped, read into memory, or sent with sendfile).
    File { seg: NonNull<FileSegment> },
    /// `evbuffer_add_buffer_reference`: shares `parent`'s bytes, keeps `source` alive.
    Multicast { source: NonNull<Evbuffer>, parent: NonNull<Chain> },
}

/// A chain's header. Owned chains keep their storage right after it, in the same
/// allocation, which is exactly libevent's size (header plus capacity is a power of two), so
/// the C allocator serves them from the same fast bins. Chains of memory owned elsewhere
/// carry a [`Kind`] after the header instead; their flags say which.
pub(crate) struct Chain {
    pub buffer: *mut u8,
    pub buffer_len: usize,
    /// Unused bytes before the data; for sendfile chains, the offset in the file.
    pub misalign: usize,
    pub off: usize,
    pub flags: u32,
    pub refcnt: u32,
}

/// Flags of chains that carry a [`Kind`].
pub(crate) const FOREIGN: u32 = REFERENCE | FILESEGMENT | MULTICAST;

const HDR: usize = std::mem::size_of::<Chain>();
const ALIGN: usize = 16;

fn layout(extra: usize) -> Option<Layout> {
    Layout::from_size_align(HDR.checked_add(extra)?, ALIGN).ok()
}

impl Chain {
    /// A new owned chain able to hold at least `size` bytes (libevent's `evbuffer_chain_new`).
    #[inline]
    pub fn new(size: usize) -> Option<NonNull<Chain>> {
        if size > CHAIN_MAX - LE_CHAIN_HDR {
            return None;
        }
        let size = size + LE_CHAIN_HDR;
        let to_alloc = if size < CHAIN_MAX / 2 { size.max(MIN_BUFFER_SIZE).next_power_of_two() } else { size };
        let cap = to_alloc - LE_CHAIN_HDR;
        if let Some(p) = cache::take(cap) {
            // SAFETY: a cached chain is an owned allocation for exactly `cap` bytes.
            unsafe {
                p.as_ptr().write(Chain {
                    buffer: p.as_ptr().cast::<u8>().add(HDR),
                    buffer_len: cap,
                    misalign: 0,
                    off: 0,
                    flags: 0,
                    refcnt: 1,
                })
            };
            return Some(p);
        }
        let l = layout(cap)?;
        // SAFETY: the layout has a non-zero size.
        let p = NonNull::new(unsafe { alloc(l) }.cast::<Chain>())?;
        // SAFETY: fresh allocation of the header plus `cap` bytes.
        unsafe {
            let data = p.as_ptr().cast::<u8>().add(HDR);
            p.as_ptr().write(Chain { buffer: data, buffer_len: cap, misalign: 0, off: 0, flags: 0, refcnt: 1 });
        }
        Some(p)
    }

    /// A header-only chain for memory owned elsewhere; `flags` must include the flag of
    /// `kind` (REFERENCE, FILESEGMENT or MULTICAST).
    pub fn new_foreign(kind: Kind, flags: u32) -> Option<NonNull<Chain>> {
        debug_assert!(flags & FOREIGN != 0);
        let l = layout(std::mem::size_of::<Kind>())?;
        // SAFETY: the layout has a non-zero size.
        let p = NonNull::new(unsafe { alloc(l) }.cast::<Chain>())?;
        // SAFETY: fresh allocation of the header plus a `Kind` (HDR keeps it aligned).
        unsafe {
            p.as_ptr().write(Chain {
                buffer: std::ptr::null_mut(),
                buffer_len: 0,
                misalign: 0,
                off: 0,
                flags,
                refcnt: 1,
            });
            p.as_ptr().cast::<u8>().add(HDR).cast::<Kind>().write(kind);
        }
        Some(p)
    }

    /// What a foreign chain points at (None for owned chains).
    #[inline]
    pub fn kind(&self) -> Option<&Kind> {
        if self.flags & FOREIGN == 0 {
            return None;
        }
        // SAFETY: foreign chains are allocated with a `Kind` right after the header.
        Some(unsafe { &*(self as *const Chain).cast::<u8>().add(HDR).cast::<Kind>() })
    }

    /// Frees the memory of a chain whose refcount reached zero (no cleanups run here).
    ///
    /// # Safety
    /// `p` came from `Chain::new*` and is not used afterwards.
    pub unsafe fn dealloc(p: NonNull<Chain>) {
        // SAFETY: caller's contract; the layout is the one used to allocate.
        unsafe {
            let c = &*p.as_ptr();
            if c.flags & FOREIGN == 0 && cache::put(p, c.buffer_len) {
                return;
            }
            let extra = if c.flags & FOREIGN != 0 { std::mem::size_of::<Kind>() } else { c.buffer_len };
            dealloc(p.as_ptr().cast(), layout(extra).unwrap_or(Layout::new::<Chain>()));
        }
    }

    /// Writable bytes after the data (`CHAIN_SPACE_LEN`).
    #[inline(always)]
    pub fn space(&self) -> usize {
        if self.flags & IMMUTABLE != 0 {
            0
        } else {
            self.buffer_len - self.misalign - self.off
        }
    }

    /// `CHAIN_SPACE_PTR`: where the next byte would be written (only compared, or written
    /// when `space() > 0`).
    #[inline(always)]
    pub fn space_ptr(&self) -> *mut u8 {
        self.buffer.wrapping_add(self.misalign + self.off)
    }

    /// Pointer to the first readable byte. Sendfile chains have no memory of their own: their
    /// segment is mapped or read on first access (libevent would dereference NULL there).
    #[inline(always)]
    pub fn data(&self) -> *const u8 {
        if self.flags & SENDFILE != 0 && self.off != 0 {
            return self.sendfile_data();
        }
        self.buffer.wrapping_add(self.misalign)
    }

    #[cold]
    fn sendfile_data(&self) -> *const u8 {
        let Some(&Kind::File { seg }) = self.kind() else { return std::ptr::null() };
        // SAFETY: the chain holds a reference on its segment.
        let seg = unsafe { &mut *seg.as_ptr() };
        match seg.contents() {
            Some(c) => c.wrapping_add(self.misalign - seg.file_offset as usize),
            None => crate::ev_fatal!("evbuffer: cannot read file segment {} for a non-sendfile operation", seg.fd),
        }
    }

    /// The readable bytes.
    ///
    /// # Safety
    /// The chain's memory is live (true for every chain held by a buffer).
    #[inline(always)]
    pub unsafe fn bytes(&self) -> &[u8] {
        if self.off == 0 {
            return &[];
        }
        // SAFETY: caller's contract; `data()` points at `off` readable bytes.
        unsafe { std::slice::from_raw_parts(self.data(), self.off) }
    }

    /// Whether freeing this chain runs code outside the buffer (user callbacks, other
    /// buffers' locks): such chains are released after the buffer's state is consistent.
    #[inline(always)]
    pub fn has_side_effects(&self) -> bool {
        self.flags & FOREIGN != 0
    }
}

/// Drops one reference to `p`; at zero, runs its cleanup and frees it
/// (libevent's `evbuffer_chain_free`).
///
/// # Safety
/// `p` is live and the caller owns the reference it drops. The caller must not hold a
/// Rust reference into any buffer whose chains a cleanup may touch.
pub(crate) unsafe fn release(p: NonNull<Chain>) {
    // SAFETY: `p` is live per the contract.
    let c = unsafe { &mut *p.as_ptr() };
    c.refcnt -= 1;
    if c.refcnt > 0 {
        return;
    }
    match c.kind().copied() {
        None | Some(Kind::Reference { cleanup: None, .. }) => {}
        Some(Kind::Reference { cleanup: Some(f), extra }) => {
            {
                // SAFETY: the program's cleanup, called once with what it registered.
                unsafe { f(c.buffer as *const c_void, c.buffer_len, extra) };
            }
        }
        Some(Kind::File { seg }) => {
            // SAFETY: the chain held one reference on the segment.
            unsafe { super::file::segment_decref(seg) };
        }
        Some(Kind::Multicast { source, parent }) => {
            // SAFETY: the multicast chain holds a reference on `source` and on `parent`;
            // both stay alive until dropped here, under `source`'s lock as libevent does.
            unsafe {
                let src = source.as_ref();
                src.lock();
                release(parent);
                Evbuffer::decref_and_unlock(source);
            }
        }
    }
    // SAFETY: refcount is zero; nobody else refers to the chain.
    unsafe { Chain::dealloc(p) };
}

/// A process-wide cache of freed owned chains of the common sizes (1, 2, 4 and 8 KiB
/// allocations), as singly linked lists threaded through the dead chains themselves.
/// Buffers that fill and drain in rounds (a bufferevent's input, a write queue, a batch of
/// moved chains) otherwise hand memory back to malloc, whose free lists and coalescing cost
/// more than the rest of an add; libevent pays that on every round. One budget covers all
/// sizes, and a size class being taken from may evict classes last taken from earlier, so
/// the budget follows the sizes in use.
///
/// The cache is one for the whole process, not one per thread, so that its memory is
/// bounded however many threads have used buffers: per-thread caches kept up to their budget
/// each in every idle thread of a pool, where libevent (and malloc_trim) keep nothing. A
/// thread that finds the cache locked by another simply uses malloc, so the lock never waits.
mod cache {
    use super::{dealloc, layout, Chain, LE_CHAIN_HDR};
    use std::cell::UnsafeCell;
    use std::ptr::NonNull;
    use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

    const CLASSES: usize = 4;
    /// At most this many bytes of chains are cached, all sizes and threads together: what
    /// the process may hold beyond libevent's footprint once its threads are idle. 1 MiB
    /// holds the chains a hundred busy bufferevent connections have in flight; with 256 KiB
    /// the rest went back to malloc, whose heap then grew and shrank (`brk`) about 150 times
    /// per 5,000 echo round trips (docs/benchmarks.md).
    pub(super) const BUDGET: usize = 1024 * 1024;

    type Link = Option<NonNull<Chain>>;

    pub(super) struct Cache {
        /// Per size class, the most recently freed chain; each cached chain's first word
        /// holds the next one.
        heads: [Link; CLASSES],
        bytes: usize,
        /// `clock` at each class's last `take` (0: never), for eviction.
        last_take: [u64; CLASSES],
        clock: u64,
    }

    /// The cache and its lock, on a cache line of their own.
    #[repr(align(64))]
    struct Shared {
        busy: AtomicBool,
        cache: UnsafeCell<Cache>,
    }

    // SAFETY: `cache` is only touched by the thread that set `busy` (see `with`).
    unsafe impl Sync for Shared {}

    static SHARED: Shared = Shared { busy: AtomicBool::new(false), cache: UnsafeCell::new(Cache::new()) };

    /// Runs `f` on the cache unless another thread holds it (then None: the caller uses
    /// the allocator instead of waiting). A child forked while another thread held it
    /// never gets it, and simply allocates.
    #[inline(always)]
    fn with<R>(f: impl FnOnce(&mut Cache) -> R) -> Option<R> {
        if !enabled() || SHARED.busy.swap(true, Ordering::Acquire) {
            return None;
        }
        // SAFETY: `busy` was false and is now ours: no other thread touches the cache
        // until we release it below; `f` does not re-enter the cache.
        let r = f(unsafe { &mut *SHARED.cache.get() });
        SHARED.busy.store(false, Ordering::Release);
        Some(r)
    }

    /// Whether the cache is used: not under a valgrind tool that tracks malloc (memcheck,
    /// helgrind, massif, ...), so that it sees every chain's malloc and free: a chain used
    /// after its release would otherwise sit unnoticed in the cache. The memcheck pass of
    /// the C suite relies on it. Tools that count instructions (callgrind, as
    /// bench/instr.sh uses it) replace no allocator and see the cache as it runs natively.
    #[inline(always)]
    fn enabled() -> bool {
        /// 0: not known yet, 1: on, 2: off.
        static STATE: AtomicU8 = AtomicU8::new(0);
        match STATE.load(Ordering::Relaxed) {
            1 => true,
            2 => false,
            _ => {
                let on = !(running_on_valgrind() && valgrind_tracks_malloc());
                STATE.store(if on { 1 } else { 2 }, Ordering::Relaxed);
                on
            }
        }
    }

    /// Valgrind tools that replace malloc preload their own `vgpreload_<tool>` library
    /// beside `vgpreload_core` (only asked when running under valgrind).
    #[cold]
    fn valgrind_tracks_malloc() -> bool {
        std::env::var_os("LD_PRELOAD").is_some_and(|v| {
            v.to_string_lossy().split(':').any(|lib| lib.contains("/vgpreload_") && !lib.contains("/vgpreload_core"))
        })
    }

    /// valgrind.h's RUNNING_ON_VALGRIND client request: a no-op instruction sequence that
    /// valgrind recognises and answers (non-zero under valgrind, 0 on the real CPU).
    #[cold]
    #[cfg(target_arch = "x86_64")]
    fn running_on_valgrind() -> bool {
        const VG_USERREQ_RUNNING_ON_VALGRIND: usize = 0x1001;
        let args: [usize; 6] = [VG_USERREQ_RUNNING_ON_VALGRIND, 0, 0, 0, 0, 0];
        let mut result: usize = 0;
        // SAFETY: the four rotations of rdi add up to 128 bits, so they leave every
        // register as it was, and `xchg rbx, rbx` changes nothing; valgrind reads the
        // request from `args` (pointed to by rax) and writes its answer to rdx.
        unsafe {
            std::arch::asm!(
                "rol rdi, 3",
                "rol rdi, 13",
                "rol rdi, 61",
                "rol rdi, 51",
                "xchg rbx, rbx",
                in("rax") args.as_ptr(),
                inout("rdx") result,
                options(nostack, preserves_flags),
            );
        }
        result != 0
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn running_on_valgrind() -> bool {
        false
    }

    #[inline(always)]
    fn class(cap: usize) -> Option<usize> {
        let total = cap + LE_CHAIN_HDR;
        if total.is_power_of_two() && (1024..=8192).contains(&total) {
            Some(total.trailing_zeros() as usize - 10)
        } else {
            None
        }
    }

    #[inline(always)]
    fn class_cap(k: usize) -> usize {
        (1024usize << k) - LE_CHAIN_HDR
    }

    impl Cache {
        pub(super) const fn new() -> Cache {
            Cache { heads: [None; CLASSES], bytes: 0, last_take: [0; CLASSES], clock: 0 }
        }

        /// Unlinks the newest chain of class `k`.
        #[inline(always)]
        fn pop(&mut self, k: usize) -> Link {
            let p = self.heads[k]?;
            // SAFETY: a cached chain's first word is the next link (written by `put`).
            self.heads[k] = unsafe { p.as_ptr().cast::<Link>().read() };
            self.bytes -= class_cap(k) + LE_CHAIN_HDR;
            Some(p)
        }

        /// A cached chain with capacity `cap`, if any.
        #[inline(always)]
        pub(super) fn take(&mut self, cap: usize) -> Link {
            let k = class(cap)?;
            self.clock += 1;
            self.last_take[k] = self.clock;
            self.pop(k)
        }

        /// Keeps a freed chain for reuse; false when it should go back to the allocator.
        #[inline(always)]
        pub(super) fn put(&mut self, p: NonNull<Chain>, cap: usize) -> bool {
            let Some(k) = class(cap) else { return false };
            let size = cap + LE_CHAIN_HDR;
            if self.bytes + size > BUDGET && !self.evict_for(k, size) {
                return false;
            }
            // SAFETY: the chain is dead (refcount zero) and at least a header long;
            // its first word becomes the link.
            unsafe { p.as_ptr().cast::<Link>().write(self.heads[k]) };
            self.heads[k] = Some(p);
            self.bytes += size;
            true
        }

        /// Makes room for `size` bytes of class `k` by freeing cached chains of classes
        /// that were last taken from before class `k` was (least recently used first): the
        /// budget follows the sizes in use instead of staying full of an earlier
        /// workload's. False when no class is staler than `k`.
        #[cold]
        fn evict_for(&mut self, k: usize, size: usize) -> bool {
            loop {
                let Some(j) = (0..CLASSES)
                    .filter(|&j| j != k && self.heads[j].is_some() && self.last_take[j] < self.last_take[k])
                    .min_by_key(|&j| self.last_take[j])
                else {
                    return false;
                };
                if let Some(p) = self.pop(j) {
                    // SAFETY: an unreferenced cached allocation of class `j`'s size.
                    unsafe { free_chain(p, j) };
                }
                if self.bytes + size <= BUDGET {
                    return true;
                }
            }
        }

        /// Frees every cached chain.
        #[cfg(test)]
        pub(super) fn clear(&mut self) {
            for k in 0..CLASSES {
                while let Some(p) = self.pop(k) {
                    // SAFETY: as in `evict_for`.
                    unsafe { free_chain(p, k) };
                }
            }
        }
    }

    /// # Safety
    /// `p` is an owned chain allocation of class `k`'s size that nobody references.
    unsafe fn free_chain(p: NonNull<Chain>, k: usize) {
        // SAFETY: caller's contract; the layout is the one `Chain::new` allocated with.
        unsafe { dealloc(p.as_ptr().cast(), layout(class_cap(k)).unwrap_or(std::alloc::Layout::new::<Chain>())) };
    }

    /// A cached chain with capacity `cap`, if any.
    #[inline]
    pub(super) fn take(cap: usize) -> Link {
        class(cap)?;
        with(|c| c.take(cap)).flatten()
    }

    /// Keeps a freed chain for reuse; false when it should go back to the allocator.
    #[inline]
    pub(super) fn put(p: NonNull<Chain>, cap: usize) -> bool {
        class(cap).is_some() && with(|c| c.put(p, cap)).unwrap_or(false)
    }

    #[cfg(test)]
    mod tests {
        use super::super::Chain;
        use super::*;

        /// A fresh owned chain of class `k`, by way of the allocator (not the cache).
        fn chain(k: usize) -> NonNull<Chain> {
            // SAFETY: the layout has a non-zero size.
            NonNull::new(unsafe { std::alloc::alloc(layout(class_cap(k)).unwrap()) }.cast::<Chain>()).unwrap()
        }

        #[test]
        fn reuses_newest_first_within_budget() {
            let mut c = Cache::new();
            let (a, b) = (chain(0), chain(0));
            assert!(c.put(a, class_cap(0)) && c.put(b, class_cap(0)));
            assert_eq!(c.bytes, 2048);
            assert!(c.take(class_cap(1)).is_none());
            assert_eq!(c.take(class_cap(0)), Some(b));
            assert_eq!(c.take(class_cap(0)), Some(a));
            assert!(c.take(class_cap(0)).is_none());
            assert_eq!(c.bytes, 0);
            // Other sizes are not cached.
            assert!(c.take(100).is_none());
            let odd = chain(0);
            assert!(!c.put(odd, 100));
            // SAFETY: never cached; allocated as class 0.
            unsafe { free_chain(odd, 0) };
            // SAFETY: taken back, ours.
            unsafe { free_chain(a, 0) };
            // SAFETY: as above.
            unsafe { free_chain(b, 0) };
        }

        #[test]
        fn budget_bounds_the_cache() {
            let mut c = Cache::new();
            let mut refused = Vec::new();
            for _ in 0..BUDGET / 8192 + 5 {
                let p = chain(3);
                if !c.put(p, class_cap(3)) {
                    refused.push(p);
                }
            }
            assert_eq!(c.bytes, BUDGET);
            assert_eq!(refused.len(), 5);
            for p in refused {
                // SAFETY: refused by the cache, still ours.
                unsafe { free_chain(p, 3) };
            }
            c.clear();
            assert_eq!(c.bytes, 0);
        }

        #[test]
        fn a_size_in_use_evicts_a_stale_one() {
            let mut c = Cache::new();
            for _ in 0..BUDGET / 1024 {
                assert!(c.put(chain(0), class_cap(0)));
            }
            assert_eq!(c.bytes, BUDGET);
            // 8 KiB chains are being taken (none cached): freeing one evicts 1 KiB chains,
            // which nobody took since they were cached.
            assert!(c.take(class_cap(3)).is_none());
            assert!(c.put(chain(3), class_cap(3)));
            assert_eq!(c.bytes, BUDGET);
            // Now 1 KiB chains are the ones in use: they may not evict the 8 KiB one.
            assert!(c.take(class_cap(0)).is_some_and(|p| {
                // SAFETY: taken from the cache, ours.
                unsafe { free_chain(p, 0) };
                true
            }));
            assert!(c.put(chain(0), class_cap(0)));
            let extra = chain(0);
            assert!(c.put(extra, class_cap(0)), "1 KiB chains were taken last: the 8 KiB one is evicted");
            assert_eq!(c.bytes, BUDGET - 8192 + 1024);
            c.clear();
        }
    }
}
