/* evshim: event2/buffer.h — evbuffer, libevent 2.1's growable byte queue for network I/O.
 * Prototypes, constants and structs come from evshim_generated.h (via util.h); this file adds
 * what cbindgen cannot write: the iovec alias, and the C-variadic evbuffer_add_printf.
 * See evbuffer_freeze below for the short story of frozen buffers. */
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

/* (Declared again here, identically, to carry the note on freezing.)
 * evbuffer_freeze(buf, at_front): forbid changes at the start (at_front != 0) or the end
 * (at_front == 0) of buf until evbuffer_unfreeze. A frozen START refuses evbuffer_drain,
 * evbuffer_remove, evbuffer_copyout(_from), evbuffer_prepend, evbuffer_readln,
 * evbuffer_write(_atmost), and evbuffer_remove_buffer/evbuffer_add_buffer/
 * evbuffer_prepend_buffer taking from it. A frozen END refuses evbuffer_add, add_printf,
 * add_iovec, add_reference, add_file(_segment), evbuffer_read, reserve/commit_space, and
 * moves into it. Refused calls return -1 (NULL for readln), change nothing and leave errno
 * as it was (so it is stale, exactly as in libevent); evshim logs the reason at debug level.
 * Socket and pair bufferevents freeze the start of their output and the end of their input:
 * evbuffer_write(bufferevent_get_output(bev), fd) sends nothing. Write from the write
 * callback, or use bufferevent_flush_and_close. Details: docs/freeze.md. */
EVENT2_EXPORT_SYMBOL
int evbuffer_freeze(struct evbuffer *buf, int at_front);
EVENT2_EXPORT_SYMBOL
int evbuffer_unfreeze(struct evbuffer *buf, int at_front);

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
