/* bufferevent_socket_connect on a bufferevent made with fd -1 creates a non-blocking
 * socket, starts the connect and returns 0; when the connection is made the event
 * callback gets BEV_EVENT_CONNECTED (alone), and data written before it was connected
 * is sent afterwards. Reading was not enabled by the connect. */
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
#include <event2/bufferevent_struct.h>

static int lfd;

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	int fd = bufferevent_getfd(bev);
	int fl = fcntl(fd, F_GETFL);
	(void)arg;
	printf("eventcb 0x%02x: getfd valid %d, non-blocking %d, enabled 0x%02x, output %d\n", what,
	    fd >= 0, (fl & O_NONBLOCK) != 0, bufferevent_get_enabled(bev),
	    (int)evbuffer_get_length(bufferevent_get_output(bev)));
}

static void writecb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	int sfd = accept(lfd, NULL, NULL);
	ssize_t n = read(sfd, buf, sizeof buf);
	(void)arg;
	printf("writecb: output %d; server accepted and read %d \"%.*s\"\n",
	    (int)evbuffer_get_length(bufferevent_get_output(bev)), (int)n, (int)(n > 0 ? n : 0), buf);
	close(sfd);
	bufferevent_free(bev);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0)
		return 1;
	getsockname(lfd, (struct sockaddr *)&sin, &len);

	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, writecb, eventcb, NULL);
	bufferevent_write(bev, "hello", 5);
	int r = bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof sin);
	printf("connect: %d, getfd valid %d, enabled 0x%02x, write pending %d, read pending %d\n", r,
	    bufferevent_getfd(bev) >= 0, bufferevent_get_enabled(bev),
	    event_pending(&bev->ev_write, EV_WRITE, NULL) != 0,
	    event_pending(&bev->ev_read, EV_READ, NULL) != 0);
	r = event_base_dispatch(base);
	printf("dispatch: %d\n", r);
	close(lfd);
	event_base_free(base);
	return 0;
}
