/*
 * Dispatch benchmark: cost of the event loop delivering read events.
 *
 * Same methodology as libevent's test/bench.c (written independently):
 * `pipes` socketpairs each carry a persistent EV_READ event.  Before every run
 * all of them are deleted and re-added (untimed), then `active` pairs spread
 * evenly over the set get one byte.  Each read callback consumes its byte and,
 * while the shared budget of `writes` lasts, sends one byte to the next pair,
 * so the activity walks around the ring.  The timed part is the
 * EVLOOP_ONCE|EVLOOP_NONBLOCK loop until every byte sent has been read.
 *
 * The idle series keeps a small active ring and registers `idle` extra fds
 * (eventfds that never become readable): a readiness-based backend should
 * cost the same per run however many idle fds are registered.
 */
#include "bench.h"

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/util.h>

struct dispatch {
	struct event_base *base;
	int pipes, active, writes;
	int *fds;		/* 2 * pipes: [2i] read side, [2i+1] write side */
	struct event **evs;
	long count, fired;
	int writes_left, failures;
};

static struct dispatch D;

static void
read_cb(evutil_socket_t fd, short what, void *arg)
{
	long idx = (long)(intptr_t)arg, next = idx + 1;
	unsigned char ch;

	(void)what;
	if (recv(fd, &ch, 1, 0) == 1)
		D.count++;
	else
		D.failures++;
	if (D.writes_left > 0) {
		if (next >= D.pipes)
			next -= D.pipes;
		if (send(D.fds[2 * next + 1], "e", 1, 0) != 1)
			D.failures++;
		D.writes_left--;
		D.fired++;
	}
}

static void
idle_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	bench_fail("dispatch: an idle fd fired");
}

static double
run_once(void *unused)
{
	int i, space;
	long loops = 0;
	double elapsed;

	(void)unused;
	/* Re-register every pair (untimed), like the original benchmark. */
	for (i = 0; i < D.pipes; i++) {
		event_del(D.evs[i]);
		if (event_add(D.evs[i], NULL) == -1)
			bench_fail("dispatch: event_add");
	}
	if (event_base_loop(D.base, EVLOOP_ONCE | EVLOOP_NONBLOCK) == -1)
		bench_fail("dispatch: event_base_loop (warm)");

	D.fired = 0;
	D.count = 0;
	D.failures = 0;
	space = D.pipes / D.active;
	for (i = 0; i < D.active; i++, D.fired++)
		if (send(D.fds[2 * (i * space) + 1], "e", 1, 0) != 1)
			bench_fail("dispatch: initial send");
	D.writes_left = D.writes;

	bench_start();
	do {
		if (event_base_loop(D.base, EVLOOP_ONCE | EVLOOP_NONBLOCK) == -1)
			bench_fail("dispatch: event_base_loop");
		/* A loop that never delivers must not hang the benchmark. */
		if ((++loops & 4095) == 0 && bench_since_start_us() > 20e6)
			bench_fail("dispatch: no progress after 20 s "
			    "(read %ld of %ld bytes)", D.count, D.fired);
	} while (D.count != D.fired);
	elapsed = bench_stop();

	if (D.failures || D.count != (long)D.active + D.writes)
		bench_fail("dispatch: read %ld bytes, expected %d, %d I/O "
		    "failures", D.count, D.active + D.writes, D.failures);
	return elapsed;
}

static int *idle_fds;
static int idle_made;

static void
make_idle_fds(int n)
{
	idle_fds = calloc((size_t)n, sizeof(*idle_fds));
	if (!idle_fds)
		bench_fail("malloc");
	for (idle_made = 0; idle_made < n; idle_made++) {
		idle_fds[idle_made] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (idle_fds[idle_made] == -1)
			bench_fail("eventfd #%d: %s", idle_made, strerror(errno));
	}
}

static void
run_config(int pipes, int active, int writes, int idle)
{
	char label[160];
	struct event **idle_evs = NULL;
	int i;
	double med;

	snprintf(label, sizeof(label),
	    "dispatch pipes=%d active=%d writes=%d idle=%d",
	    pipes, active, writes, idle);
	if (!bench_want(label))
		return;

	memset(&D, 0, sizeof(D));
	D.pipes = pipes;
	D.active = active;
	D.writes = writes;
	D.base = event_base_new();
	if (!D.base)
		bench_fail("event_base_new");
	D.fds = calloc((size_t)pipes * 2, sizeof(*D.fds));
	D.evs = calloc((size_t)pipes, sizeof(*D.evs));
	if (!D.fds || !D.evs)
		bench_fail("malloc");
	for (i = 0; i < pipes; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, &D.fds[2 * i]) == -1)
			bench_fail("socketpair: %s", strerror(errno));
		D.evs[i] = event_new(D.base, D.fds[2 * i],
		    EV_READ | EV_PERSIST, read_cb, (void *)(intptr_t)i);
		if (!D.evs[i])
			bench_fail("event_new");
	}
	if (idle) {
		idle_evs = calloc((size_t)idle, sizeof(*idle_evs));
		if (!idle_evs)
			bench_fail("malloc");
		for (i = 0; i < idle; i++) {
			idle_evs[i] = event_new(D.base, idle_fds[i],
			    EV_READ | EV_PERSIST, idle_cb, NULL);
			if (!idle_evs[i] || event_add(idle_evs[i], NULL) == -1)
				bench_fail("dispatch: idle event_add");
		}
	}

	med = bench_measure(run_once, NULL, 25, 400, 400);
	bench_report(label, med);

	for (i = 0; i < idle; i++)
		event_free(idle_evs[i]);
	free(idle_evs);
	for (i = 0; i < pipes; i++) {
		event_free(D.evs[i]);
		close(D.fds[2 * i]);
		close(D.fds[2 * i + 1]);
	}
	free(D.evs);
	free(D.fds);
	event_base_free(D.base);
}

int
main(void)
{
	static const int idle_series[] = { 0, 100, 1000, 10000 };
	int max_idle = 0;
	size_t k;

	/* Only as many idle fds as the selected workloads use. */
	for (k = 0; k < sizeof(idle_series) / sizeof(idle_series[0]); k++) {
		char label[160];
		snprintf(label, sizeof(label),
		    "dispatch pipes=10 active=1 writes=100 idle=%d",
		    idle_series[k]);
		if (bench_want(label) && idle_series[k] > max_idle)
			max_idle = idle_series[k];
	}
	/* The idle eventfds + 1000 socketpairs + slack. */
	if (bench_need_fds((rlim_t)max_idle + 2 * 1000 + 64) == -1)
		bench_fail("cannot raise RLIMIT_NOFILE to %d", max_idle + 2064);
	make_idle_fds(max_idle);

	/* The two configurations of libevent's own benchmark runs. */
	run_config(100, 1, 100, 0);
	run_config(1000, 100, 1000, 0);

	/* Idle-fd scaling: the same small active ring, more idle fds. */
	for (k = 0; k < sizeof(idle_series) / sizeof(idle_series[0]); k++)
		run_config(10, 1, 100, idle_series[k]);

	return 0;
}
