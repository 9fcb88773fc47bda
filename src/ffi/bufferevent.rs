//! Entry points of `event2/bufferevent.h`.
