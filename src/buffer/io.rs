//! Reading from and writing to file descriptors: readv into up to four chains' free space,
//! writev from up to 128 chains, sendfile for file segments.

use std::ffi::c_int;

use super::chain::SENDFILE;
use super::{frozen, Evbuffer};

/// `EVBUFFER_MAX_READ`: libevent 2.1 reads at most this much per call.
pub(crate) const MAX_READ: c_int = 4096;
const NUM_READ_IOVEC: usize = 4;
const NUM_WRITE_IOVEC: usize = 128;

fn readable_on(fd: c_int) -> c_int {
    let mut n: c_int = MAX_READ;
    // SAFETY: FIONREAD writes one int.
    if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) } < 0 {
        return -1;
    }
    n
}

fn retriable(e: c_int) -> bool {
    e == libc::EINTR || e == libc::EAGAIN
}

impl Evbuffer {
    /// `evbuffer_read`.
    pub fn read(&self, fd: c_int, howmuch: c_int) -> c_int {
        self.lock();
        let r = self.read_locked(fd, howmuch, true);
        self.unlock();
        r
    }

    /// A bufferevent's read: like `evbuffer_read` (at most 4096 bytes, which read callbacks
    /// observe), but without asking FIONREAD first: the answer only sizes the allocation,
    /// and a short read already tells that the socket is drained.
    pub fn read_bufferevent(&self, fd: c_int, howmuch: c_int) -> c_int {
        self.lock();
        let r = self.read_locked(fd, howmuch, false);
        self.unlock();
        r
    }

    fn read_locked(&self, fd: c_int, mut howmuch: c_int, libevent_size: bool) -> c_int {
        let inner = self.inner();
        if inner.freeze_end {
            frozen("evbuffer_read", false);
            return -1;
        }
        if !libevent_size {
            let n = if (0..=MAX_READ).contains(&howmuch) { howmuch } else { MAX_READ };
            return self.readv_into(fd, n as usize);
        }
        // libevent asks FIONREAD how much is waiting and reads at most that (and at most
        // 4096). That only matters for how much space it allocates; when the chain that
        // would take the bytes already has room for the whole request, the answer changes
        // nothing (readv stops at what is available either way), so skip the syscall.
        let want = if (0..=MAX_READ).contains(&howmuch) { howmuch } else { MAX_READ };
        if inner.room_for_read(want as usize) {
            howmuch = want;
        } else {
            let mut n = readable_on(fd);
            if n <= 0 || n > MAX_READ {
                n = MAX_READ;
            }
            if howmuch < 0 || howmuch > n {
                howmuch = n;
            }
        }
        self.readv_into(fd, howmuch as usize)
    }

    /// Makes room for `howmuch` bytes (libevent's expand_fast over up to four chains) and
    /// reads into it with one `readv`.
    fn readv_into(&self, fd: c_int, howmuch: usize) -> c_int {
        let inner = self.inner();
        if inner.expand_fast(howmuch, NUM_READ_IOVEC) == -1 {
            self.reap();
            return -1;
        }
        let mut vecs = [libc::iovec { iov_base: std::ptr::null_mut(), iov_len: 0 }; NUM_READ_IOVEC];
        let (nvecs, first) = inner.setup_vecs(howmuch, &mut vecs, true);
        self.reap();
        // SAFETY: the vectors describe free space inside this buffer's chains.
        let got = unsafe { libc::readv(fd, vecs.as_ptr(), nvecs as c_int) };
        if got <= 0 {
            return got as c_int;
        }
        let inner = self.inner();
        let mut remaining = got as usize;
        for k in 0..nvecs {
            let ci = first + k;
            let space = inner.c(ci).space();
            if space < remaining {
                inner.cm(ci).off += space;
                remaining -= space;
            } else {
                inner.cm(ci).off += remaining;
                inner.lwd = ci;
                break;
            }
        }
        inner.total_len += got as usize;
        inner.n_add_for_cb += got as usize;
        self.invoke_callbacks();
        got as c_int
    }

    /// `evbuffer_write_atmost`.
    pub fn write_atmost(&self, fd: c_int, howmuch: isize) -> c_int {
        self.lock();
        let r = self.write_locked(fd, howmuch, false, &mut 0);
        self.unlock();
        r
    }

    /// `write_atmost`, also telling how many bytes the system call was offered (a write of
    /// fewer than that means the descriptor is full).
    pub fn write_atmost_offered(&self, fd: c_int, howmuch: isize, offered: &mut usize) -> c_int {
        self.lock();
        let r = self.write_locked(fd, howmuch, false, offered);
        self.unlock();
        r
    }

    /// `write_atmost` for bufferevent_flush_and_close: a peer that went away is an EPIPE
    /// error, never a SIGPIPE (`sendmsg` with `MSG_NOSIGNAL`; file chains block the signal
    /// around `sendfile` and swallow it).
    pub fn send_atmost(&self, fd: c_int, howmuch: isize, offered: &mut usize) -> c_int {
        self.lock();
        let r = self.write_locked(fd, howmuch, true, offered);
        self.unlock();
        r
    }

