/* 4 threads each schedule 500 event_base_once callbacks on a base whose loop
 * runs in the main thread: every callback runs exactly once, on the loop thread. */
#include <stdio.h>
#include <pthread.h>
#include <event2/event.h>
#include <event2/thread.h>

#define THREADS 4
#define PER 500

static struct event_base *base;
static int count, off_thread;
static pthread_t loop_thread;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (!pthread_equal(pthread_self(), loop_thread))
		off_thread++;
	if (++count == THREADS * PER)
		event_base_loopbreak(base);
}

static void *worker(void *arg)
{
	struct timeval zero = {0, 0};
	int fails = 0;
	for (int i = 0; i < PER; i++)
		if (event_base_once(base, -1, EV_TIMEOUT, cb, NULL, i % 2 ? &zero : NULL) != 0)
			fails++;
	*(int *)arg = fails;
	return NULL;
}

int main(void)
{
	pthread_t th[THREADS];
	int fails[THREADS];
	evthread_use_pthreads();
	base = event_base_new();
	loop_thread = pthread_self();
	for (int i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, worker, &fails[i]);
	int r = event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	int total_fails = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		total_fails += fails[i];
	}
	printf("loop=%d callbacks=%d failures=%d off loop thread=%d\n", r, count, total_fails,
	    off_thread);
	printf("nothing left: %d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	event_base_free(base);
	return 0;
}
