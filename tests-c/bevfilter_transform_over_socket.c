/* A transforming filter over a socket bufferevent: the output filter upper-cases what
 * the program writes before it reaches the socket, the input filter wraps each chunk it
 * passes up in brackets. The filter's fd is the socket's; the write callback of the
 * filter runs as soon as the output filter has consumed the data. */
#include <ctype.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static enum bufferevent_filter_result upcase(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	char buf[256];
	int n, i;
	(void)lim;
	(void)mode;
	(void)ctx;
	n = evbuffer_remove(src, buf, sizeof buf);
	if (n <= 0)
		return BEV_NEED_MORE;
	for (i = 0; i < n; i++)
		buf[i] = (char)toupper((unsigned char)buf[i]);
	evbuffer_add(dst, buf, (size_t)n);
	return BEV_OK;
}

static enum bufferevent_filter_result bracket(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	(void)lim;
	(void)mode;
	(void)ctx;
	if (evbuffer_get_length(src) == 0)
		return BEV_NEED_MORE;
	evbuffer_add(dst, "[", 1);
	evbuffer_add_buffer(dst, src);
	evbuffer_add(dst, "]", 1);
	return BEV_OK;
}

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	(void)arg;
	printf("filter readcb \"%.*s\"\n", (int)n, buf);
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("filter writecb (filter output %d)\n", (int)evbuffer_get_length(bufferevent_get_output(bev)));
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	char buf[64];
	ssize_t n;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *sock = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *f = bufferevent_filter_new(sock, bracket, upcase, BEV_OPT_CLOSE_ON_FREE, NULL, NULL);
	printf("filter getfd is the socket %d\n", bufferevent_getfd(f) == sv[0]);
	bufferevent_setcb(f, readcb, writecb, NULL, NULL);
	bufferevent_enable(f, EV_READ);
	bufferevent_write(f, "hello, ", 7);
	bufferevent_write(f, "world", 5);
	printf("after two writes: filter output %d, socket bufferevent output %d\n",
	    (int)evbuffer_get_length(bufferevent_get_output(f)), (int)evbuffer_get_length(bufferevent_get_output(sock)));
	event_base_loop(base, EVLOOP_ONCE);
	n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	printf("peer got \"%.*s\"\n", (int)(n > 0 ? n : 0), buf);
	if (write(sv[1], "abc", 3) != 3)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	if (write(sv[1], "de", 2) != 2)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	bufferevent_free(f);
	event_base_loop(base, EVLOOP_NONBLOCK);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
