/* A filter that answers BEV_ERROR: libevent 2.1 ignores the result. No event callback
 * is made, nothing is disabled; the output filter's error just stops that round (the
 * data stays in the filter's output, and no write callback runs), the input filter's
 * error leaves the bytes in the underlying input without a read callback. The next
 * write or read calls the filter again. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int calls_in, calls_out;

static enum bufferevent_filter_result fail_in(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	(void)src;
	(void)dst;
	(void)lim;
	(void)mode;
	(void)ctx;
	calls_in++;
	return BEV_ERROR;
}

static enum bufferevent_filter_result fail_out(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	(void)src;
	(void)dst;
	(void)lim;
	(void)mode;
	(void)ctx;
	calls_out++;
	return BEV_ERROR;
}

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	printf("  readcb\n");
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	printf("  writecb\n");
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)arg;
	printf("  eventcb 0x%02x\n", what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *p[2];
	bufferevent_pair_new(base, 0, p);
	struct bufferevent *f = bufferevent_filter_new(p[0], fail_in, fail_out, 0, NULL, NULL);
	bufferevent_setcb(f, readcb, writecb, eventcb, NULL);
	bufferevent_enable(f, EV_READ);
	bufferevent_enable(p[1], EV_READ);
	printf("write to the filter:\n");
	bufferevent_write(f, "abc", 3);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("output filter calls %d, filter output %d, far end input %d\n", calls_out,
	    (int)evbuffer_get_length(bufferevent_get_output(f)), (int)evbuffer_get_length(bufferevent_get_input(p[1])));
	bufferevent_write(f, "d", 1);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("second write: output filter calls %d, filter output %d\n", calls_out,
	    (int)evbuffer_get_length(bufferevent_get_output(f)));
	printf("far end writes:\n");
	bufferevent_write(p[1], "xyz", 3);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("input filter calls %d, underlying input %d, filter input %d, filter enabled 0x%02x\n", calls_in,
	    (int)evbuffer_get_length(bufferevent_get_input(p[0])), (int)evbuffer_get_length(bufferevent_get_input(f)),
	    bufferevent_get_enabled(f));
	bufferevent_free(f);
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}
