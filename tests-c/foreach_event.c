/* event_base_foreach_event visits inserted, timer-only and active-only events
 * once each; a non-zero return stops the walk and is returned. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static int visits;

static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

static int visit(const struct event_base *base, const struct event *ev, void *arg)
{
	(void)base;
	visits++;
	printf("  visit %s events=0x%02x\n", (const char *)event_get_callback_arg(ev),
	    event_get_events(ev));
	if (arg && strcmp(arg, event_get_callback_arg(ev)) == 0)
		return 42;
	return 0;
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t1 = {1, 0}, t2 = {2, 0};
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	struct event *rd = event_new(base, sv[0], EV_READ, cb, "read");
	struct event *wr = event_new(base, sv[1], EV_WRITE | EV_PERSIST, cb, "write+timeout");
	struct event *t_a = evtimer_new(base, cb, "timer1s");
	struct event *t_b = evtimer_new(base, cb, "timer2s");
	struct event *act = event_new(base, -1, 0, cb, "active-only");
	struct event *idle = event_new(base, -1, 0, cb, "never-added");
	event_add(rd, NULL);
	event_add(wr, &t1);
	evtimer_add(t_a, &t1);
	evtimer_add(t_b, &t2);
	event_active(act, EV_READ, 0);

	printf("walk all:\n");
	int r = event_base_foreach_event(base, visit, NULL);
	printf("ret=%d visits=%d\n", r, visits);
	visits = 0;
	printf("stop at timer1s:\n");
	r = event_base_foreach_event(base, visit, "timer1s");
	printf("ret=%d\n", r);
	printf("NULL fn: %d\n", event_base_foreach_event(base, NULL, NULL));

	event_free(rd);
	event_free(wr);
	event_free(t_a);
	event_free(t_b);
	event_free(act);
	event_free(idle);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
