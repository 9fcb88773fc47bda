/* event_base_get_num_events / get_max_events for added, active and virtual counts. */
#include <stdio.h>
#include <event2/event.h>

static struct event_base *base;

static void show(const char *when)
{
	printf("%-28s added=%d active=%d virtual=%d all=%d | max added=%d active=%d\n", when,
	    event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED),
	    event_base_get_num_events(base, EVENT_BASE_COUNT_ACTIVE),
	    event_base_get_num_events(base, EVENT_BASE_COUNT_VIRTUAL),
	    event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED | EVENT_BASE_COUNT_ACTIVE |
	        EVENT_BASE_COUNT_VIRTUAL),
	    event_base_get_max_events(base, EVENT_BASE_COUNT_ADDED, 0),
	    event_base_get_max_events(base, EVENT_BASE_COUNT_ACTIVE, 0));
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	show("in callback");
}

int main(void)
{
	struct timeval t1 = {1, 0};
	struct event *e[4];

	base = event_base_new();
	show("empty");
	for (int i = 0; i < 4; i++)
		e[i] = evtimer_new(base, cb, NULL);
	show("created");
	evtimer_add(e[0], &t1);
	evtimer_add(e[1], &t1);
	evtimer_add(e[2], &t1);
	show("3 timers added");
	evtimer_add(e[2], &t1);
	show("one re-added");
	event_active(e[3], EV_TIMEOUT, 0);
	event_active(e[0], EV_TIMEOUT, 0);
	show("2 active (1 also added)");
	event_del(e[1]);
	show("one deleted");
	event_base_loop(base, EVLOOP_NONBLOCK);
	show("after loop");
	printf("max added with clear=%d\n", event_base_get_max_events(base, EVENT_BASE_COUNT_ADDED, 1));
	show("after clear");
	for (int i = 0; i < 4; i++)
		event_free(e[i]);
	show("all freed");
	event_base_free(base);
	return 0;
}
