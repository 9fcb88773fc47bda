/* evbuffer_file_segment_free drops the caller's reference: a buffer that still holds the
 * segment keeps its bytes readable, and the cleanup callback runs only when the last
 * reference (the buffer's) is gone. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/buffer.h>

static int cleanups;

static void cleanup(struct evbuffer_file_segment const *seg, int flags, void *arg)
{
	(void)seg;
	cleanups++;
	printf("cleanup: flags=%d arg=%s\n", flags, (const char *)arg);
}

int main(void)
{
	char path[] = "/tmp/evshim-fileseg-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	unlink(path);
	const char *text = "0123456789abcdefghij";
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return 1;
	for (int flags = 0; flags <= EVBUF_FS_DISABLE_MMAP; flags += EVBUF_FS_DISABLE_MMAP) {
		cleanups = 0;
		struct evbuffer_file_segment *seg = evbuffer_file_segment_new(fd, 5, 10, flags);
		evbuffer_file_segment_add_cleanup_cb(seg, cleanup, "seg");
		struct evbuffer *buf = evbuffer_new();
		printf("flags=%d add=%d length=%zu\n", flags, evbuffer_add_file_segment(buf, seg, 2, 6),
		    evbuffer_get_length(buf));
		evbuffer_file_segment_free(seg);
		printf("after segment free: cleanups=%d\n", cleanups);
		char out[16] = {0};
		int n = evbuffer_remove(buf, out, 3);
		printf("removed %d: %s cleanups=%d\n", n, out, cleanups);
		evbuffer_free(buf);
		printf("after buffer free: cleanups=%d\n", cleanups);
	}
	/* A segment nobody else holds is cleaned up by its free. */
	struct evbuffer_file_segment *seg = evbuffer_file_segment_new(fd, 0, 4, 0);
	evbuffer_file_segment_add_cleanup_cb(seg, cleanup, "alone");
	cleanups = 0;
	evbuffer_file_segment_free(seg);
	printf("alone: cleanups=%d\n", cleanups);
	close(fd);
	return 0;
}
