//! Rate limiting (libevent's bufferevent_ratelim.c): token buckets per bufferevent and per
//! group. The hooks the I/O paths call are here; limits themselves are not implemented
//! yet (every bufferevent reads and writes up to its `max_single_read/write`).

use std::ffi::c_int;

use super::*;

/// A bufferevent's rate-limiting state (`struct bufferevent_rate_limit`).
pub(crate) struct RateLimit {
    /// Fires when an emptied bucket refills.
    pub(crate) refill_bucket_event: event,
}

/// `bufferevent_get_read_max_`: how much one read may take now.
pub(crate) unsafe fn get_read_max(p: *mut BufferEvent) -> isize {
    // SAFETY: live per the caller.
    unsafe { (*p).max_single_read }
}

/// `bufferevent_get_write_max_`.
pub(crate) unsafe fn get_write_max(p: *mut BufferEvent) -> isize {
    // SAFETY: live per the caller.
    unsafe { (*p).max_single_write }
}

/// `bufferevent_decrement_read_buckets_`.
pub(crate) unsafe fn decrement_read_buckets(p: *mut BufferEvent, bytes: isize) -> c_int {
    let _ = (p, bytes);
    0
}

/// `bufferevent_decrement_write_buckets_`.
pub(crate) unsafe fn decrement_write_buckets(p: *mut BufferEvent, bytes: isize) -> c_int {
    let _ = (p, bytes);
    0
}

/// Called by the finalizer: leaves any group, releases the state.
pub(crate) unsafe fn on_finalize(p: *mut BufferEvent) {
    // SAFETY: live per the caller.
    unsafe { (*p).rate_limiting = None };
}
