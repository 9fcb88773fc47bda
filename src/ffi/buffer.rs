//! Entry points of `event2/buffer.h`: argument checks and conversions around
//! [`crate::buffer`]. libevent dereferences NULL buffers; we log a warning and return the
//! function's error value instead.
use std::ffi::{c_char, c_int, c_uchar, c_uint, c_void};
use std::ptr::NonNull;

use crate::buffer::{self as core, file, CbFn, CbInfo, Evbuffer, Ptr};
use crate::ffi::event::event_base;
use crate::ffi::types::*;

/// `struct evbuffer` (opaque).
pub struct evbuffer {
    _opaque: [u8; 0],
}

/// `struct evbuffer_cb_entry` (opaque).
pub struct evbuffer_cb_entry {
    _opaque: [u8; 0],
}

/// `struct evbuffer_file_segment` (opaque).
pub struct evbuffer_file_segment {
    _opaque: [u8; 0],
}

/// `struct iovec` (buffer.h: `#define evbuffer_iovec iovec`); declared by <sys/uio.h>, so
/// cbindgen.toml excludes it and spells it `struct iovec`.
#[repr(C)]
pub struct iovec {
    pub iov_base: *mut c_void,
    pub iov_len: usize,
}

/// The private half of `struct evbuffer_ptr`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct evbuffer_ptr_internal_ {
    pub chain: *mut c_void,
    pub pos_in_chain: usize,
}

/// `struct evbuffer_ptr`: 24 bytes, as in libevent.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct evbuffer_ptr {
    pub pos: ev_ssize_t,
    pub internal_: evbuffer_ptr_internal_,
}

/// `struct evbuffer_cb_info`.
#[repr(C)]
pub struct evbuffer_cb_info {
    pub orig_size: usize,
    pub n_added: usize,
    pub n_deleted: usize,
}

/// `enum evbuffer_eol_style` (emitted for the header; parameters use [`EolStyleArg`]).
#[repr(C)]
pub enum evbuffer_eol_style {
    EVBUFFER_EOL_ANY,
    EVBUFFER_EOL_CRLF,
    EVBUFFER_EOL_CRLF_STRICT,
    EVBUFFER_EOL_LF,
    EVBUFFER_EOL_NUL,
}

/// `enum evbuffer_ptr_how` (emitted for the header; parameters use [`PtrHowArg`]).
#[repr(C)]
pub enum evbuffer_ptr_how {
    EVBUFFER_PTR_SET,
    EVBUFFER_PTR_ADD,
}

/// An `enum evbuffer_eol_style` argument as received: any int a C caller may pass (a Rust
/// enum holding an out-of-range value would be undefined behaviour). cbindgen.toml renames
/// it to `enum evbuffer_eol_style`.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct EolStyleArg(pub c_int);

/// An `enum evbuffer_ptr_how` argument; see [`EolStyleArg`].
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct PtrHowArg(pub c_int);

pub const EVBUFFER_FLAG_DRAINS_TO_FD: c_int = 1;
pub const EVBUFFER_CB_ENABLED: c_int = 1;
pub const EVBUF_FS_CLOSE_ON_FREE: c_int = 0x01;
pub const EVBUF_FS_DISABLE_MMAP: c_int = 0x02;
pub const EVBUF_FS_DISABLE_SENDFILE: c_int = 0x04;
pub const EVBUF_FS_DISABLE_LOCKING: c_int = 0x08;

pub type evbuffer_ref_cleanup_cb =
    Option<unsafe extern "C" fn(data: *const c_void, datalen: usize, extra: *mut c_void)>;
pub type evbuffer_cb_func =
    Option<unsafe extern "C" fn(buffer: *mut evbuffer, info: *const evbuffer_cb_info, arg: *mut c_void)>;
pub type evbuffer_file_segment_cleanup_cb =
    Option<unsafe extern "C" fn(seg: *const evbuffer_file_segment, flags: c_int, arg: *mut c_void)>;

