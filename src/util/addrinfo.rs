//! `evutil_getaddrinfo` and friends. On glibc, libevent hands every request to the system
//! resolver (it emulates no AI_* flag there), after copying the hints (NULL hints become
//! all-zero hints with PF_UNSPEC, *not* glibc's AI_V4MAPPED|AI_ADDRCONFIG default) and
//! clearing its private "allocated by libevent" flag. Lists it builds itself carry that flag
//! so `evutil_freeaddrinfo` knows which allocator to return them to.

use crate::mm;
use std::ffi::{c_char, c_int, CStr};
use std::ptr;

/// libevent's private ai_flags bit marking lists it allocated (with mm_malloc) itself.
pub(crate) const AI_LIBEVENT_ALLOCATED: c_int = 0x8000_0000_u32 as c_int;

/// Error codes (glibc's EAI_* values, which libevent's EVUTIL_EAI_* take on Linux).
pub(crate) const EAI_ADDRFAMILY: c_int = -9;
pub(crate) const EAI_AGAIN: c_int = -3;
pub(crate) const EAI_BADFLAGS: c_int = -1;
pub(crate) const EAI_FAIL: c_int = -4;
pub(crate) const EAI_FAMILY: c_int = -6;
pub(crate) const EAI_MEMORY: c_int = -10;
pub(crate) const EAI_NODATA: c_int = -5;
pub(crate) const EAI_NONAME: c_int = -2;
pub(crate) const EAI_SERVICE: c_int = -8;
pub(crate) const EAI_SOCKTYPE: c_int = -7;
pub(crate) const EAI_SYSTEM: c_int = -11;
pub(crate) const EAI_CANCEL: c_int = -90001;

/// A resolved list, freed with the allocator that made it.
pub struct AddrInfoList {
    head: *mut libc::addrinfo,
}