    fn write_locked(&self, fd: c_int, howmuch: isize, nosignal: bool, offered: &mut usize) -> c_int {
        let inner = self.inner();
        if inner.freeze_start {
            frozen("evbuffer_write", true);
            return -1;
        }
        let total = inner.total_len;
        let howmuch = if howmuch < 0 || howmuch as usize > total { total } else { howmuch as usize };
        if howmuch == 0 {
            // libevent returns -1 here without touching errno.
            return -1;
        }
        let first = inner.c(0);
        let n: isize = if first.flags & SENDFILE != 0 {
            let Some(&super::chain::Kind::File { seg }) = first.kind() else { return -1 };
            // SAFETY: the chain holds a reference on its segment.
            let src_fd = unsafe { seg.as_ref() }.fd;
            let mut offset = first.misalign as libc::off_t;
            *offered = first.off;
            let guard = nosignal.then(SigpipeGuard::new);
            // SAFETY: plain syscall; `offset` is a local.
            let r = unsafe { libc::sendfile(fd, src_fd, &mut offset, first.off) };
            drop(guard);
            // SAFETY: errno is thread-local.
            if r == -1 && retriable(unsafe { *libc::__errno_location() }) {
                0
            } else {
                r
            }
        } else {
            let mut iov = [libc::iovec { iov_base: std::ptr::null_mut(), iov_len: 0 }; NUM_WRITE_IOVEC];
            let mut i = 0;
            let mut left = howmuch;
            let mut ci = 0;
            while ci < inner.chains.len() && i < NUM_WRITE_IOVEC && left > 0 {
                let c = inner.c(ci);
                if c.flags & SENDFILE != 0 {
                    break;
                }
                let take = c.off.min(left);
                iov[i] = libc::iovec { iov_base: c.data() as *mut _, iov_len: take };
                i += 1;
                left -= take;
                if take < c.off {
                    break;
                }
                ci += 1;
            }
            *offered = howmuch - left;
            if i == 0 {
                0
            } else if nosignal {
                // SAFETY: the vectors describe readable bytes of this buffer's chains.
                unsafe { sendv_nosignal(fd, &iov[..i]) }
            } else {
                // SAFETY: the vectors describe readable bytes of this buffer's chains.
                unsafe { libc::writev(fd, iov.as_ptr(), i as c_int) }
            }
        };
        if n > 0 {
            let (_, inv) = inner.drain(n as usize);
            self.reap();
            if inv {
                self.invoke_callbacks();
            }
        }
        n as c_int
    }
}

/// `writev` that never raises SIGPIPE: `sendmsg(MSG_NOSIGNAL)` on sockets; other
/// descriptors (pipes) fall back to `writev` with the signal blocked and swallowed.
///
/// # Safety
/// `iov` describes readable memory.
unsafe fn sendv_nosignal(fd: c_int, iov: &[libc::iovec]) -> isize {
    // SAFETY: all-zero is a valid msghdr; the vectors are readable (caller).
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = iov.as_ptr() as *mut libc::iovec;
        msg.msg_iovlen = iov.len() as _;
        let r = libc::sendmsg(fd, &msg, libc::MSG_NOSIGNAL);
        if r >= 0 || *libc::__errno_location() != libc::ENOTSOCK {
            return r;
        }
        let _guard = SigpipeGuard::new();
        libc::writev(fd, iov.as_ptr(), iov.len() as c_int)
    }
}

/// Blocks SIGPIPE in this thread for its lifetime; a SIGPIPE raised meanwhile (and not
/// already pending before) is consumed, so the process never sees it.
struct SigpipeGuard {
    old: libc::sigset_t,
    was_pending: bool,
}

impl SigpipeGuard {
    fn new() -> SigpipeGuard {
        // SAFETY: sigset operations on locals.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGPIPE);
            let mut pending: libc::sigset_t = std::mem::zeroed();
            libc::sigpending(&mut pending);
            let was_pending = libc::sigismember(&pending, libc::SIGPIPE) == 1;
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
            SigpipeGuard { old, was_pending }
        }
    }
}

impl Drop for SigpipeGuard {
    fn drop(&mut self) {
        // SAFETY: sigset operations on locals; restores the caller's mask.
        unsafe {
            let e = *libc::__errno_location();
            if !self.was_pending {
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut set);
                libc::sigaddset(&mut set, libc::SIGPIPE);
                let zero = libc::timespec { tv_sec: 0, tv_nsec: 0 };
                while libc::sigtimedwait(&set, std::ptr::null_mut(), &zero) == libc::SIGPIPE {}
            }
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.old, std::ptr::null_mut());
            *libc::__errno_location() = e;
        }
    }
}
