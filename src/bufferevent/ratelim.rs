//! Rate limiting (libevent 2.1.12's bufferevent_ratelim.c): token buckets per bufferevent
//! and per group of bufferevents.
//!
//! Time is cut into *ticks* of a configured length; each tick adds `rate` bytes to a bucket,
//! up to `burst`. A bucket's tick count is the base's cached wall-clock time
//! (`event_base_gettimeofday_cached`) in milliseconds divided by the tick length, so every
//! bucket with the same tick length refills at the same instants. Buckets are signed and
//! may go negative (a group member's minimum share, `bufferevent_decrement_*_limit`); a
//! negative bucket needs several ticks to become usable again.
//!
//! Only the I/O paths that call the hooks here are limited, as in libevent: socket
//! bufferevents' reads and writes (and evshim's `bufferevent_flush_and_close`). Pairs and
//! filters accept a configuration and report limits but move data unlimited; an emptied
//! bucket (`bufferevent_decrement_*_limit`) does suspend them.
//!
//! A bufferevent whose own bucket empties is suspended (`SUSPEND_BW`) and a per-bufferevent
//! timer (`refill_bucket_event`, one tick) refills and resumes it. A group has one bucket
//! for all members and a persistent timer firing every tick (`master_refill_event`): when
//! the group's bucket empties every member is suspended (`SUSPEND_BW_GROUP`), and the
//! timer resumes them all, starting at a random member, once the bucket holds `min_share`
//! again. Each member may take `bucket / members` per operation, at least `min_share`.
//!
//! Locking: a group has its own lock (when threading is on), nested inside bufferevent
//! locks. Code holding a group lock only *tries* to lock members; one it cannot lock
//! notices the suspension by itself the next time it asks how much it may read or write.

use std::ffi::{c_int, c_short, c_void};
use std::ptr;

use libc::timeval;

use super::*;
use crate::base::event::{EV_FINALIZE, EV_PERSIST};

/// `EV_RATE_LIMIT_MAX` (`EV_SSIZE_MAX`).
pub(crate) const RATE_LIMIT_MAX: usize = isize::MAX as usize;

/// The bits of `tv_usec` that hold microseconds in a common-timeout timeval.
const COMMON_TIMEOUT_MICROSECONDS_MASK: libc::suseconds_t = 0x000f_ffff;

/// A new group's `min_share`.
const DEFAULT_MIN_SHARE: usize = 64;

/// `EVUTIL_WEAKRAND_MAX`.
const WEAKRAND_MAX: i32 = 0x7fff_ffff;

// ---- configuration and buckets -----------------------------------------------------------

/// `struct ev_token_bucket_cfg` (opaque to C). A bufferevent refers to the program's
/// configuration (shared, not copied: freeing it while in use is the program's error, as
/// in libevent); a group copies it.
#[derive(Clone)]
pub struct ev_token_bucket_cfg {
    read_rate: usize,
    read_maximum: usize,
    write_rate: usize,
    write_maximum: usize,
    /// The tick as given (a common timeout stays one: the refill timers use it as is).
    tick_timeout: timeval,
    /// The tick in milliseconds (sub-millisecond parts ignored).
    msec_per_tick: u32,
}

/// `ev_token_bucket_cfg_new`: `None` if a rate is 0, exceeds its burst, or anything exceeds
/// `EV_RATE_LIMIT_MAX`; `tick_len` None means one second. A tick shorter than a
/// millisecond is refused too (libevent accepts it and then divides by zero).
pub(crate) fn cfg_new(
    read_rate: usize,
    read_burst: usize,
    write_rate: usize,
    write_burst: usize,
    tick_len: Option<timeval>,
) -> Option<Box<ev_token_bucket_cfg>> {
    let tick = tick_len.unwrap_or(timeval { tv_sec: 1, tv_usec: 0 });
    if read_rate > read_burst || write_rate > write_burst || read_rate < 1 || write_rate < 1 {
        return None;
    }
    if [read_rate, write_rate, read_burst, write_burst].iter().any(|&v| v > RATE_LIMIT_MAX) {
        return None;
    }
    // libevent stores the millisecond count in an unsigned int, truncating.
    let msec =
        tick.tv_sec.wrapping_mul(1000).wrapping_add((tick.tv_usec & COMMON_TIMEOUT_MICROSECONDS_MASK) / 1000) as u32;
    if msec == 0 {
        crate::ev_warn!("ev_token_bucket_cfg_new: the tick must be at least one millisecond");
        return None;
    }
    Some(Box::new(ev_token_bucket_cfg {
        read_rate,
        read_maximum: read_burst,
        write_rate,
        write_maximum: write_burst,
        tick_timeout: tick,
        msec_per_tick: msec,
    }))
}

impl ev_token_bucket_cfg {
    fn rate(&self, write: bool) -> usize {
        if write {
            self.write_rate
        } else {
            self.read_rate
        }
    }

    fn maximum(&self, write: bool) -> usize {
        if write {
            self.write_maximum
        } else {
            self.read_maximum
        }
    }

