/* A bufferevent has one deferred-callback slot. Whatever was queued before it runs is
 * delivered in a fixed order: BEV_EVENT_CONNECTED first, then the read callback, the
 * write callback, and the other events, whose flags are OR-ed together into a single
 * event callback; queuing the same callback twice runs it once. The socket error saved
 * with the last queued event is restored for the event callback. */
#include <errno.h>
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	printf(" read");
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	printf(" write");
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();
	(void)bev;
	(void)arg;
	if (what & BEV_EVENT_CONNECTED) /* the socket error is not restored for CONNECTED */
		printf(" event(0x%02x)", what);
	else
		printf(" event(0x%02x, errno %s)", what,
		    err == EPIPE ? "EPIPE" : err == ENOTCONN ? "ENOTCONN" : "other");
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	bufferevent_setcb(bev, readcb, writecb, eventcb, NULL);

	printf("queued: EOF, write, read, CONNECTED, ERROR, read; ran:");
	errno = ENOTCONN;
	bufferevent_trigger_event(bev, BEV_EVENT_EOF | BEV_EVENT_READING, BEV_TRIG_DEFER_CALLBACKS);
	bufferevent_trigger(bev, EV_WRITE, BEV_TRIG_DEFER_CALLBACKS);
	bufferevent_trigger(bev, EV_READ, BEV_TRIG_DEFER_CALLBACKS);
	bufferevent_trigger_event(bev, BEV_EVENT_CONNECTED, BEV_TRIG_DEFER_CALLBACKS);
	errno = EPIPE;
	bufferevent_trigger_event(bev, BEV_EVENT_ERROR | BEV_EVENT_WRITING, BEV_TRIG_DEFER_CALLBACKS);
	bufferevent_trigger(bev, EV_READ, BEV_TRIG_DEFER_CALLBACKS);
	errno = 0;
	printf(" (nothing yet)");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("\n");

	printf("queued: CONNECTED|EOF in one call; ran:");
	errno = ENOTCONN;
	bufferevent_trigger_event(bev, BEV_EVENT_CONNECTED | BEV_EVENT_EOF, BEV_TRIG_DEFER_CALLBACKS);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("\n");

	printf("queued: read and write; the read callback clears the write callback; ran:");
	bufferevent_trigger(bev, EV_READ | EV_WRITE, BEV_TRIG_DEFER_CALLBACKS);
	bufferevent_setcb(bev, readcb, NULL, eventcb, NULL);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("\n");

	bufferevent_free(bev);
	event_base_free(base);
	return 0;
}
