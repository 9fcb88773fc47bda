/* evshim: event2/listener.h — evconnlistener, libevent 2.1's TCP accept loop.
 * Prototypes and the two callback typedefs come from evshim_generated.h (via event.h and
 * util.h); this file adds the LEV_OPT_* flags, spelled as libevent spells them.
 *
 * A listener accepts every queued connection each time its socket becomes readable and
 * calls the connection callback once per connection (the new fd is the callback's to keep
 * or close). The callback may disable or free the listener; pending connections then stay
 * in the kernel's backlog until the listener is enabled again.
 *
 * Accept errors (evshim differs from libevent here, on purpose): when accept() fails in a
 * way that retrying will not fix at once — EMFILE/ENFILE (out of descriptors), ENOBUFS,
 * ENOMEM, a socket that does not listen — the error callback runs (or, without one, a
 * warning is logged) with EVUTIL_SOCKET_ERROR() telling why. libevent then calls it again
 * on every loop turn, spinning a CPU until descriptors free up. evshim instead pauses this
 * listener for a short back-off (10 ms, doubling up to 500 ms while the error persists) and
 * then retries by itself. Calling evconnlistener_enable() (for instance from the error
 * callback, after closing something) retries at once; evconnlistener_disable() stops it.
 * See docs/listener.md. */
#ifndef EVENT2_LISTENER_H_INCLUDED_
#define EVENT2_LISTENER_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr;
struct evconnlistener;

/* Flags for evconnlistener_new and evconnlistener_new_bind. */
/* Accepted sockets stay blocking (by default they are made non-blocking). */
#define LEV_OPT_LEAVE_SOCKETS_BLOCKING	(1u<<0)
/* evconnlistener_free closes the listening socket. */
#define LEV_OPT_CLOSE_ON_FREE		(1u<<1)
/* Accepted sockets (and, with _new_bind, the listening one) are close-on-exec. */
#define LEV_OPT_CLOSE_ON_EXEC		(1u<<2)
/* _new_bind sets SO_REUSEADDR: the address can be bound again right after the close. */
#define LEV_OPT_REUSEABLE		(1u<<3)
/* The listener has a lock and may be used from several threads (threading enabled first). */
#define LEV_OPT_THREADSAFE		(1u<<4)
/* Created disabled: nothing is accepted until evconnlistener_enable. */
#define LEV_OPT_DISABLED		(1u<<5)
/* _new_bind sets TCP_DEFER_ACCEPT: a connection is reported once the client sent data. */
#define LEV_OPT_DEFERRED_ACCEPT		(1u<<6)
/* _new_bind sets SO_REUSEPORT: several sockets may listen on the same port. */
#define LEV_OPT_REUSEABLE_PORT		(1u<<7)
/* _new_bind sets IPV6_V6ONLY: an IPv6 listener takes no IPv4-mapped connections. */
#define LEV_OPT_BIND_IPV6ONLY		(1u<<8)

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_LISTENER_H_INCLUDED_ */
