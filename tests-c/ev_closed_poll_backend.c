/* EV_CLOSED also works on the poll backend (POLLRDHUP); select has no
 * EV_FEATURE_EARLY_CLOSE: a closed-only event never fires, read|closed sees EV_READ. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
}

static void run(const char *a, const char *b)
{
	struct event_config *cfg = event_config_new();
	event_config_avoid_method(cfg, a);
	if (b)
		event_config_avoid_method(cfg, b);
	struct event_base *base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	printf("%s (EARLY_CLOSE=%d):\n", event_base_get_method(base),
	    (event_base_get_features(base) & EV_FEATURE_EARLY_CLOSE) != 0);
	struct event *c = event_new(base, sv[0], EV_CLOSED, cb, "closed");
	struct event *rc = event_new(base, sv[0], EV_READ | EV_CLOSED, cb, "read|closed");
	int r1 = event_add(c, NULL);
	int r2 = event_add(rc, NULL);
	printf("  add closed=%d add read|closed=%d\n", r1, r2);
	shutdown(sv[1], SHUT_WR);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	event_free(c);
	event_free(rc);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	run("epoll", NULL);
	run("epoll", "poll");
	return 0;
}