/// The buffer behind a C pointer, or a warning naming `func`.
#[inline(always)]
unsafe fn buf<'a>(p: *const evbuffer, func: &'static str) -> Option<&'a Evbuffer> {
    if p.is_null() {
        null_buffer(func);
        return None;
    }
    // SAFETY: the caller passes a live buffer from `evbuffer_new` (contract of every export).
    Some(unsafe { &*(p as *const Evbuffer) })
}

#[cold]
#[inline(never)]
fn null_buffer(func: &str) {
    crate::ev_warn!("{func}: NULL buffer");
}

fn to_ptr(p: &evbuffer_ptr) -> Ptr {
    Ptr { pos: p.pos, chain: p.internal_.chain, pos_in_chain: p.internal_.pos_in_chain }
}

fn from_ptr(p: Ptr) -> evbuffer_ptr {
    evbuffer_ptr { pos: p.pos, internal_: evbuffer_ptr_internal_ { chain: p.chain, pos_in_chain: p.pos_in_chain } }
}

/// A caller's (pointer, length) as bytes; NULL with a length is refused.
#[inline(always)]
unsafe fn bytes<'a>(data: *const c_void, len: usize) -> Option<&'a [u8]> {
    if len == 0 {
        return Some(&[]);
    }
    // No object is larger than isize::MAX bytes: such a length is a caller's bug.
    if data.is_null() || len > isize::MAX as usize {
        return None;
    }
    // SAFETY: the caller promises `len` readable bytes at `data`.
    Some(unsafe { std::slice::from_raw_parts(data.cast(), len) })
}

unsafe fn iovecs<'a>(vec: *mut iovec, n: c_int) -> &'a mut [libc::iovec] {
    if n <= 0 || vec.is_null() {
        return &mut [];
    }
    // SAFETY: the caller passes `n` iovecs; `iovec` and `libc::iovec` share the layout.
    unsafe { std::slice::from_raw_parts_mut(vec.cast(), n as usize) }
}

/// Allocates an empty buffer.
///
/// # Safety
/// None; free the result with `evbuffer_free`.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_new() -> *mut evbuffer {
    Evbuffer::try_new().map_or(std::ptr::null_mut(), |b| b.as_ptr().cast())
}

/// Frees a buffer (its bytes, callbacks, and — once unreferenced — chains shared with
/// other buffers).
///
/// # Safety
/// `buf` may be NULL; otherwise a live buffer, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_free(buf: *mut evbuffer) {
    match NonNull::new(buf as *mut Evbuffer) {
        // SAFETY: a live buffer per the contract.
        Some(p) => unsafe { Evbuffer::free(p) },
        None => crate::ev_warn!("evbuffer_free: NULL buffer"),
    }
}

/// Makes the buffer thread-safe: with `lock` NULL it allocates a recursive lock (needs
/// threading enabled first), else it uses the program's lock.
///
/// # Safety
/// `buf` may be NULL; `lock` NULL or a lock from the active evthread lock callbacks.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_enable_locking(buf: *mut evbuffer, lock: *mut c_void) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_enable_locking") }) else { return -1 };
    b.enable_locking(if lock.is_null() { core::BufLock::None } else { core::BufLock::Raw(lock) })
}

/// Takes the buffer's lock (no effect without locking).
///
/// # Safety
/// `buf` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_lock(buf: *mut evbuffer) {
    // SAFETY: see the contract.
    if let Some(b) = unsafe { self::buf(buf, "evbuffer_lock") } {
        b.lock();
    }
}

/// Releases the buffer's lock.
///
/// # Safety
/// `buf` may be NULL; otherwise live and locked by this thread.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_unlock(buf: *mut evbuffer) {
    // SAFETY: see the contract.
    if let Some(b) = unsafe { self::buf(buf, "evbuffer_unlock") } {
        b.unlock();
    }
}

/// Sets `EVBUFFER_FLAG_*` bits.
///
/// # Safety
/// `buf` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_set_flags(buf: *mut evbuffer, flags: ev_uint64_t) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_set_flags") }) else { return -1 };
    b.set_flags(flags as u32);
    0
}

/// Clears `EVBUFFER_FLAG_*` bits.
///
/// # Safety
/// `buf` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_clear_flags(buf: *mut evbuffer, flags: ev_uint64_t) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_clear_flags") }) else { return -1 };
    b.clear_flags(flags as u32);
    0
}

