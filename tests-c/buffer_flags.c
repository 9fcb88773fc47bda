/* evbuffer_set_flags / evbuffer_clear_flags: both return 0; clearing a flag that was never set
 * is fine; a buffer whose DRAINS_TO_FD flag was set and cleared still writes to an fd. */
#include <stdio.h>
#include <unistd.h>
#include <event2/buffer.h>

int main(void)
{
	struct evbuffer *buf = evbuffer_new();
	int fds[2];
	if (pipe(fds) != 0)
		return 1;
	printf("clear unset=%d\n", evbuffer_clear_flags(buf, EVBUFFER_FLAG_DRAINS_TO_FD));
	printf("set=%d\n", evbuffer_set_flags(buf, EVBUFFER_FLAG_DRAINS_TO_FD));
	evbuffer_add(buf, "hello", 5);
	printf("write with flag=%d\n", evbuffer_write(buf, fds[1]));
	printf("clear=%d\n", evbuffer_clear_flags(buf, EVBUFFER_FLAG_DRAINS_TO_FD));
	evbuffer_add(buf, "world", 5);
	printf("write after clear=%d\n", evbuffer_write(buf, fds[1]));
	char out[16] = {0};
	ssize_t n = read(fds[0], out, sizeof(out) - 1);
	printf("read %zd: %s\n", n, out);
	evbuffer_free(buf);
	close(fds[0]);
	close(fds[1]);
	return 0;
}
