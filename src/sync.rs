//! Locks and condition variables for bases and buffers, following `event2/thread.h`.
//!
//! Like libevent, nothing is locked until the program enables threading
//! (`evthread_use_pthreads` or `evthread_set_lock_callbacks`) *before* creating the object:
//! [`Lock::new`] returns `None` otherwise, so single-threaded programs pay nothing.
//! Locks are recursive (libevent's `EVTHREAD_LOCKTYPE_RECURSIVE`): API calls made from
//! callbacks re-enter them.
//!
//! Callers use the user's callbacks when installed, else pthreads directly.

use std::cell::UnsafeCell;
use std::ffi::{c_int, c_uint, c_ulong, c_void};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// `struct evthread_lock_callbacks` (thread.h).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct evthread_lock_callbacks {
    pub lock_api_version: c_int,
    pub supported_locktypes: c_uint,
    pub alloc: Option<unsafe extern "C" fn(locktype: c_uint) -> *mut c_void>,
    pub free: Option<unsafe extern "C" fn(lock: *mut c_void, locktype: c_uint)>,
    pub lock: Option<unsafe extern "C" fn(mode: c_uint, lock: *mut c_void) -> c_int>,
    pub unlock: Option<unsafe extern "C" fn(mode: c_uint, lock: *mut c_void) -> c_int>,
}

/// `struct evthread_condition_callbacks` (thread.h).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct evthread_condition_callbacks {
    pub condition_api_version: c_int,
    pub alloc_condition: Option<unsafe extern "C" fn(condtype: c_uint) -> *mut c_void>,
    pub free_condition: Option<unsafe extern "C" fn(cond: *mut c_void)>,
    pub signal_condition: Option<unsafe extern "C" fn(cond: *mut c_void, broadcast: c_int) -> c_int>,
    pub wait_condition:
        Option<unsafe extern "C" fn(cond: *mut c_void, lock: *mut c_void, timeout: *const libc::timeval) -> c_int>,
}

pub(crate) const LOCKTYPE_RECURSIVE: c_uint = 1;
/// `EVTHREAD_TRY`: the lock callback must not wait.
pub(crate) const EVTHREAD_TRY: c_uint = 0x10;

#[derive(Clone, Copy)]
enum Backend {
    /// Threading not enabled: objects get no lock.
    Off,
    /// `evthread_use_pthreads`: our own pthread mutexes, no indirection.
    Pthreads,
    /// The program's callbacks.
    User(evthread_lock_callbacks, Option<evthread_condition_callbacks>),
}

static BACKEND: Mutex<Backend> = Mutex::new(Backend::Off);
static ENABLED: AtomicBool = AtomicBool::new(false);
static LOCK_DEBUGGING: AtomicBool = AtomicBool::new(false);
static ID_FN: AtomicUsize = AtomicUsize::new(0);
/// How [`current_thread_id`] finds the id, in one load (the loop asks every turn): 0 = id 1
/// (threading off), 1 = `pthread_self`, else `ID_FN`'s function. Kept by `refresh_id_mode`.
static ID_MODE: AtomicUsize = AtomicUsize::new(0);

/// Recomputes `ID_MODE` after `ENABLED` or `ID_FN` changed.
fn refresh_id_mode() {
    let f = ID_FN.load(Ordering::Acquire);
    let mode = if f != 0 {
        f
    } else if ENABLED.load(Ordering::Acquire) {
        1
    } else {
        0
    };
    ID_MODE.store(mode, Ordering::Release);
}

/// True once the program enabled threading; objects created from now on are locked.
pub fn threads_enabled() -> bool {
    ENABLED.load(Ordering::Acquire)
}

/// `evthread_use_pthreads`.
pub fn use_pthreads() {
    *BACKEND.lock().unwrap_or_else(|e| e.into_inner()) = Backend::Pthreads;
    ENABLED.store(true, Ordering::Release);
    refresh_id_mode();
}

impl evthread_lock_callbacks {
    fn same(&self, o: &Self) -> bool {
        self.lock_api_version == o.lock_api_version
            && self.supported_locktypes == o.supported_locktypes
            && self.alloc.map(|f| f as usize) == o.alloc.map(|f| f as usize)
            && self.free.map(|f| f as usize) == o.free.map(|f| f as usize)
            && self.lock.map(|f| f as usize) == o.lock.map(|f| f as usize)
            && self.unlock.map(|f| f as usize) == o.unlock.map(|f| f as usize)
    }
}

