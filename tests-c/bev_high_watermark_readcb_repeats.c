/* When the read callback returns with the input still at or above the read high
 * watermark, libevent calls it again as a deferred callback, and again, until it
 * drains. The deferred calls go to the active queue of the same loop turn, up to
 * libevent's per-turn limit of deferred callbacks (33 here); the rest move to later
 * turns. A persistent event on an always-writable fd marks each turn with '|'. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int calls, drain_at;

static void turn_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	printf("|");
}

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	printf("R");
	if (++calls == drain_at)
		evbuffer_drain(in, evbuffer_get_length(in));
}

static void run(int n)
{
	struct event_base *base = event_base_new();
	int sv[2], tv[2];
	char data[150] = {0};
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_setwatermark(bev, EV_READ, 0, 100);
	bufferevent_enable(bev, EV_READ);
	if (write(sv[1], data, sizeof data) != (ssize_t)sizeof data)
		return;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, tv) < 0)
		return;
	struct event *turns = event_new(base, tv[0], EV_WRITE | EV_PERSIST, turn_cb, NULL);
	event_add(turns, NULL);
	calls = 0;
	drain_at = n;
	printf("drains on call %3d: ", n);
	while (calls < n)
		event_base_loop(base, EVLOOP_ONCE);
	printf("\n  calls %d, input %d\n", calls, (int)evbuffer_get_length(bufferevent_get_input(bev)));
	event_free(turns);
	close(tv[0]);
	close(tv[1]);
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	run(1);
	run(2);
	run(5);
	run(40);
	run(100);
	return 0;
}
