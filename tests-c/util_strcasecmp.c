/* evutil_ascii_strcasecmp / strncasecmp: ASCII-only folding; signs only. */
#include <event2/util.h>
#include <stdio.h>

static int sign(int x) { return x < 0 ? -1 : x > 0; }

int main(void)
{
	static const char *pairs[][2] = {
		{"abc", "ABC"}, {"abc", "abd"}, {"abd", "ABC"}, {"", ""}, {"", "a"}, {"a", ""},
		{"Content-Length", "content-length"}, {"a[", "A{"}, {"[", "{"}, {"_", "a"},
		{"\x80", "a"}, {"a", "\xff"}, {"\xc4", "\xe4"}, {"abc", "abcd"}, {"Z", "a"},
		{"z", "A"}, {"@", "`"}, {"HTTP/1.1", "http/1.0"},
	};
	size_t i, n;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); ++i) {
		printf("cmp %zu: %d", i, sign(evutil_ascii_strcasecmp(pairs[i][0], pairs[i][1])));
		for (n = 0; n <= 5; ++n)
			printf(" n%zu=%d", n, sign(evutil_ascii_strncasecmp(pairs[i][0], pairs[i][1], n)));
		printf("\n");
	}
	/* n bounds the read: the strings need not be terminated within n. */
	{
		char a[3] = {'x', 'Y', 'z'}, b[3] = {'X', 'y', 'q'};
		printf("unterminated n=2: %d\n", evutil_ascii_strncasecmp(a, b, 2));
	}
	return 0;
}