/// Bytes stored.
///
/// # Safety
/// `buf` may be NULL (then 0); otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_get_length(buf: *const evbuffer) -> usize {
    // SAFETY: see the contract.
    unsafe { self::buf(buf, "evbuffer_get_length") }.map_or(0, |b| b.get_length())
}

/// Bytes stored contiguously in the first chain.
///
/// # Safety
/// `buf` may be NULL (then 0); otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_get_contiguous_space(buf: *const evbuffer) -> usize {
    // SAFETY: see the contract.
    unsafe { self::buf(buf, "evbuffer_get_contiguous_space") }.map_or(0, |b| b.contiguous_space())
}

/// Makes room for `datlen` more bytes in one chain.
///
/// # Safety
/// `buf` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_expand(buf: *mut evbuffer, datlen: usize) -> c_int {
    // SAFETY: see the contract.
    unsafe { self::buf(buf, "evbuffer_expand") }.map_or(-1, |b| b.expand(datlen))
}

/// Reserves at least `size` writable bytes in one or more extents.
///
/// # Safety
/// `buf` may be NULL; `vec` points to `n_vec` writable iovecs (NULL only with `n_vec` < 1).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_reserve_space(
    buf: *mut evbuffer,
    size: ev_ssize_t,
    vec: *mut iovec,
    n_vec: c_int,
) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_reserve_space") }) else { return -1 };
    if n_vec >= 1 && vec.is_null() {
        crate::ev_warn!("evbuffer_reserve_space: NULL vec");
        return -1;
    }
    // SAFETY: see the contract.
    b.reserve_space(size, unsafe { iovecs(vec, n_vec) })
}

/// Commits bytes written into reserved extents.
///
/// # Safety
/// `buf` may be NULL; `vec` points to `n_vecs` iovecs (NULL only with `n_vecs` < 1).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_commit_space(buf: *mut evbuffer, vec: *mut iovec, n_vecs: c_int) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_commit_space") }) else { return -1 };
    if n_vecs >= 1 && vec.is_null() {
        crate::ev_warn!("evbuffer_commit_space: NULL vec");
        return -1;
    }
    // SAFETY: see the contract.
    b.commit_space(unsafe { iovecs(vec, n_vecs) })
}

/// Appends `datlen` bytes.
///
/// # Safety
/// `buf` may be NULL; `data` points to `datlen` readable bytes (NULL only when 0).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add(buf: *mut evbuffer, data: *const c_void, datlen: usize) -> c_int {
    if buf.is_null() || (data.is_null() && datlen != 0) {
        return bad_args("evbuffer_add", buf.is_null());
    }
    // SAFETY: a live buffer per the contract.
    let b = unsafe { &*(buf as *const Evbuffer) };
    // SAFETY: `datlen` readable bytes per the contract (checked non-NULL above).
    match unsafe { bytes(data, datlen) } {
        Some(d) => b.add(d),
        // Longer than any object: libevent fails too (overflow or allocation).
        None => -1,
    }
}

#[cold]
#[inline(never)]
fn bad_args(func: &str, null_buf: bool) -> c_int {
    if null_buf {
        crate::ev_warn!("{func}: NULL buffer");
    } else {
        crate::ev_warn!("{func}: NULL data");
    }
    -1
}

/// Removes up to `datlen` bytes into `data`; returns how many.
///
/// # Safety
/// `buf` may be NULL; `data` has room for `datlen` bytes (NULL only when 0).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove(buf: *mut evbuffer, data: *mut c_void, datlen: usize) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_remove") }) else { return -1 };
    if data.is_null() && datlen > 0 {
        return bad_args("evbuffer_remove", false);
    }
    // SAFETY: room for `datlen` bytes per the contract.
    unsafe { b.remove(data.cast(), datlen) }
}

/// Copies up to `datlen` bytes from the front without removing them.
///
/// # Safety
/// `buf` may be NULL; `data_out` has room for `datlen` bytes (NULL only when 0).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_copyout(buf: *mut evbuffer, data_out: *mut c_void, datlen: usize) -> ev_ssize_t {
    // SAFETY: see the contract.
    unsafe { evbuffer_copyout_from(buf, std::ptr::null(), data_out, datlen) }
}

