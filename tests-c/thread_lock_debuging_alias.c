/* evthread_enable_lock_debuging, libevent's old misspelling, is still exported and does what
 * evthread_enable_lock_debugging does: a base with timers, user events and cross-thread
 * activation runs normally on the debugged locks. */
#include <pthread.h>
#include <stdio.h>
#include <event2/event.h>
#include <event2/thread.h>

static struct event_base *base;
static struct event *user;
static int calls;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	calls++;
	printf("%s what=0x%02x\n", (const char *)arg, what);
}

static void *worker(void *arg)
{
	(void)arg;
	event_active(user, EV_READ, 0);
	return NULL;
}

int main(void)
{
	pthread_t th;
	struct timeval t10 = {0, 10000};
	printf("use_pthreads=%d\n", evthread_use_pthreads());
	evthread_enable_lock_debuging();
	base = event_base_new();
	struct event *t = evtimer_new(base, cb, "timer");
	user = event_new(base, -1, 0, cb, "user");
	pthread_create(&th, NULL, worker, NULL);
	pthread_join(th, NULL);
	evtimer_add(t, &t10);
	int r = event_base_dispatch(base);
	printf("dispatch=%d calls=%d\n", r, calls);
	event_free(t);
	event_free(user);
	event_base_free(base);
	return 0;
}
