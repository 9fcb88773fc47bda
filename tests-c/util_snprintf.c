/* evutil_snprintf / evutil_vsnprintf: always NUL-terminated, returns the untruncated length,
 * and 0 (writing nothing) for an empty buffer. */
#include <event2/util.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int vwrap(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;
	va_start(ap, fmt);
	r = evutil_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return r;
}

int main(void)
{
	char buf[32];
	size_t len;
	for (len = 0; len <= 12; ++len) {
		int r;
		memset(buf, 'X', sizeof(buf));
		buf[sizeof(buf) - 1] = 0;
		r = evutil_snprintf(buf, len, "%s-%d", "hello", 1234);
		printf("snprintf len=%d -> %d buf=\"%.16s\"\n", (int)len, r, buf);
		memset(buf, 'X', sizeof(buf));
		buf[sizeof(buf) - 1] = 0;
		r = vwrap(buf, len, "%05.1f|%x|%c", 3.14159, 255, 'z');
		printf("vsnprintf len=%d -> %d buf=\"%.16s\"\n", (int)len, r, buf);
	}
	printf("empty fmt -> %d\n", evutil_snprintf(buf, sizeof(buf), "%s", ""));
	printf("NULL buf, len 0 -> %d\n", evutil_snprintf(NULL, 0, "abc %d", 5));
	printf("long -> %d\n", evutil_snprintf(buf, sizeof(buf), "%100s", "x"));
	printf("lld -> %d %s\n", evutil_snprintf(buf, sizeof(buf), "%lld/%llu", -1LL, 18446744073709551615ULL), buf);
	printf("percent -> %d %s\n", evutil_snprintf(buf, sizeof(buf), "100%%"), buf);
	return 0;
}
