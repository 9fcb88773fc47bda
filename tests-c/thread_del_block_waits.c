/* event_del_block from another thread waits for the running callback even for an
 * EV_FINALIZE event (where plain event_del would not wait). */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/thread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int started, finished;
static struct event *ev;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	pthread_mutex_lock(&mu);
	started = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	usleep(200000);
	pthread_mutex_lock(&mu);
	finished = 1;
	pthread_mutex_unlock(&mu);
}

static void *deleter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!started)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	int r = event_del_block(ev);
	pthread_mutex_lock(&mu);
	int done = finished;
	pthread_mutex_unlock(&mu);
	printf("event_del_block=%d callback finished when it returned=%d\n", r, done);
	return NULL;
}

int main(void)
{
	evthread_use_pthreads();
	struct event_base *base = event_base_new();
	ev = event_new(base, -1, EV_FINALIZE, cb, NULL);
	event_active(ev, EV_READ, 0);
	pthread_t th;
	pthread_create(&th, NULL, deleter, NULL);
	event_base_dispatch(base);
	pthread_join(th, NULL);
	printf("pending after=%d\n", event_pending(ev, EV_READ | EV_TIMEOUT, NULL));
	event_free(ev);
	event_base_free(base);
	return 0;
}
