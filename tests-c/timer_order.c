/* Timers fire in deadline order regardless of insertion order. */
#include <stdio.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("fired %s what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	static const char *names[] = {"60ms", "20ms", "100ms", "40ms", "0ms", "80ms"};
	static const int ms[] = {60, 20, 100, 40, 0, 80};
	struct event_base *base = event_base_new();
	struct event *ev[6];

	for (int i = 0; i < 6; i++) {
		struct timeval tv = {0, ms[i] * 1000};
		ev[i] = evtimer_new(base, cb, (void *)names[i]);
		evtimer_add(ev[i], &tv);
	}
	printf("dispatch=%d\n", event_base_dispatch(base));
	for (int i = 0; i < 6; i++)
		event_free(ev[i]);
	event_base_free(base);
	return 0;
}