    /// `ev_token_bucket_get_tick_`: the tick `tv` falls in (wraps; callers cope).
    fn tick_of(&self, tv: &timeval) -> u32 {
        let msec = (tv.tv_sec as u64).wrapping_mul(1000).wrapping_add((tv.tv_usec / 1000) as u64);
        (msec / self.msec_per_tick as u64) as u32
    }
}

/// `struct ev_token_bucket`: what may be read and written now (signed: deficit spending).
#[derive(Clone, Copy, Default)]
struct TokenBucket {
    read_limit: isize,
    write_limit: isize,
    /// The tick of the last refill, in the units of the configuration in use.
    last_updated: u32,
}

impl TokenBucket {
    fn limit(&self, write: bool) -> isize {
        if write {
            self.write_limit
        } else {
            self.read_limit
        }
    }

    fn limit_mut(&mut self, write: bool) -> &mut isize {
        if write {
            &mut self.write_limit
        } else {
            &mut self.read_limit
        }
    }

    /// `ev_token_bucket_init_`. A first configuration fills one tick's worth (the rate, not
    /// the burst); a new configuration only clips the bucket down to the new burst and
    /// keeps `last_updated` (even though it counted ticks of the old length).
    fn init(&mut self, cfg: &ev_token_bucket_cfg, tick: u32, reinitialize: bool) {
        if reinitialize {
            for w in [false, true] {
                if *self.limit_mut(w) as i64 > cfg.maximum(w) as i64 {
                    *self.limit_mut(w) = cfg.maximum(w) as isize;
                }
            }
        } else {
            self.read_limit = cfg.read_rate as isize;
            self.write_limit = cfg.write_rate as isize;
            self.last_updated = tick;
        }
    }

    /// `ev_token_bucket_update_`: adds the ticks elapsed since the last refill. Nothing
    /// happens if no tick passed or the clock went back (a difference above `INT_MAX`).
    /// The arithmetic is libevent's unsigned one, overflow guard included: a bucket above
    /// its maximum (after a negative decrement) keeps growing.
    fn update(&mut self, cfg: &ev_token_bucket_cfg, tick: u32) -> bool {
        let n_ticks = tick.wrapping_sub(self.last_updated);
        if n_ticks == 0 || n_ticks > i32::MAX as u32 {
            return false;
        }
        let n = n_ticks as usize;
        for w in [false, true] {
            let (max, rate) = (cfg.maximum(w), cfg.rate(w));
            let lim = self.limit_mut(w);
            if max.wrapping_sub(*lim as usize) / n < rate {
                *lim = max as isize;
            } else {
                *lim = (*lim as usize).wrapping_add(n.wrapping_mul(rate)) as isize;
            }
        }
        self.last_updated = tick;
        true
    }
}

/// A bufferevent's rate-limiting state (`struct bufferevent_rate_limit`), made by the first
/// `bufferevent_set_rate_limit` or `bufferevent_add_to_rate_limit_group`, kept until the
/// bufferevent is finalized.
pub(crate) struct RateLimit {
    /// One tick after a bucket emptied: refill and resume (in the finalizer's list).
    pub(crate) refill_bucket_event: event,
    /// The program's configuration, or NULL (group only, or limit removed).
    cfg: *const ev_token_bucket_cfg,
    limit: TokenBucket,
    /// The group, or NULL. Changed under the bufferevent's lock and the group's.
    group: *mut bufferevent_rate_limit_group,
}

/// `struct bufferevent_rate_limit_group` (opaque to C).
pub struct bufferevent_rate_limit_group {
    /// Members, most recently added first (libevent's LIST_INSERT_HEAD order).
    members: Vec<*mut BufferEvent>,
    rate_limit: TokenBucket,
    cfg: ev_token_bucket_cfg,
    read_suspended: bool,
    write_suspended: bool,
    /// A member could not be locked when the group resumed: try again next tick.
    pending_unsuspend_read: bool,
    pending_unsuspend_write: bool,
    total_read: u64,
    total_written: u64,
    min_share: isize,
    configured_min_share: isize,
    /// Persistent, every tick.
    master_refill_event: event,
    /// `evutil_weakrand_state`: picks the member resumed first.
    weakrand_seed: u32,
    lock: Option<Lock>,
}

// ---- small helpers ------------------------------------------------------------------------

fn group_suspended(write: bool, g: &bufferevent_rate_limit_group) -> bool {
    if write {
        g.write_suspended
    } else {
        g.read_suspended
    }
}

unsafe fn suspend(p: *mut BufferEvent, write: bool, what: u16) {
    // SAFETY: live per the caller.
    unsafe {
        if write {
            BufferEvent::suspend_write(p, what)
        } else {
            BufferEvent::suspend_read(p, what)
        }
    }
}

unsafe fn unsuspend(p: *mut BufferEvent, write: bool, what: u16) {
    // SAFETY: live per the caller.
    unsafe {
        if write {
            BufferEvent::unsuspend_write(p, what)
        } else {
            BufferEvent::unsuspend_read(p, what)
        }
    }
}

unsafe fn suspended(p: *mut BufferEvent, write: bool) -> u16 {
    // SAFETY: live per the caller.
    unsafe {
        if write {
            (*p).write_suspended
        } else {
            (*p).read_suspended
        }
    }
}

