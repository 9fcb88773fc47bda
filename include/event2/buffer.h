/* evshim: event2/buffer.h — evbuffer, libevent 2.1's growable byte queue for network I/O.
 * Prototypes, constants and structs come from evshim_generated.h (via util.h); this file adds
 * what cbindgen cannot write: the iovec alias, and the C-variadic evbuffer_add_printf.
 *
 * FREEZING (evbuffer_freeze/evbuffer_unfreeze), in short: a frozen start refuses drains,
 * removals, copyouts, prepends, readln and writes; a frozen end refuses adds, printf,
 * references, file segments, reads and reserve/commit. Bufferevents freeze the start of
 * their output buffer and the end of their input buffer, so
 * `evbuffer_write(bufferevent_get_output(bev), fd)` returns -1 and sends nothing. evshim sets
 * errno to EBUSY on such a refusal (libevent leaves errno stale) and logs why at debug level.
 * Write from the write callback, or use bufferevent_flush_and_close. See docs/freeze.md. */
#ifndef EVENT2_BUFFER_H_INCLUDED_
#define EVENT2_BUFFER_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <stdarg.h>
#include <sys/types.h>
#include <sys/uio.h>

/* libevent uses the native iovec for evbuffer_iovec. */
#define evbuffer_iovec iovec
#define EVBUFFER_IOVEC_IS_NATIVE_

#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

EVENT2_EXPORT_SYMBOL
int evbuffer_add_printf(struct evbuffer *buf, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFER_H_INCLUDED_ */
