/* The libevent 1.4 bufferevent API through <event.h>: bufferevent_new(fd, ...) uses
 * the current base (event_init) for its events but leaves get_base NULL until
 * bufferevent_base_set; bufferevent_settimeout takes whole seconds (0 = none);
 * EVBUFFER_INPUT/EVBUFFER_OUTPUT/EVBUFFER_LENGTH/EVBUFFER_DATA and the EVBUFFER_* event
 * names work; event_dispatch drives it. */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event.h>

static int peer;

static void on_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = EVBUFFER_INPUT(bev);
	printf("read: %d \"%.*s\", arg ok %d\n", (int)EVBUFFER_LENGTH(in), (int)EVBUFFER_LENGTH(in),
	    (const char *)EVBUFFER_DATA(in), arg == &peer);
	evbuffer_drain(in, EVBUFFER_LENGTH(in));
	bufferevent_write(bev, "pong", 4);
}

static void on_write(struct bufferevent *bev, void *arg)
{
	char buf[16];
	ssize_t n = recv(peer, buf, sizeof buf, MSG_DONTWAIT);
	(void)arg;
	printf("write done: output %d, peer got %d \"%.*s\"; peer closes\n", (int)EVBUFFER_LENGTH(EVBUFFER_OUTPUT(bev)),
	    (int)n, (int)(n > 0 ? n : 0), buf);
	close(peer);
}

static void on_error(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf("error callback: EVBUFFER_READ %d EVBUFFER_EOF %d\n", (what & EVBUFFER_READ) != 0,
	    (what & EVBUFFER_EOF) != 0);
	bufferevent_free(bev);
}

int main(void)
{
	struct event_base *base = event_init();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	peer = sv[1];
	struct bufferevent *bev = bufferevent_new(sv[0], on_read, on_write, on_error, &peer);
	printf("bufferevent_new: %d, get_base NULL %d, its events on the current base %d, enabled 0x%02x\n",
	    bev != NULL, bufferevent_get_base(bev) == NULL, event_get_base(&bev->ev_read) == base,
	    bufferevent_get_enabled(bev));
	int r = bufferevent_base_set(base, bev);
	printf("bufferevent_base_set: %d, get_base ok %d\n", r, bufferevent_get_base(bev) == base);
	bufferevent_settimeout(bev, 5, 7);
	printf("settimeout(5, 7): read %d.%06d write %d.%06d\n", (int)bev->timeout_read.tv_sec,
	    (int)bev->timeout_read.tv_usec, (int)bev->timeout_write.tv_sec, (int)bev->timeout_write.tv_usec);
	bufferevent_settimeout(bev, 0, 0);
	printf("settimeout(0, 0): read set %d write set %d\n", evutil_timerisset(&bev->timeout_read) != 0,
	    evutil_timerisset(&bev->timeout_write) != 0);
	bufferevent_settimeout(bev, 30, 0);
	bufferevent_enable(bev, EV_READ);
	printf("read timeout 30 s, enabled: read pending with a timeout %d\n",
	    event_pending(&bev->ev_read, EV_TIMEOUT, NULL) != 0);
	if (write(sv[1], "ping", 4) != 4)
		return 1;
	r = event_dispatch();
	printf("event_dispatch: %d\n", r);
	event_base_free(base);
	return 0;
}
