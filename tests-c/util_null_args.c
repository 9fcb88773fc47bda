/* evshim-only */
/* Bad input that crashes libevent gets a warning and an error return from evshim. */
#include <event2/util.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	char buf[16];
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	unsigned idx = 9;
	struct evutil_addrinfo *res = NULL;
	struct in6_addr a6;
	int r;

	printf("parse NULL str: %d\n", evutil_parse_sockaddr_port(NULL, (struct sockaddr *)&ss, &len));
	printf("parse NULL out: %d\n", evutil_parse_sockaddr_port("1.2.3.4", NULL, &len));
	printf("parse NULL len: %d\n", evutil_parse_sockaddr_port("1.2.3.4", (struct sockaddr *)&ss, NULL));
	printf("ntop NULL src: %s\n", evutil_inet_ntop(AF_INET, NULL, buf, sizeof(buf)) ? "ptr" : "NULL");
	printf("ntop NULL dst: %s\n", evutil_inet_ntop(AF_INET, &a6, NULL, 16) ? "ptr" : "NULL");
	printf("pton NULL src: %d\n", evutil_inet_pton(AF_INET, NULL, &a6));
	printf("pton NULL dst: %d\n", evutil_inet_pton(AF_INET6, "::1", NULL));
	printf("pton_scope NULL index: %d\n", evutil_inet_pton_scope(AF_INET6, "::1", &a6, NULL));
	r = evutil_inet_pton_scope(AF_INET6, NULL, &a6, &idx);
	printf("pton_scope NULL src: %d idx=%u\n", r, idx);
	printf("cmp NULL: %d\n", evutil_sockaddr_cmp(NULL, (struct sockaddr *)&ss, 1));
	printf("strcasecmp NULL: %d\n", evutil_ascii_strcasecmp(NULL, "a"));
	printf("strncasecmp NULL n=0: %d\n", evutil_ascii_strncasecmp(NULL, NULL, 0));
	printf("strncasecmp NULL n=3: %d\n", evutil_ascii_strncasecmp("a", NULL, 3));
	errno = 0;
	r = (int)evutil_strtoll(NULL, NULL, 10);
	printf("strtoll NULL: %d einval=%d\n", r, errno == EINVAL);
	printf("vsnprintf NULL buf: %d\n", evutil_snprintf(NULL, 5, "x"));
	errno = 0;
	r = evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, NULL);
	printf("socketpair NULL: %d einval=%d\n", r, errno == EINVAL);
	printf("getaddrinfo NULL res: %d\n", evutil_getaddrinfo("1.2.3.4", NULL, NULL, NULL));
	printf("getaddrinfo ok: %d\n", evutil_getaddrinfo("1.2.3.4", "80", NULL, &res));
	evutil_freeaddrinfo(res);
	evutil_freeaddrinfo(NULL);
	printf("configure NULL: %d\n", evutil_configure_monotonic_time(NULL, 0));
	printf("gettime NULL: %d\n", evutil_gettime_monotonic(NULL, NULL));
	printf("rfc1123 NULL buf: %d\n", evutil_date_rfc1123(NULL, 10, NULL));
	printf("rfc1123 NULL buf len 0: %d\n", evutil_date_rfc1123(NULL, 0, NULL));
	evutil_secure_rng_get_bytes(NULL, 10);
	printf("done\n");
	return 0;
}
