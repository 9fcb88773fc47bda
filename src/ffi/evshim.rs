//! Extensions beyond libevent (`include/evshim.h`).

use std::ffi::c_char;

static VERSION: &str = concat!("evshim ", env!("CARGO_PKG_VERSION"), "\0");

/// "evshim <version>": tells programs (and tests) which implementation they run on.
///
/// # Safety
/// None; the string is static.
#[no_mangle]
pub unsafe extern "C" fn evshim_get_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// `bufferevent_flush_and_close`: delivers everything queued on `bev`, then closes it (see
/// include/evshim.h and docs/flush-and-close.md). Ownership passes to evshim as with
/// `bufferevent_free`; no callback of `bev` runs after this returns. 0, or -1 (nothing
/// changed, a warning logged) for NULL or a bufferevent already being closed.
///
/// # Safety
/// `bev` NULL or a valid bufferevent (see ffi::bufferevent); not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_flush_and_close(
    bev: *mut crate::ffi::bufferevent::bufferevent,
) -> std::ffi::c_int {
    // SAFETY: NULL or valid per the contract; checked.
    let Some(p) = (unsafe { crate::bufferevent::checked(bev, "bufferevent_flush_and_close") }) else { return -1 };
    // SAFETY: live bufferevent; the caller's reference passes to the close.
    unsafe { crate::bufferevent::flush_close::start(p) }
}
