/*
 * Timer benchmarks: the cost of the timeout structure (libevent: a min-heap).
 *
 * op=add_del   add n pure-timeout events with random timeouts (1 s .. 11 s,
 *              microsecond resolution), then delete them in shuffled order.
 * op=readd     n events already pending; re-add each (shuffled order) with a
 *              new random timeout -- the reschedule every I/O timeout does.
 * op=fire      n events with random timeouts in [0, 1 ms] are added and left
 *              to expire (untimed sleep); the timed part is one dispatch that
 *              pops and runs all of them.  The callbacks check that they run
 *              in deadline order.
 */
#include "bench.h"

#include <unistd.h>

#include <event2/event.h>
#include <event2/util.h>

struct timers {
	struct event_base *base;
	int n;
	struct event **evs;
	struct timeval *tv;	/* timeout per event for the next run */
	int *order;		/* shuffled indices */
	/* op=fire: bounds on each event's absolute deadline as the library
	 * computed it from its own clock, which may be coarse (libevent reads
	 * CLOCK_MONOTONIC_COARSE) and is read somewhere inside event_add. */
	long long *dl_lo, *dl_hi;
	long long slack_us;	/* clock granularity allowance */
	int fired, out_of_order;
	long long max_lo;	/* largest lower bound among fired events */
};

static struct timers T;

static void
shuffle(int *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		v[i] = i;
	for (i = n - 1; i > 0; i--) {
		int j = (int)(bench_rand() % (uint64_t)(i + 1)), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void
random_timeouts(long min_us, long span_us)
{
	int i;

	for (i = 0; i < T.n; i++) {
		long us = min_us + (long)(bench_rand() % (uint64_t)(span_us + 1));
		T.tv[i].tv_sec = us / 1000000;
		T.tv[i].tv_usec = us % 1000000;
	}
}

static long long
coarse_resolution_us(void)
{
	long long us = 1000;
#ifdef CLOCK_MONOTONIC_COARSE
	struct timespec res;
	if (clock_getres(CLOCK_MONOTONIC_COARSE, &res) == 0)
		us = res.tv_sec * 1000000LL + res.tv_nsec / 1000 + 1;
#endif
	/* The coarse clock can lag by a little more than one tick (seen under
	 * valgrind and on busy VMs), so allow two ticks and then some. */
	return 2 * (us < 1000 ? 1000 : us) + 1000;
}

static void
never_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	bench_fail("timers: a long timer fired");
}

static void
fire_cb(evutil_socket_t fd, short what, void *arg)
{
	int i = (int)(intptr_t)arg;

	(void)fd;
	if (what != EV_TIMEOUT)
		bench_fail("timers: callback with what=%d", what);
	/* Out of order only if this deadline is surely earlier than one
	 * that already fired. */
	if (T.dl_hi[i] < T.max_lo)
		T.out_of_order++;
	if (T.dl_lo[i] > T.max_lo)
		T.max_lo = T.dl_lo[i];
	T.fired++;
}

static double
run_add_del(void *unused)
{
	double elapsed;
	int i;

	(void)unused;
	random_timeouts(1000000, 10000000);
	shuffle(T.order, T.n);
	bench_start();
	for (i = 0; i < T.n; i++)
		if (event_add(T.evs[i], &T.tv[i]) == -1)
			bench_fail("timers: event_add");
	for (i = 0; i < T.n; i++)
		if (event_del(T.evs[T.order[i]]) == -1)
			bench_fail("timers: event_del");
	elapsed = bench_stop();
	return elapsed;
}

static double
run_readd(void *unused)
{
	double elapsed;
	int i;

	(void)unused;
	random_timeouts(1000000, 10000000);
	for (i = 0; i < T.n; i++)
		if (event_add(T.evs[i], &T.tv[i]) == -1)
			bench_fail("timers: event_add");
	random_timeouts(1000000, 10000000);
	shuffle(T.order, T.n);
	bench_start();
	for (i = 0; i < T.n; i++) {
		int k = T.order[i];
		if (event_add(T.evs[k], &T.tv[k]) == -1)
			bench_fail("timers: event_add (re-add)");
	}
	elapsed = bench_stop();
	for (i = 0; i < T.n; i++)
		if (event_del(T.evs[i]) == -1)
			bench_fail("timers: event_del");
	return elapsed;
}

static double
run_fire(void *unused)
{
	double elapsed;
	int i;

	(void)unused;
	random_timeouts(0, 1000);
	for (i = 0; i < T.n; i++) {
		long long us = T.tv[i].tv_sec * 1000000LL + T.tv[i].tv_usec;
		T.dl_lo[i] = (long long)bench_now_us() - T.slack_us + us;
		if (event_add(T.evs[i], &T.tv[i]) == -1)
			bench_fail("timers: event_add");
		T.dl_hi[i] = (long long)bench_now_us() + 1 + us;
	}
	/* Every deadline is now in the past, even on a coarse clock. */
	usleep((useconds_t)(1000 + T.slack_us));
	T.fired = T.out_of_order = 0;
	T.max_lo = -1;
	bench_start();
	if (event_base_dispatch(T.base) == -1)
		bench_fail("timers: event_base_dispatch");
	elapsed = bench_stop();
	if (T.fired != T.n || T.out_of_order)
		bench_fail("timers: %d of %d fired, %d out of deadline order",
		    T.fired, T.n, T.out_of_order);
	return elapsed;
}

static void
run_op(const char *op, int n, bench_run_fn fn, event_callback_fn cb)
{
	char label[96];
	int i;

	snprintf(label, sizeof(label), "timers op=%s n=%d", op, n);
	if (!bench_want(label))
		return;
	memset(&T, 0, sizeof(T));
	T.n = n;
	T.base = event_base_new();
	T.evs = calloc((size_t)n, sizeof(*T.evs));
	T.tv = calloc((size_t)n, sizeof(*T.tv));
	T.order = calloc((size_t)n, sizeof(*T.order));
	T.dl_lo = calloc((size_t)n, sizeof(*T.dl_lo));
	T.dl_hi = calloc((size_t)n, sizeof(*T.dl_hi));
	T.slack_us = coarse_resolution_us();
	if (!T.base || !T.evs || !T.tv || !T.order || !T.dl_lo || !T.dl_hi)
		bench_fail("setup");
	for (i = 0; i < n; i++)
		if (!(T.evs[i] = event_new(T.base, -1, 0, cb,
		    (void *)(intptr_t)i)))
			bench_fail("event_new");
	bench_srand(0x5eed0000u + (unsigned)n);
	bench_report(label, bench_measure(fn, NULL, 9, 200, 300));
	for (i = 0; i < n; i++)
		event_free(T.evs[i]);
	event_base_free(T.base);
	free(T.evs);
	free(T.tv);
	free(T.order);
	free(T.dl_lo);
	free(T.dl_hi);
}

int
main(void)
{
	run_op("add_del", 1000, run_add_del, never_cb);
	run_op("add_del", 100000, run_add_del, never_cb);
	run_op("readd", 100000, run_readd, never_cb);
	run_op("fire", 1000, run_fire, fire_cb);
	run_op("fire", 100000, run_fire, fire_cb);
	return 0;
}
