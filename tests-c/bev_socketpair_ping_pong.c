/* Two socket bufferevents on the ends of a socketpair: A writes "ping"; A's write
 * callback runs when its output has drained; B's read callback gets "ping" and answers
 * "pong"; A reads it and frees both. The callbacks come in a fixed order. */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static struct bufferevent *a, *b;
static int turn;

static const char *name(struct bufferevent *bev)
{
	return bev == a ? "A" : bev == b ? "B" : "?";
}

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	size_t n = bufferevent_read(bev, buf, sizeof buf - 1);
	(void)arg;
	buf[n] = '\0';
	printf("[%d] %s readcb \"%s\"\n", ++turn, name(bev), buf);
	if (bev == b && strcmp(buf, "ping") == 0)
		bufferevent_write(b, "pong", 4);
	else if (bev == a) {
		bufferevent_free(a);
		bufferevent_free(b);
	}
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("[%d] %s writecb output=%d\n", ++turn, name(bev),
	    (int)evbuffer_get_length(bufferevent_get_output(bev)));
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf("[%d] %s eventcb 0x%02x\n", ++turn, name(bev), what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	evutil_make_socket_nonblocking(sv[0]);
	evutil_make_socket_nonblocking(sv[1]);
	a = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	b = bufferevent_socket_new(base, sv[1], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(a, readcb, writecb, eventcb, NULL);
	bufferevent_setcb(b, readcb, writecb, eventcb, NULL);
	bufferevent_enable(a, EV_READ);
	bufferevent_enable(b, EV_READ);
	bufferevent_write(a, "ping", 4);
	printf("written; dispatching\n");
	int r = event_base_dispatch(base);
	printf("dispatch: %d, turns: %d\n", r, turn);
	event_base_free(base);
	return 0;
}
