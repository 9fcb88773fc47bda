/* event_self_cbarg() as the argument of event_new passes the event itself. */
#include <stdio.h>
#include <event2/event.h>

static struct event *created;
static int calls;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	calls++;
	printf("arg is the event: %d\n", arg == created);
	printf("callback_arg is the event: %d\n", event_get_callback_arg(arg) == created);
	if (calls == 3)
		event_del(arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t5 = {0, 5000};
	void *marker = event_self_cbarg();

	printf("marker is not NULL: %d, stable: %d\n", marker != NULL, marker == event_self_cbarg());
	created = event_new(base, -1, EV_PERSIST, cb, event_self_cbarg());
	event_add(created, &t5);
	int r = event_base_dispatch(base);
	printf("dispatch=%d calls=%d\n", r, calls);
	event_free(created);
	event_base_free(base);
	return 0;
}
