/* The classic periodic pattern: a non-persistent timer re-adds itself from
 * its callback, and a zero timeout added from a callback runs in a later pass. */
#include <stdio.h>
#include <event2/event.h>

static int n;
static struct event *zero_ev;

static void zcb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)arg;
	printf("  zero-timeout event what=0x%02x\n", what);
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	struct timeval t5 = {0, 5000}, zero = {0, 0};
	(void)fd;
	n++;
	printf("tick %d what=0x%02x pending at entry=%d\n", n, what, evtimer_pending(self, NULL) != 0);
	if (n < 4) {
		evtimer_add(self, &t5);
		if (n == 2)
			evtimer_add(zero_ev, &zero);
	}
	printf("  end of tick %d\n", n);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t5 = {0, 5000};
	struct event *ev = evtimer_new(base, tick, event_self_cbarg());
	zero_ev = evtimer_new(base, zcb, NULL);
	evtimer_add(ev, &t5);
	int r = event_base_dispatch(base);
	printf("dispatch=%d ticks=%d\n", r, n);
	event_free(ev);
	event_free(zero_ev);
	event_base_free(base);
	return 0;
}
