/*
 * Shared helpers for the evshim benchmarks (header-only; every benchmark is a
 * single translation unit built twice by bench/run.sh: once against the
 * system libevent, once against evshim).
 *
 * Every workload prints one machine-readable line
 *     <bench> key=value ... usec_per_run=<median> cpu_usec_per_run=<median>
 * (wall-clock and process CPU time of the timed section); run.sh pairs the
 * two builds' lines on the fields before them.
 *
 * Benchmarks are not tests: nothing here asserts on timings.  They do check
 * that the workload did what it should (bytes moved, callbacks fired), and
 * exit non-zero otherwise, so a broken build cannot post a fast number.
 */
#ifndef EVSHIM_BENCH_H
#define EVSHIM_BENCH_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/*
 * Under valgrind --tool=callgrind --collect-atstart=no (bench/instr.sh) only
 * the timed sections are counted, and every workload's counts are dumped
 * under its label: instruction counts are reproducible where times are not.
 * Outside valgrind these client requests cost a few instructions.
 */
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define BENCH_HAVE_CALLGRIND 1
#endif
#endif
#ifndef BENCH_HAVE_CALLGRIND
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

static inline double
bench_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* CPU time of the process: unlike wall time, it does not count the time
 * other work on a shared machine keeps us off the CPU.  (The workloads never
 * wait for anything but themselves, so uncontended both are the same.) */
