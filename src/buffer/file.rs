//! File segments (`struct evbuffer_file_segment`): a window of a file that buffers can hold
//! without copying. A segment is sent with sendfile(2) when the buffer drains to a socket
//! (`EVBUFFER_FLAG_DRAINS_TO_FD`), otherwise mapped read-only, or read into memory when
//! mapping is disabled or fails — libevent's order of preference.

use std::ffi::{c_int, c_uint, c_void};
use std::ptr::NonNull;

use super::chain::{Chain, Kind, CHAIN_MAX, FILESEGMENT, IMMUTABLE, SENDFILE};
use super::{frozen, Evbuffer, FLAG_DRAINS_TO_FD};

pub(crate) const FS_CLOSE_ON_FREE: c_uint = 0x01;
pub(crate) const FS_DISABLE_MMAP: c_uint = 0x02;
pub(crate) const FS_DISABLE_SENDFILE: c_uint = 0x04;
pub(crate) const FS_DISABLE_LOCKING: c_uint = 0x08;

pub type SegCleanup = unsafe extern "C" fn(seg: *const c_void, flags: c_int, arg: *mut c_void);

pub struct FileSegment {
    lock: Option<crate::sync::Lock>,
    refcnt: u32,
    pub flags: c_uint,
    pub can_sendfile: bool,
    is_mapping: bool,
    pub fd: c_int,
    mapping: *mut c_void,
    contents: *mut u8,
    pub file_offset: i64,
    pub length: i64,
    cleanup: Option<SegCleanup>,
    cleanup_arg: *mut c_void,
}

fn page_size() -> i64 {
    // SAFETY: sysconf has no preconditions.
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as i64 }
}

impl FileSegment {
    fn lock(&self) {
        if let Some(l) = &self.lock {
            l.lock();
        }
    }

    fn unlock(&self) {
        if let Some(l) = &self.lock {
            l.unlock();
        }
    }

    /// The segment's bytes, mapping or reading them first if needed.
    pub fn contents(&mut self) -> Option<*const u8> {
        if self.contents.is_null() && self.materialize() < 0 {
            return None;
        }
        Some(self.contents)
    }

    /// `evbuffer_file_segment_materialize`.
    fn materialize(&mut self) -> c_int {
        if !self.contents.is_null() {
            return 0;
        }
        let (fd, length, offset) = (self.fd, self.length, self.file_offset);
        if self.flags & FS_DISABLE_MMAP == 0 {
            let leftover = if offset != 0 { offset % page_size() } else { 0 };
            // SAFETY: a read-only private mapping; failure is reported as MAP_FAILED.
            let m = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    (length + leftover) as usize,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE,
                    fd,
                    offset - leftover,
                )
            };
            if m == libc::MAP_FAILED {
                let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
                crate::ev_warn!(
                    "evbuffer_file_segment_materialize: mmap({}, {}, {}) failed: {}",
                    fd,
                    0,
                    offset + length,
                    crate::log::errno_text(e)
                );
            } else {
                self.mapping = m;
                self.contents = m.cast::<u8>().wrapping_add(leftover as usize);
                self.is_mapping = true;
                return 0;
            }
        }
        let mem = crate::mm::malloc(length as usize).cast::<u8>();
        if mem.is_null() {
            return -1;
        }
        // SAFETY: plain syscalls on the program's fd; `mem` has `length` bytes.
        unsafe {
            let start = libc::lseek(fd, 0, libc::SEEK_CUR);
            if start < 0 || libc::lseek(fd, offset, libc::SEEK_SET) < 0 {
                crate::mm::free(mem.cast());
                return -1;
            }
            let mut got: i64 = 0;
            let mut n: isize = 0;
            while got < length {
                n = libc::read(fd, mem.add(got as usize).cast(), (length - got) as usize);
                if n <= 0 {
                    break;
                }
                got += n as i64;
            }
            let e = *libc::__errno_location();
            let pos = libc::lseek(fd, start, libc::SEEK_SET);
            if n < 0 || (n == 0 && length > got) {
                crate::mm::free(mem.cast());
                *libc::__errno_location() = e;
                return -1;
            } else if pos < 0 {
                crate::mm::free(mem.cast());
                return -1;
            }
        }
        self.contents = mem;
        0
    }
}

/// `evbuffer_file_segment_new`.
pub fn segment_new(fd: c_int, offset: i64, mut length: i64, flags: c_uint) -> Option<NonNull<FileSegment>> {
    if length == -1 {
        // SAFETY: fstat into a zeroed struct.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        if unsafe { libc::fstat(fd, &mut st) } < 0 {
            return None;
        }
        length = st.st_size;
    }
    if offset < 0
        || length < 0
        || length as u64 > CHAIN_MAX as u64
        || offset as u64 > (CHAIN_MAX as u64 - length as u64)
    {
        return None;
    }
    let mut seg = Box::new(FileSegment {
        lock: None,
        refcnt: 1,
        flags,
        can_sendfile: false,
        is_mapping: false,
        fd,
        mapping: std::ptr::null_mut(),
        contents: std::ptr::null_mut(),
        file_offset: offset,
        length,
        cleanup: None,
        cleanup_arg: std::ptr::null_mut(),
    });
    if flags & FS_DISABLE_SENDFILE == 0 {
        seg.can_sendfile = true;
    } else if seg.materialize() < 0 {
        return None;
    }
    if flags & FS_DISABLE_LOCKING == 0 {
        seg.lock = crate::sync::Lock::new();
    }
    Some(NonNull::from(Box::leak(seg)))
}

pub fn set_cleanup(seg: &mut FileSegment, cb: Option<SegCleanup>, arg: *mut c_void) {
    seg.cleanup = cb;
    seg.cleanup_arg = arg;
}

