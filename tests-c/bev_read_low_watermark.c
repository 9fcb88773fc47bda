/* A read low watermark gates the read callback: data below it stays in the input
 * buffer without a callback; the callback runs once the input holds at least `low`
 * bytes (data read in several turns accumulates). Changing the watermark does not
 * call back by itself. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int drain_in_cb = 1;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	printf("  readcb: input %d%s\n", (int)evbuffer_get_length(in), drain_in_cb ? ", draining" : "");
	if (drain_in_cb)
		evbuffer_drain(in, evbuffer_get_length(in));
}

static void feed(struct event_base *base, struct bufferevent *bev, int fd, int n)
{
	char buf[64] = {0};
	if (write(fd, buf, (size_t)n) != n)
		return;
	event_base_loop(base, EVLOOP_ONCE);
	printf("peer wrote %d, input now %d\n", n, (int)evbuffer_get_length(bufferevent_get_input(bev)));
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_setwatermark(bev, EV_READ, 10, 0);
	bufferevent_enable(bev, EV_READ);
	feed(base, bev, sv[1], 4);
	feed(base, bev, sv[1], 5);
	feed(base, bev, sv[1], 1);
	feed(base, bev, sv[1], 3);
	printf("lower the watermark to 2 while 3 bytes wait: no callback until more data is read\n");
	bufferevent_setwatermark(bev, EV_READ, 2, 0);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("input now %d\n", (int)evbuffer_get_length(bufferevent_get_input(bev)));
	feed(base, bev, sv[1], 1);
	printf("without draining, every read calls back while input >= low\n");
	drain_in_cb = 0;
	feed(base, bev, sv[1], 1);
	feed(base, bev, sv[1], 1);
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
