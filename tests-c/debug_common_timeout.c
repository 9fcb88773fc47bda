/* Debug mode: an event added with a common timeout fires normally (the base's internal
 * common-timeout event is not the program's to set up). */
#include <stdio.h>
#include <event2/event.h>
#include <event2/event_struct.h>

static int fired;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)arg;
	fired++;
	printf("fired what=0x%02x\n", what);
}

int main(void)
{
	struct event_base *b;
	const struct timeval *ct;
	struct event ev, ev2;
	struct timeval tv = {0, 10000};
	event_enable_debug_mode();
	b = event_base_new();
	ct = event_base_init_common_timeout(b, &tv);
	event_assign(&ev, b, -1, EV_TIMEOUT, cb, b);
	event_assign(&ev2, b, -1, EV_TIMEOUT, cb, b);
	printf("add=%d\n", event_add(&ev, ct));
	printf("add2=%d\n", event_add(&ev2, ct));
	printf("del2=%d\n", event_del(&ev2));
	printf("loop=%d\n", event_base_dispatch(b));
	printf("fired=%d\n", fired);
	printf("add=%d\n", event_add(&ev, ct));
	printf("loop=%d\n", event_base_dispatch(b));
	printf("fired=%d\n", fired);
	event_debug_unassign(&ev);
	event_debug_unassign(&ev2);
	event_base_free(b);
	return 0;
}
