//! The C boundary: `extern "C"` entry points, one module per libevent header.
//!
//! Each function here only checks its arguments (NULL, ranges, misuse libevent reports as an
//! error), converts between C and Rust types, and calls the safe core. Vocabulary used by
//! every `# Safety` section:
//! - *valid `T`*: a non-dangling, aligned pointer to a live `T` obtained from evshim (or, for
//!   caller-owned structs like `struct event`, memory the caller owns for as long as evshim
//!   may use it);
//! - *may be NULL*: NULL is accepted and reported (log message plus error return).

pub mod buffer;
pub mod buffer_compat;
pub mod bufferevent;
pub mod bufferevent_compat;
pub mod event;
pub mod event_compat;
pub mod evshim;
pub mod listener;
pub mod thread;
pub mod types;
pub mod util;
pub mod variadic;
