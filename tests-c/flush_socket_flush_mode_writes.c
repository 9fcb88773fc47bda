/* evshim-only */
/* evshim extension (docs/flush-and-close.md): bufferevent_flush(bev, EV_WRITE, BEV_FLUSH or
 * BEV_FINISHED) on a socket bufferevent writes what the kernel accepts right away and
 * returns 1 (libevent's does nothing and returns 0); with nothing queued it returns 0;
 * BEV_NORMAL and EV_READ alone keep libevent's no-op. The write callback still runs on the
 * next loop turn, as after any write. A peer that accepts only part of a large output
 * gets what fits; the rest stays queued for the loop. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int wcbs;

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	wcbs++;
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2], r;
	char buf[64];
	ssize_t n;
	size_t big = 8u << 20, left;
	char *blob;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, writecb, NULL, NULL);
	bufferevent_write(bev, "pending", 7);
	r = bufferevent_flush(bev, EV_WRITE, BEV_NORMAL);
	printf("BEV_NORMAL: %d\n", r);
	r = bufferevent_flush(bev, EV_READ, BEV_FLUSH);
	printf("EV_READ, BEV_FLUSH: %d\n", r);
	r = bufferevent_flush(bev, EV_WRITE, BEV_FLUSH);
	printf("EV_WRITE, BEV_FLUSH: %d, output left %d\n", r, (int)evbuffer_get_length(bufferevent_get_output(bev)));
	n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	printf("peer got %d bytes before the loop\n", (int)n);
	r = bufferevent_flush(bev, EV_WRITE, BEV_FINISHED);
	printf("nothing queued, BEV_FINISHED: %d\n", r);
	event_base_loop(base, EVLOOP_ONCE);
	printf("write callbacks after one turn: %d\n", wcbs);

	blob = calloc(1, big);
	bufferevent_write(bev, blob, big);
	r = bufferevent_flush(bev, EV_WRITE, BEV_FINISHED);
	left = evbuffer_get_length(bufferevent_get_output(bev));
	printf("8 MiB, BEV_FINISHED: %d, partly written: %d, rest queued: %d\n", r, left < big, left > 0);
	free(blob);
	bufferevent_free(bev);
	event_base_free(base);
	close(sv[1]);
	return 0;
}
