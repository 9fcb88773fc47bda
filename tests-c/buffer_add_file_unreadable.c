/* evbuffer_add_file on an fd it cannot map or read (-1, a directory, a pipe, a length past
 * what can be mapped or allocated, an empty range): -1, nothing added, and the fd is left
 * open (libevent leaks the file segment there and never closes the fd, so a program may
 * close it itself). A readable file is added and its fd closed when the buffer frees it.
 * A segment from evbuffer_file_segment_new that cannot be read stays the caller's. */
#define _GNU_SOURCE
#include <event2/buffer.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *fd_state(int fd)
{
	return fcntl(fd, F_GETFD) == -1 ? "closed" : "open";
}

static void try_add(const char *what, int fd, ev_off_t offset, ev_off_t length)
{
	struct evbuffer *b = evbuffer_new();
	int r = evbuffer_add_file(b, fd, offset, length);
	size_t len = evbuffer_get_length(b);
	printf("%s: %d len=%zu fd %s", what, r, len, fd < 0 ? "-" : fd_state(fd));
	evbuffer_free(b);
	printf(", after free %s\n", fd < 0 ? "-" : fd_state(fd));
	if (fd >= 0 && fcntl(fd, F_GETFD) != -1)
		close(fd);
}

static int regular_file(void)
{
	char path[] = "/tmp/evshim-add-file-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	unlink(path);
	char data[100];
	memset(data, 'f', sizeof data);
	if (write(fd, data, sizeof data) != (ssize_t)sizeof data) {
		perror("write");
		exit(1);
	}
	return fd;
}

static int pipe_reader(void)
{
	int p[2];
	if (pipe(p) != 0) {
		perror("pipe");
		exit(1);
	}
	close(p[1]);
	return p[0];
}

int main(void)
{
	try_add("fd -1, 10 bytes", -1, 0, 10);
	try_add("fd -1, whole file", -1, 0, -1);
	try_add("directory, 10 bytes", open(".", O_RDONLY | O_DIRECTORY), 0, 10);
	try_add("directory, whole file", open(".", O_RDONLY | O_DIRECTORY), 0, -1);
	try_add("pipe, 10 bytes", pipe_reader(), 0, 10);
	try_add("pipe, whole file", pipe_reader(), 0, -1);
	try_add("file, INT64_MAX bytes", regular_file(), 0, INT64_MAX);
	try_add("file, empty range at 0", regular_file(), 0, 0);
	try_add("file, empty range at 50", regular_file(), 50, 0);
	try_add("file, whole file", regular_file(), 0, -1);
	try_add("file, 10 bytes at 50", regular_file(), 50, 10);

	/* A segment the caller made: a failed add leaves it to the caller, who frees it. */
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	struct evbuffer_file_segment *seg = evbuffer_file_segment_new(dir, 0, 10, 0);
	struct evbuffer *b = evbuffer_new();
	int r = evbuffer_add_file_segment(b, seg, 0, -1);
	size_t len = evbuffer_get_length(b);
	printf("segment of a directory: new %s, add %d len=%zu\n", seg ? "ok" : "NULL", r, len);
	if (seg)
		evbuffer_file_segment_free(seg);
	printf("segment freed: fd %s\n", fd_state(dir));
	close(dir);
	evbuffer_free(b);
	return 0;
}