/// Copies up to `datlen` bytes from position `pos` (NULL: the front).
///
/// # Safety
/// `buf` may be NULL; `pos` NULL or a position of this buffer; `data_out` has room for
/// `datlen` bytes (NULL only when 0).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_copyout_from(
    buf: *mut evbuffer,
    pos: *const evbuffer_ptr,
    data_out: *mut c_void,
    datlen: usize,
) -> ev_ssize_t {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_copyout_from") }) else { return -1 };
    if data_out.is_null() && datlen > 0 {
        return bad_args("evbuffer_copyout_from", false) as ev_ssize_t;
    }
    // SAFETY: `pos` is NULL or readable.
    let p = unsafe { pos.as_ref() }.map(to_ptr);
    // SAFETY: room for `datlen` bytes per the contract.
    unsafe { b.copyout_from(p.as_ref(), data_out.cast(), datlen) }
}

/// Moves up to `datlen` bytes from `src` to `dst`, avoiding copies.
///
/// # Safety
/// `src`, `dst` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove_buffer(src: *mut evbuffer, dst: *mut evbuffer, datlen: usize) -> c_int {
    // SAFETY: see the contract.
    let (Some(s), Some(d)) =
        (unsafe { buf(src, "evbuffer_remove_buffer") }, unsafe { buf(dst, "evbuffer_remove_buffer") })
    else {
        return -1;
    };
    s.remove_buffer(d, datlen)
}

/// Removes one line; the caller frees it. `n_read_out` (may be NULL) gets its length.
///
/// # Safety
/// `buffer` may be NULL; `n_read_out` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_readln(
    buffer: *mut evbuffer,
    n_read_out: *mut usize,
    eol_style: EolStyleArg,
) -> *mut c_char {
    // SAFETY: see the contract.
    let (line, n) = match unsafe { buf(buffer, "evbuffer_readln") } {
        Some(b) => b.readln(eol_style.0),
        None => (std::ptr::null_mut(), 0),
    };
    if !n_read_out.is_null() {
        // SAFETY: non-NULL and writable per the contract.
        unsafe { *n_read_out = n };
    }
    line
}

/// Moves all of `inbuf` to the end of `outbuf`.
///
/// # Safety
/// Both may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_buffer(outbuf: *mut evbuffer, inbuf: *mut evbuffer) -> c_int {
    // SAFETY: see the contract.
    let (Some(o), Some(i)) =
        (unsafe { buf(outbuf, "evbuffer_add_buffer") }, unsafe { buf(inbuf, "evbuffer_add_buffer") })
    else {
        return -1;
    };
    o.add_buffer(i)
}

/// Appends `inbuf`'s bytes to `outbuf` without copying (both share them, read-only).
///
/// # Safety
/// Both may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_buffer_reference(outbuf: *mut evbuffer, inbuf: *mut evbuffer) -> c_int {
    // SAFETY: see the contract.
    let (Some(o), Some(i)) = (unsafe { buf(outbuf, "evbuffer_add_buffer_reference") }, unsafe {
        buf(inbuf, "evbuffer_add_buffer_reference")
    }) else {
        return -1;
    };
    o.add_buffer_reference(i)
}

/// Appends the caller's memory without copying; `cleanupfn` runs once the bytes are gone.
///
/// # Safety
/// `outbuf` may be NULL; `data` stays readable for `datlen` bytes until the cleanup runs.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_reference(
    outbuf: *mut evbuffer,
    data: *const c_void,
    datlen: usize,
    cleanupfn: evbuffer_ref_cleanup_cb,
    cleanupfn_arg: *mut c_void,
) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(outbuf, "evbuffer_add_reference") }) else { return -1 };
    if (data.is_null() && datlen > 0) || datlen > isize::MAX as usize {
        crate::ev_warn!("evbuffer_add_reference: NULL data or impossible length");
        return -1;
    }
    // SAFETY: the caller keeps `data` alive until the cleanup (the contract).
    unsafe { b.add_reference(data.cast(), datlen, cleanupfn, cleanupfn_arg) }
}

