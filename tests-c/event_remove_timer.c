/* event_remove_timer drops only the timeout: the I/O part stays pending. */
#include <stdio.h>
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
	struct timeval t20 = {0, 20000}, t60 = {0, 60000};
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	struct event *io = event_new(base, sv[0], EV_READ, cb, "io");
	struct event *tm = evtimer_new(base, cb, "timer");
	event_add(io, &t20);
	evtimer_add(tm, &t20);
	printf("before: io=0x%02x timer=0x%02x\n", event_pending(io, EV_READ | EV_TIMEOUT, NULL),
	    event_pending(tm, EV_TIMEOUT, NULL));
	int r1 = event_remove_timer(io);
	int r2 = event_remove_timer(tm);
	printf("remove_timer=%d %d\n", r1, r2);
	printf("after: io=0x%02x timer=0x%02x\n", event_pending(io, EV_READ | EV_TIMEOUT, NULL),
	    event_pending(tm, EV_TIMEOUT, NULL));
	printf("remove again=%d\n", event_remove_timer(tm));
	event_base_loopexit(base, &t60);
	printf("quiet 60ms:\n");
	event_base_dispatch(base);
	if (write(sv[1], "x", 1) != 1)
		return 1;
	printf("data:\n");
	int r = event_base_dispatch(base);
	printf("dispatch=%d\n", r);
	event_free(io);
	event_free(tm);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
