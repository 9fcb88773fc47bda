/* evshim-only */
/* evshim's bufferevent_flush_and_close(bev), called outside any callback right after
 * queuing 8 MiB (before the loop has written anything): it returns 0 at once, no callback
 * of the bufferevent runs afterwards, every byte reaches the client (which reads the
 * last 512 KiB slowly) followed by EOF, and the socket is closed by the time
 * event_base_dispatch returns. */
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
#define SLOW_TAIL (512 << 10)

static unsigned char *msg;

/* Queue the whole message and hand the bufferevent over before the loop runs. */
static void serve(struct bufferevent *bev)
{
	bufferevent_setcb(bev, NULL, late_datacb, late_eventcb, NULL);
	bufferevent_write(bev, msg, MSG_LEN);
	closing = 1;
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close returned 0");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	msg = pattern_message(MSG_LEN);
	struct peer_opts o = message_peer(msg, MSG_LEN, SLOW_TAIL);
	return flush_and_close_scenario(&o, serve, NULL);
}
