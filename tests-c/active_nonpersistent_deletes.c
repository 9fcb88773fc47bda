/* When a non-persistent event's callback runs (here via event_active) the
 * event is no longer pending, timeout included; a persistent one stays pending. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	(void)fd;
	printf("  callback what=0x%02x pending inside=0x%02x\n", what,
	    event_pending(self, EV_READ | EV_TIMEOUT, NULL));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t5 = {5, 0};
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	struct event *np = event_new(base, sv[0], EV_READ, cb, event_self_cbarg());
	struct event *p = event_new(base, sv[0], EV_READ | EV_PERSIST, cb, event_self_cbarg());
	event_add(np, &t5);
	event_add(p, &t5);
	printf("non-persistent:\n");
	event_active(np, EV_WRITE, 0);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("  after: 0x%02x\n", event_pending(np, EV_READ | EV_TIMEOUT, NULL));
	printf("persistent:\n");
	event_active(p, EV_WRITE, 0);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("  after: 0x%02x\n", event_pending(p, EV_READ | EV_TIMEOUT, NULL));
	event_free(np);
	event_free(p);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
