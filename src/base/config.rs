//! `struct event_config` and the backends libevent could pick (we always run on epoll
//! underneath and report, and honour the features of, the one libevent would choose).

use std::ffi::{c_int, CStr};

use libc::timeval;

use super::{EV_FEATURE_EARLY_CLOSE, EV_FEATURE_ET, EV_FEATURE_FDS, EV_FEATURE_O1};

/// `struct event_config`.
pub struct Config {
    pub(crate) avoid: Vec<Vec<u8>>,
    pub(crate) require_features: c_int,
    pub(crate) flags: c_int,
    pub(crate) n_cpus_hint: c_int,
    pub(crate) max_dispatch_interval: timeval,
    pub(crate) max_dispatch_callbacks: c_int,
    pub(crate) limit_callbacks_after_prio: c_int,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            avoid: Vec::new(),
            require_features: 0,
            flags: 0,
            n_cpus_hint: 0,
            max_dispatch_interval: timeval { tv_sec: -1, tv_usec: 0 },
            max_dispatch_callbacks: c_int::MAX,
            limit_callbacks_after_prio: 1,
        }
    }
}

/// One backend libevent could have picked; we always run on epoll underneath, but report
/// (and honour the feature set of) the one libevent would choose.
pub(crate) struct Method {
    pub(crate) name: &'static CStr,
    pub(crate) features: c_int,
}

pub(crate) static METHODS: [Method; 3] = [
    Method { name: c"epoll", features: EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE },
    Method { name: c"poll", features: EV_FEATURE_FDS | EV_FEATURE_EARLY_CLOSE },
    Method { name: c"select", features: EV_FEATURE_FDS },
];
pub(super) static EPOLL_CHANGELIST: Method =
    Method { name: c"epoll (with changelist)", features: EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE };

pub(super) fn getenv(name: &CStr) -> bool {
    // SAFETY: NUL-terminated name.
    !unsafe { libc::getenv(name.as_ptr()) }.is_null()
}

pub(super) fn method_disabled(name: &CStr) -> bool {
    let mut var = b"EVENT_NO".to_vec();
    var.extend(name.to_bytes().iter().map(|c| c.to_ascii_uppercase()));
    var.push(0);
    getenv(CStr::from_bytes_with_nul(&var).unwrap_or(c"EVENT_NO"))
}
