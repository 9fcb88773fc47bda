/* event_base_loopexit with a timeval stops the loop after that delay;
 * loopexit(NULL) lets the current batch of active callbacks finish. */
#include <stdio.h>
#include <event2/event.h>

static int ticks;
static struct event_base *base;

static void tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	ticks++;
}

static void exiter(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	printf("run %s\n", (const char *)arg);
	if (((const char *)arg)[0] == '1')
		printf("  loopexit(NULL)=%d\n", event_base_loopexit(base, NULL));
}

int main(void)
{
	struct timeval ten_ms = {0, 10000}, exit_at = {0, 75000};
	struct event *t, *e1, *e2, *e3;
	int r;

	base = event_base_new();
	t = event_new(base, -1, EV_PERSIST, tick, NULL);
	event_add(t, &ten_ms);
	printf("loopexit(75ms)=%d\n", event_base_loopexit(base, &exit_at));
	printf("got_exit before dispatch: %d\n", event_base_got_exit(base));
	r = event_base_dispatch(base);
	printf("dispatch=%d got_exit=%d got_break=%d ticks in [1,8]=%d\n", r,
	    event_base_got_exit(base), event_base_got_break(base), ticks >= 1 && ticks <= 8);
	printf("timer still pending: %d\n", evtimer_pending(t, NULL) != 0);
	event_del(t);

	/* got_exit is reset when the next loop starts */
	e1 = event_new(base, -1, 0, exiter, "1st");
	e2 = event_new(base, -1, 0, exiter, "2nd");
	e3 = event_new(base, -1, 0, exiter, "3rd");
	event_active(e1, EV_READ, 0);
	event_active(e2, EV_READ, 0);
	event_active(e3, EV_READ, 0);
	r = event_base_dispatch(base);
	printf("dispatch=%d got_exit=%d\n", r, event_base_got_exit(base));

	/* loopexit(NULL) before the loop: the next loop runs one pass and exits */
	event_add(t, &ten_ms);
	event_active(e2, EV_READ, 0);
	event_base_loopexit(base, NULL);
	r = event_base_dispatch(base);
	printf("pre-armed loopexit: dispatch=%d got_exit=%d\n", r, event_base_got_exit(base));

	event_free(t);
	event_free(e1);
	event_free(e2);
	event_free(e3);
	event_base_free(base);
	return 0;
}
