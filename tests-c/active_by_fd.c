/* event_base_active_by_fd activates the events on that fd matching the asked
 * kinds; EV_TIMEOUT activates timed events with that fd. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t5 = {5, 0};
	int sv[2], sv2[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv2) < 0)
		return 1;
	/* fill sv[0]'s send buffer so it is neither readable nor writable */
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	char junk[4096] = {0};
	while (write(sv[0], junk, sizeof junk) > 0)
		;
	struct event *r = event_new(base, sv[0], EV_READ | EV_PERSIST, cb, "read");
	struct event *w = event_new(base, sv[0], EV_WRITE | EV_PERSIST, cb, "write");
	struct event *rt = event_new(base, sv[0], EV_READ, cb, "read+5s");
	struct event *o = event_new(base, sv2[0], EV_READ | EV_PERSIST, cb, "other-fd");
	event_add(r, NULL);
	event_add(w, NULL);
	event_add(rt, &t5);
	event_add(o, NULL);

	printf("active_by_fd EV_READ:\n");
	event_base_active_by_fd(base, sv[0], EV_READ);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("active_by_fd EV_WRITE|EV_READ:\n");
	event_base_active_by_fd(base, sv[0], EV_WRITE | EV_READ);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("rt pending=0x%02x\n", event_pending(rt, EV_READ | EV_TIMEOUT, NULL));
	event_add(rt, &t5);
	printf("active_by_fd EV_TIMEOUT:\n");
	event_base_active_by_fd(base, sv[0], EV_TIMEOUT);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("active_by_fd on fd with no events:\n");
	event_base_active_by_fd(base, sv2[1], EV_READ);
	printf("loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));

	event_free(r);
	event_free(w);
	event_free(rt);
	event_free(o);
	close(sv[0]);
	close(sv[1]);
	close(sv2[0]);
	close(sv2[1]);
	event_base_free(base);
	return 0;
}
