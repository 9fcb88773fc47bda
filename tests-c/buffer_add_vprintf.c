/* evbuffer_add_vprintf: the va_list form appends the formatted text, returns its length. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <event2/buffer.h>

static int add(struct evbuffer *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = evbuffer_add_vprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}

int main(void)
{
	struct evbuffer *buf = evbuffer_new();
	int r1 = add(buf, "%d-%s-%c|", 42, "str", 'x');
	int r2 = add(buf, "%05.1f %lu %%|", 3.14159, (unsigned long)1234567890UL);
	int r3 = add(buf, "%s", "");
	char big[3000];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	int r4 = add(buf, "[%s]", big);
	printf("returns %d %d %d %d length=%zu\n", r1, r2, r3, r4, evbuffer_get_length(buf));
	char out[64];
	size_t n = evbuffer_remove(buf, out, 30);
	out[n] = 0;
	printf("head: %s\n", out);
	printf("tail ends with ]: %d\n", *evbuffer_pullup(buf, -1) == 'z' ||
	    evbuffer_pullup(buf, -1)[evbuffer_get_length(buf) - 1] == ']');
	evbuffer_free(buf);
	return 0;
}
