/* bufferevent_setfd moves a working socket bufferevent to another fd: the events are
 * re-created on the new fd with the same enabled flags, the old fd is neither read nor
 * closed, and pending output goes to the new fd. getfd/setfd on a pair fail (-1). */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	(void)arg;
	printf("  readcb \"%.*s\"\n", (int)n, buf);
}

static int peer_got(int fd)
{
	char buf[64];
	ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	return n < 0 ? 0 : (int)n;
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *pair[2];
	int a[2], b[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0)
		return 1;
	fcntl(a[0], F_SETFL, O_NONBLOCK);
	fcntl(b[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, a[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	if (write(a[1], "from A", 6) != 6)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);

	bufferevent_write(bev, "queued", 6);
	int r = bufferevent_setfd(bev, b[0]);
	printf("setfd: %d, getfd is the new fd %d, ev_read fd is the new fd %d, enabled 0x%02x\n", r,
	    bufferevent_getfd(bev) == b[0], event_get_fd(&bev->ev_read) == b[0], bufferevent_get_enabled(bev));
	if (write(a[1], "old peer", 8) != 8 || write(b[1], "from B", 6) != 6)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	printf("old peer got %d, new peer got %d\n", peer_got(a[1]), peer_got(b[1]));
	printf("old fd still open: %d\n", fcntl(a[0], F_GETFD) != -1);
	bufferevent_free(bev);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("after free (CLOSE_ON_FREE): old fd open %d, new fd open %d\n", fcntl(a[0], F_GETFD) != -1,
	    fcntl(b[0], F_GETFD) != -1);

	bufferevent_pair_new(base, 0, pair);
	r = bufferevent_setfd(pair[0], a[1]);
	printf("pair: getfd %d, setfd %d\n", (int)bufferevent_getfd(pair[0]), r);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);
	close(a[0]);
	close(a[1]);
	close(b[1]);
	event_base_free(base);
	return 0;
}
