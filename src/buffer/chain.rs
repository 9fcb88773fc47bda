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

pub(crate) enum Kind {
    /// Storage follows the header in the same allocation.
    Owned,
    /// `evbuffer_add_reference`: the caller's memory, released through `cleanup`.
    Reference { cleanup: Option<RefCleanup>, extra: *mut c_void },
    /// A window onto a file segment (mapped, read into memory, or sent with sendfile).
    File { seg: NonNull<FileSegment> },
    /// `evbuffer_add_buffer_reference`: shares `parent`'s bytes, keeps `source` alive.
    Multicast { source: NonNull<Evbuffer>, parent: NonNull<Chain> },
}

pub(crate) struct Chain {
    pub buffer: *mut u8,
    pub buffer_len: usize,
    /// Unused bytes before the data; for sendfile chains, the offset in the file.
    pub misalign: usize,
    pub off: usize,
    pub flags: u32,
    pub refcnt: u32,
    /// Bytes of inline storage after the header (0 for non-owned chains).
    pub inline_len: usize,
    pub kind: Kind,
}

const HDR: usize = std::mem::size_of::<Chain>();
const ALIGN: usize = 16;

fn layout(inline_len: usize) -> Option<Layout> {
    Layout::from_size_align(HDR.checked_add(inline_len)?, ALIGN).ok()
}

impl Chain {
    /// A new owned chain able to hold at least `size` bytes (libevent's `evbuffer_chain_new`).
    pub fn new(size: usize) -> Option<NonNull<Chain>> {
        if size > CHAIN_MAX - LE_CHAIN_HDR {
            return None;
        }
        let size = size + LE_CHAIN_HDR;
        let to_alloc = if size < CHAIN_MAX / 2 { size.max(MIN_BUFFER_SIZE).next_power_of_two() } else { size };
        let cap = to_alloc - LE_CHAIN_HDR;
        Self::alloc(cap, Kind::Owned, cap)
    }

    /// A header-only chain for memory owned elsewhere.
    pub fn new_foreign(kind: Kind) -> Option<NonNull<Chain>> {
        Self::alloc(0, kind, 0)
    }

    fn alloc(inline_len: usize, kind: Kind, buffer_len: usize) -> Option<NonNull<Chain>> {
        let l = layout(inline_len)?;
        // SAFETY: the layout has a non-zero size (the header).
        let p = NonNull::new(unsafe { alloc(l) }.cast::<Chain>())?;
        // SAFETY: `p` is a fresh allocation big enough for the header plus `inline_len`.
        unsafe {
            let data = if inline_len > 0 { p.as_ptr().cast::<u8>().add(HDR) } else { std::ptr::null_mut() };
            p.as_ptr().write(Chain { buffer: data, buffer_len, misalign: 0, off: 0, flags: 0, refcnt: 1, inline_len, kind });
        }
        Some(p)
    }

    /// Frees the memory of a chain whose refcount reached zero (no cleanups run here).
    ///
    /// # Safety
    /// `p` came from `Chain::new*` and is not used afterwards.
    pub unsafe fn dealloc(p: NonNull<Chain>) {
        // SAFETY: caller's contract; the layout is the one used to allocate.
        unsafe {
            let inline_len = (*p.as_ptr()).inline_len;
            std::ptr::drop_in_place(p.as_ptr());
            dealloc(p.as_ptr().cast(), layout(inline_len).unwrap_or(Layout::new::<Chain>()));
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
        let Kind::File { seg } = self.kind else { return std::ptr::null() };
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
        !matches!(self.kind, Kind::Owned)
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
    match c.kind {
        Kind::Owned => {}
        Kind::Reference { cleanup, extra } => {
            if let Some(f) = cleanup {
                // SAFETY: the program's cleanup, called once with what it registered.
                unsafe { f(c.buffer as *const c_void, c.buffer_len, extra) };
            }
        }
        Kind::File { seg } => {
            // SAFETY: the chain held one reference on the segment.
            unsafe { super::file::segment_decref(seg) };
        }
        Kind::Multicast { source, parent } => {
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