/// `evbuffer_file_segment_free`: drops one reference; the last one unmaps, closes (with
/// EVBUF_FS_CLOSE_ON_FREE) and runs the cleanup callback.
///
/// # Safety
/// `p` is a live segment and the caller owns the reference it drops.
pub unsafe fn segment_decref(p: NonNull<FileSegment>) {
    // SAFETY: caller's contract.
    let seg = unsafe { &mut *p.as_ptr() };
    seg.lock();
    seg.refcnt -= 1;
    let left = seg.refcnt;
    seg.unlock();
    if left > 0 {
        return;
    }
    // SAFETY: last reference, per the check above.
    unsafe { segment_destroy(p, true) };
}

/// Frees a segment nobody refers to any more: unmaps or frees its contents, then (if
/// `finish`) closes the fd with EVBUF_FS_CLOSE_ON_FREE and runs the cleanup callback.
///
/// # Safety
/// `p` is a live segment with no other reference; it is not used afterwards.
unsafe fn segment_destroy(p: NonNull<FileSegment>, finish: bool) {
    // SAFETY: caller's contract: nothing else uses the mapping, memory or fd.
    unsafe {
        let seg = &mut *p.as_ptr();
        if seg.is_mapping {
            let leftover = seg.file_offset % page_size();
            if libc::munmap(seg.mapping, (seg.length + leftover) as usize) == -1 {
                crate::ev_warn!("evbuffer_file_segment_free: munmap failed");
            }
        } else if !seg.contents.is_null() {
            crate::mm::free(seg.contents.cast());
        }
        if finish {
            if seg.flags & FS_CLOSE_ON_FREE != 0 && seg.fd >= 0 {
                libc::close(seg.fd);
            }
            if let Some(cb) = seg.cleanup.take() {
                cb(p.as_ptr() as *const c_void, seg.flags as c_int, seg.cleanup_arg);
            }
        }
        drop(Box::from_raw(p.as_ptr()));
    }
}

/// How `add_segment` ended.
enum Added {
    Yes,
    /// Refused after the segment was usable: one reference was dropped (libevent's rule).
    No,
    /// The segment could not be mapped or read: no reference was dropped.
    Unreadable,
}

impl Evbuffer {
    /// `evbuffer_add_file_segment`. On failure after the materialize step, drops one segment
    /// reference, exactly as libevent does (`evbuffer_add_file` relies on it).
    ///
    /// # Safety
    /// `segp` is a live segment.
    pub unsafe fn add_file_segment(&self, segp: NonNull<FileSegment>, offset: i64, length: i64) -> c_int {
        // SAFETY: caller's contract.
        match unsafe { self.add_segment(segp, offset, length) } {
            Added::Yes => 0,
            Added::No | Added::Unreadable => -1,
        }
    }

    /// # Safety
    /// `segp` is a live segment.
    unsafe fn add_segment(&self, segp: NonNull<FileSegment>, offset: i64, mut length: i64) -> Added {
        // SAFETY: caller's contract.
        let seg = unsafe { &mut *segp.as_ptr() };
        self.lock();
        seg.lock();
        let can_use_sendfile = self.inner().flags & FLAG_DRAINS_TO_FD != 0;
        if !can_use_sendfile && seg.contents.is_null() && seg.materialize() < 0 {
            seg.unlock();
            self.unlock();
            return Added::Unreadable;
        }
        seg.unlock();
        let ok = 'ok: {
            if self.inner().freeze_end {
                frozen("evbuffer_add_file_segment", false);
                break 'ok false;
            }
            if length < 0 {
                if offset > seg.length {
                    break 'ok false;
                }
                length = seg.length - offset;
            }
            if offset < 0 || length < 0 || offset.checked_add(length).is_none_or(|e| e > seg.length) {
                break 'ok false;
            }
            let Some(cp) = Chain::new_foreign(Kind::File { seg: segp }, IMMUTABLE | FILESEGMENT) else {
                break 'ok false;
            };
            // SAFETY: fresh chain.
            let c = unsafe { &mut *cp.as_ptr() };
            if can_use_sendfile && seg.can_sendfile {
                c.flags |= SENDFILE;
                c.misalign = (seg.file_offset + offset) as usize;
                c.off = length as usize;
                c.buffer_len = c.misalign + length as usize;
            } else {
                c.buffer = seg.contents.wrapping_add(offset as usize);
                c.buffer_len = length as usize;
                c.off = length as usize;
            }
            seg.lock();
            seg.refcnt += 1;
            seg.unlock();
            let inner = self.inner();
            inner.n_add_for_cb += length as usize;
            inner.chain_insert(cp);
            true
        };
        if ok {
            self.reap();
            self.invoke_callbacks();
            self.unlock();
            Added::Yes
        } else {
            self.unlock();
            // SAFETY: libevent's contract: a failed add consumes one reference.
            unsafe { segment_decref(segp) };
            Added::No
        }
    }

    /// `evbuffer_add_file`.
    pub fn add_file(&self, fd: c_int, offset: i64, length: i64) -> c_int {
        let Some(seg) = segment_new(fd, offset, length, FS_CLOSE_ON_FREE) else { return -1 };
        // SAFETY: fresh segment, ours alone.
        match unsafe { self.add_segment(seg, 0, length) } {
            Added::Yes => {
                // SAFETY: drop our creation reference; the chain holds its own.
                unsafe { segment_decref(seg) };
                0
            }
            Added::No => -1,
            Added::Unreadable => {
                // libevent leaks the segment here, and with it the fd, which stays open:
                // free the memory but leave the fd to the program, which may close it
                // after the failure (closing it here would make that a double close).
                // SAFETY: nothing refers to the segment but our creation reference.
                unsafe { segment_destroy(seg, false) };
                -1
            }
        }
    }
}
