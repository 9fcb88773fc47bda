/* BEV_OPT_DEFER_CALLBACKS: the bufferevent still does its I/O when its event fires, but
 * the user's callback is queued behind everything already active in that loop turn (it
 * still runs in the same turn). Without the option the read callback runs from inside
 * the I/O event. Here one turn has the bufferevent's fd readable, another fd readable
 * (made readable second) and an expired timer. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	printf(" bev-readcb(%d)", (int)evbuffer_get_length(in));
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void raw_cb(evutil_socket_t fd, short what, void *arg)
{
	char c;
	(void)what;
	(void)arg;
	if (read(fd, &c, 1) == 1)
		printf(" other-fd");
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	printf(" timer");
}

static void run(int options)
{
	struct event_base *base = event_base_new();
	struct timeval zero = {0, 0};
	int a[2], b[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0)
		return;
	fcntl(a[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, a[0], BEV_OPT_CLOSE_ON_FREE | options);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	struct event *other = event_new(base, b[0], EV_READ, raw_cb, NULL);
	struct event *timer = evtimer_new(base, timer_cb, NULL);
	event_add(other, NULL);
	if (write(a[1], "abc", 3) != 3 || write(b[1], "x", 1) != 1)
		return;
	evtimer_add(timer, &zero);
	printf("%s:", options ? "BEV_OPT_DEFER_CALLBACKS" : "no options");
	event_base_loop(base, EVLOOP_ONCE);
	printf(" | end of loop turn\n");
	event_free(other);
	event_free(timer);
	bufferevent_free(bev);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	event_base_free(base);
}

int main(void)
{
	run(0);
	run(BEV_OPT_DEFER_CALLBACKS);
	return 0;
}
