/* event_base_init_common_timeout: the same duration gives the same pointer;
 * timers added with it fire in order like ordinary timers, interleaved with them.
 * (Deadlines are 100ms apart: libevent runs a common-timeout queue through one
 * internal timer, so two due at the same poll may run in a different order.) */
#include <stdio.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("fired %s what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval d30 = {0, 20000}, d30b = {0, 20000}, d60 = {0, 220000}, t45 = {0, 120000};
	const struct timeval *c30 = event_base_init_common_timeout(base, &d30);
	const struct timeval *c30b = event_base_init_common_timeout(base, &d30b);
	const struct timeval *c60 = event_base_init_common_timeout(base, &d60);
	struct event *e[5];
	struct timeval tv;

	printf("got pointers: %d %d %d\n", c30 != NULL, c30b != NULL, c60 != NULL);
	printf("same duration -> same pointer: %d; different -> different: %d\n", c30 == c30b,
	    c30 != c60);
	printf("re-init with the returned pointer -> same: %d\n",
	    event_base_init_common_timeout(base, c30) == c30);
	printf("tv_sec preserved: %d\n", c30->tv_sec == 0 && c60->tv_sec == 0);

	e[0] = evtimer_new(base, cb, "common220ms");
	e[1] = evtimer_new(base, cb, "common20ms-first");
	e[2] = evtimer_new(base, cb, "plain120ms");
	e[3] = evtimer_new(base, cb, "common20ms-second");
	e[4] = evtimer_new(base, cb, "unused");
	evtimer_add(e[0], c60);
	evtimer_add(e[1], c30);
	evtimer_add(e[2], &t45);
	evtimer_add(e[3], c30);
	printf("pending with common timeout: 0x%02x\n", evtimer_pending(e[1], &tv));
	printf("reported usec is a real value: %d\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	printf("dispatch=%d\n", event_base_dispatch(base));
	event_free(e[0]);
	event_free(e[1]);
	event_free(e[2]);
	event_free(e[3]);
	event_free(e[4]);
	event_base_free(base);
	return 0;
}
