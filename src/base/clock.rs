//! The base's clock: the cached time of the current loop turn and the monotonic → wall-clock
//! offset.

use libc::timeval;

use super::timer::*;
use super::{Inner, FLAG_NO_CACHE_TIME};

const CLOCK_SYNC_INTERVAL: i64 = 5;

impl Inner {
    /// `gettime`: the cached time of this turn, else the monotonic clock.
    #[inline(always)]
    pub(crate) fn gettime(&mut self) -> timeval {
        if self.tv_cache.tv_sec != 0 {
            return self.tv_cache;
        }
        self.gettime_clock()
    }

    /// [`Inner::gettime`] without a cached time: the clock, and every
    /// `CLOCK_SYNC_INTERVAL` seconds the wall-clock offset.
    #[inline]
    fn gettime_clock(&mut self) -> timeval {
        let tp = monotonic_clock(self.clock);
        if self.last_updated_clock_diff + CLOCK_SYNC_INTERVAL < tp.tv_sec {
            let wall = wallclock();
            self.tv_clock_diff = tv_sub(&wall, &tp);
            self.last_updated_clock_diff = tp.tv_sec;
        }
        tp
    }

    #[inline]
    pub(super) fn clear_time_cache(&mut self) {
        self.tv_cache.tv_sec = 0;
    }

    #[inline]
    pub(crate) fn update_time_cache(&mut self) {
        self.tv_cache.tv_sec = 0;
        if self.flags & FLAG_NO_CACHE_TIME == 0 {
            self.tv_cache = self.gettime();
        }
    }

    /// `event_base_update_cache_time`: refreshes the cache only inside a running loop.
    pub(crate) fn update_cache_time_if_running(&mut self) {
        if self.running_loop {
            self.update_time_cache();
        }
    }

    /// `event_base_gettimeofday_cached`.
    pub(crate) fn gettimeofday_cached(&mut self) -> timeval {
        if self.tv_cache.tv_sec == 0 {
            wallclock()
        } else {
            tv_add(&self.tv_cache, &self.tv_clock_diff)
        }
    }

    /// Monotonic → wall-clock offset (for `event_pending`).
    pub(crate) fn clock_diff(&self) -> timeval {
        self.tv_clock_diff
    }
}
