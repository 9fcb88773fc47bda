/* evshim: event2/visibility.h — libevent marks its declarations with EVENT2_EXPORT_SYMBOL
 * (and EVENT2_CORE_EXPORT_SYMBOL), which expand to nothing for programs that use it. */
#ifndef EVENT2_VISIBILITY_H_INCLUDED_
#define EVENT2_VISIBILITY_H_INCLUDED_

#include <event2/event-config.h>

#define EVENT2_EXPORT_SYMBOL
#define EVENT2_CORE_EXPORT_SYMBOL EVENT2_EXPORT_SYMBOL

#endif /* EVENT2_VISIBILITY_H_INCLUDED_ */
