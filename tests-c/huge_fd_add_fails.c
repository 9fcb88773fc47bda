/* event_add of an fd at or beyond 2^27 fails without a log message (libevent's fd map
 * cannot grow that far). */
#include <stdio.h>
#include <event2/event.h>

static void logcb(int sev, const char *msg)
{
	(void)msg;
	printf("log severity %d\n", sev);
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
}

int main(void)
{
	struct event_base *b;
	static const int fds[] = {1 << 27, (1 << 27) + 5, 0x7fffffff};
	event_set_log_callback(logcb);
	b = event_base_new();
	for (unsigned k = 0; k < sizeof(fds) / sizeof(fds[0]); k++) {
		struct event *e = event_new(b, fds[k], EV_READ, cb, NULL);
		printf("fd #%u: new=%d\n", k, e != NULL);
		if (!e)
			continue;
		printf("fd #%u: add=%d\n", k, event_add(e, NULL));
		printf("fd #%u: pending=%d\n", k, event_pending(e, EV_READ, NULL));
		event_free(e);
	}
	event_base_free(b);
	return 0;
}
