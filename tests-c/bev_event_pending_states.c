/* What event_pending() says about a socket bufferevent's own ev_read/ev_write (seen
 * through <event2/bufferevent_struct.h>) at each step: the write event is added only
 * while there is output to send (or after an explicit enable), removed when the output
 * drains or writing is disabled; the read event follows enable/disable of EV_READ. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int writecbs;
static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	writecbs++;
}

static void show(struct bufferevent *bev, const char *when)
{
	printf("%-32s enabled=0x%02x read=%d write=%d output=%d writecbs=%d\n", when,
	    bufferevent_get_enabled(bev), event_pending(&bev->ev_read, EV_READ, NULL) != 0,
	    event_pending(&bev->ev_write, EV_WRITE, NULL) != 0,
	    (int)evbuffer_get_length(bufferevent_get_output(bev)), writecbs);
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	char sink[64];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], 0);
	bufferevent_setcb(bev, NULL, writecb, NULL, NULL);
	show(bev, "new");
	bufferevent_write(bev, "abc", 3);
	show(bev, "after write");
	event_base_loop(base, EVLOOP_ONCE);
	show(bev, "after loop (drained)");
	bufferevent_disable(bev, EV_WRITE);
	bufferevent_write(bev, "def", 3);
	show(bev, "disabled, then write");
	event_base_loop(base, EVLOOP_NONBLOCK);
	show(bev, "loop while disabled");
	bufferevent_enable(bev, EV_WRITE);
	show(bev, "enable(EV_WRITE)");
	event_base_loop(base, EVLOOP_ONCE);
	show(bev, "after loop");
	bufferevent_enable(bev, EV_WRITE);
	show(bev, "enable(EV_WRITE), empty output");
	event_base_loop(base, EVLOOP_ONCE);
	show(bev, "after loop");
	bufferevent_enable(bev, EV_READ);
	show(bev, "enable(EV_READ)");
	bufferevent_disable(bev, EV_READ);
	show(bev, "disable(EV_READ)");
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	show(bev, "enable(EV_READ|EV_WRITE)");
	bufferevent_disable(bev, EV_READ | EV_WRITE);
	show(bev, "disable(EV_READ|EV_WRITE)");
	printf("peer got %d bytes\n", (int)recv(sv[1], sink, sizeof sink, MSG_DONTWAIT));

	bufferevent_free(bev);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
