//! Entry points of `event2/listener.h`.
