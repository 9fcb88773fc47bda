/* evshim: event2/bufferevent.h — buffered I/O on sockets, pairs and filters, libevent 2.1.
 * Prototypes, the BEV_* constants and enums, and the callback typedefs come from
 * evshim_generated.h (via util.h); struct bufferevent's fields are in
 * event2/bufferevent_struct.h, as in libevent.
 *
 * Socket and pair bufferevents freeze the START of their output buffer and the END of their
 * input buffer: add to the output, consume from the input; never
 * evbuffer_write(bufferevent_get_output(bev), fd) (refused, -1, nothing sent). Data you
 * write goes out on a later turn of the loop, so bufferevent_free() right after
 * bufferevent_write() discards it: to deliver everything and then close, use evshim's
 * bufferevent_flush_and_close() (declared in <evshim.h>, included below; see
 * docs/flush-and-close.md and docs/freeze.md).
 *
 * bufferevent_free: no callback of the bufferevent runs after it returns (queued deferred
 * callbacks are dropped), except that with BEV_OPT_UNLOCK_CALLBACKS a callback already
 * running in another thread, without the lock, finishes after free returns (as in libevent). */
#ifndef EVENT2_BUFFEREVENT_H_INCLUDED_
#define EVENT2_BUFFEREVENT_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>

#include <event2/util.h>

/* The largest rate limit (bufferevent_set_rate_limit and friends). */
#define EV_RATE_LIMIT_MAX EV_SSIZE_MAX

#include <evshim.h>

#endif /* EVENT2_BUFFEREVENT_H_INCLUDED_ */
