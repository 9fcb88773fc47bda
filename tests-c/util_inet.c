/* evutil_inet_ntop / evutil_inet_pton / evutil_inet_pton_scope: libevent's own formatter
 * and parser (not the system's), round trips, malformed text, short buffers. */
#include <event2/util.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static void v4(const char *s)
{
	struct in_addr a;
	char buf[32];
	int r;
	memset(&a, 0, sizeof(a));
	r = evutil_inet_pton(AF_INET, s, &a);
	printf("pton4 \"%s\" -> %d", s, r);
	if (r == 1)
		printf(" %08x ntop=%s", (unsigned)ntohl(a.s_addr),
		    evutil_inet_ntop(AF_INET, &a, buf, sizeof(buf)));
	printf("\n");
}

static void v6(const char *s)
{
	struct in6_addr a;
	char buf[64];
	int r, i;
	memset(&a, 0, sizeof(a));
	r = evutil_inet_pton(AF_INET6, s, &a);
	printf("pton6 \"%s\" -> %d", s, r);
	if (r == 1) {
		printf(" ");
		for (i = 0; i < 16; ++i)
			printf("%02x", a.s6_addr[i]);
		printf(" ntop=%s", evutil_inet_ntop(AF_INET6, &a, buf, sizeof(buf)));
	}
	printf("\n");
}

static void scope(const char *s)
{
	struct in6_addr a;
	unsigned idx = 77;
	char buf[64];
	int r;
	memset(&a, 0, sizeof(a));
	r = evutil_inet_pton_scope(AF_INET6, s, &a, &idx);
	printf("scope \"%s\" -> %d idx=%u", s, r, idx);
	if (r == 1)
		printf(" ntop=%s", evutil_inet_ntop(AF_INET6, &a, buf, sizeof(buf)));
	printf("\n");
}

static void words(unsigned w0, unsigned w1, unsigned w2, unsigned w3,
    unsigned w4, unsigned w5, unsigned w6, unsigned w7)
{
	unsigned w[8];
	struct in6_addr a;
	char buf[64];
	int i;
	w[0] = w0; w[1] = w1; w[2] = w2; w[3] = w3;
	w[4] = w4; w[5] = w5; w[6] = w6; w[7] = w7;
	for (i = 0; i < 8; ++i) {
		a.s6_addr[2 * i] = w[i] >> 8;
		a.s6_addr[2 * i + 1] = w[i] & 0xff;
	}
	printf("ntop6 %x:%x:%x:%x:%x:%x:%x:%x -> %s\n", w0, w1, w2, w3, w4, w5, w6, w7,
	    evutil_inet_ntop(AF_INET6, &a, buf, sizeof(buf)));
}