/// The bufferevent's state, if it has any (a raw pointer: the Box lives until the
/// finalizer, and user code may run while we hold this).
unsafe fn rlim_of(p: *mut BufferEvent) -> Option<*mut RateLimit> {
    // SAFETY: live per the caller.
    unsafe { (*p).rate_limiting.as_deref_mut().map(|r| r as *mut RateLimit) }
}

/// `event_base_gettimeofday_cached` for the bufferevent's base.
unsafe fn now_of(p: *mut BufferEvent) -> timeval {
    // SAFETY: live per the caller.
    match unsafe { BufferEvent::base(p) } {
        Some(b) => b.with(|i| i.gettimeofday_cached()),
        None => crate::base::timer::wallclock(),
    }
}

/// `EVLOCK_TRY_LOCK_` on a bufferevent: true if taken (always, without a lock).
unsafe fn try_lock_bev(p: *mut BufferEvent) -> bool {
    // SAFETY: live per the caller.
    unsafe { (*p).lock.as_ref().is_none_or(|l| l.try_lock()) }
}

unsafe fn lock_group(g: *mut bufferevent_rate_limit_group) {
    // SAFETY: live per the caller.
    if let Some(l) = unsafe { &(*g).lock } {
        l.lock();
    }
}

unsafe fn unlock_group(g: *mut bufferevent_rate_limit_group) {
    // SAFETY: live per the caller.
    if let Some(l) = unsafe { &(*g).lock } {
        l.unlock();
    }
}

/// `event_assign(&rlim->refill_bucket_event, bev->ev_base, -1, EV_FINALIZE, ...)`.
unsafe fn assign_refill_event(p: *mut BufferEvent, rl: *mut RateLimit) {
    // SAFETY: live per the caller; `rl` is `p`'s state and not pending.
    unsafe {
        let base = BufferEvent::base(p);
        let nq = base.map_or(1, |b| b.with(|i| i.nactivequeues()));
        let base: *mut EventBase = base.map_or(ptr::null_mut(), |b| b as *const EventBase as *mut EventBase);
        crate::base::assign_internal(
            &mut (*rl).refill_bucket_event,
            base,
            nq,
            -1,
            EV_FINALIZE,
            Some(refill_cb),
            p.cast(),
        );
    }
}

/// A new, empty state with its refill event assigned.
unsafe fn ensure_rlim(p: *mut BufferEvent) -> *mut RateLimit {
    // SAFETY: live and locked per the caller.
    unsafe {
        if let Some(rl) = rlim_of(p) {
            return rl;
        }
        (*p).rate_limiting = Some(Box::new(RateLimit {
            // SAFETY: all-zero is an unassigned event.
            refill_bucket_event: std::mem::zeroed(),
            cfg: ptr::null(),
            limit: TokenBucket::default(),
            group: ptr::null_mut(),
        }));
        rlim_of(p).unwrap_or(ptr::null_mut())
    }
}

// ---- the hooks of the I/O paths -------------------------------------------------------------

/// `bufferevent_update_buckets`: refills the bufferevent's own bucket if a tick passed.
unsafe fn update_buckets(p: *mut BufferEvent, rl: *mut RateLimit) {
    // SAFETY: live and locked per the caller; `rl` has a configuration.
    unsafe {
        let now = now_of(p);
        let cfg = &*(*rl).cfg;
        let tick = cfg.tick_of(&now);
        if tick != (*rl).limit.last_updated {
            (*rl).limit.update(cfg, tick);
        }
    }
}

/// `bufferevent_get_rlim_max_`: how much one read (write) may move now, 0 if nothing.
/// Without rate limiting this is `max_single_read`; with a configuration it is the
/// bucket's level (libevent then ignores `max_single_*`); a group clamps it to the
/// member's share. A group found suspended suspends this member too (a member the group
/// could not lock when it suspended finds out here).
unsafe fn get_rlim_max(p: *mut BufferEvent, write: bool) -> isize {
    // SAFETY: live and locked per the caller.
    unsafe {
        let mut max_so_far = if write { (*p).max_single_write } else { (*p).max_single_read };
        let Some(rl) = rlim_of(p) else { return max_so_far };
        if !(*rl).cfg.is_null() {
            update_buckets(p, rl);
            max_so_far = (*rl).limit.limit(write);
        }
        let g = (*rl).group;
        if !g.is_null() {
            lock_group(g);
            let share = if group_suspended(write, &*g) {
                suspend(p, write, SUSPEND_BW_GROUP);
                0
            } else {
                // libevent divides among all members, not only the active ones.
                let share = (*g).rate_limit.limit(write) / ((*g).members.len() as isize).max(1);
                share.max((*g).min_share)
            };
            unlock_group(g);
            max_so_far = max_so_far.min(share);
        }
        max_so_far.max(0)
    }
}

/// `bufferevent_get_read_max_`: how much one read may take now. Lock held.
pub(crate) unsafe fn get_read_max(p: *mut BufferEvent) -> isize {
    // SAFETY: forwarded.
    unsafe { get_rlim_max(p, false) }
}

