/* event_base_active_by_signal activates every event on that signal (as if it had arrived),
 * once per call, without the signal being raised; other signals' events stay idle. */
#include <signal.h>
#include <stdio.h>
#include <event2/event.h>

static int calls[3];

static void cb(evutil_socket_t sig, short what, void *arg)
{
	int i = *(int *)arg;
	calls[i]++;
	printf("event %d: signal=%s what=0x%02x ncalls-view=%d\n", i, sig == SIGUSR1 ? "USR1" : "USR2",
	    what, calls[i]);
}

int main(void)
{
	struct event_base *base = event_base_new();
	int i0 = 0, i1 = 1, i2 = 2;
	struct event *a = evsignal_new(base, SIGUSR1, cb, &i0);
	struct event *b = event_new(base, SIGUSR1, EV_SIGNAL | EV_PERSIST, cb, &i1);
	struct event *c = evsignal_new(base, SIGUSR2, cb, &i2);
	event_add(a, NULL);
	event_add(b, NULL);
	event_add(c, NULL);
	event_base_active_by_signal(base, SIGUSR1);
	int r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf("loop=%d calls=%d,%d,%d pending a=%d b=%d c=%d\n", r, calls[0], calls[1], calls[2],
	    event_pending(a, EV_SIGNAL, NULL) != 0, event_pending(b, EV_SIGNAL, NULL) != 0,
	    event_pending(c, EV_SIGNAL, NULL) != 0);
	/* a was not persistent: now only b listens for SIGUSR1. */
	event_base_active_by_signal(base, SIGUSR1);
	event_base_active_by_signal(base, SIGUSR2);
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf("loop=%d calls=%d,%d,%d\n", r, calls[0], calls[1], calls[2]);
	/* A signal nobody listens for activates nothing. */
	event_base_active_by_signal(base, SIGHUP);
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf("loop=%d calls=%d,%d,%d\n", r, calls[0], calls[1], calls[2]);
	event_free(a);
	event_free(b);
	event_free(c);
	event_base_free(base);
	return 0;
}
