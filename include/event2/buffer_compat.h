/* evshim: event2/buffer_compat.h — deprecated evbuffer API (evbuffer_readline,
 * evbuffer_setcb, evbuffer_find) and the EVBUFFER_LENGTH/EVBUFFER_DATA macros. The
 * prototypes and the evbuffer_cb typedef come from evshim_generated.h. */
#ifndef EVENT2_BUFFER_COMPAT_H_INCLUDED_
#define EVENT2_BUFFER_COMPAT_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/buffer.h>

#define EVBUFFER_LENGTH(x)	evbuffer_get_length(x)
#define EVBUFFER_DATA(x)	evbuffer_pullup((x), -1)

#endif /* EVENT2_BUFFER_COMPAT_H_INCLUDED_ */
