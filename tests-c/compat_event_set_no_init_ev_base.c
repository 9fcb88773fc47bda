/* memcached's pattern: event_set on embedded events before any base exists and without
 * ever calling event_init, then event_base_set, and code that reads ev.ev_base directly
 * (struct event's public layout) to find the base. */
#include <stdio.h>
#include <unistd.h>
#include <event.h>
#include <event2/event_struct.h>

struct conn {
	int id;
	struct event ev;
};

static int hits;

static void cb(int fd, short what, void *arg)
{
	struct conn *c = arg;
	char b[8];
	if (what & EV_READ && read(fd, b, sizeof(b)) > 0)
		hits++;
	printf("conn %d what=0x%02x base via ev_base matches=%d\n", c->id, what,
	    c->ev.ev_base == event_get_base(&c->ev));
	if (c->id == 2)
		event_base_loopbreak(c->ev.ev_base);
}

int main(void)
{
	struct conn a = {1, {0}}, b = {2, {0}};
	int fds[2];
	if (pipe(fds) != 0)
		return 1;
	event_set(&a.ev, fds[0], EV_READ | EV_PERSIST, cb, &a);
	event_set(&b.ev, -1, 0, cb, &b);
	printf("before base: ev_base NULL=%d initialized=%d\n", a.ev.ev_base == NULL, event_initialized(&a.ev));
	struct event_base *base = event_base_new();
	printf("base_set a=%d b=%d\n", event_base_set(base, &a.ev), event_base_set(base, &b.ev));
	printf("ev_base is base: a=%d b=%d\n", a.ev.ev_base == base, b.ev.ev_base == base);
	printf("add a=%d\n", event_add(&a.ev, NULL));
	if (write(fds[1], "x", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	struct timeval t10 = {0, 10000};
	printf("add b=%d\n", event_add(&b.ev, &t10));
	int r = event_base_dispatch(base);
	printf("dispatch=%d hits=%d got_break=%d\n", r, hits, event_base_got_break(base));
	event_del(&a.ev);
	event_base_free(base);
	return 0;
}
