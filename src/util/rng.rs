//! The secure RNG. Debian's libevent is built on glibc's arc4random: seeding cannot fail,
//! there is no device file to choose, and extra entropy is ignored. We read the kernel's
//! CSPRNG directly with getrandom(2), which has the same properties.

/// Fills `buf` with cryptographically secure random bytes.
pub fn fill(buf: &mut [u8]) {
    let mut done = 0;
    while done < buf.len() {
        let rest = &mut buf[done..];
        // SAFETY: `rest` is valid for writes of `rest.len()` bytes.
        let n = unsafe { libc::getrandom(rest.as_mut_ptr().cast(), rest.len(), 0) };
        if n > 0 {
            done += n as usize;
        } else if n < 0 && super::sock::errno() != libc::EINTR {
            // getrandom only fails like this on pre-3.17 kernels; glibc's arc4random aborts.
            crate::ev_fatal!("evutil_secure_rng_get_bytes: getrandom failed");
        }
    }
}

/// `evutil_secure_rng_init`: the kernel CSPRNG needs no seeding; always 0.
pub fn init() -> i32 {
    0
}
