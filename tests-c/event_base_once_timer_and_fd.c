/* event_base_once: one-shot fd/timer callbacks, their `what`, and rejected flags. */
/* no-valgrind: timing: the 20 ms and 40 ms deadlines are set by successive calls that valgrind spreads over more than 20 ms, so their order flips */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("once %s what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t20 = {0, 20000}, t40 = {0, 40000};
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	printf("timer 40ms: %d\n", event_base_once(base, -1, EV_TIMEOUT, cb, "timer-40ms", &t40));
	printf("timer NULL tv: %d\n", event_base_once(base, -1, EV_TIMEOUT, cb, "timer-now", NULL));
	printf("read, idle fd, 20ms: %d\n",
	    event_base_once(base, sv[0], EV_READ, cb, "idle-read", &t20));
	printf("write, ready fd, no tv: %d\n",
	    event_base_once(base, sv[0], EV_WRITE, cb, "write", NULL));
	printf("EV_SIGNAL rejected: %d\n", event_base_once(base, 2, EV_SIGNAL, cb, "sig", NULL));
	printf("EV_PERSIST rejected: %d\n",
	    event_base_once(base, -1, EV_TIMEOUT | EV_PERSIST, cb, "persist", &t20));
	printf("added=%d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	printf("dispatch=%d\n", event_base_dispatch(base));
	printf("added after=%d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));

	/* readable fd with a timeout: EV_READ wins, the timeout never fires */
	if (write(sv[1], "x", 1) != 1)
		return 1;
	event_base_once(base, sv[0], EV_READ, cb, "ready-read", &t20);
	printf("dispatch=%d\n", event_base_dispatch(base));
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
