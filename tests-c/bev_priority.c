/* A socket bufferevent's events start at the base's middle priority
 * (npriorities / 2); bufferevent_priority_set changes both events (and the deferred
 * callback), fails (-1) out of range and on pairs. When two bufferevents are readable in
 * the same turn, the one with the more urgent priority is served first. */
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
	struct evbuffer *in = bufferevent_get_input(bev);
	printf("  readcb %s\n", (const char *)arg);
	evbuffer_drain(in, evbuffer_get_length(in));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *pair[2];
	int a[2], b[2], r;
	event_base_priority_init(base, 4);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0)
		return 1;
	fcntl(a[0], F_SETFL, O_NONBLOCK);
	fcntl(b[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *first = bufferevent_socket_new(base, a[0], BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *second = bufferevent_socket_new(base, b[0], BEV_OPT_CLOSE_ON_FREE);
	printf("default priority: %d (events %d/%d)\n", bufferevent_get_priority(first),
	    event_get_priority(&first->ev_read), event_get_priority(&first->ev_write));
	r = bufferevent_priority_set(second, 0);
	printf("priority_set(0): %d, get %d (events %d/%d)\n", r, bufferevent_get_priority(second),
	    event_get_priority(&second->ev_read), event_get_priority(&second->ev_write));
	r = bufferevent_priority_set(first, 4);
	printf("priority_set(4): %d, get %d\n", r, bufferevent_get_priority(first));
	r = bufferevent_priority_set(first, -1);
	printf("priority_set(-1): %d, get %d\n", r, bufferevent_get_priority(first));
	r = bufferevent_priority_set(first, 3);
	printf("priority_set(3): %d, get %d\n", r, bufferevent_get_priority(first));

	bufferevent_setcb(first, readcb, NULL, NULL, "first (priority 3, readable first)");
	bufferevent_setcb(second, readcb, NULL, NULL, "second (priority 0)");
	bufferevent_enable(first, EV_READ);
	bufferevent_enable(second, EV_READ);
	if (write(a[1], "x", 1) != 1 || write(b[1], "y", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);

	r = bufferevent_priority_set(first, 1);
	printf("priority_set while the read event is added: %d, get %d\n", r, bufferevent_get_priority(first));

	bufferevent_pair_new(base, 0, pair);
	r = bufferevent_priority_set(pair[0], 1);
	printf("pair priority %d, priority_set: %d\n", bufferevent_get_priority(pair[0]), r);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);
	bufferevent_free(first);
	bufferevent_free(second);
	close(a[1]);
	close(b[1]);
	event_base_free(base);
	return 0;
}
