//! evshim: libevent 2.1's C ABI, reimplemented in Rust.
//!
//! Layout (see docs/architecture.md):
//! - [`ffi`]: the `extern "C"` entry points, one module per libevent header. They check
//!   arguments, convert, and call the safe core. Nothing else crosses the C boundary.
//! - [`base`]: the event loop (`struct event_base`), events, timers, signals, the poller.
//! - [`buffer`]: `struct evbuffer`.
//! - [`listener`]: `struct evconnlistener`.
//! - [`log`], [`mm`], [`sync`]: libevent's logging policy, allocator hooks, and locks.
#![deny(unsafe_op_in_unsafe_fn)]
#![allow(non_camel_case_types)]
#![warn(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]

// A panic must never unwind into C. Every profile that builds the library sets
// `panic = "abort"`; `cargo test` ignores that setting for its own harness, so `make test`
// builds the Rust tests with `--cfg evshim_unwind_tests` (and never ships that build).
#[cfg(all(not(panic = "abort"), not(test), not(evshim_unwind_tests)))]
compile_error!("evshim must be built with panic = \"abort\" (use `make`, or `make test` for tests)");

pub mod base;
pub mod buffer;
pub mod ffi;
pub mod listener;
mod loadguard;
pub mod log;
pub mod mm;
pub mod sync;
pub mod util;

/// Every allocation honours `event_set_mem_functions` (see [`mm::EventAllocator`]).
#[global_allocator]
static ALLOCATOR: mm::EventAllocator = mm::EventAllocator;
