/* evshim-only */
/* event_base_free with bufferevent_flush_and_close still pending releases everything
 * (docs/flush-and-close.md, "The loop"). The peer holds off reading an 8 MiB message (and
 * sent a login line the server never reads):
 *  - freed right after the call, before the loop ever ran;
 *  - freed mid-transfer, after a few non-blocking loop turns filled the kernel buffers;
 * both times the bufferevent's CLOSE_ON_FREE socket is closed by event_base_free, and the
 * peer, once it reads, gets a true prefix of the message and then EOF (not a reset: the
 * unread login line is discarded before the close).
 *  - a pair whose two ends are both being flushed and closed (neither reads, so neither
 *    close can end) is released by event_base_free too.
 * Run it under valgrind to see that nothing leaks:
 *   valgrind --leak-check=full --error-exitcode=9 build/tests-c/flush_and_close_base_freed_pending.evshim */
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

static unsigned char *msg;

static void socket_close_then_free(int loop_turns)
{
	struct peer_opts o = message_peer(msg, MSG_LEN, -1);
	struct flush_peer peer;
	struct peer_result res;
	int i, fd;
	printf("socket, base freed after %d loop turns:\n", loop_turns);
	o.hold = 1;
	fd = flush_server(&peer, &o, 65536);
	wait_for_login(fd);
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_write(bev, msg, MSG_LEN);
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close returned 0");
	for (i = 0; i < loop_turns; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	check(fcntl(fd, F_GETFD) != -1, "the socket is still open (the close is pending)");
	event_base_free(base);
	check(fcntl(fd, F_GETFD) == -1, "event_base_free closed the socket");
	flush_peer_go(&peer);
	if (flush_peer_wait(&peer, &res) < 0) {
		check(0, "client reported");
		return;
	}
	check(res.received < MSG_LEN, "the peer got less than the message (the close did not finish)");
	if (loop_turns > 0)
		check(res.received > 0, "the peer got what was written before the base was freed");
	check(res.intact, "what arrived is the start of the message");
	check(res.end == PEER_EOF, "then EOF, not a reset");
}

static void pair_both_closing(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *p[2];
	printf("pair, both ends closing, base freed:\n");
	bufferevent_pair_new(base, 0, p);
	bufferevent_write(p[0], msg, 100000);
	bufferevent_write(p[1], msg, 100000);
	check(bufferevent_flush_and_close(p[0]) == 0, "bufferevent_flush_and_close(end 0) returned 0");
	check(bufferevent_flush_and_close(p[1]) == 0, "bufferevent_flush_and_close(end 1) returned 0");
	/* 0, not 1 (no events): neither close can end, so their events stay registered. */
	check(event_base_loop(base, EVLOOP_NONBLOCK) == 0, "both closes are pending after a loop turn");
	event_base_free(base);
	printf("event_base_free returned\n");
}

int main(void)
{
	msg = pattern_message(MSG_LEN);
	socket_close_then_free(0);
	socket_close_then_free(20);
	pair_both_closing();
	free(msg);
	return failures ? 1 : 0;
}
