/* evshim-only */
/* event_base_dispatch does not return while bufferevent_flush_and_close still has work:
 * the client reads the whole 1 MiB message slowly (4 KiB per 1 ms), so the flush takes
 * far longer than one loop turn; when dispatch returns, the socket is closed and the
 * client has received everything. */
#include <signal.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <evshim.h>
#include "flush_peer.h"

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

#define MSG_LEN (1 << 20)

static unsigned char *msg;

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_write(bev, msg, MSG_LEN);
	closing = 1;
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close returned 0");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	msg = pattern_message(MSG_LEN);
	struct peer_opts o = message_peer(msg, MSG_LEN, MSG_LEN);
	return flush_and_close_scenario(&o, NULL, readcb);
}
