/* event_base_free runs the finalizers of events being finalized; event_base_free_nofinalize
 * frees the base without running them. */
#include <stdio.h>
#include <event2/event.h>

static int finalized;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
}

static void fin(struct event *ev, void *arg)
{
	(void)ev; (void)arg;
	finalized++;
}

/* The events left allocated below, kept reachable so the valgrind pass (VALGRIND=1
 * tests-c/run.sh) does not count them as leaks. */
static struct event *volatile kept[4]; /* volatile: written, never read */

static void run(int nofinalize)
{
	struct event_base *base = event_base_new();
	struct event *a = event_new(base, -1, EV_PERSIST, cb, NULL);
	struct event *b = evtimer_new(base, cb, NULL);
	kept[2 * nofinalize] = a;
	kept[2 * nofinalize + 1] = b;
	struct timeval tv = {10, 0};
	event_add(a, NULL);
	evtimer_add(b, &tv);
	finalized = 0;
	/* The base is not running: the finalizers wait for the loop (or the base's free). */
	int ra = event_finalize(0, a, fin);
	int rb = event_free_finalize(0, b, fin);
	printf("%s: finalize=%d free_finalize=%d before free: finalized=%d\n",
	    nofinalize ? "event_base_free_nofinalize" : "event_base_free", ra, rb, finalized);
	/* a (event_finalize) and, without finalizers, b stay allocated: their base is gone, so
	 * no event call may touch them any more; the process ends soon. */
	if (nofinalize)
		event_base_free_nofinalize(base);
	else
		event_base_free(base);
	printf("%s: after free: finalized=%d\n",
	    nofinalize ? "event_base_free_nofinalize" : "event_base_free", finalized);
}

int main(void)
{
	run(0);
	run(1);
	event_base_free_nofinalize(NULL);
	printf("event_base_free_nofinalize(NULL) returned\n");
	return 0;
}
