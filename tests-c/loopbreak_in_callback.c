/* event_base_loopbreak in a callback stops before the next active callback. */
#include <stdio.h>
#include <event2/event.h>

static struct event_base *base;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	const char *name = arg;
	(void)fd;
	(void)what;
	printf("run %s\n", name);
	if (name[0] == 'A')
		printf("  loopbreak=%d\n", event_base_loopbreak(base));
}

int main(void)
{
	struct event *a, *b, *c;
	int r;

	base = event_base_new();
	a = event_new(base, -1, 0, cb, "A");
	b = event_new(base, -1, 0, cb, "B");
	c = event_new(base, -1, 0, cb, "C");
	event_active(a, EV_READ, 0);
	event_active(b, EV_READ, 0);
	event_active(c, EV_READ, 0);
	r = event_base_dispatch(base);
	printf("dispatch=%d got_break=%d got_exit=%d\n", r, event_base_got_break(base),
	    event_base_got_exit(base));
	printf("B still active: %d\n", event_pending(b, EV_READ, NULL) == EV_READ);
	printf("-- second dispatch\n");
	r = event_base_dispatch(base);
	printf("dispatch=%d got_break=%d\n", r, event_base_got_break(base));

	/* loopbreak outside the loop is remembered? (libevent: no, reset at loop start) */
	printf("loopbreak outside=%d\n", event_base_loopbreak(base));
	printf("got_break now=%d\n", event_base_got_break(base));
	event_active(a, EV_READ, 0);
	event_active(b, EV_READ, 0);
	r = event_base_dispatch(base);
	printf("dispatch=%d\n", r);

	event_free(a);
	event_free(b);
	event_free(c);
	event_base_free(base);
	return 0;
}
