/* The secure RNG API: init, get_bytes (fills the buffer, differs between calls), and the
 * two no-op configuration calls of Debian's arc4random-based build. */
#include <event2/util.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	unsigned char a[64], b[64], big[100000];
	char dev[] = "/dev/urandom";
	size_t i, zero = 0;
	int counts[256] = {0}, seen = 0;

	printf("init -> %d\n", evutil_secure_rng_init());
	printf("init again -> %d\n", evutil_secure_rng_init());
	printf("set_urandom_device_file -> %d\n", evutil_secure_rng_set_urandom_device_file(dev));
	evutil_secure_rng_add_bytes("some entropy", 12);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	evutil_secure_rng_get_bytes(a, sizeof(a));
	evutil_secure_rng_get_bytes(b, sizeof(b));
	printf("two draws differ: %d\n", memcmp(a, b, sizeof(a)) != 0);
	for (i = 0; i < sizeof(a); ++i)
		zero += a[i] == 0;
	printf("not all zero: %d\n", zero < sizeof(a));
	/* Partial fill: bytes past n untouched. */
	memset(a, 0xee, sizeof(a));
	evutil_secure_rng_get_bytes(a, 7);
	printf("tail untouched: %d\n", a[7] == 0xee && a[63] == 0xee);
	evutil_secure_rng_get_bytes(a, 0);
	evutil_secure_rng_get_bytes(big, sizeof(big));
	for (i = 0; i < sizeof(big); ++i)
		counts[big[i]]++;
	for (i = 0; i < 256; ++i)
		seen += counts[i] > 200;
	printf("all byte values common: %d\n", seen == 256);
	return 0;
}
