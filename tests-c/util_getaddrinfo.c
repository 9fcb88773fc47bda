/* evutil_getaddrinfo / evutil_freeaddrinfo / evutil_gai_strerror on numeric hosts,
 * services, NULL hints and NULL nodes, AI_NUMERICHOST/AI_NUMERICSERV failures, and
 * "localhost" (only properties that do not depend on /etc/hosts are printed). */
#include <event2/util.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static void show(const char *node, const char *serv, int family, int socktype, int flags,
    int use_hints)
{
	struct evutil_addrinfo hints, *res = NULL, *ai;
	int err;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = socktype;
	hints.ai_flags = flags;
	err = evutil_getaddrinfo(node, serv, use_hints ? &hints : NULL, &res);
	printf("gai(%s, %s, fam=%d st=%d fl=%#x%s) -> %d (%s)\n", node ? node : "NULL",
	    serv ? serv : "NULL", family, socktype, flags, use_hints ? "" : " nohints", err,
	    evutil_gai_strerror(err));
	if (err)
		return;
	for (ai = res; ai; ai = ai->ai_next) {
		char buf[64];
		int port = -1;
		const char *a = "?";
		if (ai->ai_family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
			a = evutil_inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
			port = ntohs(sin->sin_port);
		} else if (ai->ai_family == AF_INET6) {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ai->ai_addr;
			a = evutil_inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
			port = ntohs(sin6->sin6_port);
		}
		printf("  fam=%d st=%d proto=%d len=%d %s port=%d canon=%s\n", ai->ai_family,
		    ai->ai_socktype, ai->ai_protocol, (int)ai->ai_addrlen, a, port,
		    ai->ai_canonname ? ai->ai_canonname : "-");
	}
	evutil_freeaddrinfo(res);
}

int main(void)
{
	struct evutil_addrinfo hints, *res = NULL, *ai;
	int err, n4 = 0, n6 = 0, other = 0, err_codes[] = {0, -1, -2, -3, -4, -5, -6, -7, -8,
		-9, -10, -11, -12, -100, -90001, 1, EVUTIL_EAI_ADDRFAMILY, EVUTIL_EAI_NODATA};
	size_t i;

	show("127.0.0.1", NULL, AF_UNSPEC, 0, 0, 1);
	show("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0, 1);
	show("127.0.0.1", "80", AF_INET, SOCK_DGRAM, 0, 1);
	show("127.0.0.1", "80", AF_INET6, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	show("::1", "8080", AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	show("::1", "8080", AF_INET, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	show("::ffff:1.2.3.4", "1", AF_INET6, SOCK_STREAM, 0, 1);
	show("1.2.3.4", "65535", AF_UNSPEC, 0, EVUTIL_AI_NUMERICHOST | EVUTIL_AI_NUMERICSERV, 1);
	show("1.2.3.4", "65536", AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	show("1.2.3.4", "http", AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_NUMERICSERV, 1);
	show("1.2.3.4", "no-such-service-xyz", AF_UNSPEC, SOCK_STREAM, 0, 1);
	show("localhost", "80", AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	show("not an address", NULL, AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	show("1.2.3", NULL, AF_INET, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	show(NULL, NULL, AF_UNSPEC, 0, 0, 1);
	show(NULL, "80", AF_INET, SOCK_STREAM, EVUTIL_AI_PASSIVE, 1);
	show(NULL, "80", AF_INET6, SOCK_STREAM, 0, 1);
	show(NULL, "80", AF_INET, SOCK_STREAM, 0, 1);
	show("127.0.0.1", "80", AF_UNSPEC, 0, 0, 0);
	show("10.1.2.3", "22", 12345, SOCK_STREAM, 0, 1);
	show("10.1.2.3", "22", AF_INET, 12345, 0, 1);
	show("10.1.2.3", NULL, AF_INET, SOCK_STREAM, EVUTIL_AI_CANONNAME | EVUTIL_AI_NUMERICHOST, 1);
	show("10.1.2.3", "22", AF_INET, SOCK_STREAM, 0x7fff0000, 1);

	/* localhost: resolves, to loopback only. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	err = evutil_getaddrinfo("localhost", "80", &hints, &res);
	for (ai = err ? NULL : res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET &&
		    (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) == 127)
			++n4;
		else if (ai->ai_family == AF_INET6)
			++n6;
		else
			++other;
	}
	printf("localhost -> %d, some=%d other=%d\n", err, n4 + n6 > 0, other);
	if (!err)
		evutil_freeaddrinfo(res);

	for (i = 0; i < sizeof(err_codes) / sizeof(err_codes[0]); ++i)
		printf("gai_strerror(%d) = %s\n", err_codes[i], evutil_gai_strerror(err_codes[i]));
	return 0;
}
