/* evshim-only */
/* Bad input that crashes libevent is refused with a warning (on stderr) and libevent's
 * error value:
 * NULL buffers and data, evbuffer_ptrs from another buffer, foreign iovecs, huge sizes. */
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <stdio.h>

int main(void)
{
	struct evbuffer *b = evbuffer_new(), *o = evbuffer_new();
	char out[8];
	printf("add NULL buf: %d\n", evbuffer_add(NULL, "x", 1));
	printf("add NULL data: %d\n", evbuffer_add(b, NULL, 5));
	printf("add NULL data, 0 bytes: %d\n", evbuffer_add(b, NULL, 0));
	printf("length NULL: %zu\n", evbuffer_get_length(NULL));
	printf("drain NULL: %d\n", evbuffer_drain(NULL, 1));
	printf("readln NULL: %s\n", evbuffer_readln(NULL, NULL, EVBUFFER_EOL_LF) ? "line" : "NULL");
	printf("add_buffer NULL: %d\n", evbuffer_add_buffer(b, NULL));
	evbuffer_add(b, "0123456789", 10);
	evbuffer_add(o, "abcdefghij", 10);
	struct evbuffer_ptr p;
	evbuffer_ptr_set(o, &p, 3, EVBUFFER_PTR_SET);
	printf("copyout_from foreign ptr: %zd\n", evbuffer_copyout_from(b, &p, out, 4));
	printf("search from foreign ptr: %zd\n", evbuffer_search(b, "5", 1, &p).pos);
	printf("ptr_set ADD foreign ptr: %d\n", evbuffer_ptr_set(b, &p, 1, EVBUFFER_PTR_ADD));
	printf("peek foreign ptr: %d\n", evbuffer_peek(b, -1, &p, NULL, 0));
	printf("pullup past the end: %s\n", evbuffer_pullup(b, 11) ? "ptr" : "NULL");
	printf("reserve huge: %d\n", evbuffer_reserve_space(b, (ev_ssize_t)1 << 62, NULL, 1));
	printf("expand huge: %d\n", evbuffer_expand(b, (size_t)-1));
	printf("add huge (overflow): %d\n", evbuffer_add(b, "x", (size_t)-5));
	struct evbuffer_cb_entry *e = evbuffer_add_cb(o, NULL, NULL);
	printf("remove another buffer's cb entry: %d\n", evbuffer_remove_cb_entry(b, e));
	printf("len=%zu\n", evbuffer_get_length(b));
	evbuffer_free(b);
	evbuffer_free(o);
	evbuffer_free(NULL);
	return 0;
}
