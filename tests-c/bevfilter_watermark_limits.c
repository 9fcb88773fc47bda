/* The `lim` a filter is given in BEV_NORMAL mode: for output, the room left below the
 * underlying bufferevent's write high watermark; for input, the room left below the
 * filter's own read high watermark (-1 when there is no watermark, and -1 in BEV_FLUSH).
 * While the underlying output is full the output filter is not called; it is called
 * again as the underlying output drains. While the filter's input is full the rest
 * waits in the underlying input until the program drains the filter's input. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static enum bufferevent_filter_result limited(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	size_t n = evbuffer_get_length(src);
	printf("  %s filter: mode %d, src %d, lim %d\n", (const char *)ctx, (int)mode, (int)n, (int)lim);
	if (lim >= 0 && (size_t)lim < n)
		n = (size_t)lim;
	if (n == 0)
		return BEV_NEED_MORE;
	evbuffer_remove_buffer(src, dst, n);
	return BEV_OK;
}

static enum bufferevent_filter_result in_f(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	(void)ctx;
	return limited(src, dst, lim, mode, "input");
}

static enum bufferevent_filter_result out_f(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	(void)ctx;
	return limited(src, dst, lim, mode, "output");
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *p[2];
	char data[32] = {0};
	bufferevent_pair_new(base, 0, p);
	struct bufferevent *f = bufferevent_filter_new(p[0], in_f, out_f, 0, NULL, NULL);
	/* No read callback: one that leaves the input at the high watermark would be called
	 * again and again (see bev_high_watermark_readcb_repeats). */

	bufferevent_setwatermark(p[0], EV_WRITE, 0, 8);
	printf("underlying write high watermark 8, far end not reading; write 20:\n");
	bufferevent_write(f, data, 20);
	printf("  filter output %d, underlying output %d\n", (int)evbuffer_get_length(bufferevent_get_output(f)),
	    (int)evbuffer_get_length(bufferevent_get_output(p[0])));
	printf("write 1 more (underlying full):\n");
	bufferevent_write(f, data, 1);
	printf("far end starts reading:\n");
	bufferevent_enable(p[1], EV_READ);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("  filter output %d, underlying output %d, far end input %d\n",
	    (int)evbuffer_get_length(bufferevent_get_output(f)), (int)evbuffer_get_length(bufferevent_get_output(p[0])),
	    (int)evbuffer_get_length(bufferevent_get_input(p[1])));
	printf("flush(EV_WRITE, BEV_FLUSH):\n");
	bufferevent_flush(f, EV_WRITE, BEV_FLUSH);

	bufferevent_setwatermark(f, EV_READ, 0, 5);
	bufferevent_enable(f, EV_READ);
	printf("filter read high watermark 5; far end writes 12:\n");
	bufferevent_write(p[1], data, 12);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("  filter input %d, underlying input %d\n", (int)evbuffer_get_length(bufferevent_get_input(f)),
	    (int)evbuffer_get_length(bufferevent_get_input(p[0])));
	printf("program drains 3 from the filter input:\n");
	evbuffer_drain(bufferevent_get_input(f), 3);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("  filter input %d, underlying input %d\n", (int)evbuffer_get_length(bufferevent_get_input(f)),
	    (int)evbuffer_get_length(bufferevent_get_input(p[0])));

	bufferevent_free(f);
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}
