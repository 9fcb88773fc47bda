/* event_config_set_max_dispatch_interval(max_callbacks): after that many
 * callbacks the loop polls again, so newly due timers of higher priority run
 * before the rest of the queue. */
#include <stdio.h>
#include <event2/event.h>

static struct event *t;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval zero = {0, 0};
	const char *name = arg;
	(void)fd;
	(void)what;
	printf("  run %s\n", name);
	if (name[0] == 'A')
		evtimer_add(t, &zero);
}

static void run(int max_cbs)
{
	struct event_config *cfg = event_config_new();
	if (max_cbs > 0)
		event_config_set_max_dispatch_interval(cfg, NULL, max_cbs, 0);
	struct event_base *base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	event_base_priority_init(base, 2);
	struct event *e[4];
	static const char *names[] = {"A", "B", "C", "D"};
	for (int i = 0; i < 4; i++) {
		e[i] = event_new(base, -1, 0, cb, (void *)names[i]);
		event_priority_set(e[i], 1);
	}
	t = evtimer_new(base, cb, "T(pri 0)");
	event_priority_set(t, 0);
	printf("max callbacks %d:\n", max_cbs);
	for (int i = 0; i < 4; i++)
		event_active(e[i], EV_READ, 0);
	event_base_dispatch(base);
	for (int i = 0; i < 4; i++)
		event_free(e[i]);
	event_free(t);
	event_base_free(base);
}

int main(void)
{
	run(0);
	run(2);
	run(1);
	return 0;
}
