/* Re-adding a persistent timer from its own callback replaces its interval. */
#include <stdio.h>
#include <sys/time.h>
#include <event2/event.h>

static struct timeval start;
static int n;

static long elapsed_ms(void)
{
	struct timeval now, d;
	gettimeofday(&now, NULL);
	timersub(&now, &start, &d);
	return d.tv_sec * 1000 + d.tv_usec / 1000;
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	struct timeval t100 = {0, 100000};
	long ms = elapsed_ms();
	(void)fd;
	(void)what;
	n++;
	/* ticks due at 20, 120, 220 ms: check they are not early (the new 100ms
	 * interval is in force), not how late they are (that depends on load) */
	long due = n == 1 ? 20 : 20 + (n - 1) * 100;
	printf("tick %d not early=%d\n", n, ms >= due - 10);
	if (n == 1)
		printf("re-add with 100ms=%d\n", event_add(self, &t100));
	if (n == 3)
		event_del(self);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t20 = {0, 20000};
	struct event *ev = event_new(base, -1, EV_PERSIST, tick, event_self_cbarg());
	gettimeofday(&start, NULL);
	event_add(ev, &t20);
	int r = event_base_dispatch(base);
	printf("dispatch=%d ticks=%d\n", r, n);
	event_free(ev);
	event_base_free(base);
	return 0;
}
