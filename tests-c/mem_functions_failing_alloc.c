/* When the allocator installed with event_set_mem_functions fails, calls that allocate
 * report it (NULL or -1) instead of crashing, and work again once it succeeds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event2/buffer.h>
#include <event2/event.h>

static int failing;
static void *maybe_malloc(size_t n) { return failing ? NULL : malloc(n); }
static void *maybe_realloc(void *p, size_t n) { return failing ? NULL : realloc(p, n); }
static void cb(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	(void)b; (void)info; (void)arg;
}

int main(void)
{
	static char big[100000];
	struct evbuffer *buf;
	int r;

	event_set_mem_functions(maybe_malloc, maybe_realloc, free);
	buf = evbuffer_new();
	failing = 1;
	printf("evbuffer_new: %s\n", evbuffer_new() ? "buffer" : "NULL");
	printf("event_config_new: %s\n", event_config_new() ? "config" : "NULL");
	printf("evbuffer_add_cb: %s\n", evbuffer_add_cb(buf, cb, NULL) ? "entry" : "NULL");
	printf("evbuffer_setcb: %d\n", evbuffer_setcb(buf, NULL, NULL));
	r = evbuffer_add(buf, big, sizeof(big));
	printf("evbuffer_add 100000: %d length=%zu\n", r, evbuffer_get_length(buf));
	failing = 0;
	printf("evbuffer_add_cb again: %s\n", evbuffer_add_cb(buf, cb, NULL) ? "entry" : "NULL");
	r = evbuffer_add(buf, big, sizeof(big));
	printf("evbuffer_add again: %d length=%zu\n", r, evbuffer_get_length(buf));
	evbuffer_free(buf);
	return 0;
}
