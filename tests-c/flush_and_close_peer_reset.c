/* evshim-only */
/* A peer that resets the connection mid-transfer (SO_LINGER 0, then close, after 256 KiB
 * of an 8 MiB message) ends bufferevent_flush_and_close promptly (docs/flush-and-close.md,
 * "Bounded": a reset or EPIPE ends it; writes never raise SIGPIPE). SIGPIPE keeps its
 * default action here (it would kill the process); event_base_dispatch returns well
 * before the 30 s stall bound (checked: within 5 s), the socket is closed, no callback of
 * the bufferevent runs, and the process lives on to say so. */
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
#define RESET_AFTER (256 << 10)

int main(void)
{
	unsigned char *msg = pattern_message(MSG_LEN);
	struct peer_opts o = message_peer(msg, MSG_LEN, -1);
	struct flush_peer peer;
	struct peer_result res;
	long elapsed;
	int fd;
	signal(SIGPIPE, SIG_DFL); /* whatever the runner left: a SIGPIPE must kill */
	o.reset_after = RESET_AFTER;
	fd = flush_server(&peer, &o, 65536);
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, late_datacb, late_eventcb, NULL);
	bufferevent_write(bev, msg, MSG_LEN);
	elapsed = close_and_dispatch(base, bev, fd);
	check(elapsed < 5000, "the close ended within 5 s of the call");
	check(late_callbacks == 0, "no callback of the bufferevent ran after the call");
	event_base_free(base);
	if (flush_peer_wait(&peer, &res) < 0) {
		check(0, "client reported");
		return 1;
	}
	check(res.received >= RESET_AFTER && res.received < MSG_LEN, "the peer read part of the message, then reset");
	check(res.intact, "what it read is the start of the message");
	free(msg);
	return failures ? 1 : 0;
}
