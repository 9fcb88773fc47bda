/* Order of callbacks within loop turns: activation from callbacks into the running queue,
 * into a higher-priority queue (event_continue), deleting a queued event, re-activation,
 * event_active on an event that is not added, then event_add of it. */
#include <stdio.h>
#include <unistd.h>
#include <event2/event.h>

static struct event_base *base;
static struct event *e[8];
static int turn;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	long i = (long)arg;
	(void)fd;
	printf("turn %d: cb %ld what=0x%02x pri=%d\n", turn, i, what, event_get_priority(e[i]));
	static int zero_runs, four_runs;
	if (i == 0 && zero_runs++ == 0) {
		event_active(e[3], EV_READ, 1); /* same queue: runs this pass */
		event_active(e[4], EV_WRITE, 1); /* higher priority: continue */
		event_del(e[1]);                /* queued: must not run */
	}
	if (i == 4 && four_runs++ == 0)
		event_active(e[0], EV_TIMEOUT, 1); /* runs again later */
}

int main(void)
{
	int p[2];
	base = event_base_new();
	event_base_priority_init(base, 3);
	if (pipe(p) < 0)
		return 1;
	for (long i = 0; i < 6; i++)
		e[i] = event_new(base, -1, 0, cb, (void *)i);
	e[6] = event_new(base, p[1], EV_WRITE, cb, (void *)6);
	event_priority_set(e[0], 1);
	event_priority_set(e[1], 1);
	event_priority_set(e[2], 2);
	event_priority_set(e[3], 1);
	event_priority_set(e[4], 0);
	event_priority_set(e[6], 1);
	event_active(e[0], EV_TIMEOUT, 1);
	event_active(e[1], EV_TIMEOUT, 1);
	event_active(e[2], EV_TIMEOUT, 1);
	/* active but not added, then added: stays active, I/O not registered */
	event_active(e[6], EV_TIMEOUT, 1);
	printf("add while active: %d pending=0x%02x\n", event_add(e[6], NULL),
	    event_pending(e[6], EV_WRITE | EV_TIMEOUT, NULL));
	for (turn = 0; turn < 4; turn++) {
		int r = event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		printf("turn %d done r=%d\n", turn, r);
	}
	printf("pending e6=0x%02x\n", event_pending(e[6], EV_WRITE, NULL));
	for (int i = 0; i < 7; i++)
		event_free(e[i]);
	event_base_free(base);
	close(p[0]);
	close(p[1]);
	return 0;
}
