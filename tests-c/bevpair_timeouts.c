/* Timeouts on a pair end: the read timeout runs while EV_READ is enabled and reports
 * BEV_EVENT_TIMEOUT|BEV_EVENT_READING, disabling EV_READ. The write timeout reports
 * BEV_EVENT_TIMEOUT|BEV_EVENT_WRITING and disables EV_WRITE, but bufferevent_write alone
 * does not arm it when the partner is not reading: only bufferevent_enable(EV_WRITE)
 * with output pending (or a transfer into this end) does. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static struct bufferevent *p[2];
static int events;

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	events++;
	printf("%s eventcb 0x%02x: enabled 0x%02x\n", bev == p[0] ? "A" : "B", what, bufferevent_get_enabled(bev));
}

static void timers(const char *when)
{
	printf("%s: A read timer %d, A write timer %d\n", when, event_pending(&p[0]->ev_read, EV_TIMEOUT, NULL) != 0,
	    event_pending(&p[0]->ev_write, EV_TIMEOUT, NULL) != 0);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval rt = {0, 50000}, wt = {0, 120000};
	bufferevent_pair_new(base, 0, p);
	bufferevent_setcb(p[0], NULL, NULL, eventcb, NULL);
	bufferevent_setcb(p[1], NULL, NULL, eventcb, NULL);
	bufferevent_set_timeouts(p[0], &rt, &wt);
	bufferevent_set_timeouts(p[1], &rt, &wt);
	timers("timeouts set, no output, not reading");
	bufferevent_write(p[0], "stuck", 5);
	timers("A wrote while B does not read");
	bufferevent_enable(p[0], EV_WRITE);
	timers("A enable(EV_WRITE)");
	bufferevent_enable(p[0], EV_READ);
	timers("A enable(EV_READ)");
	int r = event_base_dispatch(base);
	printf("dispatch: %d, events: %d, A output %d\n", r, events, (int)evbuffer_get_length(bufferevent_get_output(p[0])));
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}
