/* EVENT_PRECISE_TIMER (or EVENT_BASE_FLAG_PRECISE_TIMER) makes a base read CLOCK_MONOTONIC
 * instead of CLOCK_MONOTONIC_COARSE; EVENT_BASE_FLAG_IGNORE_ENV ignores the variable. The
 * program's own clock_gettime sees which clocks the library reads while a base runs timers. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <event2/event.h>

static int coarse_reads;

int clock_gettime(clockid_t id, struct timespec *ts)
{
	if (id == CLOCK_MONOTONIC_COARSE)
		coarse_reads++;
	return (int)syscall(SYS_clock_gettime, id, ts);
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
}

static void run(const char *label, int flags)
{
	struct event_config *cfg = event_config_new();
	event_config_set_flag(cfg, flags);
	coarse_reads = 0;
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	struct event *t = evtimer_new(b, cb, NULL);
	struct timeval t5 = {0, 5000};
	evtimer_add(t, &t5);
	event_base_dispatch(b);
	printf("%-36s coarse clock read=%d\n", label, coarse_reads > 0);
	event_free(t);
	event_base_free(b);
}

int main(void)
{
	unsetenv("EVENT_PRECISE_TIMER");
	run("default", 0);
	run("EVENT_BASE_FLAG_PRECISE_TIMER", EVENT_BASE_FLAG_PRECISE_TIMER);
	setenv("EVENT_PRECISE_TIMER", "1", 1);
	run("EVENT_PRECISE_TIMER", 0);
	run("EVENT_PRECISE_TIMER + IGNORE_ENV", EVENT_BASE_FLAG_IGNORE_ENV);
	return 0;
}
