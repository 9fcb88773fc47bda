/* event_compat.h macros: timeout_*, signal_*, evtimer_set, evsignal_set,
 * EVENT_FD / EVENT_SIGNAL. */
#include <stdio.h>
#include <signal.h>
#include <event.h>

static int calls;

static void cb(int fd, short what, void *arg)
{
	calls++;
	printf("  %s fd=%d what=0x%02x\n", (const char *)arg, fd, what);
}

int main(void)
{
	struct event_base *base = event_init();
	struct event t, s, s2, et;
	struct timeval t10 = {0, 10000}, t20 = {0, 20000}, tv;

	timeout_set(&t, cb, "timeout");
	printf("timeout_initialized=%d EVENT_FD=%d\n", timeout_initialized(&t), EVENT_FD(&t));
	timeout_add(&t, &t10);
	printf("timeout_pending=0x%02x\n", timeout_pending(&t, &tv));
	timeout_del(&t);
	printf("after timeout_del=0x%02x\n", timeout_pending(&t, NULL));
	evtimer_set(&et, cb, "evtimer_set");
	evtimer_add(&et, &t10);
	timeout_add(&t, &t20);
	printf("timers: dispatch=%d\n", event_base_dispatch(base));

	signal_set(&s, SIGUSR1, cb, "signal_set");
	printf("signal_initialized=%d EVENT_SIGNAL=%d events=0x%02x\n", signal_initialized(&s),
	    EVENT_SIGNAL(&s), event_get_events(&s));
	signal_add(&s, NULL);
	printf("signal_pending=0x%02x\n", signal_pending(&s, NULL));
	evsignal_set(&s2, SIGUSR2, cb, "evsignal_set");
	evsignal_add(&s2, NULL);
	raise(SIGUSR1);
	raise(SIGUSR2);
	while (calls < 4)
		event_base_loop(base, EVLOOP_ONCE);
	signal_del(&s);
	evsignal_del(&s2);
	printf("after signal_del=0x%02x\n", signal_pending(&s, NULL));
	printf("loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	event_base_free(base);
	return 0;
}
