/* bufferevent_getcb returns what bufferevent_setcb stored (each output pointer may be
 * NULL); setcb replaces all four at once, and the struct fields readcb/writecb/errorcb/
 * cbarg hold the same values. A callback set to NULL is simply not called. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static int tag_a, tag_b;

static void rd(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	printf("  rd arg=%s\n", arg == &tag_a ? "a" : arg == &tag_b ? "b" : "?");
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void wr(struct bufferevent *bev, void *arg)
{
	(void)bev;
	printf("  wr arg=%s\n", arg == &tag_a ? "a" : arg == &tag_b ? "b" : "?");
}

static void ev(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	printf("  ev 0x%02x arg=%s\n", what, arg == &tag_a ? "a" : arg == &tag_b ? "b" : "?");
}

static void show(struct bufferevent *bev)
{
	bufferevent_data_cb r = NULL, w = NULL;
	bufferevent_event_cb e = NULL;
	void *arg = NULL;
	bufferevent_getcb(bev, &r, &w, &e, &arg);
	printf("getcb: read %s write %s event %s arg %s; struct agrees %d\n",
	    r == rd ? "rd" : r ? "?" : "NULL", w == wr ? "wr" : w ? "?" : "NULL",
	    e == ev ? "ev" : e ? "?" : "NULL", arg == &tag_a ? "a" : arg == &tag_b ? "b" : arg ? "?" : "NULL",
	    bev->readcb == r && bev->writecb == w && bev->errorcb == e && bev->cbarg == arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	bufferevent_event_cb e = ev;
	void *arg = &tag_b;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	show(bev);
	bufferevent_setcb(bev, rd, wr, ev, &tag_a);
	show(bev);
	bufferevent_getcb(bev, NULL, NULL, &e, NULL);
	printf("getcb with NULL outputs: event %s\n", e == ev ? "ev" : "?");
	bufferevent_getcb(bev, NULL, NULL, NULL, &arg);
	printf("getcb arg only: %s\n", arg == &tag_a ? "a" : "?");
	bufferevent_enable(bev, EV_READ);
	bufferevent_write(bev, "x", 1);
	if (write(sv[1], "y", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	bufferevent_setcb(bev, NULL, wr, NULL, &tag_b);
	show(bev);
	bufferevent_write(bev, "x", 1);
	if (write(sv[1], "y", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	printf("input kept without a read callback: %d\n", (int)evbuffer_get_length(bufferevent_get_input(bev)));
	close(sv[1]);
	event_base_loop(base, EVLOOP_ONCE);
	printf("EOF with no event callback: enabled 0x%02x\n", bufferevent_get_enabled(bev));
	bufferevent_free(bev);
	event_base_free(base);
	return 0;
}
