/* evshim-only */
/* bufferevent_flush_and_close respects the bufferevent's rate limit (docs/flush-and-close.md,
 * "Everything in the output buffer is delivered, rate limits respected"): with
 * bufferevent_set_rate_limit at 64 KiB per 50 ms tick (burst 64 KiB), a 512 KiB message
 * needs at least 7 ticks after the first burst, so the close cannot end before 350 ms;
 * checked with a generous lower bound of 250 ms (and an upper bound of 5 s). The peer
 * receives everything, then EOF; the socket is closed when event_base_dispatch returns.
 * Twice: as the bufferevent was, and after the program disabled reading and writing before
 * the call (a refilled bucket must still resume the close's writing). A 2 s write timeout
 * bounds a close that would stall (each tick makes progress, so it never ends one that
 * works). */
#include <signal.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <evshim.h>
#include "flush_peer.h"

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

#define MSG_LEN (512 << 10)
#define RATE (64 << 10)

static unsigned char *msg;

static void run(int disable_first)
{
	struct peer_opts o = message_peer(msg, MSG_LEN, -1);
	struct timeval tick = {0, 50 * 1000}, write_timeout = {2, 0};
	struct flush_peer peer;
	long elapsed;
	int fd;
	printf("%s:\n", disable_first ? "reading and writing disabled before the call" : "as it was");
	late_callbacks = 0;
	fd = flush_server(&peer, &o, 65536);
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(RATE, RATE, RATE, RATE, &tick);
	check(bufferevent_set_rate_limit(bev, cfg) == 0, "bufferevent_set_rate_limit returned 0");
	bufferevent_set_timeouts(bev, NULL, &write_timeout);
	bufferevent_setcb(bev, NULL, late_datacb, late_eventcb, NULL);
	bufferevent_write(bev, msg, MSG_LEN);
	if (disable_first)
		bufferevent_disable(bev, EV_READ | EV_WRITE);
	elapsed = close_and_dispatch(base, bev, fd);
	check(elapsed >= 250, "the close took at least 5 ticks (7 needed at the limit)");
	check(elapsed < 5000, "and ended within 5 s");
	check(late_callbacks == 0, "no callback of the bufferevent ran after the call");
	event_base_free(base);
	ev_token_bucket_cfg_free(cfg);
	check_peer_got_all(&peer, MSG_LEN);
	closing = 0;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	msg = pattern_message(MSG_LEN);
	run(0);
	run(1);
	free(msg);
	return failures ? 1 : 0;
}
