/* EV_CLOSED reports the peer's shutdown (EPOLLRDHUP) without reading. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];

	printf("features: ET=%d O1=%d FDS=%d EARLY_CLOSE=%d\n",
	    (event_base_get_features(base) & EV_FEATURE_ET) != 0,
	    (event_base_get_features(base) & EV_FEATURE_O1) != 0,
	    (event_base_get_features(base) & EV_FEATURE_FDS) != 0,
	    (event_base_get_features(base) & EV_FEATURE_EARLY_CLOSE) != 0);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	struct event *c = event_new(base, sv[0], EV_CLOSED | EV_PERSIST, cb, "closed");
	struct event *rc = event_new(base, sv[0], EV_READ | EV_CLOSED, cb, "read|closed");
	event_add(c, NULL);
	printf("nothing yet:\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	if (write(sv[1], "x", 1) != 1)
		return 1;
	printf("data only (closed-only event stays quiet):\n");
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("peer shutdown(SHUT_WR):\n");
	shutdown(sv[1], SHUT_WR);
	event_add(rc, NULL);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	event_del(c);
	printf("pending after: 0x%02x\n", event_pending(c, EV_CLOSED, NULL));
	event_free(c);
	event_free(rc);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
