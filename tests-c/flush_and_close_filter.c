/* evshim-only */
/* bufferevent_flush_and_close on a filter over a socket bufferevent (docs/flush-and-close.md,
 * "Filter"); the output filter uppercases, and must see BEV_FINISHED.
 *  - filter with BEV_OPT_CLOSE_ON_FREE: the underlying bufferevent is flushed and closed the
 *    same way: the peer receives the whole 1 MiB, uppercased, then EOF; its socket is
 *    closed when event_base_dispatch returns; no callback of the filter runs afterwards.
 *  - filter without it: the underlying bufferevent stays the program's; it was flushed too
 *    and holds the filtered bytes the kernel did not take at once (the peer holds off
 *    reading until then) in its output. After a loop turn (the filter is gone) the program
 *    sets its own callbacks, writes a tail through it and frees it from its write callback
 *    once the output is empty: the peer gets the whole uppercased text, the tail, then EOF. */
#include <ctype.h>
#include <signal.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <evshim.h>
#include "flush_peer.h"

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

#define LEN (1 << 20)
#define TAIL "and that is all\n"

static unsigned char *lower, *upper;
static int finished_calls, underlying_writecbs, underlying_freed;

static enum bufferevent_filter_result upcase(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t limit,
    enum bufferevent_flush_mode mode, void *ctx)
{
	unsigned char buf[4096];
	int n, i;
	(void)limit;
	(void)ctx;
	if (mode == BEV_FINISHED)
		finished_calls++;
	while ((n = evbuffer_remove(src, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)toupper(buf[i]);
		evbuffer_add(dst, buf, (size_t)n);
	}
	return BEV_OK;
}

static void close_on_free(void)
{
	struct peer_opts o = message_peer(upper, LEN, 256 << 10);
	struct flush_peer peer;
	int fd, r;
	printf("filter with BEV_OPT_CLOSE_ON_FREE:\n");
	finished_calls = 0;
	fd = flush_server(&peer, &o, 65536);
	struct event_base *base = event_base_new();
	struct bufferevent *u = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *f = bufferevent_filter_new(u, NULL, upcase, BEV_OPT_CLOSE_ON_FREE, NULL, NULL);
	bufferevent_setcb(f, late_datacb, late_datacb, late_eventcb, NULL);
	bufferevent_enable(f, EV_READ | EV_WRITE);
	bufferevent_write(f, lower, LEN);
	closing = 1;
	check(bufferevent_flush_and_close(f) == 0, "bufferevent_flush_and_close(filter) returned 0");
	check(finished_calls > 0, "the output filter ran with BEV_FINISHED");
	r = event_base_dispatch(base);
	check(r == 0 || r == 1, "event_base_dispatch returned normally");
	check(fcntl(fd, F_GETFD) == -1, "the underlying socket is closed when event_base_dispatch returns");
	check(late_callbacks == 0, "no callback of the filter ran after the call");
	event_base_free(base);
	check_peer_got_all(&peer, LEN);
	closing = 0;
}

static void free_when_empty(struct bufferevent *bev, void *arg)
{
	(void)arg;
	underlying_writecbs++;
	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
		bufferevent_free(bev);
		underlying_freed = 1;
	}
}

static void keep_underlying(void)
{
	unsigned char *expect = malloc(LEN + sizeof TAIL - 1);
	struct peer_opts o = message_peer(expect, LEN + sizeof TAIL - 1, -1);
	struct flush_peer peer;
	size_t held;
	int fd, r;
	printf("filter without BEV_OPT_CLOSE_ON_FREE:\n");
	memcpy(expect, upper, LEN);
	memcpy(expect + LEN, TAIL, sizeof TAIL - 1);
	o.login = 0; /* nothing unread on the server's side when it frees */
	o.hold = 1;  /* so the kernel cannot take all of it at once */
	finished_calls = 0;
	fd = flush_server(&peer, &o, 65536);
	struct event_base *base = event_base_new();
	struct bufferevent *u = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *f = bufferevent_filter_new(u, NULL, upcase, 0, NULL, NULL);
	bufferevent_enable(f, EV_WRITE);
	bufferevent_write(f, lower, LEN);
	check(bufferevent_flush_and_close(f) == 0, "bufferevent_flush_and_close(filter) returned 0");
	check(finished_calls > 0, "the output filter ran with BEV_FINISHED");
	held = evbuffer_get_length(bufferevent_get_output(u));
	/* The filter's flush flushes the underlying socket too (BEV_FINISHED): the kernel took
	 * what fit at once, the rest waits in the underlying output for its own writer. */
	check(held > 0 && held < LEN, "the underlying bufferevent holds the rest of the filtered bytes in its output");
	flush_peer_go(&peer);
	event_base_loop(base, EVLOOP_NONBLOCK);
	check(fcntl(fd, F_GETFD) != -1, "its socket is still open");
	bufferevent_setcb(u, NULL, free_when_empty, NULL, NULL);
	check(bufferevent_write(u, TAIL, sizeof TAIL - 1) == 0, "the program writes through it");
	bufferevent_enable(u, EV_WRITE);
	r = event_base_dispatch(base);
	check(r == 0 || r == 1, "event_base_dispatch returned normally");
	check(underlying_writecbs > 0 && underlying_freed, "its write callback ran and freed it");
	check(fcntl(fd, F_GETFD) == -1, "bufferevent_free closed the socket");
	event_base_free(base);
	check_peer_got_all(&peer, LEN + sizeof TAIL - 1);
	free(expect);
}

int main(void)
{
	long i;
	signal(SIGPIPE, SIG_IGN);
	lower = malloc(LEN);
	upper = malloc(LEN);
	for (i = 0; i < LEN; i++) {
		lower[i] = (unsigned char)('a' + pattern(i) % 26);
		upper[i] = (unsigned char)toupper(lower[i]);
	}
	close_on_free();
	keep_underlying();
	free(lower);
	free(upper);
	return failures ? 1 : 0;
}