impl evthread_condition_callbacks {
    fn same(&self, o: &Self) -> bool {
        self.condition_api_version == o.condition_api_version
            && self.alloc_condition.map(|f| f as usize) == o.alloc_condition.map(|f| f as usize)
            && self.free_condition.map(|f| f as usize) == o.free_condition.map(|f| f as usize)
            && self.signal_condition.map(|f| f as usize) == o.signal_condition.map(|f| f as usize)
            && self.wait_condition.map(|f| f as usize) == o.wait_condition.map(|f| f as usize)
    }
}

/// `evthread_set_lock_callbacks`: `None` disables (libevent allows that only before any
/// lock was made; we simply stop locking new objects). Returns false, changing nothing, when
/// other callbacks (or `evthread_use_pthreads`'s) are already installed: libevent refuses a
/// change and accepts the same callbacks again.
pub fn set_lock_callbacks(cbs: Option<evthread_lock_callbacks>) -> bool {
    let mut b = BACKEND.lock().unwrap_or_else(|e| e.into_inner());
    match (cbs, *b) {
        (Some(c), Backend::User(l, _)) => l.same(&c),
        (Some(_), Backend::Pthreads) => false,
        (Some(c), Backend::Off) => {
            *b = Backend::User(c, None);
            ENABLED.store(true, Ordering::Release);
            refresh_id_mode();
            true
        }
        (None, _) => {
            *b = Backend::Off;
            ENABLED.store(false, Ordering::Release);
            refresh_id_mode();
            true
        }
    }
}

/// `evthread_set_condition_callbacks`; false (nothing changed) when other condition
/// callbacks are already installed, as for the lock callbacks.
pub fn set_condition_callbacks(cbs: Option<evthread_condition_callbacks>) -> bool {
    let mut b = BACKEND.lock().unwrap_or_else(|e| e.into_inner());
    match (cbs, *b) {
        (Some(c), Backend::User(_, Some(old))) => old.same(&c),
        (Some(_), Backend::Pthreads) => false,
        (cbs, Backend::User(l, _)) => {
            *b = Backend::User(l, cbs);
            true
        }
        _ => true,
    }
}

/// `evthread_set_id_callback`.
pub fn set_id_callback(f: Option<unsafe extern "C" fn() -> c_ulong>) {
    ID_FN.store(f.map_or(0, |f| f as usize), Ordering::Release);
    refresh_id_mode();
}

/// `evthread_enable_lock_debugging`: locks made afterwards check who holds them.
pub fn enable_lock_debugging() {
    LOCK_DEBUGGING.store(true, Ordering::Release);
}

/// The current thread's id, as libevent's `EVTHREAD_GET_ID()`: the program's id callback
/// if it set one, else the pthread id once threading is enabled, else 1 (every thread is
/// "the loop thread" while threading is off, as in libevent).
#[inline]
pub fn current_thread_id() -> u64 {
    match ID_MODE.load(Ordering::Acquire) {
        0 => 1,
        mode => id_of_mode(mode),
    }
}

/// [`current_thread_id`] once threading is on.
#[inline(never)]
fn id_of_mode(mode: usize) -> u64 {
    if mode == 1 {
        // SAFETY: pthread_self has no preconditions.
        return unsafe { libc::pthread_self() as u64 };
    }
    // SAFETY: ID_MODE holds 0, 1 or a function pointer of this type (from ID_FN).
    let f: unsafe extern "C" fn() -> c_ulong = unsafe { std::mem::transmute(mode) };
    // SAFETY: plain C call.
    unsafe { f() as u64 }
}

enum LockImpl {
    Pthread(Box<UnsafeCell<libc::pthread_mutex_t>>),
    User(evthread_lock_callbacks, *mut c_void),
    /// `evthread_enable_lock_debugging` without a lock implementation: libevent then hands
    /// out debug locks that only track their owner (so `BEV_OPT_THREADSAFE` and friends
    /// still get a lock, as test-ratelim relies on).
    DebugOnly,
}

/// A recursive lock. `lock`/`unlock` must pair on one thread (checked when lock debugging
/// is on, and then a violation aborts naming the lock's owner).
pub struct Lock {
    imp: LockImpl,
    debug: bool,
    owner: AtomicU64,
    depth: AtomicUsize,
    user_cond: Option<evthread_condition_callbacks>,
}

// SAFETY: the lock is designed to be shared across threads; its raw pointers are only
// passed to pthreads or to the program's thread-safe callbacks.
unsafe impl Send for Lock {}
// SAFETY: as above.
unsafe impl Sync for Lock {}

