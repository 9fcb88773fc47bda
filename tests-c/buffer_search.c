/* evbuffer_search, evbuffer_search_range, evbuffer_ptr_set (SET and ADD, past the end,
 * pos -1 after a failed search), evbuffer_peek, evbuffer_copyout_from, evbuffer_find. */
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct evbuffer *b = evbuffer_new(), *t = evbuffer_new();
	const char *parts[] = {"the quick ", "brown fox", " jumps over", " the lazy dog", " the end"};
	for (int i = 0; i < 5; i++) {
		evbuffer_add(t, parts[i], strlen(parts[i]));
		evbuffer_add_buffer(b, t);
	}
	printf("len=%zu chunks=%d\n", evbuffer_get_length(b), evbuffer_peek(b, -1, NULL, NULL, 0));
	struct evbuffer_ptr p = evbuffer_search(b, "the", 3, NULL);
	while (p.pos >= 0) {
		printf("the at %zd\n", p.pos);
		evbuffer_ptr_set(b, &p, 1, EVBUFFER_PTR_ADD);
		p = evbuffer_search(b, "the", 3, &p);
	}
	printf("after failed search: pos=%zd\n", p.pos);
	printf("across chains: %zd\n", evbuffer_search(b, "fox jumps", 9, NULL).pos);
	printf("missing: %zd\n", evbuffer_search(b, "cat", 3, NULL).pos);
	printf("empty needle: %zd\n", evbuffer_search(b, "", 0, NULL).pos);
	struct evbuffer_ptr s, e;
	evbuffer_ptr_set(b, &s, 5, EVBUFFER_PTR_SET);
	evbuffer_ptr_set(b, &e, 19, EVBUFFER_PTR_SET);
	printf("range fox in [5,19): %zd\n", evbuffer_search_range(b, "fox", 3, &s, &e).pos);
	evbuffer_ptr_set(b, &e, 18, EVBUFFER_PTR_SET);
	printf("range fox in [5,18): %zd\n", evbuffer_search_range(b, "fox", 3, &s, &e).pos);
	printf("range with NULL end: %zd\n", evbuffer_search_range(b, "end", 3, &s, NULL).pos);
	/* ptr_set */
	size_t len = evbuffer_get_length(b);
	printf("set to len: %d\n", evbuffer_ptr_set(b, &s, len, EVBUFFER_PTR_SET));
	{ int r = evbuffer_ptr_set(b, &s, len + 1, EVBUFFER_PTR_SET); printf("set past len: %d pos=%zd\n", r, s.pos); }
	evbuffer_ptr_set(b, &s, 10, EVBUFFER_PTR_SET);
	{ int r = evbuffer_ptr_set(b, &s, 20, EVBUFFER_PTR_ADD); printf("add 20: %d pos=%zd\n", r, s.pos); }
	{ int r = evbuffer_ptr_set(b, &s, 1000, EVBUFFER_PTR_ADD); printf("add past: %d pos=%zd\n", r, s.pos); }
	printf("add to -1: %d\n", evbuffer_ptr_set(b, &s, 1, EVBUFFER_PTR_ADD));
	/* copyout_from and peek from a position. */
	char out[32] = {0};
	evbuffer_ptr_set(b, &s, 16, EVBUFFER_PTR_SET);
	printf("copyout_from 16: %zd \"%s\"\n", evbuffer_copyout_from(b, &s, out, 12), out);
	struct evbuffer_iovec v[8];
	int n = evbuffer_peek(b, 15, &s, v, 8);
	printf("peek 15 from 16: %d", n);
	for (int i = 0; i < n; i++) printf(" [%.*s]", (int)v[i].iov_len, (char *)v[i].iov_base);
	printf("\npeek all: %d, peek count only: %d, peek 1 vec: %d\n", evbuffer_peek(b, -1, NULL, v, 8),
	    evbuffer_peek(b, -1, NULL, NULL, 0), evbuffer_peek(b, -1, NULL, v, 1));
	evbuffer_ptr_set(b, &s, len, EVBUFFER_PTR_SET);
	printf("peek at end: %d\n", evbuffer_peek(b, -1, &s, v, 8));
	/* Only the bytes up to the end of the match are contiguous after evbuffer_find. */
	unsigned char *f = evbuffer_find(b, (const unsigned char *)"lazy", 4);
	struct evbuffer_iovec first;
	evbuffer_peek(b, -1, NULL, &first, 1);
	if (f)
		printf("find: %.4s at %td of a contiguous %d", (char *)f, f - (unsigned char *)first.iov_base,
		    first.iov_len >= (size_t)(f - (unsigned char *)first.iov_base) + 4);
	else
		printf("find: NULL");
	printf(" chunks now=%d\n", evbuffer_peek(b, -1, NULL, NULL, 0));
	printf("find missing: %s\n", evbuffer_find(b, (const unsigned char *)"zebra", 5) ? "found" : "NULL");
	/* 64 MiB search. */
	struct evbuffer *big = evbuffer_new();
	char blk[4096];
	for (size_t i = 0; i < sizeof blk; i++) blk[i] = "abcabd"[i % 6];
	for (int i = 0; i < 64 * 256; i++) evbuffer_add(big, blk, sizeof blk);
	evbuffer_add(big, "abcabe", 6);
	printf("64MiB search: %zd\n", evbuffer_search(big, "abcabe", 6, NULL).pos);
	evbuffer_free(big);
	evbuffer_free(b);
	evbuffer_free(t);
	return 0;
}
