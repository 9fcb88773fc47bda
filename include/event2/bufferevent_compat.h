/* evshim: event2/bufferevent_compat.h — the libevent 1.4 bufferevent API: bufferevent_new,
 * bufferevent_settimeout (prototypes in evshim_generated.h) and the old names below. */
#ifndef EVENT2_BUFFEREVENT_COMPAT_H_INCLUDED_
#define EVENT2_BUFFEREVENT_COMPAT_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/bufferevent.h>

#define evbuffercb bufferevent_data_cb
#define everrorcb bufferevent_event_cb

#define EVBUFFER_READ		BEV_EVENT_READING
#define EVBUFFER_WRITE		BEV_EVENT_WRITING
#define EVBUFFER_EOF		BEV_EVENT_EOF
#define EVBUFFER_ERROR		BEV_EVENT_ERROR
#define EVBUFFER_TIMEOUT	BEV_EVENT_TIMEOUT

#define EVBUFFER_INPUT(x)	bufferevent_get_input(x)
#define EVBUFFER_OUTPUT(x)	bufferevent_get_output(x)

#endif /* EVENT2_BUFFEREVENT_COMPAT_H_INCLUDED_ */
