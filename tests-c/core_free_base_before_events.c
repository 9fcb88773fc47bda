/* Freeing the base first deletes its events (libevent's event_base_free does): freeing
 * the events afterwards must not touch the freed base. A common ordering mistake in
 * programs, which libevent tolerates. */
#include <stdio.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/event_struct.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
}

int main(void)
{
	struct event_base *base = event_base_new();
	int p[2];
	struct timeval tv = {10, 0};
	struct event stack_ev;
	if (pipe(p) < 0)
		return 1;
	struct event *rd = event_new(base, p[0], EV_READ | EV_PERSIST, cb, NULL);
	struct event *tm = evtimer_new(base, cb, NULL);
	struct event *act = event_new(base, -1, 0, cb, NULL);
	event_assign(&stack_ev, base, p[0], EV_READ, cb, NULL);
	event_add(rd, &tv);
	event_add(tm, &tv);
	event_add(&stack_ev, NULL);
	event_active(act, EV_TIMEOUT, 1);
	printf("before: rd=0x%02x tm=0x%02x act=0x%02x\n", event_pending(rd, EV_READ | EV_TIMEOUT, NULL),
	    event_pending(tm, EV_TIMEOUT, NULL), event_pending(act, EV_TIMEOUT, NULL));
	event_base_free(base);
	printf("after free: flags rd=0x%02x tm=0x%02x act=0x%02x stack=0x%02x\n", rd->ev_evcallback.evcb_flags,
	    tm->ev_evcallback.evcb_flags, act->ev_evcallback.evcb_flags, stack_ev.ev_evcallback.evcb_flags);
	printf("initialized: %d %d\n", event_initialized(rd), event_initialized(&stack_ev));
	event_free(rd);
	event_free(tm);
	event_free(act);
	printf("freed\n");
	close(p[0]);
	close(p[1]);
	return 0;
}
