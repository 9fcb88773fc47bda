/* evutil_parse_sockaddr_port: every accepted form, port rules, and malformed input. */
#include <event2/util.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const char *inputs[] = {
	"1.2.3.4", "1.2.3.4:80", "1.2.3.4:0", "1.2.3.4:65535", "1.2.3.4:65536",
	"1.2.3.4:", "1.2.3.4:-1", "1.2.3.4:80abc", "1.2.3.4: 80", "1.2.3.4:4294967376",
	"255.255.255.255:1", "256.1.1.1", "1.2.3", "1.2.3.4.5", " 1.2.3.4",
	"+1.2.3.4:9", "1.2.3.4 ", "01.002.3.4", "[::1]:80", "[::1]",
	"::1", "[::1]:0", "[::1]:", "[::1]x", "[::1", "::1:80",
	"[1.2.3.4]:80", "[::ffff:1.2.3.4]:443", "::ffff:1.2.3.4", "[fe80::1%1]:8080",
	"fe80::1%lo", "fe80::1%nosuchif", "[fe80::1%]:1", "", ":", "[]:80",
	"localhost:80", "1:2:3:4:5:6:7:8", "[1:2:3:4:5:6:7:8:9]", "abc", "[::1]:99999",
	"1.2.3.4:00080",
};

int main(void)
{
	size_t i;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); ++i) {
		struct sockaddr_storage ss;
		int len = (int)sizeof(ss);
		char buf[128];
		int r;
		memset(&ss, 0xab, sizeof(ss));
		r = evutil_parse_sockaddr_port(inputs[i], (struct sockaddr *)&ss, &len);
		printf("\"%s\" -> %d", inputs[i], r);
		if (r == 0) {
			if (ss.ss_family == AF_INET) {
				struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
				printf(" len=%d inet %s port=%d", len,
				    evutil_inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf)),
				    ntohs(sin->sin_port));
			} else if (ss.ss_family == AF_INET6) {
				struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
				printf(" len=%d inet6 %s port=%d scope=%u", len,
				    evutil_inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf)),
				    ntohs(sin6->sin6_port), (unsigned)sin6->sin6_scope_id);
			}
			/* The rest of the buffer is zeroed. */
			printf(" tail=%d", ((unsigned char *)&ss)[sizeof(ss) - 1]);
		}
		printf("\n");
	}
	/* Output buffer size rules. */
	{
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
		int len = (int)sizeof(sin);
		printf("v4 into sockaddr_in: %d len=%d\n",
		    evutil_parse_sockaddr_port("10.0.0.1:5", (struct sockaddr *)&sin, &len), len);
		len = (int)sizeof(sin);
		printf("v6 into sockaddr_in: %d len=%d\n",
		    evutil_parse_sockaddr_port("[::1]:5", (struct sockaddr *)&sin, &len), len);
		len = (int)sizeof(sin6);
		printf("v6 into sockaddr_in6: %d len=%d\n",
		    evutil_parse_sockaddr_port("[::1]:5", (struct sockaddr *)&sin6, &len), len);
		len = 4;
		printf("v4 into 4 bytes: %d len=%d\n",
		    evutil_parse_sockaddr_port("10.0.0.1", (struct sockaddr *)&sin, &len), len);
		len = -1;
		printf("negative len: %d len=%d\n",
		    evutil_parse_sockaddr_port("10.0.0.1", (struct sockaddr *)&sin, &len), len);
	}
	return 0;
}
