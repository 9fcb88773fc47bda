/* evbuffer basics: add, prepend, remove, copyout, drain, pullup, expand, contiguous space,
 * add_printf of any length, add_iovec, add_buffer/prepend_buffer/remove_buffer moves. */
#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void dump(const char *tag, struct evbuffer *b)
{
	size_t n = evbuffer_get_length(b);
	char *p = malloc(n + 1);
	evbuffer_copyout(b, p, n);
	p[n] = 0;
	printf("%s: len=%zu chunks=%d contig=%zu \"%.60s\"\n", tag, n, evbuffer_peek(b, -1, NULL, NULL, 0),
	    evbuffer_get_contiguous_space(b), p);
	free(p);
}

int main(void)
{
	struct evbuffer *a = evbuffer_new(), *b = evbuffer_new();
	char out[4096];
	dump("new", a);
	printf("add: %d\n", evbuffer_add(a, "hello ", 6));
	printf("add: %d\n", evbuffer_add(a, "world", 5));
	printf("prepend: %d\n", evbuffer_prepend(a, ">> ", 3));
	dump("a", a);
	printf("remove: %d\n", evbuffer_remove(a, out, 3));
	printf("copyout: %zd \"%.5s\"\n", evbuffer_copyout(a, out, 5), out);
	printf("drain: %d\n", evbuffer_drain(a, 6));
	dump("a", a);
	printf("drain all: %d\n", evbuffer_drain(a, 1000));
	dump("a", a);
	/* Many small adds fill chains the way libevent does. */
	for (int i = 0; i < 300; i++) evbuffer_add(a, "0123456789", 10);
	dump("300 adds", a);
	printf("pullup(2500) first=%c\n", *evbuffer_pullup(a, 2500));
	dump("after pullup", a);
	printf("pullup(-1) ok=%d\n", evbuffer_pullup(a, -1) != NULL);
	dump("after pullup(-1)", a);
	printf("pullup past the end: %s\n", evbuffer_pullup(a, 3001) ? "ptr" : "NULL");
	printf("pullup(0): %s\n", evbuffer_pullup(a, 0) ? "ptr" : "NULL");
	printf("expand: %d\n", evbuffer_expand(a, 10000));
	dump("after expand", a);
	/* printf: short, exactly a chain, and much longer than a chain. */
	printf("printf: %d\n", evbuffer_add_printf(b, "%d-%s-%x|%5d|%-4s|%c", 42, "str", 255, -7, "ab", 'z'));
	static char big[9000];
	memset(big, 'q', sizeof big - 1);
	printf("printf big: %d\n", evbuffer_add_printf(b, "<%s>", big));
	printf("printf float: %d\n", evbuffer_add_printf(b, "%.3f %p", 2.5, (void *)0));
	dump("b", b);
	/* Moves. */
	printf("add_buffer: %d\n", evbuffer_add_buffer(a, b));
	dump("a", a);
	dump("b", b);
	printf("remove_buffer: %d\n", evbuffer_remove_buffer(a, b, 3100));
	dump("a", a);
	dump("b", b);
	printf("prepend_buffer: %d\n", evbuffer_prepend_buffer(a, b));
	dump("a", a);
	dump("b", b);
	printf("add_buffer self: %d\n", evbuffer_add_buffer(a, a));
	{
		struct evbuffer_iovec v[3] = {{"one ", 4}, {"two ", 4}, {"three", 5}};
		printf("add_iovec: %zu\n", evbuffer_add_iovec(b, v, 3));
		dump("b", b);
	}
	evbuffer_free(a);
	evbuffer_free(b);
	return 0;
}