/// Appends `length` bytes of `fd` from `offset` (-1: to the end); closes `fd` when done.
///
/// # Safety
/// `outbuf` may be NULL; `fd` is owned by the buffer from now on (on success).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_file(
    outbuf: *mut evbuffer,
    fd: c_int,
    offset: ev_off_t,
    length: ev_off_t,
) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(outbuf, "evbuffer_add_file") }) else { return -1 };
    b.add_file(fd, offset, length)
}

/// A segment of a file for `evbuffer_add_file_segment`.
///
/// # Safety
/// `fd` must stay open while the segment lives (it is closed with EVBUF_FS_CLOSE_ON_FREE).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_file_segment_new(
    fd: c_int,
    offset: ev_off_t,
    length: ev_off_t,
    flags: c_uint,
) -> *mut evbuffer_file_segment {
    file::segment_new(fd, offset, length, flags).map_or(std::ptr::null_mut(), |p| p.as_ptr().cast())
}

/// Drops the caller's reference to a segment.
///
/// # Safety
/// `seg` may be NULL; otherwise a live segment whose reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_file_segment_free(seg: *mut evbuffer_file_segment) {
    match NonNull::new(seg as *mut file::FileSegment) {
        // SAFETY: see the contract.
        Some(p) => unsafe { file::segment_decref(p) },
        None => crate::ev_warn!("evbuffer_file_segment_free: NULL segment"),
    }
}

/// Registers a callback run when the segment is finally freed.
///
/// # Safety
/// `seg` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_file_segment_add_cleanup_cb(
    seg: *mut evbuffer_file_segment,
    cb: evbuffer_file_segment_cleanup_cb,
    arg: *mut c_void,
) {
    let Some(s) = NonNull::new(seg as *mut file::FileSegment) else {
        crate::ev_warn!("evbuffer_file_segment_add_cleanup_cb: NULL segment");
        return;
    };
    // SAFETY: the two callback types differ only in the segment pointer's C type.
    let cb: Option<file::SegCleanup> = unsafe { std::mem::transmute(cb) };
    // SAFETY: a live segment per the contract.
    file::set_cleanup(unsafe { &mut *s.as_ptr() }, cb, arg);
}

/// Appends `length` bytes (-1: to the end) of a segment from `offset`.
///
/// # Safety
/// `buf`, `seg` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_file_segment(
    buf: *mut evbuffer,
    seg: *mut evbuffer_file_segment,
    offset: ev_off_t,
    length: ev_off_t,
) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_add_file_segment") }) else { return -1 };
    let Some(s) = NonNull::new(seg as *mut file::FileSegment) else {
        crate::ev_warn!("evbuffer_add_file_segment: NULL segment");
        return -1;
    };
    // SAFETY: a live segment per the contract.
    unsafe { b.add_file_segment(s, offset, length) }
}

extern "C" {
    /// src/buffer/format.c: formats a copy of `ap` into `buf` (no NUL), returning the full
    /// length like vsnprintf; common conversions are done without stdio's overhead.
    fn evshim_c_format_copy(buf: *mut c_char, len: usize, fmt: *const c_char, ap: va_list) -> c_int;
}

/// Appends printf-formatted text; returns its length.
///
/// # Safety
/// `buf` may be NULL; `fmt` is a valid format for the arguments in `ap`.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_vprintf(buf: *mut evbuffer, fmt: *const c_char, ap: va_list) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_add_vprintf") }) else { return -1 };
    if fmt.is_null() {
        crate::ev_warn!("evbuffer_add_vprintf: NULL format");
        return -1;
    }
    // SAFETY: formats into the space the buffer hands out; `ap` is copied for each try.
    b.add_formatted(|p, space| unsafe { evshim_c_format_copy(p.cast(), space, fmt, ap) })
}

/// Removes `len` bytes from the front.
///
/// # Safety
/// `buf` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_drain(buf: *mut evbuffer, len: usize) -> c_int {
    // SAFETY: see the contract.
    unsafe { self::buf(buf, "evbuffer_drain") }.map_or(-1, |b| b.drain(len))
}

