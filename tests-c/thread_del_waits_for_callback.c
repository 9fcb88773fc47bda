/* With pthreads enabled, event_del from another thread waits for the event's
 * running callback to return; event_del_noblock does not wait. */
#include <stdio.h>
#include <pthread.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/thread.h>

static struct event_base *base;
static volatile int in_cb, cb_done;

static void slow(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	in_cb = 1;
	usleep(150000);
	cb_done = 1;
	in_cb = 0;
}

static void *deleter(void *arg)
{
	struct event *ev = arg;
	while (!in_cb)
		usleep(1000);
	int r = ev == NULL ? -9 : event_del(ev);
	/* stash results; main prints them after join to keep output ordered */
	((int *)event_get_callback_arg(ev))[0] = r;
	((int *)event_get_callback_arg(ev))[1] = cb_done;
	return NULL;
}

static void *deleter_noblock(void *arg)
{
	struct event *ev = arg;
	while (!in_cb)
		usleep(1000);
	int r = event_del_noblock(ev);
	((int *)event_get_callback_arg(ev))[0] = r;
	((int *)event_get_callback_arg(ev))[1] = cb_done;
	return NULL;
}

static void run(void *(*fn)(void *), const char *label)
{
	static int res[2];
	pthread_t th;
	struct timeval t1 = {0, 1000};
	struct event *ev = event_new(base, -1, EV_PERSIST, slow, res);

	in_cb = cb_done = 0;
	res[0] = res[1] = -1;
	event_add(ev, &t1);
	pthread_create(&th, NULL, fn, ev);
	event_base_loop(base, EVLOOP_ONCE);
	pthread_join(th, NULL);
	printf("%s: ret=%d callback had finished when it returned=%d pending=%d\n", label, res[0],
	    res[1], event_pending(ev, EV_TIMEOUT, NULL) != 0);
	event_free(ev);
}

int main(void)
{
	evthread_use_pthreads();
	base = event_base_new();
	run(deleter, "event_del");
	run(deleter_noblock, "event_del_noblock");
	event_base_free(base);
	return 0;
}
