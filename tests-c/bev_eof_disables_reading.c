/* The peer writes "abc" and closes: the read callback gets the bytes, then the event
 * callback gets BEV_EVENT_EOF|BEV_EVENT_READING, and EV_READ has been removed from the
 * enabled flags (the read event is no longer pending). Nothing more is called after. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int calls;

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("readcb: %d bytes\n", (int)evbuffer_get_length(bufferevent_get_input(bev)));
	calls++;
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	calls++;
	printf("eventcb: 0x%02x (EOF %d, READING %d)\n", what, (what & BEV_EVENT_EOF) != 0,
	    (what & BEV_EVENT_READING) != 0);
	printf("in eventcb: enabled=0x%02x ev_read pending=%d input=%d\n", bufferevent_get_enabled(bev),
	    event_pending(&bev->ev_read, EV_READ, NULL) != 0,
	    (int)evbuffer_get_length(bufferevent_get_input(bev)));
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], 0);
	bufferevent_setcb(bev, readcb, NULL, eventcb, NULL);
	bufferevent_enable(bev, EV_READ);
	if (write(sv[1], "abc", 3) != 3)
		return 1;
	close(sv[1]);
	int r = event_base_dispatch(base);
	printf("dispatch: %d, calls: %d, enabled after: 0x%02x\n", r, calls, bufferevent_get_enabled(bev));
	r = bufferevent_enable(bev, EV_READ);
	printf("re-enable: %d; loop once more\n", r);
	event_base_loop(base, EVLOOP_ONCE);
	printf("calls: %d, enabled: 0x%02x\n", calls, bufferevent_get_enabled(bev));
	bufferevent_free(bev);
	close(sv[0]);
	event_base_free(base);
	return 0;
}
