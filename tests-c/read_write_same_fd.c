/* One event with EV_READ|EV_WRITE reports both; separate read and write events each see theirs. */
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
	int sv[2];
	struct event_base *base = event_base_new();
	struct event *rw, *r, *w;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	rw = event_new(base, sv[0], EV_READ | EV_WRITE, cb, "rw");
	event_add(rw, NULL);
	printf("writable only:\n");
	event_base_loop(base, EVLOOP_NONBLOCK);

	if (write(sv[1], "x", 1) != 1)
		return 1;
	event_add(rw, NULL);
	printf("readable and writable:\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("rw pending after non-persistent fire: %d\n", event_pending(rw, EV_READ | EV_WRITE, NULL));

	r = event_new(base, sv[0], EV_READ, cb, "r");
	w = event_new(base, sv[0], EV_WRITE, cb, "w");
	event_add(r, NULL);
	event_add(w, NULL);
	printf("separate events:\n");
	event_base_loop(base, EVLOOP_NONBLOCK);

	event_free(rw);
	event_free(r);
	event_free(w);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
