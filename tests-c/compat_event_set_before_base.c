/* Old API: event_set on a struct before any base exists, then event_init and
 * event_base_set attach it; event_set after event_init uses the current base. */
#include <stdio.h>
#include <event.h>

static void cb(int fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	struct event early, late;
	struct timeval t10 = {0, 10000};

	event_set(&early, -1, 0, cb, "early");
	printf("early: initialized=%d has base=%d\n", event_initialized(&early),
	    event_get_base(&early) != NULL);
	struct event_base *base = event_init();
	int r = event_base_set(base, &early);
	printf("base_set=%d has base=%d\n", r, event_get_base(&early) == base);
	event_set(&late, -1, 0, cb, "late");
	printf("late: uses current base=%d priority=%d\n", event_get_base(&late) == base,
	    event_get_priority(&late));
	evtimer_add(&early, &t10);
	evtimer_add(&late, &t10);
	r = event_dispatch();
	printf("dispatch=%d\n", r);
	/* event_base_set refuses an added event */
	evtimer_add(&early, &t10);
	struct event_base *other = event_base_new();
	printf("base_set on added event=%d\n", event_base_set(other, &early));
	event_del(&early);
	event_base_free(other);
	event_base_free(base);
	return 0;
}
