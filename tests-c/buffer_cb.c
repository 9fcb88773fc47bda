/* evbuffer callbacks: evbuffer_cb_info values, several callbacks (newest first), disabling
 * with evbuffer_cb_clear_flags, removal by entry and by (function, arg), a callback that
 * removes itself or changes the buffer, and the obsolete evbuffer_setcb. */
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <stdio.h>
#include <stdlib.h>

static struct evbuffer_cb_entry *self_removing;

static void cb(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	printf("  cb %s: orig=%zu added=%zu deleted=%zu len=%zu\n", (const char *)arg, i->orig_size, i->n_added, i->n_deleted,
	    evbuffer_get_length(b));
}

static void once(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	printf("  once: added=%zu; removing myself: %d\n", i->n_added, evbuffer_remove_cb_entry(b, self_removing));
	(void)arg;
}

static void drainer(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	(void)arg;
	printf("  drainer: orig=%zu added=%zu deleted=%zu\n", i->orig_size, i->n_added, i->n_deleted);
	if (evbuffer_get_length(b) > 8) evbuffer_drain(b, evbuffer_get_length(b) - 8);
}

static void old(struct evbuffer *b, size_t o, size_t n, void *arg)
{
	(void)b;
	printf("  old %s: %zu -> %zu\n", (const char *)arg, o, n);
}

int main(void)
{
	struct evbuffer *b = evbuffer_new(), *o = evbuffer_new();
	struct evbuffer_cb_entry *e1 = evbuffer_add_cb(b, cb, "one");
	evbuffer_add_cb(b, cb, "two");
	printf("add\n"); evbuffer_add(b, "hello", 5);
	printf("drain\n"); evbuffer_drain(b, 2);
	printf("clear ENABLED on one: %d\n", evbuffer_cb_clear_flags(b, e1, EVBUFFER_CB_ENABLED));
	printf("add\n"); evbuffer_add(b, "xy", 2);
	printf("set ENABLED on one: %d\n", evbuffer_cb_set_flags(b, e1, EVBUFFER_CB_ENABLED));
	printf("drain 0 (no change)\n"); evbuffer_drain(b, 0);
	printf("add 0 bytes\n"); evbuffer_add(b, "", 0);
	printf("add_buffer\n"); evbuffer_add(o, "moved", 5); evbuffer_add_buffer(b, o);
	{ int r1 = evbuffer_remove_cb(b, cb, "two"), r2 = evbuffer_remove_cb(b, cb, "two"); printf("remove_cb two: %d, again: %d\n", r1, r2); }
	self_removing = evbuffer_add_cb(b, once, NULL);
	printf("add\n"); evbuffer_add(b, "a", 1);
	printf("add\n"); evbuffer_add(b, "b", 1);
	evbuffer_add_cb(b, drainer, NULL);
	printf("add 20\n"); evbuffer_add(b, "01234567890123456789", 20);
	printf("readln\n");
	evbuffer_add(o, "line\nrest", 9);
	evbuffer_add_cb(o, cb, "o");
	char *l = evbuffer_readln(o, NULL, EVBUFFER_EOL_LF);
	printf("line=%s\n", l);
	free(l);
	printf("remove_buffer\n"); evbuffer_remove_buffer(o, b, 2);
	printf("setcb\n"); evbuffer_setcb(b, old, "old");
	printf("add\n"); evbuffer_add(b, "zz", 2);
	printf("setcb NULL: %d\n", evbuffer_setcb(b, NULL, NULL));
	printf("add\n"); evbuffer_add(b, "zz", 2);
	printf("remove_cb none: %d\n", evbuffer_remove_cb(b, cb, "one"));
	evbuffer_free(b);
	evbuffer_free(o);
	return 0;
}
