//! The one thing evshim does when it is loaded: refuse to share a process with Debian's
//! `libevent_extra` or `libevent_openssl`.
//!
//! Preloaded (`LD_PRELOAD`), evshim takes the SONAME `libevent-2.1.so.7`, but a program linked
//! to the split libraries still loads the real `libevent_core-2.1.so.7` beside it (a different
//! name). Real libevent_extra/openssl would then run on a half-loaded libevent: their public
//! calls (`event_add`, `evbuffer_new`) bind to evshim, their internal ones
//! (`event_mm_malloc_`, `evthread_lock_fns_`) to the real core, which never saw those objects.
//! That works by accident until it corrupts memory, so we stop at load time instead, as the
//! dynamic linker does for a missing symbol (exit 127, a message naming the library).
//! Under `LD_LIBRARY_PATH` the dynamic linker already refuses such a program (real
//! libevent_extra needs `evthread_lock_fns_`, which evshim does not define).
//!
//! The check only reads the loader's list of objects: no allocation, no thread, no signal
//! handler (tests-c/load_is_inert.c), so a process that never calls evshim is unaffected.

use std::ffi::{c_int, c_void, CStr};

/// Run by the dynamic linker after every object of the program is mapped and relocated.
#[used]
#[link_section = ".init_array"]
static CHECK_ON_LOAD: extern "C" fn() = check_on_load;

/// File names (after the last `/`) of the libevent libraries that evshim does not provide
/// and that must not run beside it.
const REFUSED: [&[u8]; 2] = [b"libevent_extra-2.1.so", b"libevent_openssl-2.1.so"];

extern "C" fn check_on_load() {
    // SAFETY: the callback matches dl_iterate_phdr's contract and keeps no pointer.
    unsafe { libc::dl_iterate_phdr(Some(refuse_real_libevent), std::ptr::null_mut()) };
}

/// Whether `addr` lies in one of the object's loaded segments.
///
/// # Safety
/// `info` comes from dl_iterate_phdr.
unsafe fn contains(info: &libc::dl_phdr_info, addr: usize) -> bool {
    if info.dlpi_phdr.is_null() {
        return false;
    }
    // SAFETY: dl_iterate_phdr hands out `dlpi_phnum` program headers at `dlpi_phdr`.
    let phdrs = unsafe { std::slice::from_raw_parts(info.dlpi_phdr, info.dlpi_phnum as usize) };
    phdrs.iter().any(|p| {
        let start = info.dlpi_addr as usize + p.p_vaddr as usize;
        p.p_type == libc::PT_LOAD && addr >= start && addr < start + p.p_memsz as usize
    })
}

unsafe extern "C" fn refuse_real_libevent(info: *mut libc::dl_phdr_info, _size: usize, _data: *mut c_void) -> c_int {
    // SAFETY: dl_iterate_phdr passes a valid record for the duration of the call.
    let info = unsafe { &*info };
    if info.dlpi_name.is_null() {
        return 0;
    }
    // SAFETY: the loader's names are NUL-terminated.
    let name = unsafe { CStr::from_ptr(info.dlpi_name) }.to_bytes();
    let file = name.rsplit(|&c| c == b'/').next().unwrap_or(name);
    if !REFUSED.iter().any(|r| file.starts_with(r)) {
        return 0;
    }
    // evshim itself may have been loaded under one of these names (a symlink): not a conflict.
    // SAFETY: `info` comes from dl_iterate_phdr.
    if unsafe { contains(info, check_on_load as *const () as usize) } {
        return 0;
    }
    let parts: [&[u8]; 3] = [
        b"evshim: ",
        name,
        b" is loaded beside evshim: evshim does not provide libevent_extra (evhttp, evdns, evrpc, \
evtag) or libevent_openssl, and Debian's would run on a half-loaded libevent. Check the program \
with evshim-check.\n",
    ];
    for p in parts {
        // SAFETY: writing a valid byte slice to stderr; a short or failed write loses only text.
        unsafe { libc::write(2, p.as_ptr().cast(), p.len()) };
    }
    // SAFETY: ends the process without running anything else, as the dynamic linker does.
    unsafe { libc::_exit(127) }
}
