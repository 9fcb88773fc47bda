/* Differential check of the address parsers on 60000 pseudo-random strings over the
 * characters they care about: evutil_inet_pton (both families), evutil_parse_sockaddr_port
 * and evutil_inet_ntop of what parsed. Prints counts and a hash of every result
 * (set UTIL_PARSE_RANDOM_VERBOSE=1 to print each result instead). */
#include <event2/util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long hash = 1469598103934665603ULL;
static int verbose;

static void feed(const char *s)
{
	if (verbose)
		printf("%s\n", s);
	for (; *s; ++s) {
		hash ^= (unsigned char)*s;
		hash *= 1099511628211ULL;
	}
	hash ^= '\n';
	hash *= 1099511628211ULL;
}

static unsigned rnd_state = 12345;
static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) & 0x7fff;
}

int main(void)
{
	static const char alpha[] = "0123456789012345abcdefABCFx:::....[] +-g";
	static const char *seeds[] = {"1.2.3.4", "::1", "::ffff:", "[::1]:", "1:2:3:4:5:6:7:8", "255.",
	    ":80", "0x", "1.2.3.", "10.0.", "::ffff:1.2.3.", "1.2.3.4:", "[1::2]:", "fe80::"};
	int i, n4 = 0, n6 = 0, np = 0;
	char s[64], out[128], line[256];
	verbose = getenv("UTIL_PARSE_RANDOM_VERBOSE") != NULL;
	for (i = 0; i < 60000; ++i) {
		int len = 0, k, r;
		unsigned char a[16];
		struct sockaddr_storage ss;
		int sslen = sizeof(ss);
		if (rnd() % 3 == 0) {
			const char *seed = seeds[rnd() % (sizeof(seeds) / sizeof(seeds[0]))];
			strcpy(s, seed);
			len = (int)strlen(s);
		}
		k = (int)(rnd() % 24);
		while (k-- > 0 && len < 60)
			s[len++] = alpha[rnd() % (sizeof(alpha) - 1)];
		s[len] = 0;

		memset(a, 0, sizeof(a));
		r = evutil_inet_pton(AF_INET, s, a);
		n4 += r == 1;
		snprintf(line, sizeof(line), "4 [%s] %d %s", s, r,
		    r == 1 ? evutil_inet_ntop(AF_INET, a, out, sizeof(out)) : "-");
		feed(line);

		memset(a, 0, sizeof(a));
		r = evutil_inet_pton(AF_INET6, s, a);
		n6 += r == 1;
		snprintf(line, sizeof(line), "6 [%s] %d %s", s, r,
		    r == 1 ? evutil_inet_ntop(AF_INET6, a, out, sizeof(out)) : "-");
		feed(line);

		memset(&ss, 0, sizeof(ss));
		r = evutil_parse_sockaddr_port(s, (struct sockaddr *)&ss, &sslen);
		np += r == 0;
		if (r == 0) {
			const void *addr = ss.ss_family == AF_INET
			    ? (const void *)&((struct sockaddr_in *)&ss)->sin_addr
			    : (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr;
			int port = ss.ss_family == AF_INET
			    ? ((struct sockaddr_in *)&ss)->sin_port : ((struct sockaddr_in6 *)&ss)->sin6_port;
			snprintf(line, sizeof(line), "p [%s] %d %d %s %d", s, sslen, ss.ss_family,
			    evutil_inet_ntop(ss.ss_family, addr, out, sizeof(out)), port);
		} else {
			snprintf(line, sizeof(line), "p [%s] %d", s, r);
		}
		feed(line);
	}
	printf("ipv4 ok %d, ipv6 ok %d, sockaddr ok %d, hash %016llx\n", n4, n6, np, hash);
	return 0;
}