impl Lock {
    /// A new recursive lock, or `None` when the program has not enabled threading.
    pub fn new() -> Option<Lock> {
        let backend = *BACKEND.lock().unwrap_or_else(|e| e.into_inner());
        let (imp, user_cond) = match backend {
            Backend::Off if LOCK_DEBUGGING.load(Ordering::Acquire) => (LockImpl::DebugOnly, None),
            Backend::Off => return None,
            Backend::Pthreads => (LockImpl::Pthread(new_recursive_mutex()), None),
            Backend::User(cbs, cond) => {
                let alloc = cbs.alloc?;
                // SAFETY: the program's allocator callback; it returns NULL on failure.
                let p = unsafe { alloc(LOCKTYPE_RECURSIVE) };
                if p.is_null() {
                    return None;
                }
                (LockImpl::User(cbs, p), cond)
            }
        };
        Some(Lock {
            imp,
            debug: LOCK_DEBUGGING.load(Ordering::Acquire),
            owner: AtomicU64::new(0),
            depth: AtomicUsize::new(0),
            user_cond,
        })
    }

    pub fn lock(&self) {
        match &self.imp {
            // SAFETY: the mutex was initialised in `new_recursive_mutex` and lives in a Box.
            LockImpl::Pthread(m) => unsafe {
                libc::pthread_mutex_lock(m.get());
            },
            LockImpl::User(cbs, p) => {
                if let Some(f) = cbs.lock {
                    // SAFETY: `p` came from the same callback table's `alloc`.
                    unsafe { f(0, *p) };
                }
            }
            LockImpl::DebugOnly => {}
        }
        if self.debug {
            self.owner.store(current_thread_id(), Ordering::Relaxed);
            self.depth.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// `EVLOCK_TRY_LOCK_`: takes the lock if nobody else holds it (a recursive lock this
    /// thread already holds is taken again). True if taken.
    pub fn try_lock(&self) -> bool {
        let ok = match &self.imp {
            // SAFETY: see `lock`.
            LockImpl::Pthread(m) => unsafe { libc::pthread_mutex_trylock(m.get()) == 0 },
            LockImpl::User(cbs, p) => match cbs.lock {
                // SAFETY: see `lock`; EVTHREAD_TRY asks the program's lock not to wait.
                Some(f) => unsafe { f(EVTHREAD_TRY, *p) == 0 },
                None => true,
            },
            LockImpl::DebugOnly => true,
        };
        if ok && self.debug {
            self.owner.store(current_thread_id(), Ordering::Relaxed);
            self.depth.fetch_add(1, Ordering::Relaxed);
        }
        ok
    }

    pub fn unlock(&self) {
        if self.debug {
            if !self.held_by_me() {
                crate::ev_fatal!("evthread lock debugging: a lock was released by a thread that does not hold it");
            }
            if self.depth.fetch_sub(1, Ordering::Relaxed) == 1 {
                self.owner.store(0, Ordering::Relaxed);
            }
        }
        match &self.imp {
            // SAFETY: see `lock`.
            LockImpl::Pthread(m) => unsafe {
                libc::pthread_mutex_unlock(m.get());
            },
            LockImpl::User(cbs, p) => {
                if let Some(f) = cbs.unlock {
                    // SAFETY: see `lock`.
                    unsafe { f(0, *p) };
                }
            }
            LockImpl::DebugOnly => {}
        }
    }

    /// With lock debugging: whether the calling thread holds this lock. Without it, true.
    pub fn held_by_me(&self) -> bool {
        !self.debug
            || (self.depth.load(Ordering::Relaxed) > 0 && self.owner.load(Ordering::Relaxed) == current_thread_id())
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        match &self.imp {
            // SAFETY: nobody holds the lock any more (we own it exclusively).
            LockImpl::Pthread(m) => unsafe {
                libc::pthread_mutex_destroy(m.get());
            },
            LockImpl::User(cbs, p) => {
                if let Some(f) = cbs.free {
                    // SAFETY: `p` came from this table's `alloc` and is freed once.
                    unsafe { f(*p, LOCKTYPE_RECURSIVE) };
                }
            }
            LockImpl::DebugOnly => {}
        }
    }
}

fn new_recursive_mutex() -> Box<UnsafeCell<libc::pthread_mutex_t>> {
    let m = Box::new(UnsafeCell::new(libc::PTHREAD_MUTEX_INITIALIZER));
    // SAFETY: attr is initialised before use and destroyed after; the mutex is boxed so
    // it never moves after initialisation.
    unsafe {
        let mut attr: libc::pthread_mutexattr_t = std::mem::zeroed();
        libc::pthread_mutexattr_init(&mut attr);
        libc::pthread_mutexattr_settype(&mut attr, libc::PTHREAD_MUTEX_RECURSIVE);
        libc::pthread_mutex_init(m.get(), &attr);
        libc::pthread_mutexattr_destroy(&mut attr);
    }
    m
}

enum CondImpl {
    Pthread(Box<UnsafeCell<libc::pthread_cond_t>>),
    User(evthread_condition_callbacks, *mut c_void),
}

/// A condition variable used together with one [`Lock`] (e.g. "wait until the callback
/// running on the loop thread returns").
pub struct Cond {
    imp: CondImpl,
}

// SAFETY: shared across threads by design; see `Lock`.
unsafe impl Send for Cond {}
// SAFETY: as above.
unsafe impl Sync for Cond {}

impl Cond {
    /// A condition for use with `lock`, or `None` when the lock's backend has none.
    pub fn new_for(lock: &Lock) -> Option<Cond> {
        match &lock.imp {
            LockImpl::Pthread(_) => {
                let c = Box::new(UnsafeCell::new(libc::PTHREAD_COND_INITIALIZER));
                Some(Cond { imp: CondImpl::Pthread(c) })
            }
            LockImpl::User(..) => {
                let cbs = lock.user_cond?;
                let alloc = cbs.alloc_condition?;
                // SAFETY: the program's allocator callback.
                let p = unsafe { alloc(0) };
                (!p.is_null()).then_some(Cond { imp: CondImpl::User(cbs, p) })
            }
            // No condition implementation to wrap (libevent's is NULL too).
            LockImpl::DebugOnly => None,
        }
    }

    /// Waits; `lock` must be held once by the caller (it is released while waiting).
    pub fn wait(&self, lock: &Lock) {
        let depth = if lock.debug { lock.depth.swap(0, Ordering::Relaxed) } else { 0 };
        match (&self.imp, &lock.imp) {
            // SAFETY: both were initialised by us; the caller holds `m`.
            (CondImpl::Pthread(c), LockImpl::Pthread(m)) => unsafe {
                libc::pthread_cond_wait(c.get(), m.get());
            },
            (CondImpl::User(cbs, c), LockImpl::User(_, l)) => {
                if let Some(f) = cbs.wait_condition {
                    // SAFETY: both objects came from the program's own allocators.
                    unsafe { f(*c, *l, std::ptr::null()) };
                }
            }
            _ => {}
        }
        if lock.debug {
            lock.owner.store(current_thread_id(), Ordering::Relaxed);
            lock.depth.store(depth, Ordering::Relaxed);
        }
    }

    pub fn broadcast(&self) {
        match &self.imp {
            // SAFETY: initialised by us.
            CondImpl::Pthread(c) => unsafe {
                libc::pthread_cond_broadcast(c.get());
            },
            CondImpl::User(cbs, c) => {
                if let Some(f) = cbs.signal_condition {
                    // SAFETY: `c` came from the program's allocator.
                    unsafe { f(*c, 1) };
                }
            }
        }
    }
}

impl Drop for Cond {
    fn drop(&mut self) {
        match &self.imp {
            // SAFETY: no waiters remain when the owner drops it.
            CondImpl::Pthread(c) => unsafe {
                libc::pthread_cond_destroy(c.get());
            },
            CondImpl::User(cbs, c) => {
                if let Some(f) = cbs.free_condition {
                    // SAFETY: freed once.
                    unsafe { f(*c) };
                }
            }
        }
    }
}

/// Runs `f` with `lock` held, when there is one.
pub fn with<R>(lock: &Option<Lock>, f: impl FnOnce() -> R) -> R {
    if let Some(l) = lock {
        l.lock();
        let r = f();
        l.unlock();
        r
    } else {
        f()
    }
}

/// Locks a lock the program handed us as `void *` (`evbuffer_enable_locking(buf, lock)`):
/// a `pthread_mutex_t *` under `evthread_use_pthreads`, else an object of the program's own
/// lock callbacks. Rare, so the backend is looked up each time.
pub fn raw_lock(p: *mut c_void) {
    raw_op(p, true)
}

/// Unlocks a lock taken with [`raw_lock`].
pub fn raw_unlock(p: *mut c_void) {
    raw_op(p, false)
}

fn raw_op(p: *mut c_void, lock: bool) {
    if p.is_null() {
        return;
    }
    let backend = *BACKEND.lock().unwrap_or_else(|e| e.into_inner());
    match backend {
        Backend::Off => {}
        // SAFETY: with pthreads, lock objects are `pthread_mutex_t *` (as in libevent).
        Backend::Pthreads => unsafe {
            if lock {
                libc::pthread_mutex_lock(p.cast());
            } else {
                libc::pthread_mutex_unlock(p.cast());
            }
        },
        Backend::User(cbs, _) => {
            let f = if lock { cbs.lock } else { cbs.unlock };
            if let Some(f) = f {
                // SAFETY: `p` came from the program's lock allocator (its contract).
                unsafe { f(0, p) };
            }
        }
    }
}
