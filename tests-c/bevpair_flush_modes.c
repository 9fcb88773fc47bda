/* bufferevent_flush on a pair: BEV_NORMAL does nothing (returns 0); BEV_FLUSH moves
 * pending output to the partner's input even if the partner is not reading: up to the
 * partner's read high watermark, or all of it once the partner is at the watermark;
 * BEV_FINISHED does the same and then reports BEV_EVENT_EOF|BEV_EVENT_READING to the
 * partner (EV_WRITE flush) or BEV_EVENT_EOF|BEV_EVENT_WRITING (EV_READ flush, which
 * pulls the partner's output). Each transfer runs the read/write callbacks (deferred),
 * even when nothing moved. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static struct bufferevent *p[2];

static const char *name(struct bufferevent *bev)
{
	return bev == p[0] ? "A" : bev == p[1] ? "B" : "?";
}

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("  %s readcb (input %d)\n", name(bev), (int)evbuffer_get_length(bufferevent_get_input(bev)));
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("  %s writecb\n", name(bev));
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf("  %s eventcb 0x%02x\n", name(bev), what);
}

static void show(const char *what, int r)
{
	printf("%s: %d; A in/out %d/%d, B in/out %d/%d\n", what, r, (int)evbuffer_get_length(bufferevent_get_input(p[0])),
	    (int)evbuffer_get_length(bufferevent_get_output(p[0])), (int)evbuffer_get_length(bufferevent_get_input(p[1])),
	    (int)evbuffer_get_length(bufferevent_get_output(p[1])));
	event_base_loop(bufferevent_get_base(p[0]), EVLOOP_NONBLOCK);
}

int main(void)
{
	struct event_base *base = event_base_new();
	bufferevent_pair_new(base, 0, p);
	bufferevent_setcb(p[0], readcb, writecb, eventcb, NULL);
	bufferevent_setcb(p[1], readcb, writecb, eventcb, NULL);
	bufferevent_write(p[0], "0123456789", 10);
	show("A wrote 10, B not reading", 0);
	show("A flush(EV_WRITE, BEV_NORMAL)", bufferevent_flush(p[0], EV_WRITE, BEV_NORMAL));
	bufferevent_setwatermark(p[1], EV_READ, 0, 4);
	show("B read high watermark 4; A flush(EV_WRITE, BEV_FLUSH)", bufferevent_flush(p[0], EV_WRITE, BEV_FLUSH));
	bufferevent_write(p[0], "abc", 3);
	show("A wrote 3; A flush(EV_WRITE, BEV_FINISHED)", bufferevent_flush(p[0], EV_WRITE, BEV_FINISHED));
	bufferevent_write(p[1], "xy", 2);
	show("B wrote 2; A flush(EV_READ, BEV_FINISHED)", bufferevent_flush(p[0], EV_READ, BEV_FINISHED));
	show("A flush(EV_READ|EV_WRITE, BEV_FINISHED), nothing pending",
	    bufferevent_flush(p[0], EV_READ | EV_WRITE, BEV_FINISHED));
	show("A flush(0, BEV_FINISHED)", bufferevent_flush(p[0], 0, BEV_FINISHED));
	printf("enabled after all that: A 0x%02x B 0x%02x\n", bufferevent_get_enabled(p[0]), bufferevent_get_enabled(p[1]));
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}
