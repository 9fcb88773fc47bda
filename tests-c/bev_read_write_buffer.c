/* bufferevent_read copies out and drains up to `size` bytes and returns how many;
 * bufferevent_read_buffer moves the whole input into another evbuffer;
 * bufferevent_write_buffer moves a whole evbuffer into the output (the source ends up
 * empty). Reading from an empty input returns 0. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

int main(void)
{
	struct event_base *base = event_base_new();
	struct evbuffer *src = evbuffer_new(), *dst = evbuffer_new();
	char buf[64];
	size_t n;
	int sv[2], r;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_enable(bev, EV_READ);

	evbuffer_add(src, "via write_buffer;", 17);
	r = bufferevent_write_buffer(bev, src);
	printf("write_buffer: %d, source left %d, output %d\n", r, (int)evbuffer_get_length(src),
	    (int)evbuffer_get_length(bufferevent_get_output(bev)));
	r = bufferevent_write(bev, "via write", 9);
	printf("write: %d, output %d\n", r, (int)evbuffer_get_length(bufferevent_get_output(bev)));
	r = bufferevent_write(bev, "", 0);
	printf("write of 0 bytes: %d\n", r);
	event_base_loop(base, EVLOOP_ONCE);
	n = (size_t)recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	printf("peer got %d \"%.*s\"\n", (int)n, (int)n, buf);

	if (write(sv[1], "0123456789abcdef", 16) != 16)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	n = bufferevent_read(bev, buf, 4);
	printf("read(4): %d \"%.*s\", input left %d\n", (int)n, (int)n, buf,
	    (int)evbuffer_get_length(bufferevent_get_input(bev)));
	evbuffer_add(dst, "[", 1);
	r = bufferevent_read_buffer(bev, dst);
	n = evbuffer_remove(dst, buf, sizeof buf);
	printf("read_buffer: %d, input left %d, destination \"%.*s\"\n", r,
	    (int)evbuffer_get_length(bufferevent_get_input(bev)), (int)n, buf);
	n = bufferevent_read(bev, buf, sizeof buf);
	printf("read from empty input: %d\n", (int)n);
	r = bufferevent_read_buffer(bev, dst);
	printf("read_buffer from empty input: %d, destination %d\n", r, (int)evbuffer_get_length(dst));

	bufferevent_free(bev);
	evbuffer_free(src);
	evbuffer_free(dst);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
