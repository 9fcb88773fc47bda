/* bufferevent_socket_connect to a 127.0.0.1 port nobody listens on: the call returns 0,
 * and the event callback later gets BEV_EVENT_ERROR alone, with the socket error
 * (EVUTIL_SOCKET_ERROR()) set to ECONNREFUSED. Done twice: with only writing enabled,
 * and with reading enabled as well (still exactly one event callback). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int events;

static const char *errname(int e)
{
	return e == ECONNREFUSED ? "ECONNREFUSED" : e == 0 ? "0" : "other";
}

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	printf("readcb (unexpected)\n");
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();
	(void)arg;
	events++;
	printf("eventcb 0x%02x: socket error %s, getfd valid %d, enabled 0x%02x, read pending %d, write pending %d\n",
	    what, errname(err), bufferevent_getfd(bev) >= 0, bufferevent_get_enabled(bev),
	    event_pending(&bev->ev_read, EV_READ, NULL) != 0,
	    event_pending(&bev->ev_write, EV_WRITE, NULL) != 0);
}

static void run(struct sockaddr_in *sin, short enable)
{
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, eventcb, NULL);
	bufferevent_enable(bev, enable);
	bufferevent_write(bev, "lost", 4);
	events = 0;
	int r = bufferevent_socket_connect(bev, (struct sockaddr *)sin, sizeof *sin);
	printf("enabled 0x%02x: connect returned %d\n", enable, r);
	r = event_base_dispatch(base);
	printf("dispatch: %d, event callbacks: %d, output still %d\n", r, events,
	    (int)evbuffer_get_length(bufferevent_get_output(bev)));
	bufferevent_free(bev);
	event_base_free(base);
}

int main(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	/* A bound socket that does not listen: its port refuses connections, and nobody
	 * else can take the port while we hold it. */
	int hold = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(hold, (struct sockaddr *)&sin, sizeof sin) < 0)
		return 1;
	getsockname(hold, (struct sockaddr *)&sin, &len);
	run(&sin, EV_WRITE);
	run(&sin, EV_READ | EV_WRITE);
	close(hold);
	return 0;
}
