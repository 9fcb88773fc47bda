//! `struct evbuffer`: the byte queue behind buffer.h.
