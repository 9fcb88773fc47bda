/* evbuffer_add_reference (cleanup called exactly once, when the last byte goes, or never
 * when the add is refused), evbuffer_add_buffer_reference (shared read-only bytes), and
 * lengths of several GiB made of references (no overflow, no allocation). */
#include <event2/buffer.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static void cleanup(const void *data, size_t len, void *arg)
{
	printf("  cleanup %s len=%zu first=%c\n", (const char *)arg, len, len ? *(const char *)data : '-');
}

int main(void)
{
	struct evbuffer *a = evbuffer_new(), *b = evbuffer_new();
	static const char text[] = "referenced text";
	printf("add_reference: %d\n", evbuffer_add_reference(a, text, 15, cleanup, "r1"));
	{ int r = evbuffer_add(a, "+tail", 5); printf("add: %d len=%zu chunks=%d\n", r, evbuffer_get_length(a), evbuffer_peek(a, -1, NULL, NULL, 0)); }
	printf("drain 10: %d\n", evbuffer_drain(a, 10));
	printf("drain 5: %d (reference consumed)\n", evbuffer_drain(a, 5));
	printf("len=%zu\n", evbuffer_get_length(a));
	evbuffer_add_reference(a, text, 15, cleanup, "r2");
	evbuffer_add_reference(a, text, 0, cleanup, "r3-empty");
	printf("add_buffer_reference: %d\n", evbuffer_add_buffer_reference(b, a));
	printf("a len=%zu b len=%zu\n", evbuffer_get_length(a), evbuffer_get_length(b));
	printf("add to a: %d (new chain: the shared one is read-only)\n", evbuffer_add(a, "!", 1));
	printf("add_buffer_reference of a referencing buffer: %d\n", evbuffer_add_buffer_reference(a, b));
	printf("free a\n");
	evbuffer_free(a);
	char out[64] = {0};
	printf("b still reads: %d \"%s\"\n", evbuffer_remove(b, out, sizeof out - 1), out);
	printf("free b\n");
	evbuffer_free(b);
	/* Several GiB: references to one lazily-zero mapping, never touched. */
	size_t gib = (size_t)1 << 30;
	void *m = mmap(NULL, 3 * gib, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED) { printf("mmap failed\n"); return 0; }
	struct evbuffer *big = evbuffer_new();
	for (int i = 0; i < 3; i++) evbuffer_add_reference(big, m, 3 * gib, NULL, NULL);
	printf("9 GiB: len=%zu chunks=%d\n", evbuffer_get_length(big), evbuffer_peek(big, -1, NULL, NULL, 0));
	{ int r = evbuffer_drain(big, 4 * gib); printf("drain 4 GiB: %d len=%zu\n", r, evbuffer_get_length(big)); }
	struct evbuffer_ptr p;
	{ int r = evbuffer_ptr_set(big, &p, 5 * gib - 1, EVBUFFER_PTR_SET); printf("ptr_set 5 GiB - 1: %d pos=%zd\n", r, p.pos); }
	printf("copyout_from the last byte: %zd\n", evbuffer_copyout_from(big, &p, out, 10));
	{ int r = evbuffer_add(big, "z", 1); printf("add 1 byte: %d len=%zu\n", r, evbuffer_get_length(big)); }
	printf("peek 4 GiB: %d\n", evbuffer_peek(big, 4 * gib, NULL, NULL, 0));
	evbuffer_free(big);
	munmap(m, 3 * gib);
	return 0;
}
