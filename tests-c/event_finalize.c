/* event_finalize / event_free_finalize: the event is deleted at once and the
 * finalizer runs later, from the loop, exactly once; a pending callback does not run. */
#include <stdio.h>
#include <stdlib.h>
#include <event2/event.h>

static int fin_calls;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	printf("callback %s (should not run)\n", (const char *)arg);
}

static void fin(struct event *ev, void *arg)
{
	fin_calls++;
	printf("finalizer for %s: base ok=%d pending=0x%02x\n", (const char *)arg,
	    event_get_base(ev) != NULL, event_pending(ev, EV_READ | EV_TIMEOUT, NULL));
}

static void free_fin(struct event *ev, void *arg)
{
	(void)ev;
	fin_calls++;
	printf("free-finalizer for %s\n", (const char *)arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t10 = {0, 10000};
	struct event *a = evtimer_new(base, cb, "A");
	struct event *b = event_new(base, -1, 0, cb, "B");
	int r;

	evtimer_add(a, &t10);
	event_active(b, EV_READ, 0);
	r = event_finalize(0, a, fin);
	printf("finalize(A)=%d pending after=0x%02x fin_calls=%d\n", r,
	    event_pending(a, EV_TIMEOUT, NULL), fin_calls);
	r = event_free_finalize(0, b, free_fin);
	printf("free_finalize(B)=%d fin_calls=%d\n", r, fin_calls);
	r = event_base_dispatch(base);
	printf("dispatch=%d fin_calls=%d\n", r, fin_calls);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("after another loop fin_calls=%d\n", fin_calls);
	/* A was finalized but not freed: freeing it is now fine */
	event_free(a);

	/* finalizer of an event that was never added */
	struct event *c = event_new(base, -1, 0, cb, "C");
	event_free_finalize(0, c, free_fin);
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf("loop=%d fin_calls=%d\n", r, fin_calls);
	event_base_free(base);
	return 0;
}
