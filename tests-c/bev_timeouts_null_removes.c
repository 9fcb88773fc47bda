/* bufferevent_set_timeouts(bev, NULL, NULL) removes both timeouts: the events stay
 * added but without a deadline, and no timeout is reported. A zero timeval counts as
 * "no timeout" too. Setting timeouts on a bufferevent that is not reading adds nothing. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int events;

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)arg;
	events++;
	printf("eventcb 0x%02x\n", what);
}

static void show(struct bufferevent *bev, const char *when)
{
	printf("%-28s read: pending %d timeout %d; write: pending %d timeout %d; set %d/%d\n", when,
	    event_pending(&bev->ev_read, EV_READ, NULL) != 0,
	    event_pending(&bev->ev_read, EV_TIMEOUT, NULL) != 0,
	    event_pending(&bev->ev_write, EV_WRITE, NULL) != 0,
	    event_pending(&bev->ev_write, EV_TIMEOUT, NULL) != 0,
	    evutil_timerisset(&bev->timeout_read) != 0, evutil_timerisset(&bev->timeout_write) != 0);
}

static void stop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopexit(arg, NULL);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t = {0, 30000}, zero = {0, 0}, stop = {0, 100000};
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, NULL, eventcb, NULL);
	show(bev, "new");
	bufferevent_set_timeouts(bev, &t, &t);
	show(bev, "timeouts, reading disabled");
	bufferevent_enable(bev, EV_READ);
	show(bev, "enable(EV_READ)");
	int r = bufferevent_set_timeouts(bev, NULL, NULL);
	printf("set_timeouts(NULL, NULL): %d\n", r);
	show(bev, "removed");
	event_base_once(base, -1, EV_TIMEOUT, stop_cb, base, &stop);
	event_base_dispatch(base);
	printf("after 100 ms: events %d\n", events);
	bufferevent_set_timeouts(bev, &t, NULL);
	show(bev, "read timeout again");
	bufferevent_set_timeouts(bev, &zero, &zero);
	show(bev, "zero timevals");
	event_base_once(base, -1, EV_TIMEOUT, stop_cb, base, &stop);
	event_base_dispatch(base);
	printf("after 100 ms: events %d\n", events);
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
