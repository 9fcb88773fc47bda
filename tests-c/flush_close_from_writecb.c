/* The fix that works with libevent: stop reading, queue the message, and close from the
 * write callback once the output buffer is empty (the write callback runs when the
 * output drains to the low watermark, 0 by default). The kernel still holds the tail
 * of the message when the socket is closed, but a normal close sends it before the FIN:
 * the client (a forked process that reads the last 512 KiB slowly) gets all 8 MiB,
 * then EOF. */
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
	int r = free_from_writecb_run(&peer, &o, &res);
	free(msg);
	if (r < 0) {
		printf("client failed (status %d)\n", peer.status);
		return 1;
	}
	printf("client: arrived in full: %s (%ld bytes), intact: %s, then %s\n", res.received == BIG ? "yes" : "no",
	    res.received, res.intact ? "yes" : "no", peer_end_text(res.end));
	return 0;
}
