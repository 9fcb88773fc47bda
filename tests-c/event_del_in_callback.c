/* Deleting another active event from a callback keeps it from running;
 * deleting a persistent event from its own callback stops it. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static struct event *a, *b, *c, *p;
static int pcount;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	const char *name = arg;
	(void)fd;
	(void)what;
	printf("run %s\n", name);
	if (name[0] == 'A')
		printf("  A deletes B: %d\n", event_del(b));
}

static void pcb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	pcount++;
	printf("persistent call %d\n", pcount);
	if (pcount == 2) {
		int r = event_del(p);
		printf("  del self: %d pending after=%d\n", r, event_pending(p, EV_READ, NULL));
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];

	a = event_new(base, -1, 0, cb, "A");
	b = event_new(base, -1, 0, cb, "B");
	c = event_new(base, -1, 0, cb, "C");
	event_active(a, EV_READ, 0);
	event_active(b, EV_READ, 0);
	event_active(c, EV_READ, 0);
	printf("dispatch=%d\n", event_base_dispatch(base));
	printf("B pending=%d\n", event_pending(b, EV_READ | EV_WRITE, NULL));

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	if (write(sv[1], "x", 1) != 1)
		return 1;
	p = event_new(base, sv[0], EV_READ | EV_PERSIST, pcb, NULL);
	event_add(p, NULL);
	int r = event_base_dispatch(base);
	printf("dispatch=%d pcount=%d\n", r, pcount);
	printf("event_del twice: %d\n", event_del(p));

	event_free(a);
	event_free(b);
	event_free(c);
	event_free(p);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
