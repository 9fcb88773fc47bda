/* evshim-only */
/* bufferevent_flush_and_close with unread input: the client sends a line the server
 * never reads (the case where a plain close turns into a RST and loses the tail, see
 * flush_close_unread_input_rst). bufferevent_flush_and_close must still deliver all
 * 8 MiB and end the connection with a FIN (the client sees EOF, not ECONNRESET).
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

/* Read the login, stop reading (the client's next line stays unread), queue, close. */
static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_disable(bev, EV_READ);
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
	o.ping = 1;
	return flush_and_close_scenario(&o, NULL, readcb);
}
