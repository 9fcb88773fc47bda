/* With pthreads enabled, a callback may event_del / event_free its own event
 * and add others without deadlocking on the base lock. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/thread.h>

static struct event_base *base;
static struct event *other;

static void other_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	printf("other ran\n");
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	struct timeval zero = {0, 0};
	(void)fd;
	(void)what;
	printf("del self=%d\n", event_del(self));
	printf("add other=%d\n", evtimer_add(other, &zero));
	event_free(self);
	printf("freed self\n");
}

int main(void)
{
	struct timeval t1 = {0, 1000};
	evthread_use_pthreads();
	base = event_base_new();
	other = evtimer_new(base, other_cb, NULL);
	struct event *ev = event_new(base, -1, EV_PERSIST, cb, event_self_cbarg());
	event_add(ev, &t1);
	int r = event_base_dispatch(base);
	printf("dispatch=%d\n", r);
	event_free(other);
	event_base_free(base);
	return 0;
}
