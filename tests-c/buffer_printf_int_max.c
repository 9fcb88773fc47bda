/* TIMEOUT: 120 */
/* evbuffer_add_printf of a text of INT_MAX bytes: libevent formats once to learn the length,
 * then asks for room for length + 1 computed as an int, which overflows, so it adds nothing
 * and returns -1. (The C library spends a few seconds producing the 2 GiB of padding for
 * libevent's first attempt; hence the longer timeout.) */
#include <event2/buffer.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static int calls;

static void cb(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	(void)b;
	(void)info;
	(void)arg;
	calls++;
}

static void show(const char *what, struct evbuffer *b, int r)
{
	char out[32] = { 0 };
	size_t len = evbuffer_get_length(b);
	evbuffer_copyout(b, out, sizeof out - 1);
	printf("%s: %d len=%zu text=[%s] callbacks=%d\n", what, r, len, out, calls);
}

int main(void)
{
	struct evbuffer *b = evbuffer_new();
	evbuffer_add(b, "abc", 3);
	evbuffer_add_cb(b, cb, NULL);
	int r = evbuffer_add_printf(b, "%*d", INT_MAX, 1);
	show("width INT_MAX", b, r);
	/* A width that does not fit an int is the C library's error. (Not a literal, so the
	 * compiler does not warn about what the test is for.) */
	char huge_width[] = "%2147483648d";
	r = evbuffer_add_printf(b, huge_width, 1);
	show("width 2^31", b, r);
	/* The buffer still works. */
	r = evbuffer_add_printf(b, "<%*d>", 5, 42);
	show("width 5", b, r);
	evbuffer_free(b);
	return 0;
}
