//! Monotonic time (`struct evutil_monotonic_timer`) and the HTTP date format.

use std::ffi::c_int;
use std::fmt::Write;

/// `EV_MONOT_PRECISE`: use the precise clock even where a coarse one is cheaper.
pub(crate) const MONOT_PRECISE: c_int = 1;
/// `EV_MONOT_FALLBACK`: use the wall clock, ratcheted so it never goes backwards.
pub(crate) const MONOT_FALLBACK: c_int = 2;

/// A monotonic clock as libevent configures one on Linux: CLOCK_MONOTONIC_COARSE by
/// default, CLOCK_MONOTONIC when precise, or gettimeofday() made monotonic by ratcheting.
#[derive(Clone, Copy, Debug)]
pub struct MonotonicTimer {
    /// The clock to read, or `None` for the ratcheted wall clock.
    clock: Option<libc::clockid_t>,
    /// What was added to the wall clock so far to keep it from going backwards (µs).
    adjust_us: i64,
    /// The last wall-clock reading handed out (µs).
    last_us: i64,
}

fn clock_works(clock: libc::clockid_t) -> bool {
    // SAFETY: `ts` is a valid out-parameter.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    unsafe { libc::clock_gettime(clock, &mut ts) == 0 }
}

impl Default for MonotonicTimer {
    fn default() -> Self {
        Self::new()
    }
}

impl MonotonicTimer {
    /// An unconfigured timer. libevent zero-fills it, so until configured it reads clock
    /// id 0, CLOCK_REALTIME, unratcheted; we do the same.
    pub fn new() -> Self {
        MonotonicTimer { clock: Some(libc::CLOCK_REALTIME), adjust_us: 0, last_us: 0 }
    }

    /// `evutil_configure_monotonic_time`; always succeeds (returns 0), as in libevent.
    pub fn configure(&mut self, flags: c_int) -> c_int {
        let precise = flags & MONOT_PRECISE != 0;
        let fallback = flags & MONOT_FALLBACK != 0;
        self.clock = if !precise && !fallback && clock_works(libc::CLOCK_MONOTONIC_COARSE) {
            Some(libc::CLOCK_MONOTONIC_COARSE)
        } else if !fallback && clock_works(libc::CLOCK_MONOTONIC) {
            Some(libc::CLOCK_MONOTONIC)
        } else {
            None
        };
        0
    }

    /// `evutil_gettime_monotonic`: (seconds, microseconds), or `None` if the clock fails.
    pub fn now(&mut self) -> Option<(i64, i64)> {
        match self.clock {
            Some(clock) => {
                // SAFETY: `ts` is a valid out-parameter.
                let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
                // SAFETY: as above.
                if unsafe { libc::clock_gettime(clock, &mut ts) } == -1 {
                    return None;
                }
                Some((ts.tv_sec as i64, ts.tv_nsec as i64 / 1000))
            }
            None => {
                let (s, us) = wall_clock()?;
                let mut t = s * 1_000_000 + us + self.adjust_us;
                if t < self.last_us {
                    // The wall clock stepped back: absorb the step into the adjustment.
                    self.adjust_us += self.last_us - t;
                    t = self.last_us;
                }
                self.last_us = t;
                Some((t.div_euclid(1_000_000), t.rem_euclid(1_000_000)))
            }
        }
    }
}

/// gettimeofday() as (seconds, microseconds).
pub fn wall_clock() -> Option<(i64, i64)> {
    // SAFETY: `tv` is a valid out-parameter; the timezone argument may be NULL.
    let mut tv: libc::timeval = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    if unsafe { libc::gettimeofday(&mut tv, std::ptr::null_mut()) } < 0 {
        return None;
    }
    Some((tv.tv_sec as i64, tv.tv_usec as i64))
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The RFC 1123 date (`Sun, 06 Nov 1994 08:49:37 GMT`) for `tm`, or for the current UTC time
/// when `tm` is `None`. `None` when the weekday or month is out of range (libevent would
/// index past its tables).
pub fn date_rfc1123(tm: Option<&libc::tm>) -> Option<String> {
    let now;
    let tm = match tm {
        Some(t) => t,
        None => {
            // SAFETY: time(NULL) has no preconditions; gmtime_r writes only `out`.
            let t = unsafe { libc::time(std::ptr::null_mut()) };
            // SAFETY: all-zero is a valid `struct tm`.
            let mut out: libc::tm = unsafe { std::mem::zeroed() };
            // SAFETY: both pointers are valid for the call.
            if unsafe { libc::gmtime_r(&t, &mut out) }.is_null() {
                return None;
            }
            now = out;
            &now
        }
    };
    let day = DAYS.get(usize::try_from(tm.tm_wday).ok()?)?;
    let month = MONTHS.get(usize::try_from(tm.tm_mon).ok()?)?;
    let mut s = String::with_capacity(32);
    let _ = write!(
        s,
        "{day}, {:02} {month} {:4} {:02}:{:02}:{:02} GMT",
        tm.tm_mday,
        1900i64 + i64::from(tm.tm_year),
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    );
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratchet_never_goes_back() {
        let mut t = MonotonicTimer::new();
        t.configure(MONOT_FALLBACK);
        let a = t.now().unwrap();
        let b = t.now().unwrap();
        assert!(b >= a);
    }

    #[test]
    fn rfc1123() {
        // SAFETY: all-zero is a valid `struct tm`.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        tm.tm_year = 94;
        tm.tm_mon = 10;
        tm.tm_mday = 6;
        tm.tm_wday = 0;
        tm.tm_hour = 8;
        tm.tm_min = 49;
        tm.tm_sec = 37;
        assert_eq!(date_rfc1123(Some(&tm)).unwrap(), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
