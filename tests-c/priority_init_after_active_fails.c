/* event_base_priority_init: valid range, and refusal once events are active. */
#include <stdio.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct event *ev;
	int r;

	printf("default npriorities=%d\n", event_base_get_npriorities(base));
	r = event_base_priority_init(base, 0);
	printf("init(0)=%d\n", r);
	r = event_base_priority_init(base, EVENT_MAX_PRIORITIES + 1);
	printf("init(257)=%d\n", r);
	r = event_base_priority_init(base, EVENT_MAX_PRIORITIES);
	printf("init(256)=%d npriorities=%d\n", r, event_base_get_npriorities(base));
	r = event_base_priority_init(base, 4);
	printf("init(4)=%d npriorities=%d\n", r, event_base_get_npriorities(base));

	ev = event_new(base, -1, 0, cb, NULL);
	printf("new event priority=%d (npriorities/2)\n", event_get_priority(ev));
	r = event_priority_set(ev, 3);
	printf("priority_set(3)=%d now=%d\n", r, event_get_priority(ev));
	r = event_priority_set(ev, 4);
	printf("priority_set(4)=%d now=%d\n", r, event_get_priority(ev));
	r = event_priority_set(ev, -1);
	printf("priority_set(-1)=%d now=%d\n", r, event_get_priority(ev));

	event_active(ev, EV_READ, 0);
	r = event_base_priority_init(base, 2);
	printf("while active: init(2)=%d npriorities=%d\n", r, event_base_get_npriorities(base));
	r = event_priority_set(ev, 1);
	printf("while active: priority_set(1)=%d now=%d\n", r, event_get_priority(ev));
	event_base_loop(base, EVLOOP_NONBLOCK);
	r = event_base_priority_init(base, 2);
	printf("after loop: init(2)=%d npriorities=%d\n", r, event_base_get_npriorities(base));

	event_free(ev);
	event_base_free(base);
	return 0;
}
