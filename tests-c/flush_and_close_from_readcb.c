/* evshim-only */
/* bufferevent_flush_and_close called from inside the bufferevent's own read callback,
 * with reading still enabled and the login line consumed: the call returns 0, the read
 * callback returns normally, no callback runs afterwards, all 8 MiB arrive, then EOF.
 * */
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

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_setcb(bev, late_datacb, late_datacb, late_eventcb, NULL);
	bufferevent_write(bev, msg, MSG_LEN);
	closing = 1;
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close returned 0 inside the read callback");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	msg = pattern_message(MSG_LEN);
	struct peer_opts o = message_peer(msg, MSG_LEN, SLOW_TAIL);
	return flush_and_close_scenario(&o, NULL, readcb);
}
