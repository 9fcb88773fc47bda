/* event2/buffer_compat.h: evbuffer_readline, evbuffer_find, evbuffer_setcb and the
 * EVBUFFER_LENGTH / EVBUFFER_DATA macros. */
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <stdio.h>
#include <stdlib.h>

static void cb(struct evbuffer *b, size_t o, size_t n, void *arg)
{
	(void)b;
	printf("  cb %s: %zu -> %zu\n", (const char *)arg, o, n);
}

int main(void)
{
	struct evbuffer *b = evbuffer_new(), *t = evbuffer_new();
	printf("setcb: %d\n", evbuffer_setcb(b, cb, "x"));
	evbuffer_add(b, "first\r\nsecond\n\rthird", 20);
	evbuffer_add(t, " and more", 9);
	evbuffer_add_buffer(b, t);
	printf("EVBUFFER_LENGTH=%zu\n", EVBUFFER_LENGTH(b));
	char *l;
	while ((l = evbuffer_readline(b))) { printf("line [%s]\n", l); free(l); }
	/* evbuffer_find makes the buffer contiguous up to the end of the match only: print the
	 * match and where it is in the first chain, never bytes past it. */
	unsigned char *p = evbuffer_find(b, (const unsigned char *)"d and", 5);
	struct evbuffer_iovec first;
	evbuffer_peek(b, -1, NULL, &first, 1);
	if (p)
		printf("find: %.5s at %td of a contiguous %d\n", (char *)p, p - (unsigned char *)first.iov_base,
		    first.iov_len >= (size_t)(p - (unsigned char *)first.iov_base) + 5);
	else
		printf("find: NULL\n");
	printf("EVBUFFER_DATA: %.14s\n", (char *)EVBUFFER_DATA(b));
	printf("setcb NULL: %d\n", evbuffer_setcb(b, NULL, NULL));
	evbuffer_drain(b, 3);
	evbuffer_free(b);
	evbuffer_free(t);
	return 0;
}
