//! Entry points of `event2/bufferevent_compat.h`.
