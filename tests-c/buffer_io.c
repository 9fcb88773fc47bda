/* evbuffer_read / evbuffer_write / evbuffer_write_atmost over a socketpair: howmuch -1
 * reads at most 4096 bytes (libevent 2.1), write_atmost limits, writev over many chains, and
 * file segments (sendfile when the buffer drains to a socket, mmap or read otherwise). */
#include <event2/buffer.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void segclean(struct evbuffer_file_segment const *s, int flags, void *arg)
{
	(void)s;
	printf("  segment cleanup %s flags=%d\n", (const char *)arg, flags);
}

int main(void)
{
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	struct evbuffer *out = evbuffer_new(), *in = evbuffer_new(), *t = evbuffer_new();
	static char data[20000];
	for (size_t i = 0; i < sizeof data; i++) data[i] = (char)('a' + i % 26);
	/* 200 chains of 100 bytes. */
	for (int i = 0; i < 200; i++) { evbuffer_add(t, data + i * 100, 100); evbuffer_add_buffer(out, t); }
	printf("out: len=%zu chunks=%d\n", evbuffer_get_length(out), evbuffer_peek(out, -1, NULL, NULL, 0));
	printf("write_atmost 250: %d\n", evbuffer_write_atmost(out, sv[0], 250));
	{ int r = evbuffer_write(out, sv[0]); printf("write: %d left=%zu\n", r, evbuffer_get_length(out)); }
	{ int r = evbuffer_write(out, sv[0]); printf("write: %d left=%zu\n", r, evbuffer_get_length(out)); }
	printf("write empty: %d\n", evbuffer_write(out, sv[0]));
	int r, total = 0;
	while ((r = evbuffer_read(in, sv[1], -1)) > 0) { printf("read: %d\n", r); total += r; }
	printf("read total=%d len=%zu same=%d\n", total, evbuffer_get_length(in), memcmp(evbuffer_pullup(in, -1), data, 20000) == 0);
	printf("read with nothing: %d\n", evbuffer_read(in, sv[1], 100));
	if (write(sv[0], data, 300) != 300) return 1;
	printf("read 100: %d\n", evbuffer_read(in, sv[1], 100));
	printf("read -1: %d\n", evbuffer_read(in, sv[1], -1));
	close(sv[0]);
	printf("read at EOF: %d\n", evbuffer_read(in, sv[1], -1));
	/* Files. */
	char name[] = "/tmp/evshim-io-XXXXXX";
	int fd = mkstemp(name);
	if (write(fd, data, sizeof data) != (ssize_t)sizeof data) return 1;
	unlink(name);
	int sp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	for (int mode = 0; mode < 3; mode++) {
		struct evbuffer *f = evbuffer_new();
		unsigned flags = mode == 1 ? EVBUF_FS_DISABLE_MMAP : mode == 2 ? EVBUF_FS_DISABLE_SENDFILE | EVBUF_FS_DISABLE_MMAP : 0;
		if (mode == 0) evbuffer_set_flags(f, EVBUFFER_FLAG_DRAINS_TO_FD);
		struct evbuffer_file_segment *seg = evbuffer_file_segment_new(dup(fd), 100, 5000, flags | EVBUF_FS_CLOSE_ON_FREE);
		evbuffer_file_segment_add_cleanup_cb(seg, segclean, mode == 0 ? "sendfile" : mode == 1 ? "read" : "read2");
		printf("mode %d: add_file_segment %d %d\n", mode, evbuffer_add_file_segment(f, seg, 0, 1000),
		    evbuffer_add_file_segment(f, seg, 4000, -1));
		/* A failed add drops the caller's reference (libevent): no free of our own. */
		printf("  bad range: %d\n", evbuffer_add_file_segment(f, seg, 4000, 2000));
		printf("  len=%zu\n", evbuffer_get_length(f));
		int w, sent = 0;
		while ((w = evbuffer_write(f, sp[0])) > 0) sent += w;
		char got[3000];
		ssize_t g = read(sp[1], got, sizeof got);
		printf("  sent=%d got=%zd [%.10s] [%.10s]\n", sent, g, got, got + 1000);
		evbuffer_free(f);
	}
	struct evbuffer *f = evbuffer_new();
	r = evbuffer_add_file(f, dup(fd), 10, 20);
	printf("add_file: %d len=%zu\n", r, evbuffer_get_length(f));
	char got[32] = {0};
	printf("remove: %d \"%s\"\n", evbuffer_remove(f, got, 20), got);
	printf("add_file empty: %d\n", evbuffer_add_file(f, dup(fd), 0, 0));
	printf("add_file bad offset: %d\n", evbuffer_add_file(f, dup(fd), -1, 5));
	evbuffer_free(f);
	evbuffer_free(out); evbuffer_free(in); evbuffer_free(t);
	return 0;
}
