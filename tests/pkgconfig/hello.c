/* A plain libevent program: one timer. Built by an unmodified pkg-config Makefile. */
#include <stdio.h>
#include <event2/event.h>

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("timer fired: what=0x%x version=%s\n", what, event_get_version());
	event_base_loopbreak(arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval tv = { 0, 1000 };
	struct event *ev = evtimer_new(base, on_timer, base);
	evtimer_add(ev, &tv);
	event_base_dispatch(base);
	event_free(ev);
	event_base_free(base);
	return 0;
}
