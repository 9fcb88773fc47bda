/* event_active: `res` reaches the callback, repeated activations merge their
 * flags into one call, and a non-pending event can be activated. */
#include <stdio.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	printf("  %s fd=%d what=0x%02x\n", (const char *)arg, (int)fd, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event *a = event_new(base, -1, 0, cb, "A");
	struct event *b = event_new(base, 7, EV_READ, cb, "B");

	printf("activate A with EV_READ, then EV_WRITE and EV_TIMEOUT (never added):\n");
	event_active(a, EV_READ, 0);
	event_active(a, EV_WRITE, 1);
	event_active(a, EV_TIMEOUT, 5);
	printf("pending=0x%02x\n", event_pending(a, EV_READ | EV_WRITE | EV_TIMEOUT, NULL));
	event_base_loop(base, EVLOOP_NONBLOCK);

	printf("activate B with 0 and with arbitrary bits:\n");
	event_active(b, 0, 0);
	event_base_loop(base, EVLOOP_NONBLOCK);
	event_active(b, EV_SIGNAL | EV_CLOSED, 0);
	event_base_loop(base, EVLOOP_NONBLOCK);

	printf("user-triggered event (evuser_trigger):\n");
	evuser_trigger(a);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("num active after loop=%d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ACTIVE));

	event_active(a, EV_READ, 0);
	event_active(b, EV_WRITE, 0);
	printf("num active=%d max active=%d\n",
	    event_base_get_num_events(base, EVENT_BASE_COUNT_ACTIVE),
	    event_base_get_max_events(base, EVENT_BASE_COUNT_ACTIVE, 0));
	event_del(a);
	printf("after del(A): num active=%d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ACTIVE));
	event_base_loop(base, EVLOOP_NONBLOCK);
	event_free(a);
	event_free(b);
	event_base_free(base);
	return 0;
}
