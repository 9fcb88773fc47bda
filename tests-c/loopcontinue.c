/* event_base_loopcontinue ends the current pass over the active queue: the loop
 * polls again, so a newly due higher-priority timer runs before the rest. */
#include <stdio.h>
#include <event2/event.h>

static struct event_base *base;
static struct event *t;
static int use_continue;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	const char *name = arg;
	struct timeval zero = {0, 0};
	(void)fd;
	(void)what;
	printf("  run %s\n", name);
	if (name[0] == 'A') {
		evtimer_add(t, &zero);
		if (use_continue)
			printf("  loopcontinue=%d\n", event_base_loopcontinue(base));
	}
}

int main(void)
{
	struct event *a, *b, *c;

	base = event_base_new();
	event_base_priority_init(base, 2);
	a = event_new(base, -1, 0, cb, "A");
	b = event_new(base, -1, 0, cb, "B");
	c = event_new(base, -1, 0, cb, "C");
	t = evtimer_new(base, cb, "T(pri 0)");
	event_priority_set(a, 1);
	event_priority_set(b, 1);
	event_priority_set(c, 1);
	event_priority_set(t, 0);

	for (use_continue = 0; use_continue < 2; use_continue++) {
		printf("-- %s loopcontinue\n", use_continue ? "with" : "without");
		event_active(a, EV_READ, 0);
		event_active(b, EV_READ, 0);
		event_active(c, EV_READ, 0);
		int r = event_base_dispatch(base);
		printf("dispatch=%d got_break=%d\n", r, event_base_got_break(base));
	}
	printf("loopcontinue outside loop=%d\n", event_base_loopcontinue(base));
	event_active(b, EV_READ, 0);
	event_active(c, EV_READ, 0);
	printf("dispatch=%d\n", event_base_dispatch(base));

	event_free(a);
	event_free(b);
	event_free(c);
	event_free(t);
	event_base_free(base);
	return 0;
}
