/* evshim-only */
/* A close that makes no progress ends after the write timeout (docs/flush-and-close.md,
 * "Bounded"). The peer never reads while the server flushes and closes an 8 MiB message
 * with bufferevent_set_timeouts(write 200 ms): the kernel buffers fill, nothing moves, and
 * event_base_dispatch returns well within 5 s (not after the 30 s used when no timeout is
 * set, which this test does not wait for) and not before the 200 ms; the socket is closed
 * then. The peer, reading afterwards, gets a true prefix of the message, then EOF. The
 * event callback, set before the call, never runs (no BEV_EVENT_TIMEOUT reaches it). */
#include <signal.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <evshim.h>
#include "flush_peer.h"

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

#define MSG_LEN (8 << 20)

int main(void)
{
	unsigned char *msg = pattern_message(MSG_LEN);
	struct peer_opts o = message_peer(msg, MSG_LEN, -1);
	struct timeval write_timeout = {0, 200 * 1000};
	struct flush_peer peer;
	struct peer_result res;
	long elapsed;
	int fd;
	signal(SIGPIPE, SIG_IGN);
	o.hold = 1;
	fd = flush_server(&peer, &o, 65536);
	wait_for_login(fd); /* unread at the close: discarded, not a reset */
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, late_datacb, late_eventcb, NULL);
	bufferevent_set_timeouts(bev, NULL, &write_timeout);
	bufferevent_write(bev, msg, MSG_LEN);
	elapsed = close_and_dispatch(base, bev, fd);
	check(elapsed < 5000, "event_base_dispatch returned within 5 s");
	check(elapsed >= 150, "and not before the write timeout (200 ms, 50 ms margin)");
	check(late_callbacks == 0, "no callback of the bufferevent ran");
	event_base_free(base);
	flush_peer_go(&peer);
	if (flush_peer_wait(&peer, &res) < 0) {
		check(0, "client reported");
		return 1;
	}
	check(res.received > 0 && res.received < MSG_LEN, "the peer got part of the message (what the kernel held)");
	check(res.intact, "what arrived is the start of the message");
	check(res.end == PEER_EOF, "then EOF");
	free(msg);
	return failures ? 1 : 0;
}
