/* A read timeout restarts whenever data is read; when it expires the event callback
 * gets BEV_EVENT_TIMEOUT|BEV_EVENT_READING once, and EV_READ is disabled (the timeout
 * is kept: enabling EV_READ again re-arms it). */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int peer, writes, timeouts;
static struct event *feeder;

static void feed_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (write(peer, "x", 1) != 1)
		return;
	if (++writes == 5)
		event_del(feeder);
}

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	printf("data ");
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf("\neventcb 0x%02x after %d writes: enabled 0x%02x, read pending %d, timeout kept %d\n",
	    what, writes, bufferevent_get_enabled(bev), event_pending(&bev->ev_read, EV_READ, NULL) != 0,
	    evutil_timerisset(&bev->timeout_read) != 0);
	if (++timeouts == 1) {
		printf("enable(EV_READ) again\n");
		bufferevent_enable(bev, EV_READ);
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval twenty_ms = {0, 20000}, timeout = {0, 150000};
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	peer = sv[1];
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, eventcb, NULL);
	int r = bufferevent_set_timeouts(bev, &timeout, NULL);
	printf("set_timeouts: %d, read pending before enable: %d\n", r,
	    event_pending(&bev->ev_read, EV_READ | EV_TIMEOUT, NULL) != 0);
	bufferevent_enable(bev, EV_READ);
	printf("after enable: read pending %d, with timeout %d\n",
	    event_pending(&bev->ev_read, EV_READ, NULL) != 0,
	    event_pending(&bev->ev_read, EV_TIMEOUT, NULL) != 0);
	feeder = event_new(base, -1, EV_PERSIST, feed_cb, NULL);
	event_add(feeder, &twenty_ms);
	r = event_base_dispatch(base);
	printf("dispatch: %d, timeouts: %d\n", r, timeouts);
	event_free(feeder);
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
