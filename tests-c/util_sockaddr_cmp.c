/* evutil_sockaddr_cmp: family, then address, then (optionally) port; signs only. */
#include <event2/util.h>
#include <stdio.h>
#include <string.h>

static int sign(int x) { return x < 0 ? -1 : x > 0; }

static struct sockaddr_storage parse(const char *s)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (evutil_parse_sockaddr_port(s, (struct sockaddr *)&ss, &len) < 0)
		printf("parse failed: %s\n", s);
	return ss;
}

int main(void)
{
	static const char *addrs[] = {
		"1.2.3.4:80", "1.2.3.4:81", "1.2.3.5:80", "4.3.2.1:80", "1.2.3.4",
		"0.0.0.1:1", "1.0.0.0:1", "[::1]:80", "[::1]:81", "[::2]:80",
		"[ff00::]:1", "[::1]", "[::ffff:1.2.3.4]:80",
	};
	size_t n = sizeof(addrs) / sizeof(addrs[0]), i, j;
	for (i = 0; i < n; ++i) {
		for (j = 0; j < n; ++j) {
			struct sockaddr_storage a = parse(addrs[i]), b = parse(addrs[j]);
			printf("%d%d ", sign(evutil_sockaddr_cmp((struct sockaddr *)&a, (struct sockaddr *)&b, 1)) + 1,
			    sign(evutil_sockaddr_cmp((struct sockaddr *)&a, (struct sockaddr *)&b, 0)) + 1);
		}
		printf(" %s\n", addrs[i]);
	}
	{
		/* Unknown families: 1 unless the families differ. */
		struct sockaddr_storage u1, u2, v4 = parse("1.2.3.4");
		memset(&u1, 0, sizeof(u1));
		memset(&u2, 0, sizeof(u2));
		u1.ss_family = AF_UNIX;
		u2.ss_family = AF_UNIX;
		printf("unix/unix %d\n", evutil_sockaddr_cmp((struct sockaddr *)&u1, (struct sockaddr *)&u2, 1));
		printf("unix/inet sign %d\n", sign(evutil_sockaddr_cmp((struct sockaddr *)&u1, (struct sockaddr *)&v4, 1)));
		printf("inet/unix sign %d\n", sign(evutil_sockaddr_cmp((struct sockaddr *)&v4, (struct sockaddr *)&u1, 1)));
	}
	return 0;
}
