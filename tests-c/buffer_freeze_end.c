/* Every evbuffer call that libevent refuses when the *end* of a buffer is frozen
 * (evbuffer_freeze(buf, 0)), and a few that it still allows. */
#include <event2/buffer.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int cleanups;
static void cleanup(const void *data, size_t len, void *arg) { (void)data; (void)len; (void)arg; cleanups++; }

int main(void)
{
	struct evbuffer *b = evbuffer_new(), *o = evbuffer_new();
	struct evbuffer_iovec v[2];
	char out[16];
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	evbuffer_add(b, "hello\n", 6);
	evbuffer_add(o, "other", 5);

	/* A reservation made before the freeze cannot be committed after it. */
	int nres = evbuffer_reserve_space(b, 10, v, 1);
	memcpy(v[0].iov_base, "0123456789", 10);
	v[0].iov_len = 10;
	evbuffer_freeze(b, 0);
	{ int r = evbuffer_commit_space(b, v, nres); printf("commit_space: %d len=%zu\n", r, evbuffer_get_length(b)); }
	printf("reserve_space: %d\n", evbuffer_reserve_space(b, 10, v, 1));
	printf("reserve_space(2): %d\n", evbuffer_reserve_space(b, 10, v, 2));
	{ int r = evbuffer_add(b, "x", 1); printf("add: %d len=%zu\n", r, evbuffer_get_length(b)); }
	printf("add(0 bytes): %d\n", evbuffer_add(b, "x", 0));
	printf("add_printf: %d\n", evbuffer_add_printf(b, "%s", "abc"));
	printf("add_reference: %d cleanups=%d\n", evbuffer_add_reference(b, "ref", 3, cleanup, NULL), cleanups);
	{ int r = evbuffer_add_buffer(b, o); printf("add_buffer(dst frozen): %d len=%zu\n", r, evbuffer_get_length(o)); }
	printf("add_buffer_reference(dst frozen): %d\n", evbuffer_add_buffer_reference(b, o));
	{ int r = evbuffer_remove_buffer(o, b, 2); printf("remove_buffer(dst frozen): %d len=%zu\n", r, evbuffer_get_length(o)); }
	{
		struct evbuffer_iovec iv[2] = {{"ab", 2}, {"cd", 2}};
		printf("add_iovec: %zu\n", evbuffer_add_iovec(b, iv, 2));
	}
	if (write(sv[1], "sock", 4) != 4) return 1;
	{ int r = evbuffer_read(b, sv[0], -1); printf("read: %d len=%zu\n", r, evbuffer_get_length(b)); }
	{
		char name[] = "/tmp/evshim-freeze-XXXXXX";
		int fd = mkstemp(name);
		if (write(fd, "file data", 9) != 9) return 1;
		unlink(name);
		int fd2 = dup(fd);
		printf("add_file: %d\n", evbuffer_add_file(b, fd, 0, 9));
		/* The refused add_file dropped its segment, which closed the fd. */
		printf("fd closed: %s\n", fcntl(fd, F_GETFD) < 0 ? "yes" : "no");
		fd = fd2;
		struct evbuffer_file_segment *seg = evbuffer_file_segment_new(fd, 0, 9, EVBUF_FS_DISABLE_SENDFILE);
		printf("file_segment_new: %s\n", seg ? "ok" : "NULL");
		/* A refused add drops the segment's reference (libevent), which frees it here. */
		printf("add_file_segment: %d\n", evbuffer_add_file_segment(b, seg, 0, -1));
		close(fd);
	}
	/* Allowed with a frozen end. */
	printf("expand: %d\n", evbuffer_expand(b, 100));
	{ int r = evbuffer_prepend(b, ">", 1); printf("prepend: %d len=%zu\n", r, evbuffer_get_length(b)); }
	printf("remove: %d\n", evbuffer_remove(b, out, 2));
	{ int r = evbuffer_drain(b, 1); printf("drain: %d len=%zu\n", r, evbuffer_get_length(b)); }
	{ int r = evbuffer_add_buffer(o, b); printf("add_buffer(src end frozen): %d len=%zu\n", r, evbuffer_get_length(o)); }
	printf("unfreeze: %d\n", evbuffer_unfreeze(b, 0));
	{ int r = evbuffer_add(b, "y", 1); printf("add: %d len=%zu\n", r, evbuffer_get_length(b)); }
	evbuffer_free(b);
	evbuffer_free(o);
	printf("cleanups=%d\n", cleanups);
	return 0;
}
