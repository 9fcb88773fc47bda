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
