/* Only one thread may run a base's loop: a second event_base_loop on another
 * thread returns -1 at once while the first is running. */
#include <stdio.h>
#include <pthread.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/thread.h>

static struct event_base *base;
static volatile int second_ret = 99;

static void quiet(int sev, const char *msg) { (void)sev; (void)msg; }

static void *second(void *arg)
{
	(void)arg;
	second_ret = event_base_loop(base, EVLOOP_NONBLOCK);
	return NULL;
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	pthread_t th;
	(void)fd;
	(void)what;
	(void)arg;
	pthread_create(&th, NULL, second, NULL);
	pthread_join(th, NULL); /* the first loop is running (we are in its callback) */
	printf("second loop from another thread returned %d\n", second_ret);
}

int main(void)
{
	event_set_log_callback(quiet);
	evthread_use_pthreads();
	base = event_base_new();
	struct event *ev = event_new(base, -1, 0, cb, NULL);
	event_active(ev, EV_READ, 0);
	printf("first loop returned %d\n", event_base_dispatch(base));
	/* once the first loop is over, another thread may run it */
	pthread_t th;
	pthread_create(&th, NULL, second, NULL);
	pthread_join(th, NULL);
	printf("loop from another thread afterwards returned %d\n", second_ret);
	event_free(ev);
	event_base_free(base);
	return 0;
}
