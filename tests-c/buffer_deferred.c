/* evbuffer_defer_callbacks: callbacks run from the base's loop, once, with the changes
 * accumulated since the last run; a callback flagged 2 (libevent's internal "no defer")
 * still runs at once; freeing the buffer cancels a pending run. */
#include <event2/buffer.h>
#include <event2/event.h>
#include <stdio.h>

static void cb(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	printf("  cb %s: orig=%zu added=%zu deleted=%zu len=%zu\n", (const char *)arg, i->orig_size, i->n_added,
	    i->n_deleted, evbuffer_get_length(b));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct evbuffer *b = evbuffer_new();
	printf("defer: %d\n", evbuffer_defer_callbacks(b, base));
	evbuffer_add_cb(b, cb, "deferred");
	evbuffer_add(b, "hello", 5);
	evbuffer_drain(b, 2);
	printf("before loop\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("after loop\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("second loop (nothing)\n");
	struct evbuffer_cb_entry *now = evbuffer_add_cb(b, cb, "nodefer");
	evbuffer_cb_set_flags(b, now, 2);
	evbuffer_add(b, "abc", 3);
	evbuffer_add(b, "de", 2);
	printf("before loop\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("after loop\n");
	evbuffer_add(b, "pending", 7);
	evbuffer_free(b);
	printf("freed with a pending run\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	event_base_free(base);
	printf("done\n");
	return 0;
}
