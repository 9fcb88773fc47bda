/* Several different signals caught before the loop runs are dispatched in
 * signal-number order, whatever order they were raised in. */
#include <stdio.h>
#include <signal.h>
#include <event2/event.h>

static void cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	printf("  %s (%d)\n", (const char *)arg, (int)sig);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event *e[4];
	e[0] = evsignal_new(base, SIGUSR2, cb, "SIGUSR2");
	e[1] = evsignal_new(base, SIGHUP, cb, "SIGHUP");
	e[2] = evsignal_new(base, SIGUSR1, cb, "SIGUSR1");
	e[3] = evsignal_new(base, SIGWINCH, cb, "SIGWINCH");
	for (int i = 0; i < 4; i++)
		evsignal_add(e[i], NULL);
	printf("raised WINCH, USR2, HUP, USR1:\n");
	raise(SIGWINCH);
	raise(SIGUSR2);
	raise(SIGHUP);
	raise(SIGUSR1);
	event_base_loop(base, EVLOOP_ONCE);
	printf("raised USR1, HUP:\n");
	raise(SIGUSR1);
	raise(SIGHUP);
	event_base_loop(base, EVLOOP_ONCE);
	for (int i = 0; i < 4; i++)
		event_free(e[i]);
	event_base_free(base);
	return 0;
}