impl AddrInfoList {
    /// Hands the list to C; release it with [`free_raw`].
    pub fn into_raw(self) -> *mut libc::addrinfo {
        let p = self.head;
        std::mem::forget(self);
        p
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = &libc::addrinfo> {
        let mut p = self.head;
        std::iter::from_fn(move || {
            // SAFETY: every node of a list we own is valid until `self` drops.
            let ai = unsafe { p.as_ref()? };
            p = ai.ai_next;
            Some(ai)
        })
    }
}

impl Drop for AddrInfoList {
    fn drop(&mut self) {
        // SAFETY: we own the list and nothing else refers to it.
        unsafe { free_raw(self.head) };
    }
}

/// Resolves `node`/`serv` as libevent does on glibc (blocking).
pub fn getaddrinfo(
    node: Option<&CStr>,
    serv: Option<&CStr>,
    hints_in: Option<&libc::addrinfo>,
) -> Result<AddrInfoList, c_int> {
    let mut hints: libc::addrinfo = match hints_in {
        Some(h) => *h,
        // SAFETY: all-zero is a valid addrinfo (null pointers, zero ints).
        None => unsafe { std::mem::zeroed() },
    };
    if hints_in.is_none() {
        hints.ai_family = libc::PF_UNSPEC;
    }
    hints.ai_flags &= !AI_LIBEVENT_ALLOCATED;
    let mut res: *mut libc::addrinfo = ptr::null_mut();
    let as_ptr = |s: Option<&CStr>| s.map_or(ptr::null(), CStr::as_ptr);
    // SAFETY: node/serv are NULL or NUL-terminated; hints and res are valid for the call.
    let err = unsafe { libc::getaddrinfo(as_ptr(node), as_ptr(serv), &hints, &mut res) };
    if err == 0 {
        Ok(AddrInfoList { head: res })
    } else {
        Err(err)
    }
}

/// One entry holding `sa` (a sockaddr_in or sockaddr_in6 of `len` bytes), marked as ours.
/// With neither socktype nor protocol in `hints`, libevent makes a TCP and a UDP entry.
///
/// # Safety
/// `sa` points to `len` readable bytes.
pub unsafe fn new_addrinfo(
    sa: *const libc::sockaddr,
    len: libc::socklen_t,
    hints: &libc::addrinfo,
) -> Option<AddrInfoList> {
    if hints.ai_socktype == 0 && hints.ai_protocol == 0 {
        let mut h = *hints;
        h.ai_socktype = libc::SOCK_STREAM;
        h.ai_protocol = libc::IPPROTO_TCP;
        // SAFETY: forwarded from the caller.
        let tcp = unsafe { new_addrinfo(sa, len, &h) }?;
        h.ai_socktype = libc::SOCK_DGRAM;
        h.ai_protocol = libc::IPPROTO_UDP;
        // SAFETY: forwarded from the caller.
        let udp = unsafe { new_addrinfo(sa, len, &h) }?;
        // SAFETY: `tcp` is a single node we own.
        unsafe { (*tcp.head).ai_next = udp.into_raw() };
        return Some(tcp);
    }
    let size = std::mem::size_of::<libc::addrinfo>() + len as usize;
    let res = mm::calloc(1, size).cast::<libc::addrinfo>();
    if res.is_null() {
        return None;
    }
    // SAFETY: `res` has room for the addrinfo followed by `len` bytes of address, and `sa`
    // is readable for `len` bytes (caller).
    unsafe {
        let addr = res.add(1).cast::<libc::sockaddr>();
        ptr::copy_nonoverlapping(sa.cast::<u8>(), addr.cast::<u8>(), len as usize);
        (*res).ai_addr = addr;
        (*res).ai_addrlen = len;
        (*res).ai_family = c_int::from((*sa).sa_family);
        (*res).ai_flags = AI_LIBEVENT_ALLOCATED;
        (*res).ai_socktype = hints.ai_socktype;
        (*res).ai_protocol = hints.ai_protocol;
    }
    Some(AddrInfoList { head: res })
}

/// `evutil_freeaddrinfo`: glibc's lists go back to freeaddrinfo, ours to the mm allocator.
///
/// # Safety
/// `ai` is NULL or the head of a list from `getaddrinfo`/`new_addrinfo`, not used afterwards.
pub unsafe fn free_raw(mut ai: *mut libc::addrinfo) {
    if ai.is_null() {
        return;
    }
    // SAFETY: `ai` is a valid list head (caller).
    if unsafe { (*ai).ai_flags } & AI_LIBEVENT_ALLOCATED == 0 {
        // SAFETY: the list came from glibc's getaddrinfo.
        unsafe { libc::freeaddrinfo(ai) };
        return;
    }
    while !ai.is_null() {
        // SAFETY: each node and its canonname were allocated by `mm` (new_addrinfo).
        unsafe {
            let next = (*ai).ai_next;
            mm::free((*ai).ai_canonname.cast());
            mm::free(ai.cast());
            ai = next;
        }
    }
}

/// `evutil_gai_strerror`: libevent's own wording for the codes it knows, else glibc's.
pub fn gai_strerror(err: c_int) -> *const c_char {
    let s: &'static CStr = match err {
        EAI_CANCEL => c"Request canceled",
        0 => c"No error",
        EAI_ADDRFAMILY => c"address family for nodename not supported",
        EAI_AGAIN => c"temporary failure in name resolution",
        EAI_BADFLAGS => c"invalid value for ai_flags",
        EAI_FAIL => c"non-recoverable failure in name resolution",
        EAI_FAMILY => c"ai_family not supported",
        EAI_MEMORY => c"memory allocation failure",
        EAI_NODATA => c"no address associated with nodename",
        EAI_NONAME => c"nodename nor servname provided, or not known",
        EAI_SERVICE => c"servname not supported for ai_socktype",
        EAI_SOCKTYPE => c"ai_socktype not supported",
        EAI_SYSTEM => c"system error",
        // SAFETY: gai_strerror accepts any code and returns a static string.
        _ => return unsafe { libc::gai_strerror(err) },
    };
    s.as_ptr()
}
