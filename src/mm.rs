//! `event_set_mem_functions`: memory that C callers receive from us, or hand to us, goes
//! through the user's allocator when one is installed, else libc's. Rust-owned internals
//! (boxes, vectors) use Rust's allocator; they never cross the boundary as raw memory.

use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicPtr, Ordering};

pub type MallocFn = unsafe extern "C" fn(usize) -> *mut c_void;
pub type ReallocFn = unsafe extern "C" fn(*mut c_void, usize) -> *mut c_void;
pub type FreeFn = unsafe extern "C" fn(*mut c_void);

static MALLOC: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());
static REALLOC: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());
static FREE: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());

/// Installs (or, with all three `None`, removes) the user's allocator.
pub fn set_functions(m: Option<MallocFn>, r: Option<ReallocFn>, f: Option<FreeFn>) {
    MALLOC.store(m.map_or(std::ptr::null_mut(), |p| p as *mut ()), Ordering::Release);
    REALLOC.store(r.map_or(std::ptr::null_mut(), |p| p as *mut ()), Ordering::Release);
    FREE.store(f.map_or(std::ptr::null_mut(), |p| p as *mut ()), Ordering::Release);
}

/// `malloc` through the installed allocator. Returns NULL on failure (or for size 0, as
/// libevent's `mm_malloc` does).
pub fn malloc(size: usize) -> *mut c_void {
    if size == 0 {
        return std::ptr::null_mut();
    }
    let p = MALLOC.load(Ordering::Acquire);
    if p.is_null() {
        // SAFETY: libc malloc has no preconditions.
        unsafe { libc::malloc(size) }
    } else {
        // SAFETY: only a `MallocFn` is ever stored in MALLOC.
        unsafe { std::mem::transmute::<*mut (), MallocFn>(p)(size) }
    }
}

/// `calloc` through the installed allocator; NULL on overflow.
pub fn calloc(count: usize, size: usize) -> *mut c_void {
    let Some(total) = count.checked_mul(size) else { return std::ptr::null_mut() };
    let p = malloc(total);
    if !p.is_null() {
        // SAFETY: `p` points to `total` freshly allocated bytes.
        unsafe { std::ptr::write_bytes(p.cast::<u8>(), 0, total) };
    }
    p
}

/// `realloc` through the installed allocator.
///
/// # Safety
/// `ptr` is NULL or came from this module's allocator.
pub unsafe fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    let p = REALLOC.load(Ordering::Acquire);
    if p.is_null() {
        // SAFETY: caller guarantees `ptr` came from libc's allocator here.
        unsafe { libc::realloc(ptr, size) }
    } else {
        // SAFETY: only a `ReallocFn` is stored; the caller vouches for `ptr`.
        unsafe { std::mem::transmute::<*mut (), ReallocFn>(p)(ptr, size) }
    }
}

/// `free` through the installed allocator.
///
/// # Safety
/// `ptr` is NULL or came from this module's allocator and is not used afterwards.
pub unsafe fn free(ptr: *mut c_void) {
    if ptr.is_null() {
        return;
    }
    let p = FREE.load(Ordering::Acquire);
    if p.is_null() {
        // SAFETY: caller guarantees `ptr` came from libc's allocator here.
        unsafe { libc::free(ptr) }
    } else {
        // SAFETY: only a `FreeFn` is stored; the caller vouches for `ptr`.
        unsafe { std::mem::transmute::<*mut (), FreeFn>(p)(ptr) }
    }
}

/// Copies `bytes` into a new NUL-terminated C string from the installed allocator
/// (what `evbuffer_readln` and friends hand back for the caller to `free`).
pub fn strndup(bytes: &[u8]) -> *mut c_char {
    let p = malloc(bytes.len() + 1).cast::<u8>();
    if !p.is_null() {
        // SAFETY: `p` has room for `len + 1` bytes and does not overlap `bytes`.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
            *p.add(bytes.len()) = 0;
        }
    }
    p.cast()
}

/// Rust's global allocator for the whole library: every allocation evshim makes (bases,
/// buffers, queues) goes through the program's `event_set_mem_functions` allocator when one
/// is installed, as every libevent allocation does (programs count on that to account for
/// or pool libevent's memory). Like libevent, the functions must be installed before any
/// other call.
pub struct EventAllocator;

/// What plain `malloc` guarantees on the targets we build for (alignof(max_align_t)).
const MALLOC_ALIGN: usize = 16;

// SAFETY: blocks come from `malloc`/`realloc`/`free` of one allocator (the program's or
// libc's); over-aligned layouts store the original pointer just below the aligned block.
unsafe impl std::alloc::GlobalAlloc for EventAllocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            return malloc(layout.size()).cast();
        }
        // Over-aligned: room for the alignment and for the original pointer below it.
        let Some(total) = layout.size().checked_add(layout.align() + std::mem::size_of::<usize>()) else {
            return std::ptr::null_mut();
        };
        let raw = malloc(total).cast::<u8>();
        if raw.is_null() {
            return raw;
        }
        let start = raw as usize + std::mem::size_of::<usize>();
        let aligned = (start + layout.align() - 1) & !(layout.align() - 1);
        // SAFETY: `aligned - 8 >= raw` and `aligned + size <= raw + total` by construction.
        unsafe { *((aligned - std::mem::size_of::<usize>()) as *mut usize) = raw as usize };
        aligned as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        if layout.align() <= MALLOC_ALIGN {
            // SAFETY: `ptr` came from `malloc` above (GlobalAlloc contract).
            unsafe { free(ptr.cast()) };
        } else {
            // SAFETY: over-aligned blocks store their original pointer just below them.
            unsafe { free(*((ptr as usize - std::mem::size_of::<usize>()) as *const usize) as *mut c_void) };
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            // SAFETY: `ptr` came from `malloc` above (GlobalAlloc contract).
            return unsafe { realloc(ptr.cast(), new_size) }.cast();
        }
        // SAFETY: the layout is valid (same alignment, caller-checked size).
        let new_layout = unsafe { std::alloc::Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: GlobalAlloc contract, forwarded.
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are live and at least min(old, new) bytes long.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}

/// `Box::new` that reports allocation failure instead of aborting: where libevent returns
/// NULL/-1 when the allocator fails (programs test this with a failing
/// `event_set_mem_functions` allocator), so do we.
pub fn try_box<T>(value: T) -> Option<Box<T>> {
    let layout = std::alloc::Layout::new::<T>();
    if layout.size() == 0 {
        return Some(Box::new(value));
    }
    // SAFETY: the layout has a non-zero size.
    let p = unsafe { std::alloc::alloc(layout) }.cast::<T>();
    if p.is_null() {
        return None;
    }
    // SAFETY: `p` is a fresh, properly aligned allocation for one `T`, owned by the Box.
    unsafe {
        p.write(value);
        Some(Box::from_raw(p))
    }
}
