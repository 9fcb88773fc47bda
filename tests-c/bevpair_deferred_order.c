/* A pair's callbacks are deferred callbacks: scheduled into the base's active queue when
 * the data moves (at the middle priority, npriorities / 2), so they interleave with
 * ordinary active events by queue order and priority: an event activated before the
 * write runs first, one activated after runs after, a more urgent priority always
 * first and a less urgent one always last. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	printf(" B-readcb");
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	printf(" A-writecb");
}

static void ev_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	printf(" %s", (const char *)arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *p[2];
	event_base_priority_init(base, 3);
	bufferevent_pair_new(base, 0, p);
	bufferevent_setcb(p[0], NULL, writecb, NULL, NULL);
	bufferevent_setcb(p[1], readcb, NULL, NULL, NULL);
	bufferevent_enable(p[1], EV_READ);
	struct event *before = event_new(base, -1, 0, ev_cb, "before(pri 1)");
	struct event *after = event_new(base, -1, 0, ev_cb, "after(pri 1)");
	struct event *urgent = event_new(base, -1, 0, ev_cb, "urgent(pri 0)");
	struct event *lazy = event_new(base, -1, 0, ev_cb, "lazy(pri 2)");
	event_priority_set(before, 1);
	event_priority_set(after, 1);
	event_priority_set(urgent, 0);
	event_priority_set(lazy, 2);
	printf("pair priority: %d\n", bufferevent_get_priority(p[0]));

	printf("activate lazy, before; A writes; activate after, urgent; loop:");
	event_active(lazy, EV_TIMEOUT, 1);
	event_active(before, EV_TIMEOUT, 1);
	bufferevent_write(p[0], "x", 1);
	event_active(after, EV_TIMEOUT, 1);
	event_active(urgent, EV_TIMEOUT, 1);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("\n");

	event_free(before);
	event_free(after);
	event_free(urgent);
	event_free(lazy);
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}
