//! Signal delivery for event bases (libevent's `signal.c` backend, the one epoll uses).
//!
//! As in libevent, a `sigaction` handler (SA_RESTART, every signal blocked while it runs)
//! turns a signal into a byte on a self-pipe that the base polls. Unlike libevent, where
//! only the most recent base to add a signal hears about any signal, every base that
//! registered a signal is told about it: each [`SignalRegistry`] owns a pipe and a slot in a
//! static table, and the handler bumps that slot's per-signal counter and wakes its pipe.
//!
//! Shared state, and who touches it:
//! - [`WANT`]: per signal, a bitmask of the slots (bases) that want it. Read by the handler.
//! - [`SLOTS`]: per slot, the pipe's write end, a wake-pending flag, and per-signal counts.
//!   The handler increments counts and writes to the pipe; the owning registry drains.
//! - [`TABLE`]: which slots are taken and each signal's saved previous `sigaction`. A
//!   `Mutex`, so add/del may run on any thread; the handler never touches it.
//!
//! The handler is async-signal-safe: atomics and `write(2)` only, `errno` preserved.
//! Before a slot's fd is closed or the slot reused, [`quiesce`] waits for handlers that may
//! still be looking at it (counted in [`IN_FLIGHT`]) to leave.

use std::ffi::c_int;
use std::io;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, AtomicUsize, Ordering::*};
use std::sync::{Mutex, MutexGuard, Once};

/// Linux's `NSIG`: valid signal numbers are `1..NSIG`.
pub(crate) const NSIG: usize = 65;
/// How many bases can have signals registered at the same time (one bit each in [`WANT`]).
pub(crate) const MAX_BASES: usize = 64;

/// One base's view from the signal handler.
struct Slot {
    /// The pipe's write end, or -1 while the slot is unpublished.
    write_fd: AtomicI32,
    /// Times each signal was caught since the last drain.
    counts: [AtomicU32; NSIG],
}

impl Slot {
    const fn new() -> Slot {
        Slot { write_fd: AtomicI32::new(-1), counts: [const { AtomicU32::new(0) }; NSIG] }
    }
}

static SLOTS: [Slot; MAX_BASES] = [const { Slot::new() }; MAX_BASES];
/// Per signal, the slots to notify (bit `i` = `SLOTS[i]`). Changed only under [`TABLE`].
static WANT: [AtomicU64; NSIG] = [const { AtomicU64::new(0) }; NSIG];
/// Handlers currently between reading [`WANT`] and their last slot access.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

struct Table {
    /// Bit `i` set = `SLOTS[i]` belongs to a registry.
    slots_used: u64,
    /// `Some(previous)` while our handler is installed for that signal.
    saved: [Option<libc::sigaction>; NSIG],
}

static TABLE: Mutex<Table> = Mutex::new(Table { slots_used: 0, saved: [None; NSIG] });

fn table() -> MutexGuard<'static, Table> {
    // Panics abort in every shipped build, so the lock cannot be poisoned there; in unwind
    // test builds a poisoned table is still consistent (every mutation is a single step).
    TABLE.lock().unwrap_or_else(|e| e.into_inner())
}

extern "C" fn evsig_handler(sig: c_int) {
    // SAFETY: __errno_location returns this thread's errno; reading it is signal-safe.
    let saved_errno = unsafe { *libc::__errno_location() };
    // SeqCst pairs with `quiesce`: a handler either counted itself in before the remover
    // looked, or it sees the remover's cleared WANT bit (Dekker-style).
    IN_FLIGHT.fetch_add(1, SeqCst);
    if sig > 0 && (sig as usize) < NSIG {
        let mut mask = WANT[sig as usize].load(SeqCst);
        while mask != 0 {
            let slot = &SLOTS[mask.trailing_zeros() as usize];
            mask &= mask - 1;
            slot.counts[sig as usize].fetch_add(1, SeqCst);
            // One byte per signal, as libevent writes: no state to get out of step with the
            // pipe. (A "first signal since the last drain writes" flag lost tmux's SIGCHLDs:
            // once it was left set with no byte in the pipe, nothing woke the loop again.)
            // If the pipe is full, a byte is already waiting, and the count is kept.
            let fd = slot.write_fd.load(SeqCst);
            if fd >= 0 {
                let byte = sig as u8;
                // SAFETY: write(2) is async-signal-safe; `fd` stays open until every
                // handler that could have loaded it has left (see `quiesce`).
                let _ = unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) };
            }
        }
    }
    IN_FLIGHT.fetch_sub(1, SeqCst);
    // SAFETY: as above; restores the interrupted code's errno.
    unsafe { *libc::__errno_location() = saved_errno };
}