/// `bufferevent_get_write_max_`. Lock held.
pub(crate) unsafe fn get_write_max(p: *mut BufferEvent) -> isize {
    // SAFETY: forwarded.
    unsafe { get_rlim_max(p, true) }
}

/// `bufferevent_decrement_{read,write}_buckets_`: `bytes` were moved. An emptied own
/// bucket suspends this direction and arms the refill timer; a bucket back above zero
/// (a negative count) resumes it. The group's bucket and totals likewise for all members.
unsafe fn decrement_buckets(p: *mut BufferEvent, write: bool, bytes: isize) -> c_int {
    let mut r = 0;
    // SAFETY: live and locked per the caller.
    unsafe {
        let Some(rl) = rlim_of(p) else { return 0 };
        if !(*rl).cfg.is_null() {
            let lim = (*rl).limit.limit_mut(write);
            *lim = lim.wrapping_sub(bytes);
            if *lim <= 0 {
                suspend(p, write, SUSPEND_BW);
                let tv = (*(*rl).cfg).tick_timeout;
                if ev_add(&mut (*rl).refill_bucket_event, Some(&tv)) < 0 {
                    r = -1;
                }
            } else if suspended(p, write) & SUSPEND_BW != 0 {
                if suspended(p, !write) & SUSPEND_BW == 0 {
                    ev_del(&mut (*rl).refill_bucket_event);
                }
                unsuspend(p, write, SUSPEND_BW);
            }
        }
        let g = (*rl).group;
        if !g.is_null() {
            lock_group(g);
            let lim = (*g).rate_limit.limit_mut(write);
            *lim = lim.wrapping_sub(bytes);
            let lim = *lim;
            if write {
                (*g).total_written = (*g).total_written.wrapping_add(bytes as u64);
            } else {
                (*g).total_read = (*g).total_read.wrapping_add(bytes as u64);
            }
            if lim <= 0 {
                group_suspend(g, write);
            } else if group_suspended(write, &*g) {
                group_unsuspend(g, write);
            }
            unlock_group(g);
        }
    }
    r
}

/// `bufferevent_decrement_read_buckets_`. Lock held.
pub(crate) unsafe fn decrement_read_buckets(p: *mut BufferEvent, bytes: isize) -> c_int {
    // SAFETY: forwarded.
    unsafe { decrement_buckets(p, false, bytes) }
}

/// `bufferevent_decrement_write_buckets_`. Lock held.
pub(crate) unsafe fn decrement_write_buckets(p: *mut BufferEvent, bytes: isize) -> c_int {
    // SAFETY: forwarded.
    unsafe { decrement_buckets(p, true, bytes) }
}

/// Called by the finalizer (lock held): leaves the group without resuming anything, and
/// drops the state (its refill event was finalized with the bufferevent's other events).
pub(crate) unsafe fn on_finalize(p: *mut BufferEvent) {
    // SAFETY: live per the caller.
    unsafe {
        if rlim_of(p).is_some_and(|rl| !(*rl).group.is_null()) {
            remove_from_group(p, false);
        }
        if let Some(rl) = (*p).rate_limiting.as_deref() {
            crate::base::thread::debug_note_teardown(&rl.refill_bucket_event);
        }
        (*p).rate_limiting = None;
    }
}

// ---- groups: suspension ------------------------------------------------------------------

/// `bev_group_suspend_{reading,writing}_`: stops every member it can lock. Group lock held.
unsafe fn group_suspend(g: *mut bufferevent_rate_limit_group, write: bool) {
    // SAFETY: live and locked per the caller; members are live (they leave the group in
    // their finalizer, which needs the group lock).
    unsafe {
        if write {
            (*g).write_suspended = true;
            (*g).pending_unsuspend_write = false;
        } else {
            (*g).read_suspended = true;
            (*g).pending_unsuspend_read = false;
        }
        let mut i = 0;
        while i < (*g).members.len() {
            let p = (&(*g).members)[i];
            if try_lock_bev(p) {
                suspend(p, write, SUSPEND_BW_GROUP);
                BufferEvent::unlock(p);
            }
            i += 1;
        }
    }
}

/// `evutil_weakrand_range_`: libevent's LCG (glibc's TYPE_0), in `[0, top)`.
fn weakrand_range(seed: &mut u32, top: i32) -> i32 {
    let divisor = WEAKRAND_MAX / top;
    loop {
        *seed = (seed.wrapping_mul(1_103_515_245).wrapping_add(12345)) & 0x7fff_ffff;
        let r = *seed as i32 / divisor;
        if r < top {
            return r;
        }
    }
}

/// `bev_group_unsuspend_{reading,writing}_`: resumes every member, starting at a random
/// one and wrapping around (some fairness: the first resumed reads first). A member that
/// cannot be locked is retried at the next tick. Group lock held.
unsafe fn group_unsuspend(g: *mut bufferevent_rate_limit_group, write: bool) {
    // SAFETY: as in `group_suspend`.
    unsafe {
        if write {
            (*g).write_suspended = false;
        } else {
            (*g).read_suspended = false;
        }
        let n = (*g).members.len();
        let first = if n == 0 { 0 } else { weakrand_range(&mut (*g).weakrand_seed, n as i32) as usize };
        let mut again = false;
        for k in 0..n {
            let i = (first + k) % n;
            let members: &Vec<*mut BufferEvent> = &(*g).members;
            let Some(&p) = members.get(i) else { continue };
            if try_lock_bev(p) {
                unsuspend(p, write, SUSPEND_BW_GROUP);
                BufferEvent::unlock(p);
            } else {
                again = true;
            }
        }
        if write {
            (*g).pending_unsuspend_write = again;
        } else {
            (*g).pending_unsuspend_read = again;
        }
    }
}

