/* The pre-2.0 global-base API: event_init, event_dispatch, event_loop,
 * event_loopexit, event_loopbreak, event_once, event_priority_init,
 * event_get_method. */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event.h>

static int n;

static void cb(int fd, short what, void *arg)
{
	(void)fd;
	n++;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
	if (arg && ((const char *)arg)[0] == 'b')
		printf("  loopbreak=%d\n", event_loopbreak());
}

int main(void)
{
	struct event_base *base = event_init();
	struct event e1, e2, e3;
	struct timeval t10 = {0, 10000}, t20 = {0, 20000};
	int sv[2];

	printf("base ok=%d method=%s\n", base != NULL, event_get_method());
	int r = event_priority_init(3);
	printf("priority_init(3)=%d npriorities=%d\n", r, event_base_get_npriorities(base));
	r = event_loop(EVLOOP_NONBLOCK);
	printf("empty event_loop(NONBLOCK)=%d\n", r);
	r = event_dispatch();
	printf("empty event_dispatch=%d\n", r);

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	event_set(&e1, sv[0], EV_READ, cb, "read");
	evtimer_set(&e2, cb, "timer");
	printf("e1 priority=%d\n", event_get_priority(&e1));
	event_add(&e1, NULL);
	event_add(&e2, &t10);
	if (write(sv[1], "x", 1) != 1)
		return 1;
	printf("event_once=%d\n", event_once(-1, EV_TIMEOUT, cb, "once", &t20));
	r = event_dispatch();
	printf("dispatch=%d n=%d\n", r, n);

	evtimer_set(&e3, cb, "break");
	event_add(&e3, NULL);
	event_active(&e3, EV_TIMEOUT, 0);
	event_add(&e2, &t10);
	printf("loop=%d\n", event_loop(0));
	printf("e2 still pending=%d\n", evtimer_pending(&e2, NULL) != 0);
	printf("loopexit(10ms)=%d\n", event_loopexit(&t10));
	printf("loop=%d\n", event_loop(0));
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
