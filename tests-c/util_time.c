/* Timer macros, evutil_gettimeofday, the monotonic timer API (booleans only) and
 * evutil_date_rfc1123 with fixed and current times. */
#include <event2/util.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void tv(const char *what, const struct timeval *t)
{
	printf("%s = %ld.%06ld\n", what, (long)t->tv_sec, (long)t->tv_usec);
}

int main(void)
{
	struct timeval a = {5, 900000}, b = {2, 200000}, c;
	struct evutil_monotonic_timer *mt;
	struct tm tmv;
	char buf[64];
	int flags[] = {0, EV_MONOT_PRECISE, EV_MONOT_FALLBACK, EV_MONOT_PRECISE | EV_MONOT_FALLBACK};
	size_t i;

	evutil_timeradd(&a, &b, &c); tv("add", &c);
	evutil_timersub(&a, &b, &c); tv("sub", &c);
	evutil_timersub(&b, &a, &c); tv("sub neg", &c);
	printf("cmp < %d, > %d, == %d, != %d, <= %d, >= %d\n", evutil_timercmp(&a, &b, <),
	    evutil_timercmp(&a, &b, >), evutil_timercmp(&a, &a, ==), evutil_timercmp(&a, &b, !=),
	    evutil_timercmp(&b, &a, <=), evutil_timercmp(&b, &b, >=));
	c.tv_sec = 5; c.tv_usec = 100;
	printf("same sec: < %d > %d\n", evutil_timercmp(&c, &a, <), evutil_timercmp(&c, &a, >));
	printf("isset %d\n", evutil_timerisset(&a));
	evutil_timerclear(&c);
	printf("cleared isset %d (%ld %ld)\n", evutil_timerisset(&c), (long)c.tv_sec, (long)c.tv_usec);
	printf("gettimeofday -> %d\n", evutil_gettimeofday(&c, NULL));
	printf("recent %d\n", c.tv_sec > 1600000000);

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); ++i) {
		struct timeval prev = {0, 0}, now;
		int ok = 1, k;
		mt = evutil_monotonic_timer_new();
		printf("flags %d: new %d configure %d", flags[i], mt != NULL,
		    evutil_configure_monotonic_time(mt, flags[i]));
		for (k = 0; k < 1000; ++k) {
			if (evutil_gettime_monotonic(mt, &now) != 0)
				ok = 0;
			if (evutil_timercmp(&now, &prev, <))
				ok = 0;
			if (now.tv_usec < 0 || now.tv_usec >= 1000000)
				ok = 0;
			prev = now;
		}
		printf(" monotonic %d\n", ok);
		evutil_monotonic_timer_free(mt);
	}
	evutil_monotonic_timer_free(NULL);

	memset(&tmv, 0, sizeof(tmv));
	tmv.tm_year = 94; tmv.tm_mon = 10; tmv.tm_mday = 6; tmv.tm_wday = 0;
	tmv.tm_hour = 8; tmv.tm_min = 49; tmv.tm_sec = 37;
	for (i = 0; i <= 31; i += 5) {
		int r;
		memset(buf, 'X', sizeof(buf));
		buf[sizeof(buf) - 1] = 0;
		r = evutil_date_rfc1123(buf, i, &tmv);
		printf("rfc1123 len=%d -> %d \"%.40s\"\n", (int)i, r, i ? buf : "-");
	}
	tmv.tm_year = 8100; tmv.tm_mon = 11; tmv.tm_wday = 6; tmv.tm_mday = 31;
	tmv.tm_hour = 23; tmv.tm_min = 59; tmv.tm_sec = 60;
	printf("rfc1123 -> %d %s\n", evutil_date_rfc1123(buf, sizeof(buf), &tmv), buf);
	tmv.tm_year = -1905;
	printf("rfc1123 -> %d %s\n", evutil_date_rfc1123(buf, sizeof(buf), &tmv), buf);
	{
		int r = evutil_date_rfc1123(buf, sizeof(buf), NULL);
		printf("rfc1123 now -> %d GMT=%d\n", r, strstr(buf, " GMT") != NULL);
	}
	return 0;
}
