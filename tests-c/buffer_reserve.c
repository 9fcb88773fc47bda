/* evbuffer_reserve_space / evbuffer_commit_space: one and two extents, committing fewer
 * bytes, committing nothing, a commit after another change fails, foreign iovecs. */
#include <event2/buffer.h>
#include <stdio.h>
#include <string.h>

static void show(struct evbuffer *b, const char *tag)
{
	char out[64] = {0};
	evbuffer_copyout(b, out, sizeof out - 1);
	printf("%s: len=%zu chunks=%d \"%.30s\"\n", tag, evbuffer_get_length(b), evbuffer_peek(b, -1, NULL, NULL, 0), out);
}

int main(void)
{
	struct evbuffer *b = evbuffer_new();
	struct evbuffer_iovec v[2];
	int n = evbuffer_reserve_space(b, 100, v, 1);
	printf("reserve 1: n=%d len0=%zu\n", n, v[0].iov_len);
	memcpy(v[0].iov_base, "reserved", 8);
	v[0].iov_len = 8;
	printf("commit fewer: %d\n", evbuffer_commit_space(b, v, 1));
	show(b, "b");
	n = evbuffer_reserve_space(b, 100, v, 1);
	printf("reserve again: n=%d len0=%zu\n", n, v[0].iov_len);
	printf("commit 0 vecs: %d\n", evbuffer_commit_space(b, v, 0));
	/* Reserve more than the last chain has: two extents. */
	n = evbuffer_reserve_space(b, 2000, v, 2);
	printf("reserve 2: n=%d", n);
	for (int i = 0; i < n; i++) printf(" len%d=%zu", i, v[i].iov_len);
	printf("\n");
	for (int i = 0; i < n; i++) memset(v[i].iov_base, 'a' + i, v[i].iov_len);
	printf("commit 2: %d\n", evbuffer_commit_space(b, v, n));
	show(b, "b");
	/* Reserved twice without committing: the same space comes back. */
	struct evbuffer_iovec w[1];
	evbuffer_reserve_space(b, 10, v, 1);
	evbuffer_reserve_space(b, 10, w, 1);
	printf("same space: %d\n", v[0].iov_base == w[0].iov_base);
	/* A change between reserve and commit moves the end: the commit fails. */
	evbuffer_add(b, "X", 1);
	v[0].iov_len = 5;
	printf("commit after add: %d\n", evbuffer_commit_space(b, v, 1));
	/* Committing more than was reserved. */
	evbuffer_reserve_space(b, 10, v, 1);
	v[0].iov_len += 1;
	printf("commit too much: %d\n", evbuffer_commit_space(b, v, 1));
	/* Foreign memory. */
	char mine[16];
	struct evbuffer_iovec f = {mine, 4};
	printf("commit foreign: %d\n", evbuffer_commit_space(b, &f, 1));
	printf("reserve 0 vecs: %d\n", evbuffer_reserve_space(b, 10, v, 0));
	printf("reserve negative: %d\n", evbuffer_reserve_space(b, -1, v, 1));
	show(b, "b");
	evbuffer_free(b);
	return 0;
}
