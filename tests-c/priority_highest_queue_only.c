/* Active events run by priority; one loop pass drains only the single
 * highest-priority non-empty queue (lower queues wait for the next pass), and
 * activating a higher-priority event from a callback ends the current pass, so
 * it runs before the rest of the current (lower) queue. */
#include <stdio.h>
#include <event2/event.h>

static struct event *x;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	const char *name = arg;
	(void)fd;
	(void)what;
	printf("run %s\n", name);
	if (name[0] == 'B') {
		printf("  B activates X (priority 0)\n");
		event_active(x, EV_READ, 0);
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event *a, *b, *c, *d, *e;

	int r = event_base_priority_init(base, 3);
	printf("priority_init(3)=%d npriorities=%d\n", r, event_base_get_npriorities(base));
	a = event_new(base, -1, 0, cb, "A(pri 2)");
	b = event_new(base, -1, 0, cb, "B(pri 1)");
	c = event_new(base, -1, 0, cb, "C(pri 0)");
	d = event_new(base, -1, 0, cb, "D(pri 1)");
	e = event_new(base, -1, 0, cb, "E(pri 2)");
	x = event_new(base, -1, 0, cb, "X(pri 0)");
	printf("default priority of a new event: %d\n", event_get_priority(a));
	event_priority_set(a, 2);
	event_priority_set(b, 1);
	event_priority_set(c, 0);
	event_priority_set(d, 1);
	event_priority_set(e, 2);
	event_priority_set(x, 0);
	printf("priorities: %d %d %d\n", event_get_priority(a), event_get_priority(b),
	    event_get_priority(c));

	printf("-- round 1: activate A B C, one dispatch\n");
	event_active(a, EV_READ, 0);
	event_active(b, EV_READ, 0);
	event_active(c, EV_READ, 0);
	event_base_dispatch(base);

	printf("-- round 2: activate E B D; B activates X\n");
	event_active(e, EV_READ, 0);
	event_active(b, EV_READ, 0);
	event_active(d, EV_READ, 0);
	event_base_dispatch(base);

	printf("-- round 3: EVLOOP_ONCE with A C active\n");
	event_active(a, EV_READ, 0);
	event_active(c, EV_READ, 0);
	printf("loop=%d\n", event_base_loop(base, EVLOOP_ONCE));

	event_free(a);
	event_free(b);
	event_free(c);
	event_free(d);
	event_free(e);
	event_free(x);
	event_base_free(base);
	return 0;
}