int main(void)
{
	static const char *in4[] = {
		"0.0.0.0", "127.0.0.1", "255.255.255.255", "1.2.3.256", "1.2.3",
		"1.2.3.4.", "1.2.3.4x", " 1.2.3.4", "1. 2.3.4", "1 .2.3.4", "+1.2.3.4",
		"-0.1.2.3", "-1.2.3.4", "0x1.2.3.4", "010.020.030.040", "4294967297.2.3.4",
		"18446744073709551616.1.1.1", "", ".1.2.3", "1..2.3", "1.2.3.4\n",
	};
	static const char *in6[] = {
		"::", "::1", "1::", "1::2", "ffff::", "FFFF:0:0:0:0:0:0:1",
		"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", ":::",
		":1::", "1:", ":", "", "12345::", "0x12::", "0x1234::", "::ffff:1.2.3.4",
		"::1.2.3.4", "1.2.3.4", "::1.2.3", "::1.2.3.256", "1:2:3:4:5:6:1.2.3.4",
		"1:2:3:4:5:6:7:1.2.3.4", "::ffff:+1.2.3.4", "fe80::1%lo", "abcd:ef01::2345:6789",
		"g::", "::g", "1::2:", "::00001", "::0001", "0:0:0:0:0:0:0:0", ".1.2.3.4",
		"a1.2.3.4", "::a1.2.3.4",
	};
	static const char *insc[] = {
		"fe80::1%lo", "fe80::1%1", "fe80::1%", "fe80::1%nosuchif0", "fe80::1% 5",
		"fe80::1%5x", "bad%lo", "::1", "fe80::1%-1",
	};
	size_t i;
	char buf[64];
	struct in_addr a4;
	struct in6_addr a6;

	for (i = 0; i < sizeof(in4) / sizeof(in4[0]); ++i)
		v4(in4[i]);
	for (i = 0; i < sizeof(in6) / sizeof(in6[0]); ++i)
		v6(in6[i]);
	for (i = 0; i < sizeof(insc) / sizeof(insc[0]); ++i)
		scope(insc[i]);

	/* Formatting choices of libevent's ntop. */
	words(0, 0, 0, 0, 0, 0, 0, 0);
	words(0, 0, 0, 0, 0, 0, 0, 1);
	words(0, 0, 0, 0, 0, 0, 0x102, 0x304);
	words(0, 0, 0, 0, 0, 0, 0, 0x304);
	words(0, 0, 0, 0, 0, 0xffff, 0x102, 0x304);
	words(0, 0, 0, 0, 0, 0xfffe, 0x102, 0x304);
	words(1, 0, 2, 0, 0, 3, 0, 4);
	words(1, 0, 0, 2, 0, 0, 3, 4);
	words(1, 0, 2, 3, 4, 5, 6, 7);
	words(1, 2, 3, 4, 5, 6, 7, 0);
	words(1, 2, 3, 4, 5, 6, 0, 0);
	words(0, 0, 1, 0, 0, 0, 0, 0);
	words(0xabcd, 0xef, 0, 0, 0, 0, 0, 0x10);

	/* Short buffers. */
	evutil_inet_pton(AF_INET, "192.168.100.200", &a4);
	for (i = 0; i <= 16; ++i) {
		const char *r;
		memset(buf, 'X', sizeof(buf));
		buf[sizeof(buf) - 1] = 0;
		r = evutil_inet_ntop(AF_INET, &a4, buf, i);
		printf("ntop4 len=%d -> %s buf=%.20s\n", (int)i, r ? r : "NULL", buf);
	}
	evutil_inet_pton(AF_INET6, "1:2:3:4:5:6:7:8", &a6);
	for (i = 0; i <= 17; ++i) {
		const char *r;
		memset(buf, 'X', sizeof(buf));
		buf[sizeof(buf) - 1] = 0;
		r = evutil_inet_ntop(AF_INET6, &a6, buf, i);
		printf("ntop6 len=%d -> %s buf=%.20s\n", (int)i, r ? r : "NULL", buf);
	}
	evutil_inet_pton(AF_INET6, "::ffff:1.2.3.4", &a6);
	for (i = 12; i <= 16; ++i) {
		const char *r;
		memset(buf, 'X', sizeof(buf));
		buf[sizeof(buf) - 1] = 0;
		r = evutil_inet_ntop(AF_INET6, &a6, buf, i);
		printf("ntop6m len=%d -> %s buf=%.20s\n", (int)i, r ? r : "NULL", buf);
	}

	/* Unknown families. */
	printf("ntop af=99 -> %s\n", evutil_inet_ntop(99, &a6, buf, sizeof(buf)) ? "ptr" : "NULL");
	printf("pton af=99 -> %d\n", evutil_inet_pton(99, "1.2.3.4", &a6));
	{
		unsigned idx = 5;
		int r = evutil_inet_pton_scope(AF_INET, "1.2.3.4", &a4, &idx);
		printf("pton_scope AF_INET -> %d idx=%u\n", r, idx);
		idx = 5;
		r = evutil_inet_pton_scope(99, "1.2.3.4", &a4, &idx);
		printf("pton_scope af=99 -> %d idx=%u\n", r, idx);
	}
	return 0;
}