/// Waits until no handler can still be using a slot whose WANT bits / fd were just
/// unpublished. Handlers block all signals and never block, so this is brief.
fn quiesce() {
    while IN_FLIGHT.load(SeqCst) != 0 {
        std::thread::yield_now();
    }
}

extern "C" fn after_fork_child() {
    // Only the forking thread survives, and it was not inside the handler (the handler
    // blocks every signal, so no code that forks can interrupt it): nobody is in flight.
    IN_FLIGHT.store(0, SeqCst);
}

fn install_atfork() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a plain function with no captured state; glibc ties it to
        // this object's lifetime, so it goes away if the library is unloaded.
        unsafe { libc::pthread_atfork(None, None, Some(after_fork_child)) };
    });
}

fn errno() -> c_int {
    io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Installs our handler for `signo`, returning the previous action (libevent's
/// `evsig_set_handler_`). On failure logs `sigaction: <reason>` exactly like libevent.
fn install(signo: c_int) -> Result<libc::sigaction, ()> {
    // SAFETY: all-zero is a valid `sigaction` (SIG_DFL, empty mask, no flags).
    let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
    sa.sa_sigaction = evsig_handler as extern "C" fn(c_int) as libc::sighandler_t;
    sa.sa_flags = libc::SA_RESTART;
    // SAFETY: `sa.sa_mask` is a valid sigset_t owned by us.
    unsafe { libc::sigfillset(&mut sa.sa_mask) };
    // SAFETY: as above.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are to valid, live sigaction structs.
    if unsafe { libc::sigaction(signo, &sa, &mut old) } == -1 {
        crate::ev_warn!("sigaction: {}", crate::log::errno_text(errno()));
        return Err(());
    }
    Ok(old)
}

/// Puts back the action saved by [`install`] (libevent's `evsig_restore_handler_`).
fn restore(signo: c_int, old: &libc::sigaction) {
    // SAFETY: `old` was filled in by the kernel; a NULL old-action pointer is allowed.
    if unsafe { libc::sigaction(signo, old, std::ptr::null_mut()) } == -1 {
        crate::ev_warn!("sigaction: {}", crate::log::errno_text(errno()));
    }
}

/// One base's signals: its self-pipe, its slot in the static table, and how many times
/// it registered each signal. The event core polls [`read_fd`](Self::read_fd) and calls
/// [`drain`](Self::drain) when it is readable.
pub(crate) struct SignalRegistry {
    read_fd: RawFd,
    write_fd: RawFd,
    /// Our index in [`SLOTS`] while at least one signal is registered.
    slot: Option<usize>,
    /// add() minus del() per signal.
    refs: [u32; NSIG],
    /// Bit `signo` set iff `refs[signo] > 0`.
    registered: u128,
    /// Mirrors libevent's per-base `sh_old_max`, only for its debug line.
    sh_old_max: c_int,
}

fn make_pipe() -> io::Result<(RawFd, RawFd)> {
    let mut fds = [-1 as c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok((fds[0], fds[1]))
}

fn close_fd(fd: RawFd) {
    if fd >= 0 {
        // SAFETY: the registry owns `fd` and nothing uses it after this.
        unsafe { libc::close(fd) };
    }
}

impl SignalRegistry {
    /// Makes the nonblocking, close-on-exec self-pipe. No signal is touched yet.
    pub(crate) fn new() -> io::Result<SignalRegistry> {
        install_atfork();
        let (read_fd, write_fd) = make_pipe()?;
        Ok(SignalRegistry { read_fd, write_fd, slot: None, refs: [0; NSIG], registered: 0, sh_old_max: 0 })
    }

    /// The pipe's read end: readable when a registered signal was caught.
    pub(crate) fn read_fd(&self) -> RawFd {
        self.read_fd
    }

    /// Starts (or, refcounted, keeps) notifying this base of `signo`. The first base to
    /// want a signal installs the handler, saving the previous action for [`del`](Self::del).
    pub(crate) fn add(&mut self, signo: c_int) -> Result<(), ()> {
        if signo < 0 || signo as usize >= NSIG {
            // libevent's evmap refuses these without a word; say which signal it was. In
            // range, sigaction(2) decides (0, SIGKILL, SIGSTOP, glibc's 32/33 fail) and the
            // warning is libevent's own "sigaction: Invalid argument".
            crate::ev_warn!("evsig_add: signal {signo} is out of range (1..{})", NSIG - 1);
            return Err(());
        }
        let s = signo as usize;
        let mut table = table();
        if self.refs[s] == 0 {
            crate::ev_debug!("evsig_add: {signo}: changing signal handler");
            if signo >= self.sh_old_max {
                crate::ev_debug!(
                    "evsig_set_handler_: evsignal ({signo}) >= sh_old_max ({}), resizing",
                    self.sh_old_max
                );
                self.sh_old_max = signo + 1;
            }
        }
        // Installed per signal, not per base: later bases must not save our own handler
        // as "previous" (libevent does, and then restores the wrong one).
        if table.saved[s].is_none() {
            table.saved[s] = Some(install(signo)?);
        }
        if self.refs[s] == 0 {
            let slot = match self.slot {
                Some(slot) => slot,
                None => {
                    let free = !table.slots_used;
                    if free == 0 {
                        crate::ev_warn!("evsig_add: too many event bases with signals (at most {MAX_BASES})");
                        if WANT[s].load(SeqCst) == 0 {
                            if let Some(old) = table.saved[s].take() {
                                restore(signo, &old);
                            }
                        }
                        return Err(());
                    }
                    let slot = free.trailing_zeros() as usize;
                    table.slots_used |= 1 << slot;
                    // No handler uses a free slot (quiesced on release), so plain resets.
                    SLOTS[slot].write_fd.store(self.write_fd, SeqCst);
                    self.slot = Some(slot);
                    slot
                }
            };
            // Forget catches from an earlier registration of this signal.
            SLOTS[slot].counts[s].store(0, SeqCst);
            WANT[s].fetch_or(1 << slot, SeqCst);
            self.registered |= 1 << s;
        }
        self.refs[s] += 1;
        Ok(())
    }

    /// Undoes one [`add`](Self::add). The last one stops notifying this base; when no base
    /// wants `signo` any more the previous action is restored.
    pub(crate) fn del(&mut self, signo: c_int) {
        if signo <= 0 || signo as usize >= NSIG || self.refs[signo as usize] == 0 {
            return;
        }
        let s = signo as usize;
        self.refs[s] -= 1;
        if self.refs[s] > 0 {
            return;
        }
        crate::ev_debug!("evsig_del: {signo}: restoring signal handler");
        let mut table = table();
        self.unregister(&mut table, s);
        if self.registered == 0 {
            self.release_slot(&mut table);
        }
    }

    /// Clears this base's WANT bit for `s`; restores the old action if it was the last.
    fn unregister(&mut self, table: &mut Table, s: usize) {
        self.registered &= !(1 << s);
        let Some(slot) = self.slot else { return };
        let left = WANT[s].fetch_and(!(1 << slot), SeqCst) & !(1 << slot);
        if left == 0 {
            if let Some(old) = table.saved[s].take() {
                restore(s as c_int, &old);
            }
        }
    }

    /// Unpublishes our slot (no WANT bits left) and hands it back once no handler uses it.
    fn release_slot(&mut self, table: &mut Table) {
        if let Some(slot) = self.slot.take() {
            SLOTS[slot].write_fd.store(-1, SeqCst);
            quiesce();
            table.slots_used &= !(1 << slot);
        }
    }

    /// Reads the pipe empty and appends `(signo, times caught since the last drain)` for
    /// every registered signal caught at least once, in ascending signal order (the order
    /// libevent activates them in).
    pub(crate) fn drain(&mut self, out: &mut Vec<(c_int, u32)>) {
        let mut buf = [0u8; 1024];
        loop {
            // SAFETY: `buf` is a live, writable buffer of the length passed.
            let n = unsafe { libc::read(self.read_fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                continue;
            }
            if n == 0 {
                break;
            }
            match errno() {
                libc::EINTR => continue,
                libc::EAGAIN => break,
                e => {
                    crate::ev_warn!("evsig_cb: read: {}", crate::log::errno_text(e));
                    break;
                }
            }
        }
        let Some(slot) = self.slot else { return };
        let slot = &SLOTS[slot];
        // Pipe emptied first, counts taken second: a signal counted after the pipe was read
        // wrote a fresh byte, so it is never left counted without a wake-up.
        let mut bits = self.registered;
        while bits != 0 {
            let s = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let n = slot.counts[s].swap(0, SeqCst);
            if n > 0 {
                out.push((s as c_int, n));
            }
        }
    }

    /// After fork: a fresh pipe so parent and child stop sharing one, registrations kept
    /// (the child inherits the handlers). As with libevent, which recreates its socket
    /// pair, catches not yet drained at that point are dropped.
    pub(crate) fn reinit(&mut self) -> io::Result<()> {
        let (read_fd, write_fd) = make_pipe()?;
        let (old_read, old_write) = (self.read_fd, self.write_fd);
        self.read_fd = read_fd;
        self.write_fd = write_fd;
        if let Some(slot) = self.slot {
            let slot = &SLOTS[slot];
            for count in &slot.counts {
                count.store(0, SeqCst);
            }
            slot.write_fd.store(write_fd, SeqCst);
            // The old write end may have been loaded by a handler running right now.
            quiesce();
            // Anything caught between the reset and the new fd going live lost its byte.
            if slot.counts.iter().any(|c| c.load(SeqCst) > 0) {
                let byte = 0u8;
                // SAFETY: `write_fd` is our open pipe; the byte is a live local.
                let _ = unsafe { libc::write(write_fd, (&byte as *const u8).cast(), 1) };
            }
        }
        close_fd(old_read);
        close_fd(old_write);
        Ok(())
    }
}

impl Drop for SignalRegistry {
    /// Deregisters every signal (restoring previous actions nobody else needs) and closes
    /// the pipe. The event core must have removed [`read_fd`](Self::read_fd) from its poller.
    fn drop(&mut self) {
        if self.registered != 0 || self.slot.is_some() {
            let mut table = table();
            let mut bits = self.registered;
            while bits != 0 {
                let s = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                self.unregister(&mut table, s);
            }
            self.refs = [0; NSIG];
            self.release_slot(&mut table);
        }
        close_fd(self.read_fd);
        close_fd(self.write_fd);
    }
}

/// `libevent_global_shutdown`'s share: puts back every previous action we replaced.
/// Registries still alive keep their registrations but stop hearing about signals until
/// they add one again (which reinstalls the handler).
pub(crate) fn global_shutdown() {
    let mut table = table();
    for s in 1..NSIG {
        if let Some(old) = table.saved[s].take() {
            restore(s as c_int, &old);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{c_char, CStr};

    /// These tests share process-wide signal state; run them one at a time even when the
    /// harness is multi-threaded.
    static SERIAL: Mutex<()> = Mutex::new(());
    fn serial() -> MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn raise(sig: c_int) {
        // SAFETY: raise is a plain libc call; the signal is handled or ignored by the test.
        assert_eq!(unsafe { libc::raise(sig) }, 0);
    }

    /// A realtime signal nobody else in the test binary is expected to use.
    fn rt(n: c_int) -> c_int {
        libc::SIGRTMIN() + n
    }

    fn drained(reg: &mut SignalRegistry) -> Vec<(c_int, u32)> {
        let mut v = Vec::new();
        reg.drain(&mut v);
        v
    }

    fn current_action(sig: c_int) -> libc::sigaction {
        // SAFETY: zeroed sigaction is valid; a NULL new-action pointer only queries.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            assert_eq!(libc::sigaction(sig, std::ptr::null(), &mut sa), 0);
            sa
        }
    }

    fn set_action(sig: c_int, handler: libc::sighandler_t, flags: c_int) {
        // SAFETY: zeroed sigaction is valid; the handler is SIG_DFL/SIG_IGN or a real fn.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = handler;
            sa.sa_flags = flags;
            assert_eq!(libc::sigaction(sig, &sa, std::ptr::null_mut()), 0);
        }
    }

    fn ours() -> libc::sighandler_t {
        evsig_handler as extern "C" fn(c_int) as libc::sighandler_t
    }

    /// Bytes waiting in a pipe.
    fn pending_bytes(fd: RawFd) -> c_int {
        let mut n: c_int = 0;
        // SAFETY: FIONREAD writes one int.
        assert_eq!(unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) }, 0);
        n
    }

    #[test]
    fn signal_raise_usr1_is_reported_once() {
        let _g = serial();
        let mut reg = SignalRegistry::new().unwrap();
        reg.add(libc::SIGUSR1).unwrap();
        assert_eq!(current_action(libc::SIGUSR1).sa_sigaction, ours());
        raise(libc::SIGUSR1);
        assert!(pending_bytes(reg.read_fd()) > 0, "the handler wakes the pipe");
        assert_eq!(drained(&mut reg), vec![(libc::SIGUSR1, 1)]);
        assert_eq!(pending_bytes(reg.read_fd()), 0);
        assert_eq!(drained(&mut reg), vec![]);
        reg.del(libc::SIGUSR1);
    }

    #[test]
    fn signal_handler_flags_like_libevent() {
        let _g = serial();
        let sig = rt(1);
        let mut reg = SignalRegistry::new().unwrap();
        reg.add(sig).unwrap();
        let sa = current_action(sig);
        assert_ne!(sa.sa_flags & libc::SA_RESTART, 0);
        assert_eq!(sa.sa_flags & libc::SA_SIGINFO, 0);
        // SAFETY: sa_mask was filled in by the kernel.
        assert_eq!(unsafe { libc::sigismember(&sa.sa_mask, libc::SIGINT) }, 1);
        drop(reg);
        assert_eq!(current_action(sig).sa_sigaction, libc::SIG_DFL);
    }

    #[test]
    fn signal_two_registries_both_see_it() {
        let _g = serial();
        let sig = libc::SIGUSR2;
        let mut a = SignalRegistry::new().unwrap();
        let mut b = SignalRegistry::new().unwrap();
        a.add(sig).unwrap();
        b.add(sig).unwrap();
        raise(sig);
        assert_eq!(drained(&mut a), vec![(sig, 1)]);
        raise(sig);
        assert_eq!(drained(&mut b), vec![(sig, 2)]);
        assert_eq!(drained(&mut a), vec![(sig, 1)]);
        // One base leaving must not take the handler away from the other.
        a.del(sig);
        assert_eq!(current_action(sig).sa_sigaction, ours());
        raise(sig);
        assert_eq!(drained(&mut a), vec![]);
        assert_eq!(drained(&mut b), vec![(sig, 1)]);
        b.del(sig);
        assert_eq!(current_action(sig).sa_sigaction, libc::SIG_DFL);
    }

    extern "C" fn custom_handler(_: c_int) {}

    #[test]
    fn signal_del_restores_previous_handler() {
        let _g = serial();
        let sig = rt(2);
        let custom = custom_handler as extern "C" fn(c_int) as libc::sighandler_t;
        set_action(sig, custom, libc::SA_NODEFER);
        let mut a = SignalRegistry::new().unwrap();
        let mut b = SignalRegistry::new().unwrap();
        a.add(sig).unwrap();
        a.add(sig).unwrap(); // refcounted
        b.add(sig).unwrap();
        assert_eq!(current_action(sig).sa_sigaction, ours());
        a.del(sig);
        b.del(sig);
        assert_eq!(current_action(sig).sa_sigaction, ours(), "a still holds one reference");
        raise(sig);
        assert_eq!(drained(&mut a), vec![(sig, 1)]);
        a.del(sig);
        let back = current_action(sig);
        assert_eq!(back.sa_sigaction, custom);
        assert_ne!(back.sa_flags & libc::SA_NODEFER, 0, "the whole sigaction comes back");
        a.del(sig); // extra del: ignored
                    // Drop restores too.
        b.add(sig).unwrap();
        assert_eq!(current_action(sig).sa_sigaction, ours());
        drop(b);
        assert_eq!(current_action(sig).sa_sigaction, custom);
        set_action(sig, libc::SIG_DFL, 0);
    }

    #[test]
    fn signal_counts_survive_a_full_pipe() {
        let _g = serial();
        let sig = rt(3);
        let mut reg = SignalRegistry::new().unwrap();
        reg.add(sig).unwrap();
        reg.add(libc::SIGUSR1).unwrap();
        for _ in 0..3 {
            raise(sig);
        }
        raise(libc::SIGUSR1);
        // One byte per signal (as libevent), counts per signal number.
        assert_eq!(pending_bytes(reg.read_fd()), 4);
        assert_eq!(drained(&mut reg), vec![(libc::SIGUSR1, 1), (sig, 3)]);
        assert_eq!(pending_bytes(reg.read_fd()), 0);
        // More signals than the pipe holds: the counts are still exact.
        for _ in 0..100_000 {
            raise(sig);
        }
        assert_eq!(drained(&mut reg), vec![(sig, 100_000)]);
    }

    static LOGGED: Mutex<Vec<String>> = Mutex::new(Vec::new());
    unsafe extern "C" fn capture(_sev: c_int, msg: *const c_char) {
        // SAFETY: the logger passes a NUL-terminated message.
        let text = unsafe { CStr::from_ptr(msg) }.to_string_lossy().into_owned();
        LOGGED.lock().unwrap().push(text);
    }

    #[test]
    fn signal_bad_signo_errors() {
        let _g = serial();
        let mut reg = SignalRegistry::new().unwrap();
        crate::log::set_log_callback(Some(capture));
        let results: Vec<_> =
            [0, -1, 65, 1000, libc::SIGKILL, libc::SIGSTOP, 32, 33].iter().map(|&s| reg.add(s)).collect();
        crate::log::set_log_callback(None);
        assert!(results.iter().all(|r| r.is_err()));
        let logged = std::mem::take(&mut *LOGGED.lock().unwrap());
        assert_eq!(
            logged,
            [
                "sigaction: Invalid argument", // libevent's exact words for 0, SIGKILL, SIGSTOP
                "evsig_add: signal -1 is out of range (1..64)",
                "evsig_add: signal 65 is out of range (1..64)",
                "evsig_add: signal 1000 is out of range (1..64)",
                "sigaction: Invalid argument",
                "sigaction: Invalid argument",
                "sigaction: Invalid argument", // glibc keeps 32 and 33 for itself
                "sigaction: Invalid argument",
            ]
        );
        // Nothing was registered: the registry still works, and del of junk is harmless.
        reg.del(libc::SIGKILL);
        reg.del(-3);
        assert!(reg.slot.is_none());
        assert_eq!(current_action(libc::SIGKILL).sa_sigaction, libc::SIG_DFL);
    }

    #[test]
    fn signal_only_registered_signals_reported() {
        let _g = serial();
        let (s1, s2) = (rt(4), rt(5));
        let mut a = SignalRegistry::new().unwrap();
        let mut b = SignalRegistry::new().unwrap();
        a.add(s1).unwrap();
        b.add(s2).unwrap();
        raise(s2);
        assert_eq!(drained(&mut a), vec![]);
        assert_eq!(pending_bytes(a.read_fd()), 0, "a is not woken for b's signal");
        assert_eq!(drained(&mut b), vec![(s2, 1)]);
        // Catches left over when a signal is deleted are not reported on re-add.
        raise(s1);
        a.del(s1);
        a.add(s1).unwrap();
        assert_eq!(drained(&mut a), vec![]);
    }

    #[test]
    fn signal_reinit_new_pipe_keeps_registrations() {
        let _g = serial();
        let sig = rt(6);
        let mut reg = SignalRegistry::new().unwrap();
        reg.add(sig).unwrap();
        raise(sig);
        reg.reinit().unwrap();
        // Undrained catches are dropped, like libevent's recreated socket pair.
        assert_eq!(drained(&mut reg), vec![]);
        raise(sig);
        assert_eq!(pending_bytes(reg.read_fd()), 1);
        assert_eq!(drained(&mut reg), vec![(sig, 1)]);
        // SAFETY: F_GETFD only reads the flags of our own open descriptor.
        let flags = unsafe { libc::fcntl(reg.read_fd(), libc::F_GETFD) };
        assert_ne!(flags & libc::FD_CLOEXEC, 0);
        drop(reg);
        assert_eq!(current_action(sig).sa_sigaction, libc::SIG_DFL);
    }

    #[test]
    fn signal_fork_child_reinit() {
        let _g = serial();
        let sig = rt(7);
        let mut reg = SignalRegistry::new().unwrap();
        reg.add(sig).unwrap();
        // SAFETY: the child only uses our registry, raise and _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let ok = reg.reinit().is_ok() && {
                raise(sig);
                raise(sig);
                drained(&mut reg) == vec![(sig, 2)]
            };
            // SAFETY: leave the child without running the parent's test harness teardown.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        let mut status = 0;
        // SAFETY: waits for our own child.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "child status {status}");
        // The child's catches are the child's.
        assert_eq!(drained(&mut reg), vec![]);
        raise(sig);
        assert_eq!(drained(&mut reg), vec![(sig, 1)]);
    }

    #[test]
    fn signal_too_many_bases() {
        let _g = serial();
        let sig = rt(8);
        let mut regs: Vec<_> = (0..MAX_BASES + 1).map(|_| SignalRegistry::new().unwrap()).collect();
        let used = table().slots_used.count_ones() as usize;
        let mut ok = 0;
        crate::log::set_log_callback(Some(capture));
        for r in regs.iter_mut() {
            if r.add(sig).is_ok() {
                ok += 1;
            }
        }
        crate::log::set_log_callback(None);
        assert_eq!(ok, MAX_BASES - used);
        let logged = std::mem::take(&mut *LOGGED.lock().unwrap());
        assert!(logged.iter().all(|m| m == "evsig_add: too many event bases with signals (at most 64)"));
        raise(sig);
        let heard = regs.iter_mut().map(drained).filter(|v| *v == vec![(sig, 1)]).count();
        assert_eq!(heard, ok);
        // Freeing one base's slot lets another in.
        let freed = regs.iter().position(|r| r.slot.is_some()).unwrap();
        regs.remove(freed);
        let waiting = regs.iter().position(|r| r.slot.is_none()).unwrap();
        regs[waiting].add(sig).unwrap();
        drop(regs);
        assert_eq!(current_action(sig).sa_sigaction, libc::SIG_DFL);
    }

    #[test]
    fn signal_threads_add_del_concurrently() {
        let _g = serial();
        let sig = rt(9);
        // A steady owner keeps the handler installed while others churn.
        let mut owner = SignalRegistry::new().unwrap();
        owner.add(sig).unwrap();
        let threads: Vec<_> = (0..8)
            .map(|_| {
                std::thread::spawn(move || {
                    let mut reg = SignalRegistry::new().unwrap();
                    let mut seen = 0u32;
                    for _ in 0..200 {
                        reg.add(sig).unwrap();
                        raise(sig);
                        for (s, n) in drained(&mut reg) {
                            assert_eq!(s, sig);
                            seen += n;
                        }
                        reg.del(sig);
                    }
                    // Every raise happened while registered: at least our own 200 are seen.
                    assert!(seen >= 200, "saw {seen}");
                    seen
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let total: u32 = drained(&mut owner).iter().map(|&(_, n)| n).sum();
        assert_eq!(total, 8 * 200);
        drop(owner);
        assert_eq!(current_action(sig).sa_sigaction, libc::SIG_DFL);
    }

    #[test]
    fn signal_global_shutdown_restores() {
        let _g = serial();
        let sig = rt(10);
        set_action(sig, libc::SIG_IGN, 0);
        let mut reg = SignalRegistry::new().unwrap();
        reg.add(sig).unwrap();
        global_shutdown();
        assert_eq!(current_action(sig).sa_sigaction, libc::SIG_IGN);
        raise(sig); // ignored now
        assert_eq!(drained(&mut reg), vec![]);
        reg.add(sig).unwrap(); // reinstalls
        raise(sig);
        assert_eq!(drained(&mut reg), vec![(sig, 1)]);
        drop(reg);
        assert_eq!(current_action(sig).sa_sigaction, libc::SIG_IGN);
        set_action(sig, libc::SIG_DFL, 0);
    }
}