// ---- timers --------------------------------------------------------------------------------

/// `bev_refill_callback_`: a tick after a bucket emptied. Refills, resumes each direction
/// whose bucket is positive again, and waits another tick for one still empty.
unsafe extern "C" fn refill_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let p: *mut BufferEvent = arg.cast();
    // SAFETY: the event belongs to a live bufferevent (the finalizer stops it first).
    unsafe {
        BufferEvent::lock(p);
        let Some(rl) = rlim_of(p).filter(|&rl| !(*rl).cfg.is_null()) else {
            BufferEvent::unlock(p);
            return;
        };
        let now = now_of(p);
        let cfg = &*(*rl).cfg;
        (*rl).limit.update(cfg, cfg.tick_of(&now));
        let mut again = false;
        for write in [false, true] {
            if suspended(p, write) & SUSPEND_BW != 0 {
                if (*rl).limit.limit(write) > 0 {
                    unsuspend(p, write, SUSPEND_BW);
                } else {
                    again = true;
                }
            }
        }
        if again {
            // Started deeply negative: another tick (libevent does not compute how many).
            let tv = (*(*rl).cfg).tick_timeout;
            ev_add(&mut (*rl).refill_bucket_event, Some(&tv));
        }
        BufferEvent::unlock(p);
    }
}

/// `bev_group_refill_callback_`: every tick. Refills the group's bucket; resumes members
/// once it holds `min_share` (or a previous resume missed a member).
unsafe extern "C" fn group_refill_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let g: *mut bufferevent_rate_limit_group = arg.cast();
    // SAFETY: the event belongs to a live group (freeing the group deletes it).
    unsafe {
        let now = match event_base_of(&(*g).master_refill_event) {
            Some(b) => b.with(|i| i.gettimeofday_cached()),
            None => crate::base::timer::wallclock(),
        };
        lock_group(g);
        let tick = (*g).cfg.tick_of(&now);
        let cfg = (*g).cfg.clone();
        (*g).rate_limit.update(&cfg, tick);
        if (*g).pending_unsuspend_read || ((*g).read_suspended && (*g).rate_limit.read_limit >= (*g).min_share) {
            group_unsuspend(g, false);
        }
        if (*g).pending_unsuspend_write || ((*g).write_suspended && (*g).rate_limit.write_limit >= (*g).min_share) {
            group_unsuspend(g, true);
        }
        unlock_group(g);
    }
}

// ---- per-bufferevent API -------------------------------------------------------------------

/// `bufferevent_set_rate_limit`: NULL removes the limit (the state stays, a group too).
/// The same configuration again changes nothing; another one keeps the bucket, clipped to
/// the new burst; the first fills it with one tick's rate. A bucket not positive suspends.
pub(crate) unsafe fn set_rate_limit(p: *mut BufferEvent, cfg: *const ev_token_bucket_cfg) -> c_int {
    // SAFETY: live per the caller; `cfg` NULL or a live configuration.
    unsafe {
        BufferEvent::lock(p);
        if cfg.is_null() {
            if let Some(rl) = rlim_of(p) {
                (*rl).cfg = ptr::null();
                BufferEvent::unsuspend_read(p, SUSPEND_BW);
                BufferEvent::unsuspend_write(p, SUSPEND_BW);
                ev_del(&mut (*rl).refill_bucket_event);
            }
            BufferEvent::unlock(p);
            return 0;
        }
        let now = now_of(p);
        let tick = (*cfg).tick_of(&now);
        if rlim_of(p).is_some_and(|rl| ptr::eq((*rl).cfg, cfg)) {
            BufferEvent::unlock(p);
            return 0;
        }
        let rl = ensure_rlim(p);
        let reinit = !(*rl).cfg.is_null();
        (*rl).cfg = cfg;
        (*rl).limit.init(&*cfg, tick, reinit);
        if reinit {
            ev_del(&mut (*rl).refill_bucket_event);
        }
        assign_refill_event(p, rl);
        let mut suspended_any = false;
        for write in [false, true] {
            if (*rl).limit.limit(write) > 0 {
                unsuspend(p, write, SUSPEND_BW);
            } else {
                suspend(p, write, SUSPEND_BW);
                suspended_any = true;
            }
        }
        if suspended_any {
            let tv = (*cfg).tick_timeout;
            ev_add(&mut (*rl).refill_bucket_event, Some(&tv));
        }
        BufferEvent::unlock(p);
        0
    }
}

