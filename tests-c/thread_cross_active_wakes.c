/* With pthreads enabled, event_active/event_add from another thread wakes a
 * loop blocked in dispatch. */
#include <stdio.h>
#include <sys/time.h>
#include <pthread.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/thread.h>

static struct event_base *base;
static struct event *user, *timer;
static int user_calls, timer_calls;

static void on_user(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)arg;
	user_calls++;
	printf("user callback what=0x%02x on loop thread=%d\n", what,
	    pthread_equal(pthread_self(), *(pthread_t *)arg));
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	timer_calls++;
	printf("timer added from other thread fired\n");
	event_base_loopbreak(base);
}

static void *worker(void *arg)
{
	struct timeval zero = {0, 0};
	(void)arg;
	usleep(40000);
	event_active(user, EV_WRITE, 0);
	usleep(40000);
	evtimer_add(timer, &zero);
	return NULL;
}

int main(void)
{
	pthread_t th, self = pthread_self();
	struct timeval ten_s = {10, 0}, start, end, d;
	struct event *keepalive;

	printf("use_pthreads=%d\n", evthread_use_pthreads());
	base = event_base_new();
	user = event_new(base, -1, 0, on_user, &self);
	timer = evtimer_new(base, on_timer, NULL);
	keepalive = evtimer_new(base, on_timer, NULL);
	evtimer_add(keepalive, &ten_s);
	gettimeofday(&start, NULL);
	pthread_create(&th, NULL, worker, NULL);
	int r = event_base_dispatch(base);
	gettimeofday(&end, NULL);
	pthread_join(th, NULL);
	timersub(&end, &start, &d);
	printf("dispatch=%d user=%d timer=%d woke well before 10s=%d\n", r, user_calls, timer_calls,
	    d.tv_sec < 5);
	event_free(user);
	event_free(timer);
	event_free(keepalive);
	event_base_free(base);
	return 0;
}
