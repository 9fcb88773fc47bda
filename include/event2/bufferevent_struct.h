/* evshim: event2/bufferevent_struct.h — struct bufferevent's layout, byte for byte as in
 * libevent 2.1.12 (392 bytes on LP64; defined in evshim_generated.h). Like libevent, this
 * exists for programs written before 2.0 that read bev->input, bev->output, bev->ev_read
 * directly; the accessor functions are the better way. */
#ifndef EVENT2_BUFFEREVENT_STRUCT_H_INCLUDED_
#define EVENT2_BUFFEREVENT_STRUCT_H_INCLUDED_

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>

#include <event2/util.h>
#include <event2/event_struct.h>

#endif /* EVENT2_BUFFEREVENT_STRUCT_H_INCLUDED_ */