/// `bufferevent_get_{read,write}_limit`: the own bucket's level (refilled first), or
/// `EV_SSIZE_MAX` without a configuration. The group is not consulted.
pub(crate) unsafe fn get_limit(p: *mut BufferEvent, write: bool) -> isize {
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        let r = match rlim_of(p).filter(|&rl| !(*rl).cfg.is_null()) {
            Some(rl) => {
                update_buckets(p, rl);
                (*rl).limit.limit(write)
            }
            None => isize::MAX,
        };
        BufferEvent::unlock(p);
        r
    }
}

/// `bufferevent_set_max_single_{read,write}`: 0 or more than `EV_SSIZE_MAX` restores the
/// default (16384).
pub(crate) unsafe fn set_max_single(p: *mut BufferEvent, write: bool, size: usize) {
    let v = if size == 0 || size > isize::MAX as usize { MAX_SINGLE_DEFAULT } else { size as isize };
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        if write {
            (*p).max_single_write = v;
        } else {
            (*p).max_single_read = v;
        }
        BufferEvent::unlock(p);
    }
}

/// `bufferevent_get_max_single_{read,write}`.
pub(crate) unsafe fn get_max_single(p: *mut BufferEvent, write: bool) -> isize {
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        let r = if write { (*p).max_single_write } else { (*p).max_single_read };
        BufferEvent::unlock(p);
        r
    }
}

/// `bufferevent_get_max_to_{read,write}`: what the next operation may move.
pub(crate) unsafe fn get_max_to(p: *mut BufferEvent, write: bool) -> isize {
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        let r = get_rlim_max(p, write);
        BufferEvent::unlock(p);
        r
    }
}

/// `bufferevent_get_token_bucket_cfg`: the configuration in use, or NULL.
pub(crate) unsafe fn get_token_bucket_cfg(p: *mut BufferEvent) -> *const ev_token_bucket_cfg {
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        let r = rlim_of(p).map_or(ptr::null(), |rl| (*rl).cfg);
        BufferEvent::unlock(p);
        r
    }
}

/// `bufferevent_decrement_{read,write}_limit`: spends (or, negative, returns) bytes of
/// the own bucket. Crossing zero suspends or resumes, as the I/O paths do. libevent
/// asserts that the bufferevent has a configuration; so do we (abort).
pub(crate) unsafe fn decrement_limit(p: *mut BufferEvent, write: bool, decr: isize) -> c_int {
    let mut r = 0;
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        let Some(rl) = rlim_of(p).filter(|&rl| !(*rl).cfg.is_null()) else {
            let f = if write { "bufferevent_decrement_write_limit" } else { "bufferevent_decrement_read_limit" };
            crate::ev_fatal!("{f}: assertion failed: the bufferevent has no rate limit configuration");
        };
        let old = (*rl).limit.limit(write);
        let new = old.wrapping_sub(decr);
        *(*rl).limit.limit_mut(write) = new;
        if old > 0 && new <= 0 {
            suspend(p, write, SUSPEND_BW);
            let tv = (*(*rl).cfg).tick_timeout;
            if ev_add(&mut (*rl).refill_bucket_event, Some(&tv)) < 0 {
                r = -1;
            }
        } else if old <= 0 && new > 0 {
            if suspended(p, !write) & SUSPEND_BW == 0 {
                ev_del(&mut (*rl).refill_bucket_event);
            }
            unsuspend(p, write, SUSPEND_BW);
        }
        BufferEvent::unlock(p);
    }
    r
}

// ---- group API -------------------------------------------------------------------------------

/// `bufferevent_rate_limit_group_new`: a group on `base` (its refill timer runs every tick
/// from now on, keeping the loop busy until the group is freed), bucket filled with one
/// tick's rate, `min_share` 64 (or less: see [`group_set_min_share`]).
pub(crate) unsafe fn group_new(base: *mut EventBase, cfg: &ev_token_bucket_cfg) -> *mut bufferevent_rate_limit_group {
    // SAFETY: `base` a live base (the caller resolved NULL).
    let b = unsafe { &*base };
    let now = b.with(|i| i.gettimeofday_cached());
    let tick = cfg.tick_of(&now);
    let g = Box::into_raw(Box::new(bufferevent_rate_limit_group {
        members: Vec::new(),
        rate_limit: TokenBucket::default(),
        cfg: cfg.clone(),
        read_suspended: false,
        write_suspended: false,
        pending_unsuspend_read: false,
        pending_unsuspend_write: false,
        total_read: 0,
        total_written: 0,
        min_share: 0,
        configured_min_share: 0,
        // SAFETY: all-zero is an unassigned event.
        master_refill_event: unsafe { std::mem::zeroed() },
        weakrand_seed: 0,
        lock: None,
    }));
    // SAFETY: fresh, exclusively ours until returned.
    unsafe {
        (*g).rate_limit.init(cfg, tick, false);
        let nq = b.with(|i| i.nactivequeues());
        crate::base::assign_internal(
            &mut (*g).master_refill_event,
            base,
            nq,
            -1,
            EV_PERSIST | EV_FINALIZE,
            Some(group_refill_cb),
            g.cast(),
        );
        let tv = cfg.tick_timeout;
        ev_add(&mut (*g).master_refill_event, Some(&tv));
        (*g).lock = Lock::new();
        group_set_min_share(g, DEFAULT_MIN_SHARE);
        let mut seed = now.tv_sec.wrapping_add(now.tv_usec).wrapping_add(g as isize as i64) as u32;
        if seed == 0 {
            // evutil_weakrand_seed_: 0 asks for time and pid.
            let t = crate::base::timer::wallclock();
            seed = (t.tv_sec as u32).wrapping_add(t.tv_usec as u32).wrapping_add(libc::getpid() as u32);
        }
        (*g).weakrand_seed = seed;
    }
    g
}

