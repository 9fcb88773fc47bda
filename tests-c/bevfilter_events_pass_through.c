/* Events of the underlying socket bufferevent reach the filter's event callback with the
 * same flags: data first through the input filter, then BEV_EVENT_EOF|BEV_EVENT_READING.
 * The underlying bufferevent disables its own reading; the filter's enabled flags are
 * left alone. A timeout set on the filter is the filter's own (generic) timer. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static struct bufferevent *u;

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[32];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	(void)arg;
	printf("filter readcb \"%.*s\"\n", (int)n, buf);
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf("filter eventcb 0x%02x: filter enabled 0x%02x, underlying enabled 0x%02x\n", what,
	    bufferevent_get_enabled(bev), bufferevent_get_enabled(u));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t = {0, 50000};
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	u = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *f = bufferevent_filter_new(u, NULL, NULL, BEV_OPT_CLOSE_ON_FREE, NULL, NULL);
	bufferevent_setcb(f, readcb, NULL, eventcb, NULL);
	bufferevent_enable(f, EV_READ);
	if (write(sv[1], "last words", 10) != 10)
		return 1;
	close(sv[1]);
	event_base_loop(base, EVLOOP_ONCE);
	event_base_loop(base, EVLOOP_ONCE);
	printf("read timeout of 50 ms on the filter:\n");
	bufferevent_set_timeouts(f, &t, NULL);
	event_base_dispatch(base);
	printf("filter enabled after the timeout 0x%02x\n", bufferevent_get_enabled(f));
	bufferevent_free(f);
	event_base_free(base);
	return 0;
}