/// Writes as much as possible to `fd`, removing what was written.
///
/// # Safety
/// `buffer` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_write(buffer: *mut evbuffer, fd: evutil_socket_t) -> c_int {
    // SAFETY: see the contract.
    unsafe { evbuffer_write_atmost(buffer, fd, -1) }
}

/// Writes at most `howmuch` bytes (-1: all) to `fd`.
///
/// # Safety
/// `buffer` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_write_atmost(
    buffer: *mut evbuffer,
    fd: evutil_socket_t,
    howmuch: ev_ssize_t,
) -> c_int {
    // SAFETY: see the contract.
    unsafe { self::buf(buffer, "evbuffer_write_atmost") }.map_or(-1, |b| b.write_atmost(fd, howmuch))
}

/// Reads up to `howmuch` bytes (-1: what is there, at most 4096) from `fd`.
///
/// # Safety
/// `buffer` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_read(buffer: *mut evbuffer, fd: evutil_socket_t, howmuch: c_int) -> c_int {
    // SAFETY: see the contract.
    unsafe { self::buf(buffer, "evbuffer_read") }.map_or(-1, |b| b.read(fd, howmuch))
}

/// Finds `what` at or after `start` (NULL: the front).
///
/// # Safety
/// `buffer` may be NULL; `what` has `len` readable bytes; `start` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_search(
    buffer: *mut evbuffer,
    what: *const c_char,
    len: usize,
    start: *const evbuffer_ptr,
) -> evbuffer_ptr {
    // SAFETY: see the contract.
    unsafe { evbuffer_search_range(buffer, what, len, start, std::ptr::null()) }
}

/// Finds `what` at or after `start`, ending no later than `end` (NULL: anywhere).
///
/// # Safety
/// `buffer` may be NULL; `what` has `len` readable bytes; `start`, `end` NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_search_range(
    buffer: *mut evbuffer,
    what: *const c_char,
    len: usize,
    start: *const evbuffer_ptr,
    end: *const evbuffer_ptr,
) -> evbuffer_ptr {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_search_range") }) else { return from_ptr(Ptr::NOT_FOUND) };
    if what.is_null() && len > 0 {
        crate::ev_warn!("evbuffer_search_range: NULL what");
        return from_ptr(Ptr::NOT_FOUND);
    }
    if len == 0 || len > isize::MAX as usize {
        // libevent returns the start position unchanged (the front when NULL).
        // SAFETY: NULL or readable per the contract.
        return match unsafe { start.as_ref() } {
            Some(s) => *s,
            None => from_ptr(b.front_ptr()),
        };
    }
    let needle: &[u8] = {
        // SAFETY: `len` readable bytes per the contract.
        unsafe { std::slice::from_raw_parts(what.cast(), len) }
    };
    // SAFETY: NULL or readable per the contract.
    let (s, e) = unsafe { (start.as_ref().map(to_ptr), end.as_ref().map(to_ptr)) };
    from_ptr(b.search_range(needle, s.as_ref(), e.as_ref()))
}

/// Sets (`EVBUFFER_PTR_SET`) or advances (`EVBUFFER_PTR_ADD`) a position.
///
/// # Safety
/// `buffer` may be NULL; `ptr` writable (and, for ADD, a position of this buffer).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_ptr_set(
    buffer: *mut evbuffer,
    ptr: *mut evbuffer_ptr,
    position: usize,
    how: PtrHowArg,
) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_ptr_set") }) else { return -1 };
    // SAFETY: writable per the contract.
    let Some(p) = (unsafe { ptr.as_mut() }) else {
        crate::ev_warn!("evbuffer_ptr_set: NULL ptr");
        return -1;
    };
    let mut q = if how.0 == 0 { Ptr::NOT_FOUND } else { to_ptr(p) };
    let r = b.ptr_set(&mut q, position, how.0);
    *p = from_ptr(q);
    r
}

