//! Socket and descriptor options behind `evutil_make_*`: each is one or two syscalls, with
//! libevent's warnings (`fcntl(7, F_GETFL): Bad file descriptor`) when fcntl fails.

use std::ffi::c_int;
use std::io;

/// Last OS error number.
#[inline]
pub(crate) fn errno() -> c_int {
    io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Sets errno (logging may have clobbered it; callers read EVUTIL_SOCKET_ERROR()).
#[inline]
pub(crate) fn set_errno(e: c_int) {
    // SAFETY: __errno_location returns this thread's errno slot.
    unsafe { *libc::__errno_location() = e };
}

/// `event_warn`: the message, then `: strerror(errno)`, leaving errno as it was.
pub(crate) fn warn_errno(args: std::fmt::Arguments<'_>) {
    let e = errno();
    crate::ev_warn!("{}: {}", args, crate::log::errno_text(e));
    set_errno(e);
}

/// Adds `flag` to the descriptor's F_GETFL/F_GETFD flags (get, then set only if missing).
fn add_fd_flag(fd: c_int, get: c_int, set: c_int, flag: c_int, names: (&str, &str)) -> io::Result<()> {
    // SAFETY: fcntl on any integer is memory-safe; a bad fd fails with EBADF.
    let flags = unsafe { libc::fcntl(fd, get) };
    if flags < 0 {
        warn_errno(format_args!("fcntl({fd}, {})", names.0));
        return Err(io::Error::last_os_error());
    }
    if flags & flag == 0 {
        // SAFETY: as above.
        if unsafe { libc::fcntl(fd, set, flags | flag) } == -1 {
            warn_errno(format_args!("fcntl({fd}, {})", names.1));
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// `evutil_make_socket_nonblocking`: O_NONBLOCK.
pub fn make_nonblocking(fd: c_int) -> io::Result<()> {
    add_fd_flag(fd, libc::F_GETFL, libc::F_SETFL, libc::O_NONBLOCK, ("F_GETFL", "F_SETFL"))
}

/// `evutil_make_socket_closeonexec`: FD_CLOEXEC.
pub fn make_closeonexec(fd: c_int) -> io::Result<()> {
    add_fd_flag(fd, libc::F_GETFD, libc::F_SETFD, libc::FD_CLOEXEC, ("F_GETFD", "F_SETFD"))
}

/// `setsockopt(fd, level, name, &1)`; returns setsockopt's result (0 or -1 with errno).
pub fn set_int_opt(fd: c_int, level: c_int, name: c_int) -> c_int {
    let one: c_int = 1;
    // SAFETY: `one` outlives the call and the length matches its size.
    unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&one as *const c_int).cast(),
            std::mem::size_of::<c_int>() as libc::socklen_t,
        )
    }
}

/// SO_REUSEADDR: another listener may bind the address right after this one closes.
pub fn make_listen_reuseable(fd: c_int) -> c_int {
    set_int_opt(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR)
}

/// SO_REUSEPORT: several listeners may bind the same port at once (Linux 3.9+).
pub fn make_listen_reuseable_port(fd: c_int) -> c_int {
    set_int_opt(fd, libc::SOL_SOCKET, libc::SO_REUSEPORT)
}

/// IPV6_V6ONLY: an IPv6 listener that does not also take IPv4-mapped connections.
pub fn make_listen_ipv6only(fd: c_int) -> c_int {
    set_int_opt(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY)
}

/// TCP_DEFER_ACCEPT: accept() only once the client has sent data.
pub fn make_tcp_listen_deferred(fd: c_int) -> c_int {
    set_int_opt(fd, libc::IPPROTO_TCP, libc::TCP_DEFER_ACCEPT)
}

/// `socketpair(2)`.
pub fn socketpair(family: c_int, ty: c_int, protocol: c_int) -> io::Result<[c_int; 2]> {
    let mut fds = [-1 as c_int; 2];
    // SAFETY: `fds` has room for the two descriptors socketpair writes.
    if unsafe { libc::socketpair(family, ty, protocol, fds.as_mut_ptr()) } == 0 {
        Ok(fds)
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `close(2)` (evutil_closesocket).
pub fn close(fd: c_int) -> c_int {
    // SAFETY: closing an integer descriptor is memory-safe; the caller owns it.
    unsafe { libc::close(fd) }
}
