/* The flush bug (libevent 1.4 -> 2.x): a server kicks a client by writing a message
 * with bufferevent_write and then "flushing" it with
 * evbuffer_write(bufferevent_get_output(bev), fd) before bufferevent_free. In 2.x the
 * output buffer's start is frozen by the socket bufferevent, so evbuffer_write returns
 * -1 without a system call, the message stays queued, and bufferevent_free discards it:
 * the client (a forked process reading until EOF) receives nothing. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include "flush_peer.h"

static const char kick[] = "You have logged in from another place. Bye.\n";

/* The server: on the client's login, send the kick message and "flush" it the 1.4 way. */
static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *out = bufferevent_get_output(bev);
	int r;
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_write(bev, kick, sizeof kick - 1);
	r = evbuffer_write(out, bufferevent_getfd(bev));
	printf("server: bufferevent_write queued %d bytes; evbuffer_write(output, fd) returned %d; output still %d\n",
	    (int)(sizeof kick - 1), r, (int)evbuffer_get_length(out));
	bufferevent_free(bev);
	printf("server: bufferevent_free (BEV_OPT_CLOSE_ON_FREE closes the socket)\n");
}

int main(void)
{
	struct peer_opts o = PEER_DEFAULTS;
	struct flush_peer peer;
	struct peer_result res;
	o.expect = (const unsigned char *)kick;
	o.len = sizeof kick - 1;
	o.read_size = 4096;
	o.rcvbuf = 0;
	if (serve_until_done(&peer, &o, 0, readcb, NULL, &res) < 0) {
		printf("client failed (status %d)\n", peer.status);
		return 1;
	}
	printf("client: received %ld of %d bytes, then %s\n", res.received, (int)(sizeof kick - 1),
	    peer_end_text(res.end));
	return 0;
}
