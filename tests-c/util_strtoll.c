/* evutil_strtoll: strtoll semantics (bases, signs, overflow, end pointer). */
#include <event2/util.h>
#include <errno.h>
#include <stdio.h>

static void t(const char *s, int base)
{
	char *end = NULL;
	ev_int64_t v;
	errno = 0;
	v = evutil_strtoll(s, &end, base);
	printf("\"%s\" base %d -> %lld end+%d erange=%d\n", s, base, (long long)v,
	    (int)(end - s), errno == ERANGE);
}

int main(void)
{
	t("0", 10); t("123", 10); t("-123", 10); t("+42", 10); t("  7x", 10);
	t("9223372036854775807", 10); t("9223372036854775808", 10);
	t("-9223372036854775808", 10); t("-9223372036854775809", 10);
	t("99999999999999999999999", 10); t("", 10); t("abc", 10); t("-", 10);
	t("ff", 16); t("0xff", 16); t("0XFF", 0); t("0777", 0); t("0", 0); t("0x", 16);
	t("z", 36); t("101", 2); t("12", 3); t("1e5", 10); t(" \t\n-5", 10);
	printf("NULL endptr: %lld\n", (long long)evutil_strtoll("55 rest", NULL, 10));
	return 0;
}