static inline double
bench_cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void
bench_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("bench: FAILED: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return (n & 1) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/*
 * BENCH_STRACE=1 (bench/run.sh runs each event-core binary once so under
 * `strace -f`): a fixed number of runs, as under valgrind, and every timed
 * section is bracketed by marker system calls that strace shows and that fail
 * harmlessly -- write(-1, "bench:start", ...), write(-1, "bench:stop", ...),
 * and write(-1, "bench:report <label>", ...) after each workload -- so the
 * system calls of the timed sections can be counted per workload.
 */
static int bench_strace = -1;

static inline int
bench_tracing(void)
{
	if (bench_strace < 0) {
		const char *t = getenv("BENCH_STRACE");
		bench_strace = t && *t && strcmp(t, "0") != 0;
	}
	return bench_strace;
}

static inline void
bench_marker(const char *what)
{
	if (bench_tracing())
		(void)!write(-1, what, strlen(what));
}

/*
 * The measured section of a run is bracketed by bench_start()/bench_stop();
 * bench_stop() returns its microseconds.
 */
static double bench_t0, bench_cpu_t0;
static double bench_last_cpu;		/* CPU µs of the last timed section */
static double bench_cpu_median;		/* of the last bench_measure() */
static int bench_timed_sections;	/* since the last bench_report() */

static inline void
bench_start(void)
{
	bench_timed_sections++;
	CALLGRIND_TOGGLE_COLLECT;
	bench_cpu_t0 = bench_cpu_us();
	bench_t0 = bench_now_us();
	bench_marker("bench:start");
}

static inline double
bench_stop(void)
{
	double t;

	bench_marker("bench:stop");
	t = bench_now_us() - bench_t0;
	bench_last_cpu = bench_cpu_us() - bench_cpu_t0;
	CALLGRIND_TOGGLE_COLLECT;
	return t;
}

static inline double
bench_since_start_us(void)
{
	return bench_now_us() - bench_t0;
}

/* Deterministic PRNG (xorshift64*) so both builds see the same workload. */
static uint64_t bench_rng_state = 0x9e3779b97f4a7c15ULL;

static inline uint64_t
bench_rand(void)
{
	uint64_t x = bench_rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	bench_rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static inline void
bench_srand(uint64_t seed)
{
	bench_rng_state = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

/* BENCH_VERBOSE=1 prints every run's wall and CPU time to stderr (in run
 * order). */

/* BENCH_QUICK=1 shrinks run counts and budgets (for smoke runs). */
static int
bench_quick(void)
{
	const char *q = getenv("BENCH_QUICK");
	return q && *q && strcmp(q, "0") != 0;
}

/*
 * BENCH_ONLY=substring restricts a binary to the workloads whose label
 * contains it (e.g. BENCH_ONLY=idle=10000).
 */
static int
bench_want(const char *label)
{
	const char *only = getenv("BENCH_ONLY");
	return !only || !*only || strstr(label, only) != NULL;
}

/*
 * One timed run: returns the microseconds spent in the measured section
 * (setup and teardown outside it are not counted), or fails the process.
 */
typedef double (*bench_run_fn)(void *ctx);

/*
 * Median of at least min_runs and at most max_runs runs; stops early once
 * the runs have used budget_ms of wall time (so a slow implementation still
 * finishes in bounded time).  One untimed warm-up run comes first.
 */
static double __attribute__((unused))
bench_measure(bench_run_fn fn, void *ctx, int min_runs, int max_runs,
    double budget_ms)
{
	double *v, *c, start, med;
	int n = 0;

	if (bench_tracing() || RUNNING_ON_VALGRIND) {
		/* Instruction or system-call counting: a fixed, small number
		 * of runs. */
		const char *r = getenv("BENCH_RUNS");
		min_runs = max_runs = r && atoi(r) > 0 ? atoi(r) : 2;
		budget_ms = 0;
	} else if (bench_quick()) {
		min_runs = min_runs > 3 ? 3 : min_runs;
		max_runs = max_runs > 5 ? 5 : max_runs;
		budget_ms /= 4;
	}
	if (max_runs < min_runs)
		max_runs = min_runs;
	v = malloc(sizeof(*v) * (size_t)max_runs);
	c = malloc(sizeof(*c) * (size_t)max_runs);
	if (!v || !c)
		bench_fail("malloc");
	(void)fn(ctx);
	start = bench_now_us();
	while (n < max_runs) {
		v[n] = fn(ctx);
		c[n++] = bench_last_cpu;
		if (n >= min_runs && bench_now_us() - start > budget_ms * 1e3)
			break;
	}
	if (getenv("BENCH_VERBOSE")) {
		int i;
		fprintf(stderr, "wall samples(%d):", n);
		for (i = 0; i < n; i++)
			fprintf(stderr, " %.1f", v[i]);
		fprintf(stderr, "\ncpu samples(%d):", n);
		for (i = 0; i < n; i++)
			fprintf(stderr, " %.1f", c[i]);
		fputc('\n', stderr);
	}
	med = bench_median(v, n);
	bench_cpu_median = bench_median(c, n);
	free(v);
	free(c);
	return med;
}

static void __attribute__((unused))
bench_report(const char *label, double usec)
{
	printf("%s usec_per_run=%.1f cpu_usec_per_run=%.1f\n", label, usec,
	    bench_cpu_median);
	fflush(stdout);
	if (bench_tracing()) {
		char mark[256];
		snprintf(mark, sizeof(mark), "bench:report %s sections=%d",
		    label, bench_timed_sections);
		bench_marker(mark);
	}
	if (RUNNING_ON_VALGRIND) {
		char dump[256];
		snprintf(dump, sizeof(dump), "%s sections=%d", label,
		    bench_timed_sections);
		CALLGRIND_DUMP_STATS_AT(dump);
	}
	bench_timed_sections = 0;
}

/* Make sure `need` descriptors can be open; raises the soft limit as far as
 * the hard limit allows (an unprivileged container cannot raise the hard
 * one).  Returns 0 if enough, -1 if not. */
static int __attribute__((unused))
bench_need_fds(rlim_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return -1;
	if (rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		struct rlimit up = { need, need };
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			return 0;
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		return -1;
	}
	rl.rlim_cur = need;
	return setrlimit(RLIMIT_NOFILE, &rl) == 0 ? 0 : -1;
}

/* Resident set size of this process, in bytes (memory rows). */
static long __attribute__((unused))
bench_rss_bytes(void)
{
	long size = 0, resident = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%ld %ld", &size, &resident) != 2)
		bench_fail("cannot read /proc/self/statm");
	fclose(f);
	return resident * sysconf(_SC_PAGESIZE);
}

#endif /* EVSHIM_BENCH_H */
