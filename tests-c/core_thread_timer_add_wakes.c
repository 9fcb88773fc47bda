/* A loop blocked on a far timer (10 s) is woken at once by another thread adding a
 * nearer timer (libevent notifies when the heap top changes), then by
 * event_base_loopbreak from that thread. */
#include <stdio.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/time.h>
#include <event2/event.h>
#include <event2/thread.h>

static struct event_base *base;
static struct event *far_ev, *near_ev;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("fired %s what=0x%02x\n", (const char *)arg, what);
	fflush(stdout);
}

static void *adder(void *arg)
{
	struct timeval t = {0, 20000};
	(void)arg;
	usleep(100000);
	event_add(near_ev, &t);
	usleep(150000);
	event_base_loopbreak(base);
	return NULL;
}

int main(void)
{
	struct timeval far = {10, 0}, a, b;
	pthread_t th;
	evthread_use_pthreads();
	base = event_base_new();
	far_ev = evtimer_new(base, cb, "far");
	near_ev = evtimer_new(base, cb, "near");
	event_add(far_ev, &far);
	gettimeofday(&a, NULL);
	pthread_create(&th, NULL, adder, NULL);
	int r = event_base_dispatch(base);
	gettimeofday(&b, NULL);
	pthread_join(th, NULL);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_usec - a.tv_usec) / 1000;
	printf("dispatch=%d quick=%d got_break=%d\n", r, ms < 5000, event_base_got_break(base));
	event_free(far_ev);
	event_free(near_ev);
	event_base_free(base);
	return 0;
}
