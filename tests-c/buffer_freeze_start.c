/* Every evbuffer call that libevent refuses when the *start* of a buffer is frozen
 * (evbuffer_freeze(buf, 1)), and a few that it still allows. Prints return values and the
 * buffer length after each call. */
#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct evbuffer *fresh(void)
{
	struct evbuffer *b = evbuffer_new();
	evbuffer_add(b, "hello\nworld\n", 12);
	evbuffer_freeze(b, 1);
	return b;
}

int main(void)
{
	struct evbuffer *b, *o = evbuffer_new();
	char out[64];
	size_t n = 99;
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);

	b = fresh();
	{ int r = evbuffer_drain(b, 3); printf("drain: %d len=%zu\n", r, evbuffer_get_length(b)); }
	{ int r = evbuffer_remove(b, out, 3); printf("remove: %d len=%zu\n", r, evbuffer_get_length(b)); }
	printf("copyout: %zd\n", evbuffer_copyout(b, out, 3));
	printf("copyout(0 bytes): %zd\n", evbuffer_copyout(b, out, 0));
	{
		struct evbuffer_ptr p;
		evbuffer_ptr_set(b, &p, 2, EVBUFFER_PTR_SET);
		printf("copyout_from: %zd\n", evbuffer_copyout_from(b, &p, out, 3));
	}
	{ int r = evbuffer_prepend(b, "x", 1); printf("prepend: %d len=%zu\n", r, evbuffer_get_length(b)); }
	printf("prepend(0 bytes): %d\n", evbuffer_prepend(b, "x", 0));
	char *l = evbuffer_readln(b, &n, EVBUFFER_EOL_LF);
	printf("readln: %s n=%zu\n", l ? l : "NULL", n);
	free(l);
	{ int r = evbuffer_write(b, sv[0]); printf("write: %d len=%zu\n", r, evbuffer_get_length(b)); }
	printf("write_atmost: %d\n", evbuffer_write_atmost(b, sv[0], 4));
	{ int r = evbuffer_remove_buffer(b, o, 4); printf("remove_buffer(src frozen): %d len=%zu\n", r, evbuffer_get_length(b)); }
	{ int r = evbuffer_add_buffer(o, b); printf("add_buffer(src frozen): %d len=%zu\n", r, evbuffer_get_length(b)); }
	evbuffer_add(o, "abc", 3);
	{ int r = evbuffer_prepend_buffer(b, o); printf("prepend_buffer(dst frozen): %d len=%zu\n", r, evbuffer_get_length(b)); }
	{ int r = evbuffer_prepend_buffer(o, b); printf("prepend_buffer(src frozen): %d len=%zu\n", r, evbuffer_get_length(b)); }
	/* Allowed with a frozen start. */
	{ int r = evbuffer_add(b, "!", 1); printf("add: %d len=%zu\n", r, evbuffer_get_length(b)); }
	printf("add_printf: %d\n", evbuffer_add_printf(b, "%d", 42));
	printf("pullup: %s\n", evbuffer_pullup(b, 5) ? "ok" : "NULL");
	printf("peek: %d\n", evbuffer_peek(b, -1, NULL, NULL, 0));
	printf("search: %zd\n", evbuffer_search(b, "world", 5, NULL).pos);
	printf("add_buffer_reference(src frozen): %d\n", evbuffer_add_buffer_reference(o, b));
	/* Empty buffers return early, before the freeze check. */
	struct evbuffer *e = evbuffer_new();
	evbuffer_freeze(e, 1);
	printf("empty drain: %d\n", evbuffer_drain(e, 1));
	printf("empty remove: %d\n", evbuffer_remove(e, out, 1));
	printf("empty write: %d\n", evbuffer_write(e, sv[0]));
	printf("unfreeze: %d\n", evbuffer_unfreeze(b, 1));
	{ int r = evbuffer_drain(b, 3); printf("drain: %d len=%zu\n", r, evbuffer_get_length(b)); }
	evbuffer_free(b);
	evbuffer_free(o);
	evbuffer_free(e);
	return 0;
}
