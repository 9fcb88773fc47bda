/* flush_close_from_writecb again, but the client sends a line after the login that the
 * server never reads (it disabled reading). Closing a TCP socket with unread received
 * data makes the kernel send a RST instead of a FIN and throw away whatever it still
 * had to send: the output buffer was empty, yet the client (reading the last 512 KiB
 * slowly, so the tail is still in the server's kernel) loses part of the message and
 * its read ends with ECONNRESET. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include "flush_peer.h"

#define BIG (8 << 20)
#define SLOW_TAIL (512 << 10)

static unsigned char *msg;

int main(void)
{
	msg = pattern_message(BIG);
	struct peer_opts o = message_peer(msg, BIG, SLOW_TAIL);
	struct flush_peer peer;
	struct peer_result res;
	o.ping = 1; /* after the first data: the server has stopped reading by then */
	int r = free_from_writecb_run(&peer, &o, &res);
	free(msg);
	if (r < 0) {
		printf("client failed (status %d)\n", peer.status);
		return 1;
	}
	printf("client: arrived in full: %s, more than 7 MiB arrived: %s, intact: %s, then %s\n",
	    res.received == BIG ? "yes" : "no", res.received > (7 << 20) ? "yes" : "no", res.intact ? "yes" : "no",
	    peer_end_text(res.end));
	return 0;
}
