/* A write timeout fires while output is pending and the socket stays unwritable (the
 * peer does not read): the event callback gets BEV_EVENT_TIMEOUT|BEV_EVENT_WRITING,
 * EV_WRITE is disabled and the unsent output stays in the buffer. With an empty
 * output the write timeout never fires. */
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

#define BIG (1 << 20)
static int events;

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	events++;
	printf("eventcb 0x%02x: enabled 0x%02x, write pending %d, output left > 0: %d\n", what,
	    bufferevent_get_enabled(bev), event_pending(&bev->ev_write, EV_WRITE, NULL) != 0,
	    evbuffer_get_length(bufferevent_get_output(bev)) > 0);
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
	struct timeval wt = {0, 50000}, stop = {0, 150000};
	int sv[2], small = 4096;
	char *data = calloc(1, BIG);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, NULL, eventcb, NULL);
	bufferevent_set_timeouts(bev, NULL, &wt);
	printf("empty output: write pending %d\n", event_pending(&bev->ev_write, EV_WRITE, NULL) != 0);
	event_base_once(base, -1, EV_TIMEOUT, stop_cb, base, &stop);
	event_base_dispatch(base);
	printf("after 150 ms with nothing to write: events %d\n", events);

	bufferevent_write(bev, data, BIG);
	printf("1 MiB queued: write pending %d, with timeout %d\n",
	    event_pending(&bev->ev_write, EV_WRITE, NULL) != 0,
	    event_pending(&bev->ev_write, EV_TIMEOUT, NULL) != 0);
	event_base_once(base, -1, EV_TIMEOUT, stop_cb, base, &stop);
	event_base_dispatch(base);
	printf("events: %d\n", events);
	bufferevent_free(bev);
	close(sv[1]);
	free(data);
	event_base_free(base);
	return 0;
}
