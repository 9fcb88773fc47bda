/* bufferevent_base_set moves a socket bufferevent (that has no events added yet) to
 * another base: get_base follows and its I/O is then dispatched by the new base only.
 * On a pair it fails with -1. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	printf("  readcb on %s: \"%.*s\"\n", (const char *)arg, (int)n, buf);
}

int main(void)
{
	struct event_base *b1 = event_base_new(), *b2 = event_base_new();
	struct bufferevent *pair[2];
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(b1, sv[0], BEV_OPT_CLOSE_ON_FREE);
	int r = bufferevent_base_set(b2, bev);
	printf("base_set: %d, get_base is b2 %d, ev_read's base is b2 %d, ev_write's base is b2 %d\n", r,
	    bufferevent_get_base(bev) == b2, event_get_base(&bev->ev_read) == b2,
	    event_get_base(&bev->ev_write) == b2);
	bufferevent_setcb(bev, readcb, NULL, NULL, "b2");
	bufferevent_enable(bev, EV_READ);
	if (write(sv[1], "hello", 5) != 5)
		return 1;
	r = event_base_loop(b1, EVLOOP_NONBLOCK);
	printf("b1 loop: %d (nothing for b1)\n", r);
	event_base_loop(b2, EVLOOP_ONCE);
	printf("events added: b1 %d, b2 %d\n", event_base_get_num_events(b1, EVENT_BASE_COUNT_ADDED),
	    event_base_get_num_events(b2, EVENT_BASE_COUNT_ADDED));
	bufferevent_write(bev, "out", 3);
	event_base_loop(b2, EVLOOP_ONCE);
	{
		char buf[8];
		printf("peer got %d\n", (int)recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
	}
	bufferevent_free(bev);

	bufferevent_pair_new(b1, 0, pair);
	r = bufferevent_base_set(b2, pair[0]);
	printf("pair base_set: %d, get_base still b1 %d\n", r, bufferevent_get_base(pair[0]) == b1);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);
	close(sv[1]);
	event_base_free(b1);
	event_base_free(b2);
	return 0;
}