/// Finds the next end of line at or after `start`; `eol_len_out` gets its length.
///
/// # Safety
/// `buffer` may be NULL; `start` NULL or readable; `eol_len_out` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_search_eol(
    buffer: *mut evbuffer,
    start: *mut evbuffer_ptr,
    eol_len_out: *mut usize,
    eol_style: EolStyleArg,
) -> evbuffer_ptr {
    // SAFETY: NULL or readable per the contract.
    let s = unsafe { start.as_ref() }.map(to_ptr);
    let (p, n) = if s.is_some_and(|p| p.chain.is_null()) {
        (Ptr::NOT_FOUND, 0)
    } else {
        // SAFETY: see the contract.
        match unsafe { buf(buffer, "evbuffer_search_eol") } {
            Some(b) => b.search_eol(s.as_ref(), eol_style.0),
            None => (Ptr::NOT_FOUND, 0),
        }
    };
    if !eol_len_out.is_null() {
        // SAFETY: writable per the contract.
        unsafe { *eol_len_out = n };
    }
    from_ptr(p)
}

/// Describes up to `n_vec` extents covering `len` bytes (-1: all) from `start_at`;
/// returns how many extents that takes.
///
/// # Safety
/// `buffer` may be NULL; `start_at` NULL or readable; `vec_out` has `n_vec` iovecs.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_peek(
    buffer: *mut evbuffer,
    len: ev_ssize_t,
    start_at: *mut evbuffer_ptr,
    vec_out: *mut iovec,
    n_vec: c_int,
) -> c_int {
    // SAFETY: NULL or readable per the contract.
    let s = unsafe { start_at.as_ref() }.map(to_ptr);
    if s.is_some_and(|p| p.chain.is_null()) {
        return 0;
    }
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_peek") }) else { return -1 };
    if n_vec > 0 && vec_out.is_null() {
        crate::ev_warn!("evbuffer_peek: NULL vec_out");
        return -1;
    }
    // SAFETY: see the contract.
    let v = unsafe { iovecs(vec_out, n_vec) };
    b.peek(len, s.as_ref(), v, n_vec.max(0))
}

/// Registers a callback run when the buffer's length changes.
///
/// # Safety
/// `buffer` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_cb(
    buffer: *mut evbuffer,
    cb: evbuffer_cb_func,
    cbarg: *mut c_void,
) -> *mut evbuffer_cb_entry {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_add_cb") }) else { return std::ptr::null_mut() };
    // SAFETY: same ABI; the buffer pointer's C type differs only.
    let f = unsafe {
        std::mem::transmute::<evbuffer_cb_func, Option<unsafe extern "C" fn(*mut c_void, *const CbInfo, *mut c_void)>>(
            cb,
        )
    };
    b.add_cb(CbFn::Info(f), cbarg).map_or(std::ptr::null_mut(), |e| e.as_ptr().cast())
}

/// Unregisters and frees a callback entry.
///
/// # Safety
/// `buffer`, `ent` may be NULL; `ent` otherwise an entry of this buffer.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove_cb_entry(buffer: *mut evbuffer, ent: *mut evbuffer_cb_entry) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_remove_cb_entry") }) else { return -1 };
    b.remove_cb_entry(ent.cast())
}

/// Unregisters the first callback with this function and argument.
///
/// # Safety
/// `buffer` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove_cb(buffer: *mut evbuffer, cb: evbuffer_cb_func, cbarg: *mut c_void) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_remove_cb") }) else { return -1 };
    b.remove_cb(cb.map_or(0, |f| f as usize), cbarg)
}

/// Sets flags (EVBUFFER_CB_ENABLED) on a callback entry.
///
/// # Safety
/// `buffer`, `cb` may be NULL; `cb` otherwise an entry of this buffer.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_cb_set_flags(
    buffer: *mut evbuffer,
    cb: *mut evbuffer_cb_entry,
    flags: ev_uint32_t,
) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_cb_set_flags") }) else { return -1 };
    b.cb_flags(cb.cast(), flags, true)
}

/// Clears flags on a callback entry.
///
/// # Safety
/// `buffer`, `cb` may be NULL; `cb` otherwise an entry of this buffer.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_cb_clear_flags(
    buffer: *mut evbuffer,
    cb: *mut evbuffer_cb_entry,
    flags: ev_uint32_t,
) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_cb_clear_flags") }) else { return -1 };
    b.cb_flags(cb.cast(), flags, false)
}

