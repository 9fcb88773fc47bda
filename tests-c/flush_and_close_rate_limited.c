/* evshim-only */
/* bufferevent_flush_and_close respects the bufferevent's rate limit (docs/flush-and-close.md,
 * "Everything in the output buffer is delivered, rate limits respected"): with
 * bufferevent_set_rate_limit at 64 KiB per 50 ms tick (burst 64 KiB), a 512 KiB message
 * needs at least 7 ticks after the first burst, so the close cannot end before 350 ms;
 * checked with a generous lower bound of 250 ms (and an upper bound of 5 s). The peer
 * receives everything, then EOF; the socket is closed when event_base_dispatch returns. */
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

int main(void)
{
	unsigned char *msg = pattern_message(MSG_LEN);
	struct peer_opts o = message_peer(msg, MSG_LEN, -1);
	struct timeval tick = {0, 50 * 1000};
	struct flush_peer peer;
	long start, elapsed;
	int fd, r;
	signal(SIGPIPE, SIG_IGN);
	fd = flush_server(&peer, &o, 65536);
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(RATE, RATE, RATE, RATE, &tick);
	check(bufferevent_set_rate_limit(bev, cfg) == 0, "bufferevent_set_rate_limit returned 0");
	bufferevent_setcb(bev, NULL, late_datacb, late_eventcb, NULL);
	bufferevent_write(bev, msg, MSG_LEN);
	closing = 1;
	start = now_ms();
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close returned 0");
	r = event_base_dispatch(base);
	elapsed = now_ms() - start;
	fprintf(stderr, "dispatch took %ld ms\n", elapsed);
	check(r == 0 || r == 1, "event_base_dispatch returned normally");
	check(elapsed >= 250, "the close took at least 5 ticks (7 needed at the limit)");
	check(elapsed < 5000, "and ended within 5 s");
	check(fcntl(fd, F_GETFD) == -1, "the socket is closed when event_base_dispatch returns");
	check(late_callbacks == 0, "no callback of the bufferevent ran after the call");
	event_base_free(base);
	ev_token_bucket_cfg_free(cfg);
	check_peer_got_all(&peer, MSG_LEN);
	free(msg);
	return failures ? 1 : 0;
}
