/*
 * Memory per added event: how much the resident set grows when n persistent
 * EV_READ events are created (event_new) and added (event_add), one per
 * socketpair -- the events themselves, the fd map, and whatever else the
 * library keeps per fd or per event.  The sockets (and, in the sparse row,
 * idle eventfds between them, which widen the fd range the fd map must span)
 * are opened first, outside the measurement.  Each row runs in a fresh child
 * process, so that memory freed by an earlier row cannot be reused.  RSS
 * grows in pages, and the heap's state decides which pages an allocation
 * touches first: with fewer than a few thousand events the per-event figure
 * moves by tens of bytes from run to run, so the rows are large.
 *
 * Prints "memory events=<n> fds=<fds open> value=<bytes per event> unit=B/event"
 * (bench/run.sh shows these rows in their own table, with the ratio).
 */
#include "bench.h"

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/util.h>


static void
never_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	bench_fail("memory: an idle event fired");
}

/* Child: open the fds, then measure event_new + event_add for n events. */
static void
measure(int n, int idle_per_event)
{
	struct event_base *base;
	struct event **evs;
	int *rfd, i, k, total = n * (2 + idle_per_event);
	long before, after;
	char label[128];

	if (bench_need_fds((rlim_t)total + 64) == -1)
		bench_fail("cannot raise RLIMIT_NOFILE to %d", total + 64);
	evs = calloc((size_t)n, sizeof(*evs));
	rfd = calloc((size_t)n, sizeof(*rfd));
	base = event_base_new();
	if (!evs || !rfd || !base)
		bench_fail("setup");
	for (i = 0; i < n; i++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
			bench_fail("socketpair: %s", strerror(errno));
		rfd[i] = sv[0];
		for (k = 0; k < idle_per_event; k++)
			if (eventfd(0, EFD_NONBLOCK) == -1)
				bench_fail("eventfd: %s", strerror(errno));
	}

	before = bench_rss_bytes();
	for (i = 0; i < n; i++) {
		evs[i] = event_new(base, rfd[i], EV_READ | EV_PERSIST, never_cb,
		    NULL);
		if (!evs[i] || event_add(evs[i], NULL) == -1)
			bench_fail("memory: event_new/event_add #%d", i);
	}
	after = bench_rss_bytes();

	/* The events are really registered: nothing is ready, one turn. */
	if (event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK) == -1)
		bench_fail("memory: event_base_loop");
	if (event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED) != n)
		bench_fail("memory: %d events added, expected %d",
		    event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED), n);

	snprintf(label, sizeof(label), "memory events=%d fds=%d", n, total);
	printf("%s value=%.1f unit=B/event\n", label,
	    (double)(after - before) / n);
	fflush(stdout);
}

static void
row(int n, int idle_per_event)
{
	char label[128];
	pid_t pid;
	int status;

	snprintf(label, sizeof(label), "memory events=%d fds=%d", n,
	    n * (2 + idle_per_event));
	if (!bench_want(label))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == -1)
		bench_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		measure(n, idle_per_event);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		bench_fail("memory: the row %s failed", label);
}

int
main(void)
{
	/* Issue 8's measurement: 9,900 socketpairs, one read event each
	 * (19,800 fds: the most that fit the usual 20,000-descriptor limit). */
	row(9900, 0);
	/* Sparse: 8 idle fds per event, so the fd map spans 10x the events. */
	row(1800, 8);
	return 0;
}