/// Makes the first `size` bytes (-1: all) contiguous and returns them.
///
/// # Safety
/// `buf` may be NULL; the result is valid until the buffer is next modified.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_pullup(buf: *mut evbuffer, size: ev_ssize_t) -> *mut c_uchar {
    // SAFETY: see the contract.
    unsafe { self::buf(buf, "evbuffer_pullup") }.map_or(std::ptr::null_mut(), |b| b.pullup(size))
}

/// Inserts `size` bytes at the front.
///
/// # Safety
/// `buf` may be NULL; `data` has `size` readable bytes (NULL only when 0).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_prepend(buf: *mut evbuffer, data: *const c_void, size: usize) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_prepend") }) else { return -1 };
    // SAFETY: see the contract.
    match unsafe { bytes(data, size) } {
        Some(d) => b.prepend(d),
        None => {
            crate::ev_warn!("evbuffer_prepend: NULL data");
            -1
        }
    }
}

/// Moves all of `src` to the front of `dst`.
///
/// # Safety
/// Both may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_prepend_buffer(dst: *mut evbuffer, src: *mut evbuffer) -> c_int {
    // SAFETY: see the contract.
    let (Some(d), Some(s)) =
        (unsafe { buf(dst, "evbuffer_prepend_buffer") }, unsafe { buf(src, "evbuffer_prepend_buffer") })
    else {
        return -1;
    };
    d.prepend_buffer(s)
}

/// Forbids changes at the front (`at_front` != 0: drains, removals, prepends, writes) or
/// at the end (appends, reads, reserve/commit). A refused call returns -1, leaves errno as
/// it was (as libevent) and logs the reason at debug level. Bufferevents freeze the ends
/// they own: the front of their output buffer and the end of their input buffer, so
/// `evbuffer_write(bufferevent_get_output(bev), fd)` is refused; write from the write
/// callback, or use bufferevent_flush_and_close (see docs/freeze.md).
///
/// # Safety
/// `buf` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_freeze(buf: *mut evbuffer, at_front: c_int) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_freeze") }) else { return -1 };
    b.freeze(at_front != 0, true);
    0
}

/// Lifts a freeze set with `evbuffer_freeze`.
///
/// # Safety
/// `buf` may be NULL; otherwise live.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_unfreeze(buf: *mut evbuffer, at_front: c_int) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { self::buf(buf, "evbuffer_unfreeze") }) else { return -1 };
    b.freeze(at_front != 0, false);
    0
}

/// Runs the buffer's callbacks from `base`'s loop instead of immediately.
///
/// # Safety
/// `buffer` may be NULL; `base` a live event base.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_defer_callbacks(buffer: *mut evbuffer, base: *mut event_base) -> c_int {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_defer_callbacks") }) else { return -1 };
    if base.is_null() {
        crate::ev_warn!("evbuffer_defer_callbacks: NULL base");
        return -1;
    }
    // SAFETY: a live base per the contract.
    unsafe { b.defer_callbacks(base.cast()) }
}

/// Appends every extent of `vec`; returns the bytes added.
///
/// # Safety
/// `buffer` may be NULL; `vec` has `n_vec` iovecs, each readable.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_iovec(buffer: *mut evbuffer, vec: *mut iovec, n_vec: c_int) -> usize {
    // SAFETY: see the contract.
    let Some(b) = (unsafe { buf(buffer, "evbuffer_add_iovec") }) else { return 0 };
    if n_vec > 0 && vec.is_null() {
        crate::ev_warn!("evbuffer_add_iovec: NULL vec");
        return 0;
    }
    // SAFETY: see the contract.
    let v = unsafe { iovecs(vec, n_vec) };
    if v.iter().any(|x| x.iov_base.is_null() && x.iov_len > 0) {
        crate::ev_warn!("evbuffer_add_iovec: NULL iov_base");
        return 0;
    }
    // SAFETY: each extent is readable per the contract.
    unsafe { b.add_iovec(v) }
}
