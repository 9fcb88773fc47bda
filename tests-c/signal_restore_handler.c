/* Adding a signal event replaces the process handler; deleting the last event
 * for that signal (or freeing the base) restores the previous handler. */
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <event2/event.h>

static volatile sig_atomic_t mine_hits;
static void mine(int sig) { (void)sig; mine_hits++; }

static int handler_is_mine(int sig)
{
	struct sigaction sa;
	sigaction(sig, NULL, &sa);
	return sa.sa_handler == mine;
}

static int handler_is_default(int sig)
{
	struct sigaction sa;
	sigaction(sig, NULL, &sa);
	return sa.sa_handler == SIG_DFL;
}

static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; printf("  event callback\n"); }

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = mine;
	sigaction(SIGUSR1, &sa, NULL);

	struct event_base *base = event_base_new();
	struct event *a = evsignal_new(base, SIGUSR1, cb, NULL);
	struct event *b = evsignal_new(base, SIGUSR1, cb, NULL);
	printf("before add: mine=%d\n", handler_is_mine(SIGUSR1));
	evsignal_add(a, NULL);
	evsignal_add(b, NULL);
	printf("after add: mine=%d\n", handler_is_mine(SIGUSR1));
	raise(SIGUSR1);
	event_base_loop(base, EVLOOP_ONCE);
	printf("my handler ran: %d\n", mine_hits);
	evsignal_del(a);
	printf("one of two deleted: mine=%d\n", handler_is_mine(SIGUSR1));
	evsignal_del(b);
	printf("both deleted: mine=%d\n", handler_is_mine(SIGUSR1));
	raise(SIGUSR1);
	printf("my handler ran: %d\n", mine_hits);

	printf("SIGUSR2 default before: %d\n", handler_is_default(SIGUSR2));
	struct event *c = evsignal_new(base, SIGUSR2, cb, NULL);
	evsignal_add(c, NULL);
	printf("SIGUSR2 default while added: %d\n", handler_is_default(SIGUSR2));
	evsignal_add(a, NULL);
	event_free(a);
	event_free(b);
	event_free(c);
	event_base_free(base);
	printf("after base free: USR1 mine=%d USR2 default=%d\n", handler_is_mine(SIGUSR1),
	    handler_is_default(SIGUSR2));
	return 0;
}
