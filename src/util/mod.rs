//! The safe core behind util.h: address parsing and formatting, sockets, time, RNG.
//!
//! Where libevent's result depends on a C library quirk (sscanf's `%u`, strtol's `0x`), the
//! quirk is reproduced in [`cparse`] so that evshim accepts and rejects the same inputs.

pub mod addr;
pub mod addrinfo;
pub mod ascii;
pub(crate) mod cparse;
pub mod rng;
pub mod sock;
pub mod time;
