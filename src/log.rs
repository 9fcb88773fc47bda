//! libevent's logging policy: `event_set_log_callback`, `event_set_fatal_callback`,
//! `event_enable_debug_logging`. Messages go to the user's callback, else to stderr as
//! `[severity] message`, exactly as libevent prints them.

use std::ffi::{c_char, c_int, c_ulong};
use std::fmt::{self, Write};
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

/// Severities, as in `event.h` (`EVENT_LOG_DEBUG` …).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(i32)]
pub enum Severity {
    Debug = 0,
    Msg = 1,
    Warn = 2,
    Err = 3,
}

pub type LogCallback = unsafe extern "C" fn(severity: c_int, msg: *const c_char);
pub type FatalCallback = unsafe extern "C" fn(err: c_int);

static LOG_CB: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());
static FATAL_CB: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());
static DEBUG_MASK: AtomicU32 = AtomicU32::new(0);

/// libevent's `EVENT_ERR_ABORT_`: the code passed to the fatal callback on a broken invariant.
pub(crate) const ERR_ABORT: c_int = 0xdeaddead_u32 as c_int;

pub fn set_log_callback(cb: Option<LogCallback>) {
    LOG_CB.store(cb.map_or(std::ptr::null_mut(), |f| f as *mut ()), Ordering::Release);
}

pub fn set_fatal_callback(cb: Option<FatalCallback>) {
    FATAL_CB.store(cb.map_or(std::ptr::null_mut(), |f| f as *mut ()), Ordering::Release);
}

pub fn set_debug_mask(mask: c_ulong) {
    DEBUG_MASK.store(mask as u32, Ordering::Relaxed);
}

pub fn debug_enabled() -> bool {
    DEBUG_MASK.load(Ordering::Relaxed) != 0
}

/// A fixed buffer like libevent's 1024-byte one: formatting never allocates, and long
/// messages are truncated rather than lost.
struct MsgBuf {
    bytes: [u8; 1024],
    len: usize,
}

impl Write for MsgBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.bytes.len() - 1 - self.len;
        let n = s.len().min(room);
        self.bytes[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Emits one message. Debug messages are dropped unless debug logging is enabled.
pub fn log(severity: Severity, args: fmt::Arguments<'_>) {
    if severity == Severity::Debug && !debug_enabled() {
        return;
    }
    let mut buf = MsgBuf { bytes: [0; 1024], len: 0 };
    let _ = buf.write_fmt(args);
    // Interior NULs would cut the message short in C; replace them.
    for b in &mut buf.bytes[..buf.len] {
        if *b == 0 {
            *b = b'?';
        }
    }
    buf.bytes[buf.len] = 0;
    let cb = LOG_CB.load(Ordering::Acquire);
    if cb.is_null() {
        let tag = match severity {
            Severity::Debug => "debug",
            Severity::Msg => "msg",
            Severity::Warn => "warn",
            Severity::Err => "err",
        };
        let text = String::from_utf8_lossy(&buf.bytes[..buf.len]);
        eprintln!("[{tag}] {text}");
    } else {
        // SAFETY: LOG_CB only ever holds a `LogCallback` stored by `set_log_callback`.
        let f: LogCallback = unsafe { std::mem::transmute::<*mut (), LogCallback>(cb) };
        // SAFETY: the buffer is NUL-terminated above and outlives the call.
        unsafe { f(severity as c_int, buf.bytes.as_ptr().cast()) };
    }
}

/// `strerror(errno)` for the `: <reason>` suffix libevent's `event_warn` appends.
pub fn errno_text(errno: i32) -> String {
    std::io::Error::from_raw_os_error(errno).to_string().split(" (os error").next().unwrap_or("").to_owned()
}

/// A broken invariant: report it, call the fatal callback, then abort (libevent's
/// `event_errx(EVENT_ERR_ABORT_, …)`). The message must name the function.
pub fn fatal(args: fmt::Arguments<'_>) -> ! {
    fatal_code(ERR_ABORT, args)
}

/// libevent's `event_errx(code, …)`: report, then `event_exit(code)` — the fatal callback
/// gets `code` and the process exits with it; without a callback, `ERR_ABORT` aborts and any
/// other code exits.
pub fn fatal_code(code: c_int, args: fmt::Arguments<'_>) -> ! {
    log(Severity::Err, args);
    let cb = FATAL_CB.load(Ordering::Acquire);
    if !cb.is_null() {
        // SAFETY: FATAL_CB only ever holds a `FatalCallback` stored by `set_fatal_callback`.
        let f: FatalCallback = unsafe { std::mem::transmute::<*mut (), FatalCallback>(cb) };
        // SAFETY: plain C call; libevent documents that the callback should not return.
        unsafe { f(code) };
        std::process::exit(code)
    }
    if code == ERR_ABORT {
        std::process::abort()
    }
    std::process::exit(code)
}

/// `ev_debug!("fmt", args)`: a debug-level line (only with `event_enable_debug_logging`).
#[macro_export]
macro_rules! ev_debug { ($($t:tt)*) => { $crate::log::log($crate::log::Severity::Debug, format_args!($($t)*)) } }
/// `ev_msg!`: an informational line.
#[macro_export]
macro_rules! ev_msg { ($($t:tt)*) => { $crate::log::log($crate::log::Severity::Msg, format_args!($($t)*)) } }
/// `ev_warn!`: a warning (bad input at the boundary gets one of these plus an error return).
#[macro_export]
macro_rules! ev_warn { ($($t:tt)*) => { $crate::log::log($crate::log::Severity::Warn, format_args!($($t)*)) } }
/// `ev_err!`: an error line.
#[macro_export]
macro_rules! ev_err { ($($t:tt)*) => { $crate::log::log($crate::log::Severity::Err, format_args!($($t)*)) } }
/// `ev_fatal!("evfoo: invariant broken")`: log, fatal callback, abort.
#[macro_export]
macro_rules! ev_fatal { ($($t:tt)*) => { $crate::log::fatal(format_args!($($t)*)) } }
/// `ev_fatal_code!(1, "…")`: libevent's `event_errx(1, …)` — log, fatal callback, exit(1).
#[macro_export]
macro_rules! ev_fatal_code { ($code:expr, $($t:tt)*) => { $crate::log::fatal_code($code, format_args!($($t)*)) } }
