/* Two bases watching the same signal: which one gets a raised signal
 * (libevent: the base that most recently added a signal event or started a loop). */
#include <stdio.h>
#include <signal.h>
#include <event2/event.h>

static struct event_base *b1, *b2;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s got signal what=0x%02x\n", (const char *)arg, what);
}

static void raiser(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	printf("  raising from a callback of %s\n", (const char *)arg);
	raise(SIGUSR1);
}

int main(void)
{
	b1 = event_base_new();
	b2 = event_base_new();
	struct event *s1 = evsignal_new(b1, SIGUSR1, cb, "base1");
	struct event *s2 = evsignal_new(b2, SIGUSR1, cb, "base2");
	struct event *r1 = event_new(b1, -1, 0, raiser, "base1");
	struct timeval t30 = {0, 30000};

	evsignal_add(s1, NULL);
	evsignal_add(s2, NULL);
	printf("raise after both added; loop base1 then base2 (nonblocking, twice):\n");
	raise(SIGUSR1);
	event_base_loop(b1, EVLOOP_NONBLOCK);
	event_base_loop(b2, EVLOOP_NONBLOCK);
	event_base_loop(b1, EVLOOP_NONBLOCK);
	event_base_loop(b2, EVLOOP_NONBLOCK);
	printf("pending: base1=%d base2=%d\n", evsignal_pending(s1, NULL) != 0,
	    evsignal_pending(s2, NULL) != 0);

	evsignal_add(s2, NULL);
	printf("raise inside base1's loop:\n");
	event_active(r1, EV_READ, 0);
	event_base_loopexit(b1, &t30);
	event_base_dispatch(b1);
	event_base_loop(b2, EVLOOP_NONBLOCK);
	printf("pending: base1=%d base2=%d\n", evsignal_pending(s1, NULL) != 0,
	    evsignal_pending(s2, NULL) != 0);

	event_free(s1);
	event_free(s2);
	event_free(r1);
	event_base_free(b1);
	event_base_free(b2);
	return 0;
}
