//! The safe core behind util.h: address parsing and formatting, sockets, time, RNG.