/// `bufferevent_rate_limit_group_set_cfg`: copies `cfg`; clips the bucket to the new
/// bursts; a different tick length restarts the refill timer now; recomputes min_share.
pub(crate) unsafe fn group_set_cfg(g: *mut bufferevent_rate_limit_group, cfg: &ev_token_bucket_cfg) {
    // SAFETY: live per the caller.
    unsafe {
        lock_group(g);
        let old = (*g).cfg.tick_timeout;
        let same_tick = old.tv_sec == cfg.tick_timeout.tv_sec && old.tv_usec == cfg.tick_timeout.tv_usec;
        (*g).cfg = cfg.clone();
        (*g).rate_limit.init(cfg, 0, true);
        if !same_tick {
            let tv = cfg.tick_timeout;
            ev_add(&mut (*g).master_refill_event, Some(&tv));
        }
        let configured = (*g).configured_min_share as usize;
        group_set_min_share(g, configured);
        unlock_group(g);
    }
}

/// `bufferevent_rate_limit_group_set_min_share`: -1 above `EV_SSIZE_MAX`. The share in
/// effect is at most one tick's read and write rate (so that at steady state at least one
/// member moves per tick); the requested value is remembered for later configurations.
pub(crate) unsafe fn group_set_min_share(g: *mut bufferevent_rate_limit_group, share: usize) -> c_int {
    if share > isize::MAX as usize {
        return -1;
    }
    // SAFETY: live per the caller (libevent does not take the group lock here).
    unsafe {
        (*g).configured_min_share = share as isize;
        let share = share.min((*g).cfg.read_rate).min((*g).cfg.write_rate);
        (*g).min_share = share as isize;
    }
    0
}

/// `bufferevent_rate_limit_group_free`: libevent asserts that no bufferevent is still a
/// member (a freed bufferevent stays one until the loop finalizes it); so do we (abort).
pub(crate) unsafe fn group_free(g: *mut bufferevent_rate_limit_group) {
    // SAFETY: live per the caller; nobody else may use it after this.
    unsafe {
        lock_group(g);
        if !(*g).members.is_empty() {
            crate::ev_fatal!(
                "bufferevent_rate_limit_group_free: assertion failed: the group still has {} member(s)",
                (*g).members.len()
            );
        }
        ev_del(&mut (*g).master_refill_event);
        crate::base::thread::debug_note_teardown(&(*g).master_refill_event);
        unlock_group(g);
        drop(Box::from_raw(g));
    }
}

/// `bufferevent_add_to_rate_limit_group`: joins `g` (leaving another group first, which
/// resumes what that group held back); a suspended group suspends the newcomer. A NULL
/// `g` for a bufferevent in no group is libevent's no-op (0); for a member, an error.
pub(crate) unsafe fn add_to_group(p: *mut BufferEvent, g: *mut bufferevent_rate_limit_group) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        let rl = match rlim_of(p) {
            Some(rl) => rl,
            None => {
                let rl = ensure_rlim(p);
                assign_refill_event(p, rl);
                rl
            }
        };
        if ptr::eq((*rl).group, g) {
            BufferEvent::unlock(p);
            return 0;
        }
        if g.is_null() {
            // libevent would leave the group and then lock a NULL group.
            crate::ev_warn!(
                "bufferevent_add_to_rate_limit_group: NULL group (use bufferevent_remove_from_rate_limit_group)"
            );
            BufferEvent::unlock(p);
            return -1;
        }
        if !(*rl).group.is_null() {
            remove_from_group(p, true);
        }
        lock_group(g);
        (*rl).group = g;
        (*g).members.insert(0, p);
        let (rsuspend, wsuspend) = ((*g).read_suspended, (*g).write_suspended);
        unlock_group(g);
        if rsuspend {
            BufferEvent::suspend_read(p, SUSPEND_BW_GROUP);
        }
        if wsuspend {
            BufferEvent::suspend_write(p, SUSPEND_BW_GROUP);
        }
        BufferEvent::unlock(p);
    }
    0
}

/// `bufferevent_remove_from_rate_limit_group_internal_`: leaves the group, if any; with
/// `unsuspend` (the public call) resumes what a group held back, member or not.
pub(crate) unsafe fn remove_from_group(p: *mut BufferEvent, unsuspend_after: bool) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        BufferEvent::lock(p);
        if let Some(rl) = rlim_of(p) {
            let g = (*rl).group;
            if !g.is_null() {
                lock_group(g);
                (*rl).group = ptr::null_mut();
                if let Some(i) = (*g).members.iter().position(|&m| ptr::eq(m, p)) {
                    (*g).members.remove(i);
                }
                unlock_group(g);
            }
        }
        if unsuspend_after {
            BufferEvent::unsuspend_read(p, SUSPEND_BW_GROUP);
            BufferEvent::unsuspend_write(p, SUSPEND_BW_GROUP);
        }
        BufferEvent::unlock(p);
    }
    0
}

