/* The workaround from the original write-up: evbuffer_unfreeze(output, 1) and then
 * evbuffer_write(output, fd) before bufferevent_free. It "works" for a short message,
 * which fits in the socket at once, but one non-blocking write is never a guarantee:
 * an 8 MiB message is only partly written, bufferevent_free drops the rest, and the
 * client (a forked process reading until EOF) gets a truncated message. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include "flush_peer.h"

#define BIG (8 << 20)

static unsigned char *msg;
static long msg_len;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *out = bufferevent_get_output(bev);
	int r;
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_write(bev, msg, (size_t)msg_len);
	evbuffer_unfreeze(out, 1);
	r = evbuffer_write(out, bufferevent_getfd(bev));
	printf("  server: evbuffer_unfreeze + evbuffer_write: wrote everything: %s (%s)\n", r == msg_len ? "yes" : "no",
	    r == msg_len ? "returned the length" : r > 0 ? "a partial write" : "failed");
	bufferevent_free(bev);
}

static void run(long len)
{
	struct flush_peer peer;
	struct peer_result res;
	printf("message of %ld bytes:\n", len);
	msg_len = len;
	msg = pattern_message(len);
	struct peer_opts o = message_peer(msg, len, -1);
	if (serve_until_done(&peer, &o, 65536, readcb, NULL, &res) < 0) {
		printf("client failed (status %d)\n", peer.status);
		exit(1);
	}
	free(msg);
	printf("  client: arrived in full: %s, what arrived is intact: %s, then %s\n", res.received == len ? "yes" : "no",
	    res.intact ? "yes" : "no", peer_end_text(res.end));
}

int main(void)
{
	run(45);
	run(BIG);
	return 0;
}
