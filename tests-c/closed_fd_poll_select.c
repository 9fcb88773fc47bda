/* The poll and select methods with a registered fd that gets closed: poll reports it at
 * once (POLLNVAL → EV_READ), select's dispatch fails (EBADF) and the loop returns -1. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void logcb(int sev, const char *msg)
{
	printf("log %d: %s\n", sev, msg);
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
}

static void run(const char *method)
{
	struct event_config *cfg = event_config_new();
	struct event_base *b;
	struct event *e, *t;
	struct timeval tv = {0, 300000};
	int sv[2];
	event_config_avoid_method(cfg, "epoll");
	if (method[0] == 's')
		event_config_avoid_method(cfg, "poll");
	b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	printf("%s: method=%s\n", method, event_base_get_method(b));
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	e = event_new(b, sv[0], EV_READ, cb, "read");
	t = event_new(b, sv[1], EV_WRITE | EV_PERSIST, cb, "other");
	event_add(e, &tv);
	close(sv[0]);
	printf("%s: loop=%d\n", method, event_base_loop(b, EVLOOP_ONCE));
	printf("%s: pending=%d\n", method, event_pending(e, EV_READ | EV_TIMEOUT, NULL));
	event_add(t, NULL);
	printf("%s: loop=%d\n", method, event_base_loop(b, EVLOOP_ONCE));
	event_free(e);
	event_free(t);
	close(sv[1]);
	event_base_free(b);
}

int main(void)
{
	event_set_log_callback(logcb);
	run("poll");
	run("select");
	return 0;
}
