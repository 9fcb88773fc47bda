/*
 * Cascade benchmark: one byte propagated down a chain of n socketpairs.
 *
 * mode=preadd follows libevent's test/bench_cascade.c methodology (written
 * independently): the timed section adds all n one-shot EV_READ events, each
 * with a 60 s timeout (so every add also touches the timer heap), writes the
 * first byte and dispatches until the chain has drained and the loop runs out
 * of events.  Each callback reads its byte and forwards one to the next pair;
 * firing a one-shot event removes it (del) from the I/O map and the heap.
 *
 * mode=hop keeps only one event pending at a time: each persistent event's
 * callback deletes itself and adds the next one (with the same timeout)
 * before forwarding the byte -- an explicit add + del per hop, with O(1)
 * events registered.
 *
 * The socketpairs are created once per chain length and reused (every run
 * leaves them empty), so the socket calls stay out of the numbers.
 */
#include "bench.h"

#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/util.h>

struct cascade {
	struct event_base *base;
	int n;
	int *fds;		/* [2i] read side, [2i+1] write side */
	struct event **evs;
	int fired, failures;
	struct timeval tv;
};

static struct cascade C;

static void
forward(evutil_socket_t fd, long idx)
{
	char ch;

	if (recv(fd, &ch, 1, 0) != 1)
		C.failures++;
	if (idx + 1 < C.n && send(C.fds[2 * (idx + 1) + 1], "e", 1, 0) != 1)
		C.failures++;
	C.fired++;
}

static void
preadd_cb(evutil_socket_t fd, short what, void *arg)
{
	if (!(what & EV_READ))
		C.failures++;
	forward(fd, (long)(intptr_t)arg);
}

static void
hop_cb(evutil_socket_t fd, short what, void *arg)
{
	long idx = (long)(intptr_t)arg;

	if (!(what & EV_READ))
		C.failures++;
	if (event_del(C.evs[idx]) == -1)
		C.failures++;
	if (idx + 1 < C.n && event_add(C.evs[idx + 1], &C.tv) == -1)
		C.failures++;
	forward(fd, idx);
}

static void
check(const char *mode)
{
	int i;

	if (C.failures || C.fired != C.n)
		bench_fail("cascade %s n=%d: %d callbacks of %d, %d failures",
		    mode, C.n, C.fired, C.n, C.failures);
	for (i = 0; i < C.n; i++)
		if (event_pending(C.evs[i], EV_READ | EV_TIMEOUT, NULL))
			bench_fail("cascade %s: event %d still pending", mode, i);
}

/* One timed run: "preadd" adds every event up front (libevent's method), "hop" adds only
 * the first and lets each callback add the next. `mode` is the mode's name. */
static double
run_cascade(void *mode)
{
	int preadd = strcmp(mode, "preadd") == 0;
	double elapsed;
	int i;

	C.fired = C.failures = 0;
	bench_start();
	for (i = 0; i < (preadd ? C.n : 1); i++)
		if (event_add(C.evs[i], &C.tv) == -1)
			bench_fail("cascade: event_add");
	if (send(C.fds[1], "e", 1, 0) != 1)
		bench_fail("cascade: send");
	if (event_base_dispatch(C.base) == -1)
		bench_fail("cascade: event_base_dispatch");
	elapsed = bench_stop();
	check(mode);
	return elapsed;
}

static void
run_chain(int n)
{
	static const char *const modes[] = { "preadd", "hop" };
	char label[128];
	int i, m;

	memset(&C, 0, sizeof(C));
	C.n = n;
	C.tv.tv_sec = 60;
	C.fds = calloc((size_t)n * 2, sizeof(*C.fds));
	C.evs = calloc((size_t)n, sizeof(*C.evs));
	if (!C.fds || !C.evs)
		bench_fail("malloc");
	for (i = 0; i < n; i++)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, &C.fds[2 * i]) == -1)
			bench_fail("socketpair: %s", strerror(errno));

	for (m = 0; m < 2; m++) {
		snprintf(label, sizeof(label), "cascade mode=%s n=%d",
		    modes[m], n);
		if (!bench_want(label))
			continue;
		C.base = event_base_new();
		if (!C.base)
			bench_fail("event_base_new");
		for (i = 0; i < n; i++) {
			C.evs[i] = m == 0 ?
			    event_new(C.base, C.fds[2 * i], EV_READ, preadd_cb,
				(void *)(intptr_t)i) :
			    event_new(C.base, C.fds[2 * i],
				EV_READ | EV_PERSIST, hop_cb,
				(void *)(intptr_t)i);
			if (!C.evs[i])
				bench_fail("event_new");
		}
		bench_report(label, bench_measure(run_cascade,
		    (void *)modes[m], 7, 300, 300));
		for (i = 0; i < n; i++)
			event_free(C.evs[i]);
		event_base_free(C.base);
	}

	for (i = 0; i < 2 * n; i++)
		close(C.fds[i]);
	free(C.fds);
	free(C.evs);
}

int
main(void)
{
	/* 5000 pairs is the longest chain the usual 20000-fd hard limit
	 * allows with room to spare (libevent's default run is 100). */
	static const int lengths[] = { 100, 1000, 5000 };
	size_t k;

	if (bench_need_fds(2 * 5000 + 64) == -1)
		bench_fail("cannot raise RLIMIT_NOFILE to %d", 2 * 5000 + 64);
	for (k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++)
		run_chain(lengths[k]);
	return 0;
}
