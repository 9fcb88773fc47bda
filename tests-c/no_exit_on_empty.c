/* EVLOOP_NO_EXIT_ON_EMPTY keeps an empty loop running until another thread breaks it. */
#include <stdio.h>
#include <pthread.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/thread.h>

static struct event_base *base;
static volatile int broke;

static void *breaker(void *arg)
{
	(void)arg;
	usleep(60000);
	broke = 1;
	event_base_loopbreak(base);
	return NULL;
}

int main(void)
{
	pthread_t th;
	int r;

	evthread_use_pthreads();
	base = event_base_new();
	printf("empty, plain loop=%d\n", event_base_loop(base, 0));
	printf("empty, NO_EXIT_ON_EMPTY|NONBLOCK=%d\n",
	    event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY | EVLOOP_NONBLOCK));
	pthread_create(&th, NULL, breaker, NULL);
	r = event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	printf("empty, NO_EXIT_ON_EMPTY=%d returned after break=%d got_break=%d\n", r, broke,
	    event_base_got_break(base));
	pthread_join(th, NULL);
	event_base_free(base);
	return 0;
}
