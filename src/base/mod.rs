//! The event loop: `struct event_base`, events, timers, signals, the poller.
mod signal;
