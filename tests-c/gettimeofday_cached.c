/* event_base_gettimeofday_cached: inside callbacks it returns the loop's cached
 * time (stable while the callback sleeps) until event_base_update_cache_time;
 * EVENT_BASE_FLAG_NO_CACHE_TIME disables the cache. */
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>
#include <event2/event.h>

static long ms_between(const struct timeval *a, const struct timeval *b)
{
	struct timeval d;
	timersub(b, a, &d);
	return d.tv_sec * 1000 + d.tv_usec / 1000;
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	struct event_base *base = arg;
	struct timeval a, b, c, real;
	(void)fd;
	(void)what;
	event_base_gettimeofday_cached(base, &a);
	usleep(30000);
	event_base_gettimeofday_cached(base, &b);
	printf("  unchanged after sleeping 30ms: %d\n", ms_between(&a, &b) < 5);
	printf("  update_cache_time=%d\n", event_base_update_cache_time(base));
	event_base_gettimeofday_cached(base, &c);
	printf("  advanced after update: %d\n", ms_between(&a, &c) >= 20);
	gettimeofday(&real, NULL);
	printf("  close to real time: %d\n", ms_between(&c, &real) > -50 && ms_between(&c, &real) < 50);
}

static void run(int flags, const char *label)
{
	struct event_config *cfg = event_config_new();
	struct event_base *base;
	struct timeval a, b;

	event_config_set_flag(cfg, flags);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	printf("%s:\n", label);
	event_base_gettimeofday_cached(base, &a);
	usleep(20000);
	event_base_gettimeofday_cached(base, &b);
	printf("  outside the loop it is live: %d\n", ms_between(&a, &b) >= 15);
	printf("  update_cache_time outside loop=%d\n", event_base_update_cache_time(base));
	struct event *ev = event_new(base, -1, 0, cb, base);
	event_active(ev, EV_READ, 0);
	event_base_dispatch(base);
	event_free(ev);
	event_base_free(base);
}

int main(void)
{
	run(0, "default");
	run(EVENT_BASE_FLAG_NO_CACHE_TIME, "NO_CACHE_TIME");
	return 0;
}
