//! `event_base_dump_events`: the text libevent prints for a base's inserted and active
//! events (pointers included, as libevent prints them).

use super::event::*;
use super::timer::{tv_add, MICROSECONDS_MASK};
use super::{Event, EventBase, Inner};

impl EventBase {
    /// The dump, built under the base lock; the caller writes it to the program's FILE.
    pub fn dump_events(&self) -> String {
        self.with(|i| {
            let evs = i.collect_events();
            let diff = i.clock_diff();
            let mut s = String::from("Inserted events:\n");
            for &e in &evs {
                // SAFETY: events in the base are live.
                let (f, evts, fd) = unsafe { ((*e).ev_evcallback.evcb_flags, (*e).ev_events, (*e).ev_fd) };
                if f & (EVLIST_INSERTED | EVLIST_TIMEOUT) == 0 {
                    continue;
                }
                s += &format!(
                    "  {:p} [{} {}]{}{}{}{}{}{}{}",
                    e,
                    if evts & EV_SIGNAL != 0 { "sig" } else { "fd " },
                    fd,
                    if evts & EV_READ != 0 { " Read" } else { "" },
                    if evts & EV_WRITE != 0 { " Write" } else { "" },
                    if evts & EV_CLOSED != 0 { " EOF" } else { "" },
                    if evts & EV_SIGNAL != 0 { " Signal" } else { "" },
                    if evts & EV_PERSIST != 0 { " Persist" } else { "" },
                    if evts & EV_ET != 0 { " ET" } else { "" },
                    if f & EVLIST_INTERNAL != 0 { " Internal" } else { "" },
                );
                if f & EVLIST_TIMEOUT != 0 {
                    // SAFETY: events known to the base are live while they are added or queued.
                    let mut t = unsafe { (*e).ev_timeout };
                    t.tv_usec &= MICROSECONDS_MASK;
                    let t = tv_add(&t, &diff);
                    s += &format!(" Timeout={}.{:06}", t.tv_sec, t.tv_usec);
                }
                s.push('\n');
            }
            s += "Active events:\n";
            for &e in &evs {
                // SAFETY: events known to the base are live while they are added or queued.
                let (f, res, fd, pri, evts) = unsafe {
                    (
                        (*e).ev_evcallback.evcb_flags,
                        (*e).ev_res,
                        (*e).ev_fd,
                        (*e).ev_evcallback.evcb_pri,
                        (*e).ev_events,
                    )
                };
                if f & (EVLIST_ACTIVE | EVLIST_ACTIVE_LATER) == 0 {
                    continue;
                }
                s += &format!(
                    "  {:p} [{} {}, priority={}]{}{}{}{}{} active{}{}\n",
                    e,
                    if evts & EV_SIGNAL != 0 { "sig" } else { "fd " },
                    fd,
                    pri,
                    if res & EV_READ != 0 { " Read" } else { "" },
                    if res & EV_WRITE != 0 { " Write" } else { "" },
                    if res & EV_CLOSED != 0 { " EOF" } else { "" },
                    if res & EV_SIGNAL != 0 { " Signal" } else { "" },
                    if res & EV_TIMEOUT != 0 { " Timeout" } else { "" },
                    if f & EVLIST_INTERNAL != 0 { " [Internal]" } else { "" },
                    if f & EVLIST_ACTIVE_LATER != 0 { " [NextTime]" } else { "" },
                );
            }
            s
        })
    }
}

impl Inner {
    /// Every event that is added or active, as `event_base_foreach_event` visits them:
    /// inserted (fd, then signals), then timeout-only, then active-only. evshim's own
    /// [`EVLIST_X_HIDDEN`] events, which libevent does not have, are left out.
    pub(crate) fn collect_events(&self) -> Vec<*mut Event> {
        let mut v = self.collect_all_events();
        // SAFETY: events known to the base are live while they are added or queued.
        v.retain(|&e| unsafe { (*e).flags() } & EVLIST_X_HIDDEN == 0);
        v
    }

    pub(super) fn collect_all_events(&self) -> Vec<*mut Event> {
        let mut v = Vec::new();
        for (_, s) in self.poller.fds.iter() {
            let mut ev = s.head;
            while !ev.is_null() {
                v.push(ev);
                // SAFETY: list members are live.
                ev = unsafe { (*ev).ev_.ev_io.ev_io_next.le_next };
            }
        }
        for &h in &self.sig_lists {
            let mut ev = h;
            while !ev.is_null() {
                v.push(ev);
                // SAFETY: list members are live.
                ev = unsafe { (*ev).ev_.ev_signal.ev_signal_next.le_next };
            }
        }
        for ev in self.timeheap.iter() {
            // SAFETY: heap members are live.
            let f = unsafe { (*ev).flags() };
            if f & EVLIST_INSERTED == 0 {
                v.push(ev);
            }
        }
        for ctl in &self.common_timeouts {
            let mut ev = ctl.head;
            while !ev.is_null() {
                // SAFETY: events known to the base are live while they are added or queued.
                let f = unsafe { (*ev).flags() };
                if f & EVLIST_INSERTED == 0 {
                    v.push(ev);
                }
                // SAFETY: events known to the base are live while they are added or queued.
                ev = unsafe { (*ev).ev_timeout_pos.ev_next_with_common_timeout.tqe_next };
            }
        }
        for q in &self.activequeues {
            let mut cb = q.head;
            while !cb.is_null() {
                // SAFETY: events known to the base are live while they are added or queued.
                let f = unsafe { (*cb).evcb_flags };
                if f & (EVLIST_INIT | EVLIST_INSERTED | EVLIST_TIMEOUT) == EVLIST_INIT {
                    v.push(cb_to_event(cb));
                }
                // SAFETY: events known to the base are live while they are added or queued.
                cb = unsafe { (*cb).evcb_active_next.tqe_next };
            }
        }
        v
    }
}
