/* The freeze rules of a socket bufferevent, as user code sees them: the end of the input
 * and the start of the output are frozen, so evbuffer_add on the input, evbuffer_drain
 * on the output and evbuffer_write(output, fd) fail (the last sends nothing), while the
 * normal directions work. bufferevent_setfd unfreezes both buffers until the next read
 * (input) or write (output) event freezes them again. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int peer_bytes(int fd)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	return n < 0 ? 0 : (int)n;
}

static void probe(struct bufferevent *bev, int fd, int peer, const char *when)
{
	struct evbuffer *in = bufferevent_get_input(bev), *out = bufferevent_get_output(bev);
	int add_in, drain_in, add_out, drain_out, wr;
	evbuffer_drain(in, evbuffer_get_length(in));
	add_in = evbuffer_add(in, "i", 1);
	drain_in = evbuffer_drain(in, evbuffer_get_length(in));
	add_out = evbuffer_add(out, "oo", 2);
	drain_out = evbuffer_drain(out, 1);
	wr = evbuffer_write(out, fd);
	printf("%-26s add(in)=%d drain(in)=%d add(out)=%d drain(out)=%d write(out)=%d peer got %d, output %d\n",
	    when, add_in, drain_in, add_out, drain_out, wr, peer_bytes(peer),
	    (int)evbuffer_get_length(out));
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], 0);
	bufferevent_enable(bev, EV_READ);
	probe(bev, sv[0], sv[1], "new");
	event_base_loop(base, EVLOOP_ONCE);
	printf("loop sent the pending output: peer got %d\n", peer_bytes(sv[1]));
	probe(bev, sv[0], sv[1], "after a write event");

	bufferevent_setfd(bev, sv[0]);
	probe(bev, sv[0], sv[1], "after setfd");
	probe(bev, sv[0], sv[1], "still (no event yet)");
	if (write(sv[1], "x", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	probe(bev, sv[0], sv[1], "after a read event");
	bufferevent_write(bev, "w", 1);
	event_base_loop(base, EVLOOP_ONCE);
	printf("loop sent the pending output: peer got %d\n", peer_bytes(sv[1]));
	probe(bev, sv[0], sv[1], "after a write event");

	struct bufferevent *nofd = bufferevent_socket_new(base, -1, 0);
	probe(nofd, sv[0], sv[1], "fd -1");
	bufferevent_setfd(nofd, -1);
	probe(nofd, sv[0], sv[1], "setfd(-1)");
	bufferevent_free(nofd);

	bufferevent_free(bev);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
