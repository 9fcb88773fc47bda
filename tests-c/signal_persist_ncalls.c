/* A signal raised N times before the loop runs yields N callbacks (ncalls);
 * event_del from the callback stops the remaining calls; event_active with
 * ncalls on a signal event calls it that many times. */
#include <stdio.h>
#include <signal.h>
#include <event2/event.h>

static int calls;
static int del_at;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	(void)fd;
	calls++;
	printf("  call %d what=0x%02x\n", calls, what);
	if (calls == del_at)
		printf("  del=%d\n", event_del(self));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event *ev = event_new(base, SIGUSR1, EV_SIGNAL | EV_PERSIST, cb, event_self_cbarg());
	struct event *np = event_new(base, SIGUSR2, EV_SIGNAL, cb, event_self_cbarg());

	event_add(ev, NULL);
	printf("raise x3, persistent:\n");
	raise(SIGUSR1);
	raise(SIGUSR1);
	raise(SIGUSR1);
	event_base_loop(base, EVLOOP_ONCE);
	printf("calls=%d\n", calls);

	calls = 0;
	event_add(np, NULL);
	printf("raise x3, non-persistent:\n");
	raise(SIGUSR2);
	raise(SIGUSR2);
	raise(SIGUSR2);
	event_base_loop(base, EVLOOP_ONCE);
	printf("calls=%d pending=%d\n", calls, evsignal_pending(np, NULL) != 0);

	calls = 0;
	del_at = 2;
	printf("raise x4, persistent, del at call 2:\n");
	for (int i = 0; i < 4; i++)
		raise(SIGUSR1);
	event_base_loop(base, EVLOOP_ONCE);
	printf("calls=%d\n", calls);

	calls = 0;
	del_at = 0;
	printf("event_active(ev, EV_SIGNAL, 3):\n");
	event_active(ev, EV_SIGNAL, 3);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	printf("calls=%d\n", calls);
	event_free(ev);
	event_free(np);
	event_base_free(base);
	return 0;
}
