/* evshim.h — extensions evshim offers beyond libevent's API. Each has a feature macro, so
 * portable code can #ifdef it (or look the symbol up with dlsym at run time). */
#ifndef EVSHIM_H_INCLUDED_
#define EVSHIM_H_INCLUDED_

#include <event2/util.h>

/* int bufferevent_flush_and_close(struct bufferevent *bev);
 *
 * Delivers everything queued in bev's output, then closes bev — what
 * bufferevent_write() + bufferevent_free() did in libevent 1.4 and never does in 2.x.
 *  - Ownership passes to the library as with bufferevent_free(). Returns 0, or -1 (changing
 *    nothing, logging why) for NULL or a bufferevent already being closed. Callable from
 *    any of bev's callbacks, outside the loop, and (BEV_OPT_THREADSAFE) from another thread.
 *  - Reading stops at once, and no callback of bev runs after the call returns.
 *  - Socket: the output is written (rate limits respected; never a SIGPIPE), then the write
 *    side is shut down (the peer sees EOF after the last byte); what the peer still sends is
 *    read and discarded until its EOF or until every byte sent has been acknowledged, so
 *    unread input cannot turn the close into a data-destroying reset. Then the fd is closed
 *    if bev has BEV_OPT_CLOSE_ON_FREE; without it, evshim works on a dup() of the fd from the
 *    call on and closes only that: the program still owns (and should close) its fd.
 *  - Bounded: no progress for the write timeout (bufferevent_set_timeouts), or 30 s when
 *    none is set, ends it; so do a reset or EPIPE. Every resource is released in all cases.
 *  - Pending closes keep the loop running: event_base_dispatch() returns once they are done;
 *    event_base_free() releases closes still pending.
 *  - Pair: the partner receives all data, then BEV_EVENT_EOF|BEV_EVENT_READING.
 *    Filter: the output filter runs with BEV_FINISHED; the underlying bufferevent is then
 *    flushed and closed the same way if the filter has BEV_OPT_CLOSE_ON_FREE (else it stays
 *    the program's).
 * See docs/flush-and-close.md. */
#define EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE 1

#endif /* EVSHIM_H_INCLUDED_ */
