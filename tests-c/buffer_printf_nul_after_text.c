/* evbuffer_add_printf leaves a NUL after the formatted text (libevent formats straight into
 * the chain with vsnprintf), so printing evbuffer_pullup(buf, -1) as a C string shows just
 * the buffer's contents even where the chain held longer text before. Programs rely on it. */
#include <stdio.h>
#include <string.h>
#include <event2/buffer.h>

int main(void)
{
	struct evbuffer *buf = evbuffer_new();
	const char *p;

	evbuffer_add_printf(buf, "This should get drained right away.");
	evbuffer_drain(buf, evbuffer_get_length(buf));
	evbuffer_add_printf(buf, "This will not.");
	p = (const char *)evbuffer_pullup(buf, -1);
	printf("length=%zu text=[%s]\n", evbuffer_get_length(buf), p);

	evbuffer_add_printf(buf, " %d+%d", 40, 2);
	p = (const char *)evbuffer_pullup(buf, -1);
	printf("length=%zu text=[%s]\n", evbuffer_get_length(buf), p);
	evbuffer_free(buf);
	return 0;
}
