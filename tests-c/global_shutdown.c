/* libevent_global_shutdown after everything is freed returns; a second call is harmless;
 * a process with threads and debug mode enabled shuts down the same way. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/thread.h>

static int calls;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	calls++;
}

int main(void)
{
	event_enable_debug_mode();
	printf("use_pthreads=%d\n", evthread_use_pthreads());
	struct event_base *base = event_base_new();
	struct event *ev = event_new(base, -1, 0, cb, NULL);
	struct evbuffer *buf = evbuffer_new();
	evbuffer_add(buf, "abc", 3);
	event_active(ev, EV_READ, 0);
	event_base_dispatch(base);
	printf("calls=%d buffered=%zu\n", calls, evbuffer_get_length(buf));
	evbuffer_free(buf);
	event_free(ev);
	event_base_free(base);
	libevent_global_shutdown();
	printf("shutdown once\n");
	libevent_global_shutdown();
	printf("shutdown twice\n");
	return 0;
}
