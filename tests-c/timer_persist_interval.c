/* A persistent timer refires each interval and stays pending until deleted. */
#include <stdio.h>
#include <sys/time.h>
#include <event2/event.h>

static int count;
static struct timeval start;

static void tick(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	struct timeval now, d;
	(void)fd;
	count++;
	gettimeofday(&now, NULL);
	timersub(&now, &start, &d);
	long ms = d.tv_sec * 1000 + d.tv_usec / 1000;
	/* tick n is due at n*40ms: never early (beyond the 4ms granularity of the
	 * coarse monotonic clock libevent uses by default); lateness is not checked,
	 * it depends on the machine's load */
	printf("tick %d what=0x%02x not early=%d pending=%d\n", count, what, ms >= count * 40 - 10,
	    event_pending(self, EV_TIMEOUT, NULL));
	if (count == 4)
		event_del(self);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval tv = {0, 40000};
	struct event *ev = event_new(base, -1, EV_PERSIST, tick, event_self_cbarg());

	gettimeofday(&start, NULL);
	event_add(ev, &tv);
	int r = event_base_dispatch(base);
	printf("dispatch=%d count=%d\n", r, count);
	event_free(ev);
	event_base_free(base);
	return 0;
}
