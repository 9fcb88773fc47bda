//! Entry points of `event2/thread.h`.