/// `bufferevent_rate_limit_group_get_{read,write}_limit`: the group bucket's level as of
/// the last refill (no refill here, unlike the per-bufferevent getter).
pub(crate) unsafe fn group_get_limit(g: *mut bufferevent_rate_limit_group, write: bool) -> isize {
    // SAFETY: live per the caller.
    unsafe {
        lock_group(g);
        let r = (*g).rate_limit.limit(write);
        unlock_group(g);
        r
    }
}

/// `bufferevent_rate_limit_group_decrement_{read,write}`: crossing zero suspends or
/// resumes every member. Always 0.
pub(crate) unsafe fn group_decrement(g: *mut bufferevent_rate_limit_group, write: bool, decr: isize) -> c_int {
    // SAFETY: live per the caller.
    unsafe {
        lock_group(g);
        let old = (*g).rate_limit.limit(write);
        let new = old.wrapping_sub(decr);
        *(*g).rate_limit.limit_mut(write) = new;
        if old > 0 && new <= 0 {
            group_suspend(g, write);
        } else if old <= 0 && new > 0 {
            group_unsuspend(g, write);
        }
        unlock_group(g);
    }
    0
}

/// `bufferevent_rate_limit_group_get_totals`: bytes read and written by members since
/// creation or the last reset.
pub(crate) unsafe fn group_get_totals(g: *mut bufferevent_rate_limit_group) -> (u64, u64) {
    // SAFETY: live per the caller.
    unsafe {
        lock_group(g);
        let r = ((*g).total_read, (*g).total_written);
        unlock_group(g);
        r
    }
}

/// `bufferevent_rate_limit_group_reset_totals`.
pub(crate) unsafe fn group_reset_totals(g: *mut bufferevent_rate_limit_group) {
    // SAFETY: live per the caller.
    unsafe {
        lock_group(g);
        (*g).total_read = 0;
        (*g).total_written = 0;
        unlock_group(g);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(rate: usize, burst: usize, ms: i64) -> Box<ev_token_bucket_cfg> {
        cfg_new(rate, burst, rate, burst, Some(timeval { tv_sec: ms / 1000, tv_usec: (ms % 1000 * 1000) as _ }))
            .unwrap()
    }

    #[test]
    fn cfg_checks() {
        assert!(cfg_new(0, 10, 1, 1, None).is_none());
        assert!(cfg_new(11, 10, 1, 1, None).is_none());
        assert!(cfg_new(1, 1, 2, 1, None).is_none());
        assert!(cfg_new(1, RATE_LIMIT_MAX + 1, 1, 1, None).is_none());
        assert!(cfg_new(1, 1, 1, 1, Some(timeval { tv_sec: 0, tv_usec: 999 })).is_none());
        let c = cfg_new(1, 1, 1, 1, None).unwrap();
        assert_eq!(c.msec_per_tick, 1000);
        // A common timeout's magic bits are ignored.
        let c = cfg_new(1, 1, 1, 1, Some(timeval { tv_sec: 0, tv_usec: 0x5010_0000 | 250_000 })).unwrap();
        assert_eq!(c.msec_per_tick, 250);
    }

    #[test]
    fn tick_and_refill() {
        let c = cfg(100, 250, 50);
        assert_eq!(c.tick_of(&timeval { tv_sec: 1, tv_usec: 149_999 }), 22);
        let mut b = TokenBucket::default();
        b.init(&c, 10, false);
        assert_eq!((b.read_limit, b.write_limit, b.last_updated), (100, 100, 10));
        assert!(!b.update(&c, 10));
        assert!(b.update(&c, 11));
        assert_eq!(b.read_limit, 200);
        assert!(b.update(&c, 13));
        assert_eq!(b.read_limit, 250);
        // Deficit: refills from below zero.
        b.read_limit = -120;
        assert!(b.update(&c, 14));
        assert_eq!(b.read_limit, -20);
        // The clock went back: nothing, and last_updated stays.
        assert!(!b.update(&c, 5));
        assert_eq!(b.last_updated, 14);
        // Above the maximum (negative decrement): libevent's arithmetic keeps adding.
        b.write_limit = 300;
        assert!(b.update(&c, 15));
        assert_eq!(b.write_limit, 400);
        // Reinitialising only clips downwards.
        let c2 = cfg(10, 50, 50);
        b.init(&c2, 99, true);
        assert_eq!((b.read_limit, b.write_limit, b.last_updated), (50, 50, 15));
    }

    #[test]
    fn weakrand_matches_lcg() {
        let mut s = 1u32;
        let r = weakrand_range(&mut s, 1);
        assert_eq!(r, 0);
        assert_eq!(s, (1_103_515_245u32.wrapping_add(12345)) & 0x7fff_ffff);
        let mut s = 42u32;
        for _ in 0..1000 {
            assert!((0..7).contains(&weakrand_range(&mut s, 7)));
        }
    }
}
