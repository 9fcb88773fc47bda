/* The flush mode a filter sees: BEV_NORMAL when data is written or read; bufferevent_flush
 * calls the filter with the given mode, BEV_FLUSH and BEV_FINISHED even when there is
 * nothing to filter (BEV_NORMAL only with data, and for input only while reading). The
 * flush returns 1 if a filter call returned BEV_OK, else 0, and is passed on to the
 * underlying bufferevent: BEV_FINISHED through a pair end gives the far end
 * BEV_EVENT_EOF. libevent itself never calls a filter with BEV_FINISHED on EOF. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static const char *mode_name(enum bufferevent_flush_mode m)
{
	return m == BEV_NORMAL ? "NORMAL" : m == BEV_FLUSH ? "FLUSH" : m == BEV_FINISHED ? "FINISHED" : "?";
}

static int need_more;

static enum bufferevent_filter_result pass(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	printf("  %s filter: mode %s, src %d, lim %d%s\n", (const char *)ctx, mode_name(mode),
	    (int)evbuffer_get_length(src), (int)lim, need_more ? " -> BEV_NEED_MORE" : "");
	if (need_more)
		return BEV_NEED_MORE;
	evbuffer_add_buffer(dst, src);
	return BEV_OK;
}

static enum bufferevent_filter_result in_filter(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	(void)ctx;
	return pass(src, dst, lim, mode, "input");
}

static enum bufferevent_filter_result out_filter(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	(void)ctx;
	return pass(src, dst, lim, mode, "output");
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	printf("  %s eventcb 0x%02x\n", (const char *)arg, what);
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	printf("  %s writecb\n", (const char *)arg);
}

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	printf("  %s readcb (%d)\n", (const char *)arg, (int)evbuffer_get_length(in));
	evbuffer_drain(in, evbuffer_get_length(in));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *p[2];
	int r;
	bufferevent_pair_new(base, 0, p);
	struct bufferevent *f = bufferevent_filter_new(p[0], in_filter, out_filter, 0, NULL, NULL);
	bufferevent_setcb(f, readcb, writecb, eventcb, "filter");
	bufferevent_setcb(p[1], readcb, NULL, eventcb, "far end");
	bufferevent_enable(p[1], EV_READ);

	printf("write 3 bytes:\n");
	bufferevent_write(f, "abc", 3);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("flush(EV_WRITE, BEV_NORMAL), nothing pending:\n");
	r = bufferevent_flush(f, EV_WRITE, BEV_NORMAL);
	printf("  -> %d\n", r);
	printf("flush(EV_WRITE, BEV_FLUSH), nothing pending:\n");
	r = bufferevent_flush(f, EV_WRITE, BEV_FLUSH);
	printf("  -> %d\n", r);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("flush(EV_READ, BEV_NORMAL), filter not reading:\n");
	r = bufferevent_flush(f, EV_READ, BEV_NORMAL);
	printf("  -> %d\n", r);
	printf("flush(EV_READ, BEV_FLUSH):\n");
	r = bufferevent_flush(f, EV_READ, BEV_FLUSH);
	printf("  -> %d\n", r);
	need_more = 1;
	printf("flush(EV_READ|EV_WRITE, BEV_FLUSH), filters answer BEV_NEED_MORE:\n");
	r = bufferevent_flush(f, EV_READ | EV_WRITE, BEV_FLUSH);
	printf("  -> %d\n", r);
	need_more = 0;
	printf("flush(EV_WRITE, BEV_FINISHED):\n");
	r = bufferevent_flush(f, EV_WRITE, BEV_FINISHED);
	printf("  -> %d\n", r);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("the far end sends 2 bytes and EOF (flush BEV_FINISHED), the filter reads:\n");
	bufferevent_enable(f, EV_READ);
	bufferevent_write(p[1], "xy", 2);
	bufferevent_flush(p[1], EV_WRITE, BEV_FINISHED);
	event_base_loop(base, EVLOOP_NONBLOCK);

	bufferevent_free(f);
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}
