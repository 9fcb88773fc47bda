/* evshim: event.h — the libevent 1.4 umbrella header: pulls in the 2.x headers a 1.4
 * program expects, as libevent's compatibility event.h does. */
#ifndef EVENT1_EVENT_H_INCLUDED_
#define EVENT1_EVENT_H_INCLUDED_

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <stdint.h>
#include <stdarg.h>

#if __has_include(<evutil.h>)
#include <evutil.h>
#else
#include <event2/util.h>
#endif

#include <event2/event_struct.h>
#include <event2/event.h>
#include <event2/event_compat.h>
#if __has_include(<event2/buffer.h>)
#include <event2/buffer.h>
#endif
#if __has_include(<event2/buffer_compat.h>)
#include <event2/buffer_compat.h>
#endif
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>
#include <event2/bufferevent_compat.h>
/* libevent's event.h also includes tag.h and tag_compat.h (libevent_extra, which evshim
 * does not provide); evshim adds them here once they are
 * implemented (their current placeholders #error on purpose). */

#endif /* EVENT1_EVENT_H_INCLUDED_ */
