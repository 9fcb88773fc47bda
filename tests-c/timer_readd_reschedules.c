/* event_add on a pending timer replaces its deadline (earlier or later). */
#include <stdio.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	printf("fired %s\n", (const char *)arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event *a = evtimer_new(base, cb, "A");
	struct event *b = evtimer_new(base, cb, "B");
	struct event *mark = evtimer_new(base, cb, "marker-60ms");
	struct timeval t20 = {0, 20000}, t60 = {0, 60000}, t100 = {0, 100000}, t5s = {5, 0};

	/* A: 5s then re-added at 20ms -> fires before the marker.
	 * B: 20ms then re-added at 100ms -> fires after the marker. */
	evtimer_add(a, &t5s);
	evtimer_add(b, &t20);
	evtimer_add(mark, &t60);
	evtimer_add(a, &t20);
	evtimer_add(b, &t100);
	printf("dispatch=%d\n", event_base_dispatch(base));

	/* event_add(ev, NULL) on a pending timer leaves its deadline in place */
	evtimer_add(a, &t20);
	event_add(a, NULL);
	printf("pending after add(NULL): 0x%02x\n", evtimer_pending(a, NULL));
	printf("dispatch=%d\n", event_base_dispatch(base));
	event_free(a);
	event_free(b);
	event_free(mark);
	event_base_free(base);
	return 0;
}
