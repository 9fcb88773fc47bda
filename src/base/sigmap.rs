//! The base's side of signals (`evmap_signal_*`, `evsig_set_base_`): per-signal event
//! lists, the registry's pipe on the poller, and libevent's one-signal-base rule. The
//! process-wide handler and registries are in `signal.rs`.

use std::ffi::{c_int, c_short, c_void};
use std::ptr;

use super::event::*;
use super::{signal, Event, EventBase, Inner, TOKEN_SIGNAL};

/// libevent delivers a signal to one base only: the one that most recently added a signal
/// or started its loop while having signal events (`evsig_set_base_`). Our registries hear
/// every signal, so the core emulates that rule: the signal base keeps what it drains; a base
/// that loses the role stashes what it had already received; other bases discard theirs.
pub(super) static SIG_BASE: std::sync::atomic::AtomicPtr<EventBase> =
    std::sync::atomic::AtomicPtr::new(ptr::null_mut());

impl Inner {
    pub(super) unsafe fn signal_add(&mut self, ev: *mut Event) -> c_int {
        // SAFETY: live per the caller.
        let sig = unsafe { (*ev).ev_fd };
        if sig < 0 || sig as usize >= signal::NSIG {
            crate::ev_warn!("evsig_add: signal {sig} is out of range (1..{})", signal::NSIG - 1);
            return -1;
        }
        if self.sig_registry.is_none() {
            match signal::SignalRegistry::new() {
                Ok(r) => {
                    let fd = r.read_fd();
                    let mut src = mio::unix::SourceFd(&fd);
                    if let Err(e) = self.poller.poll.registry().register(
                        &mut src,
                        mio::Token(TOKEN_SIGNAL),
                        mio::Interest::READABLE,
                    ) {
                        crate::ev_warn!("evsig_init_: {e}");
                        return -1;
                    }
                    self.sig_registry = Some(r);
                }
                Err(e) => {
                    crate::ev_warn!("evsig_init_: {e}");
                    return -1;
                }
            }
        }
        if self.sig_lists.len() <= sig as usize {
            self.sig_lists.resize(signal::NSIG, ptr::null_mut());
        }
        let first = self.sig_lists[sig as usize].is_null();
        if first {
            let cur = SIG_BASE.load(std::sync::atomic::Ordering::Acquire);
            if !cur.is_null() && !ptr::eq(cur, self.self_ptr) {
                // SAFETY: SIG_BASE is cleared before its base is freed.
                let other_has = unsafe { (*cur).with(|o| o.n_sigs > 0) };
                if other_has {
                    crate::ev_warn!(
                        "Added a signal to event base {:p} with signals already added to event_base {:p}.  Only one can have signals at a time with the {} backend.  The base with the most recently added signal or the most recent event_base_loop() call gets preference; do not rely on this behavior in future Libevent versions.",
                        self.self_ptr,
                        cur,
                        self.method.name.to_str().unwrap_or("")
                    );
                }
            }
            let reg = self.sig_registry.as_mut().expect("created above");
            if reg.add(sig).is_err() {
                return -1;
            }
            self.n_sigs += 1;
            self.become_signal_base();
        }
        // SAFETY: link `ev` at the head of the per-signal list (prev = previous element).
        unsafe {
            let head = self.sig_lists[sig as usize];
            let l = &mut (*ev).ev_.ev_signal.ev_signal_next;
            l.le_next = head;
            l.le_prev = ptr::null_mut();
            if !head.is_null() {
                (*head).ev_.ev_signal.ev_signal_next.le_prev = ev.cast();
            }
        }
        self.sig_lists[sig as usize] = ev;
        if first {
            1
        } else {
            0
        }
    }

    /// `evsig_set_base_`: this base now receives the signals.
    pub(crate) fn become_signal_base(&mut self) {
        let me = self.self_ptr as *mut EventBase;
        let cur = SIG_BASE.load(std::sync::atomic::Ordering::Acquire);
        if ptr::eq(cur, me) {
            return;
        }
        if !cur.is_null() {
            // SAFETY: SIG_BASE is cleared before its base is freed; its state is reached
            // through its own lock (recursive), never while we hold a borrow of it.
            unsafe { (*cur).with(|o| o.stash_signals()) };
        }
        // What reached our pipe while another base was the signal base is not ours.
        let mut junk = std::mem::take(&mut self.sig_caught);
        if let Some(r) = self.sig_registry.as_mut() {
            r.drain(&mut junk);
        }
        junk.clear();
        self.sig_caught = junk;
        SIG_BASE.store(me, std::sync::atomic::Ordering::Release);
    }

    /// Losing the signal-base role: keep what already arrived, to run on our next turn.
    pub(super) fn stash_signals(&mut self) {
        let before = self.sig_kept.len();
        if let Some(r) = self.sig_registry.as_mut() {
            r.drain(&mut self.sig_kept);
        }
        if self.sig_kept.len() > before {
            let cb: *mut event_callback = &mut *self.sig_evcb;
            // SAFETY: our own internal callback.
            unsafe { self.callback_activate_nolock(cb) };
        }
    }

    /// Returns true when the signal's last event went (interest changed).
    pub(super) unsafe fn signal_del(&mut self, ev: *mut Event) -> bool {
        // SAFETY: live per the caller and on its signal's list.
        unsafe {
            let sig = (*ev).ev_fd as usize;
            let l = (*ev).ev_.ev_signal.ev_signal_next;
            let prev: *mut Event = l.le_prev.cast();
            if prev.is_null() {
                self.sig_lists[sig] = l.le_next;
            } else {
                (*prev).ev_.ev_signal.ev_signal_next.le_next = l.le_next;
            }
            if !l.le_next.is_null() {
                (*l.le_next).ev_.ev_signal.ev_signal_next.le_prev = prev.cast();
            }
            if self.sig_lists[sig].is_null() {
                if let Some(r) = self.sig_registry.as_mut() {
                    r.del(sig as c_int);
                }
                self.n_sigs -= 1;
                return true;
            }
        }
        false
    }

    /// `evmap_signal_active_`.
    pub(crate) fn signal_active(&mut self, sig: c_int, ncalls: c_short) {
        if sig < 0 || sig as usize >= self.sig_lists.len() {
            return;
        }
        let mut ev = self.sig_lists[sig as usize];
        while !ev.is_null() {
            // SAFETY: list members are live.
            unsafe {
                let next = (*ev).ev_.ev_signal.ev_signal_next.le_next;
                self.active_nolock(ev, EV_SIGNAL as c_int, ncalls);
                ev = next;
            }
        }
    }
}

/// The internal signal callback: drain the registry and activate the signal events.
pub(super) unsafe extern "C" fn signal_cb(_evcb: *mut event_callback, arg: *mut c_void) {
    // SAFETY: `arg` is the base that owns this callback; it runs on that base's loop.
    unsafe {
        let base = &*(arg as *const EventBase);
        base.acquire();
        let i = base.inner();
        let mut caught = std::mem::take(&mut i.sig_caught);
        caught.clear();
        if let Some(r) = i.sig_registry.as_mut() {
            r.drain(&mut caught);
        }
        if !ptr::eq(SIG_BASE.load(std::sync::atomic::Ordering::Acquire), i.self_ptr) {
            caught.clear();
        }
        if !i.sig_kept.is_empty() {
            let kept = std::mem::take(&mut i.sig_kept);
            caught.splice(0..0, kept);
        }
        for &(sig, n) in &caught {
            i.signal_active(sig, n.min(c_short::MAX as u32) as c_short);
        }
        i.sig_caught = caught;
        base.release();
    }
}
