//! Entry points of `event2/event.h`.
