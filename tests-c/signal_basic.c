/* A signal event fires (as EV_SIGNAL) when the signal is raised; a non-persistent
 * one is deleted after firing; evsignal_new makes persistent events; the
 * callback's fd is the signal number. */
#include <stdio.h>
#include <signal.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	printf("  %s: sig=%d what=0x%02x\n", (const char *)arg, (int)fd, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event *once = event_new(base, SIGUSR1, EV_SIGNAL, cb, "once");
	struct event *pers = evsignal_new(base, SIGUSR2, cb, "persist");

	printf("events: 0x%02x 0x%02x get_signal=%d\n", event_get_events(once), event_get_events(pers),
	    event_get_signal(once));
	int r1 = evsignal_add(once, NULL);
	int r2 = evsignal_add(pers, NULL);
	printf("add=%d add=%d\n", r1, r2);
	printf("pending: 0x%02x\n", evsignal_pending(once, NULL));
	printf("raise USR1:\n");
	raise(SIGUSR1);
	event_base_loop(base, EVLOOP_ONCE);
	printf("once still pending: %d\n", evsignal_pending(once, NULL) != 0);
	printf("raise USR2 twice, in two loops:\n");
	raise(SIGUSR2);
	event_base_loop(base, EVLOOP_ONCE);
	raise(SIGUSR2);
	event_base_loop(base, EVLOOP_ONCE);
	printf("persist still pending: %d\n", evsignal_pending(pers, NULL) != 0);
	printf("num added (user events)=%d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	evsignal_del(pers);
	printf("loop with nothing added=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	/* a signal event with EV_READ is refused */
	struct event *bad = event_new(base, SIGUSR1, EV_SIGNAL | EV_READ, cb, "bad");
	printf("EV_SIGNAL|EV_READ event_new is NULL: %d\n", bad == NULL);
	event_free(once);
	event_free(pers);
	event_base_free(base);
	return 0;
}
