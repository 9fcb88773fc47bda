/* bufferevent_socket_connect on a bufferevent that already has an fd connects that fd
 * (no new socket); with a NULL address it only waits for the fd to be connected, which
 * for an already-connected socket reports BEV_EVENT_CONNECTED at once; with fd -1 and a
 * NULL address it fails with -1. */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	int expected_fd = *(int *)arg;
	printf("  eventcb 0x%02x, same fd %d\n", what, bufferevent_getfd(bev) == expected_fd);
	event_base_loopexit(bufferevent_get_base(bev), NULL);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), fd, sfd, r;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0)
		return 1;
	getsockname(lfd, (struct sockaddr *)&sin, &len);

	/* 1: the program's own unconnected non-blocking socket */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, NULL, eventcb, &fd);
	r = bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof sin);
	printf("own socket: connect %d, same fd %d\n", r, bufferevent_getfd(bev) == fd);
	event_base_dispatch(base);
	sfd = accept(lfd, NULL, NULL);
	close(sfd);
	bufferevent_free(bev);

	/* 2: an already connected socket, NULL address */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) < 0)
		return 1;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, NULL, eventcb, &fd);
	r = bufferevent_socket_connect(bev, NULL, 0);
	printf("connected socket, NULL address: connect %d\n", r);
	event_base_dispatch(base);
	sfd = accept(lfd, NULL, NULL);
	close(sfd);
	bufferevent_free(bev);

	/* 3: no fd and no address */
	bev = bufferevent_socket_new(base, -1, 0);
	r = bufferevent_socket_connect(bev, NULL, 0);
	printf("fd -1, NULL address: connect %d, getfd %d\n", r, (int)bufferevent_getfd(bev));
	bufferevent_free(bev);

	close(lfd);
	event_base_free(base);
	return 0;
}
