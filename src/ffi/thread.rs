//! Entry points of `event2/thread.h`.

use std::ffi::{c_int, c_uint, c_ulong};

pub use crate::sync::{evthread_condition_callbacks, evthread_lock_callbacks};

use crate::ffi::event::event_base;

pub const EVTHREAD_WRITE: c_int = 0x04;
pub const EVTHREAD_READ: c_int = 0x08;
pub const EVTHREAD_TRY: c_int = 0x10;
pub const EVTHREAD_LOCK_API_VERSION: c_int = 1;
pub const EVTHREAD_LOCKTYPE_RECURSIVE: c_uint = 1;
pub const EVTHREAD_LOCKTYPE_READWRITE: c_uint = 2;
pub const EVTHREAD_CONDITION_API_VERSION: c_int = 1;
pub const EVTHREAD_USE_PTHREADS_IMPLEMENTED: c_int = 1;

/// # Safety
/// `cbs` NULL or readable; its functions valid for the program's lifetime.
#[no_mangle]
pub unsafe extern "C" fn evthread_set_lock_callbacks(cbs: *const evthread_lock_callbacks) -> c_int {
    if cbs.is_null() {
        crate::sync::set_lock_callbacks(None);
        return 0;
    }
    // SAFETY: readable per the caller.
    let c = unsafe { *cbs };
    if c.alloc.is_none() || c.free.is_none() || c.lock.is_none() || c.unlock.is_none() {
        return -1;
    }
    if !crate::sync::set_lock_callbacks(Some(c)) {
        crate::ev_warn!("Can't change lock callbacks once they have been initialized.");
        return -1;
    }
    0
}

/// # Safety
/// `cbs` NULL or readable; its functions valid for the program's lifetime.
#[no_mangle]
pub unsafe extern "C" fn evthread_set_condition_callbacks(cbs: *const evthread_condition_callbacks) -> c_int {
    if cbs.is_null() {
        crate::sync::set_condition_callbacks(None);
        return 0;
    }
    // SAFETY: readable per the caller.
    let c = unsafe { *cbs };
    // Incomplete callbacks are ignored, and still succeed, as in libevent.
    if c.alloc_condition.is_none()
        || c.free_condition.is_none()
        || c.signal_condition.is_none()
        || c.wait_condition.is_none()
    {
        return 0;
    }
    if !crate::sync::set_condition_callbacks(Some(c)) {
        crate::ev_warn!("Can't change condition callbacks once they have been initialized.");
        return -1;
    }
    0
}

/// # Safety
/// `id_fn` NULL or valid for the program's lifetime.
#[no_mangle]
pub unsafe extern "C" fn evthread_set_id_callback(id_fn: Option<unsafe extern "C" fn() -> c_ulong>) {
    crate::sync::set_id_callback(id_fn);
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn evthread_use_pthreads() -> c_int {
    crate::sync::use_pthreads();
    0
}

/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn evthread_enable_lock_debugging() {
    crate::sync::enable_lock_debugging();
}

/// The old misspelling, kept by libevent.
///
/// # Safety
/// None.
#[no_mangle]
pub unsafe extern "C" fn evthread_enable_lock_debuging() {
    crate::sync::enable_lock_debugging();
}

/// # Safety
/// `base` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn evthread_make_base_notifiable(base: *mut event_base) -> c_int {
    if base.is_null() {
        return -1;
    }
    // SAFETY: base pointers come from event_base_new*.
    let b = unsafe { &*(base as *const crate::base::EventBase) };
    match b.with(|i| i.make_notifiable()) {
        Ok(()) => 0,
        Err(_) => -1,
    }
}
