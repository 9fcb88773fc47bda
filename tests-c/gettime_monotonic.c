/* event_gettime_monotonic: the base's monotonic clock; -1 without a base or a timeval. */
#include <stdio.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval a, b;
	int r1 = event_gettime_monotonic(base, &a);
	struct timeval t50 = {0, 50000};
	struct event *t = evtimer_new(base, cb, NULL);
	evtimer_add(t, &t50);
	event_base_dispatch(base);
	int r2 = event_gettime_monotonic(base, &b);
	long elapsed_ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_usec - a.tv_usec) / 1000;
	printf("r1=%d r2=%d usec in range=%d\n", r1, r2, a.tv_usec >= 0 && a.tv_usec < 1000000);
	/* A coarse clock may lag by a tick: a 50 ms timer shows at least 30 ms. */
	printf("advanced at least 30ms=%d not more than 10s=%d\n", elapsed_ms >= 30, elapsed_ms < 10000);
	printf("NULL base=%d NULL tv=%d\n", event_gettime_monotonic(NULL, &a), event_gettime_monotonic(base, NULL));
	event_free(t);
	event_base_free(base);
	return 0;
}
