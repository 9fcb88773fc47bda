/* event_base_get_running_event returns the event whose callback is running. */
#include <stdio.h>
#include <event2/event.h>

static struct event_base *base;
static struct event *a, *b;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *running = event_base_get_running_event(base);
	(void)fd;
	(void)what;
	printf("in %s: running is A=%d B=%d\n", (const char *)arg, running == a, running == b);
}

static void once_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	printf("in event_base_once callback: running is non-NULL=%d\n",
	    event_base_get_running_event(base) != NULL);
}

int main(void)
{
	base = event_base_new();
	a = event_new(base, -1, 0, cb, "A");
	b = event_new(base, -1, 0, cb, "B");
	event_active(a, EV_READ, 0);
	event_active(b, EV_READ, 0);
	event_base_once(base, -1, EV_TIMEOUT, once_cb, NULL, NULL);
	event_base_dispatch(base);
	event_free(a);
	event_free(b);
	event_base_free(base);
	return 0;
}
