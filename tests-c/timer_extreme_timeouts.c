/* Timeouts far in the future stay pending without firing; a negative timeout
 * is already due. */
#include <stdio.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  fired %s what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval century = {100L * 365 * 86400, 0}, day = {86400, 999999}, neg = {-1, 0};
	struct event *a = evtimer_new(base, cb, "century");
	struct event *b = evtimer_new(base, cb, "day");
	struct event *c = evtimer_new(base, cb, "negative");
	printf("add century=%d\n", evtimer_add(a, &century));
	printf("add day=%d\n", evtimer_add(b, &day));
	printf("add negative=%d\n", evtimer_add(c, &neg));
	printf("loop nonblock=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	printf("pending: century=%d day=%d negative=%d\n", evtimer_pending(a, NULL) != 0,
	    evtimer_pending(b, NULL) != 0, evtimer_pending(c, NULL) != 0);
	event_free(a);
	event_free(b);
	event_free(c);
	event_base_free(base);
	return 0;
}
