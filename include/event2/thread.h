/* evshim: event2/thread.h — making bases and buffers safe to share between threads.
 * Prototypes, constants and the callback structs come from evshim_generated.h. */
#ifndef EVENT2_THREAD_H_INCLUDED_
#define EVENT2_THREAD_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>

#include <event2/util.h>

#endif /* EVENT2_THREAD_H_INCLUDED_ */
