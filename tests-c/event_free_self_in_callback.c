/* An event may event_free itself from its own callback (persistent or not);
 * the loop carries on with the other active events. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static struct event_base *base;
static int freed;

static void selffree(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	(void)fd;
	printf("run self-freeing what=0x%02x\n", what);
	event_free(self);
	freed++;
}

static void other(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	printf("run %s\n", (const char *)arg);
}

int main(void)
{
	int sv[2];
	struct event *p, *o, *t, *o2;
	struct timeval zero = {0, 0};

	base = event_base_new();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	if (write(sv[1], "x", 1) != 1)
		return 1;
	/* persistent read event on a readable fd frees itself */
	p = event_new(base, sv[0], EV_READ | EV_PERSIST, selffree, event_self_cbarg());
	o = event_new(base, -1, 0, other, "other");
	event_add(p, NULL);
	event_active(o, EV_READ, 0);
	int r0 = event_base_dispatch(base);
	printf("dispatch=%d freed=%d\n", r0, freed);

	/* timer with a timeout frees itself; other timer with the same deadline still runs */
	t = evtimer_new(base, selffree, event_self_cbarg());
	o2 = evtimer_new(base, other, "other timer");
	evtimer_add(t, &zero);
	evtimer_add(o2, &zero);
	int r = event_base_dispatch(base);
	printf("dispatch=%d freed=%d\n", r, freed);
	printf("events left=%d\n", event_base_get_num_events(base,
	    EVENT_BASE_COUNT_ADDED | EVENT_BASE_COUNT_ACTIVE));
	event_free(o);
	event_free(o2);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
