/* EVLOOP_NONBLOCK and EVLOOP_ONCE: return values and which callbacks run. */
/* no-valgrind: timing: a 10 ms timer must not be due yet after the first loop turn, which valgrind slows past 10 ms */
#include <stdio.h>
#include <event2/event.h>

static int fired;
static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("cb %s what=0x%02x\n", (const char *)arg, what);
	fired++;
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval ten_ms = {0, 10000}, zero = {0, 0};
	struct event *t1, *t2, *u;
	int r;

	/* nothing registered: every loop flavour returns 1 at once */
	printf("empty nonblock: %d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	printf("empty once: %d\n", event_base_loop(base, EVLOOP_ONCE));
	printf("empty dispatch: %d\n", event_base_dispatch(base));

	/* a pending timer that is not due: NONBLOCK returns 0 without running it */
	t1 = evtimer_new(base, cb, "t1");
	evtimer_add(t1, &ten_ms);
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf("nonblock with future timer: %d fired=%d pending=%d\n", r, fired,
	    evtimer_pending(t1, NULL));

	/* EVLOOP_ONCE blocks until the timer fires, runs it, returns 0 */
	r = event_base_loop(base, EVLOOP_ONCE);
	printf("once: %d fired=%d pending=%d\n", r, fired, evtimer_pending(t1, NULL));

	/* an already-due timer and an active user event: NONBLOCK runs both */
	t2 = evtimer_new(base, cb, "t2");
	evtimer_add(t2, &zero);
	u = event_new(base, -1, 0, cb, "u");
	event_active(u, EV_READ, 0);
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf("nonblock with due work: %d fired=%d\n", r, fired);

	/* ONCE with a future timer and a persistent one: exits after first batch */
	evtimer_add(t1, &ten_ms);
	struct timeval five_s = {5, 0};
	evtimer_add(t2, &five_s);
	r = event_base_loop(base, EVLOOP_ONCE);
	printf("once with two timers: %d fired=%d t2 still pending=%d\n", r, fired,
	    evtimer_pending(t2, NULL));
	evtimer_del(t2);
	printf("after del: %d\n", event_base_loop(base, EVLOOP_NONBLOCK));

	event_free(t1);
	event_free(t2);
	event_free(u);
	event_base_free(base);
	return 0;
}
