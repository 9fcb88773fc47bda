/* An input filter that passes one complete line per call and answers BEV_NEED_MORE
 * without a newline: the filter is called again as long as it returns BEV_OK and input
 * remains, the read callback runs once per batch that produced something, and a partial
 * line waits in the underlying input until the rest arrives. */
#include <stdio.h>
#include <string.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void put_escaped(const char *s, size_t n)
{
	size_t i;
	putchar('"');
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			fputs("\\n", stdout);
		else
			putchar(s[i]);
	}
	putchar('"');
}

static const char *result_name(enum bufferevent_filter_result r)
{
	return r == BEV_OK ? "BEV_OK" : r == BEV_NEED_MORE ? "BEV_NEED_MORE" : "BEV_ERROR";
}

static enum bufferevent_filter_result one_line(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	struct evbuffer_ptr eol = evbuffer_search(src, "\n", 1, NULL);
	enum bufferevent_filter_result r = BEV_NEED_MORE;
	size_t before = evbuffer_get_length(src);
	(void)lim;
	(void)ctx;
	if (eol.pos >= 0) {
		evbuffer_remove_buffer(src, dst, (size_t)eol.pos + 1);
		r = BEV_OK;
	}
	printf("  filter(mode %d, src %d) -> %s\n", (int)mode, (int)before, result_name(r));
	return r;
}

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	(void)arg;
	printf("  readcb: ");
	put_escaped(buf, n);
	printf("\n");
}

static void feed(struct event_base *base, struct bufferevent *far, const char *s)
{
	printf("far end sends ");
	put_escaped(s, strlen(s));
	printf("\n");
	bufferevent_write(far, s, strlen(s));
	event_base_loop(base, EVLOOP_NONBLOCK);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *p[2];
	bufferevent_pair_new(base, 0, p);
	struct bufferevent *f = bufferevent_filter_new(p[0], one_line, NULL, 0, NULL, NULL);
	bufferevent_setcb(f, readcb, NULL, NULL, NULL);
	bufferevent_enable(f, EV_READ);
	feed(base, p[1], "one\ntw");
	feed(base, p[1], "o\nthr");
	feed(base, p[1], "ee\nfour\nfive\n");
	feed(base, p[1], "six");
	printf("underlying input %d, filter input %d\n", (int)evbuffer_get_length(bufferevent_get_input(p[0])),
	    (int)evbuffer_get_length(bufferevent_get_input(f)));
	bufferevent_free(f);
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_base_free(base);
	return 0;
}
