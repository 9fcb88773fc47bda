/* The TCP peer closes while the bufferevent still has output: a later write fails and
 * the event callback gets BEV_EVENT_ERROR|BEV_EVENT_WRITING, with the socket error
 * EPIPE or ECONNRESET (which one depends on when the peer's reset arrives); EV_WRITE is
 * disabled and the unsent output stays. SIGPIPE is ignored here: libevent's writes do
 * not suppress it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#define BIG (4 << 20)
static int events;

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();
	(void)arg;
	events++;
	printf("eventcb 0x%02x: ERROR %d WRITING %d, error is EPIPE or ECONNRESET: %s\n", what,
	    (what & BEV_EVENT_ERROR) != 0, (what & BEV_EVENT_WRITING) != 0,
	    err == EPIPE || err == ECONNRESET ? "yes" : "no");
	printf("enabled 0x%02x, unsent output left: %s\n", bufferevent_get_enabled(bev),
	    evbuffer_get_length(bufferevent_get_output(bev)) > 0 ? "yes" : "no");
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), cfd, sfd, small = 65536;
	char *data = calloc(1, BIG);
	signal(SIGPIPE, SIG_IGN);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0)
		return 1;
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(cfd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	if (connect(cfd, (struct sockaddr *)&sin, sizeof sin) < 0)
		return 1;
	sfd = accept(lfd, NULL, NULL);
	setsockopt(sfd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
	fcntl(sfd, F_SETFL, O_NONBLOCK);

	struct bufferevent *bev = bufferevent_socket_new(base, sfd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, NULL, eventcb, NULL);
	bufferevent_write(bev, data, BIG);
	close(cfd);
	int r = event_base_dispatch(base);
	printf("dispatch: %d, event callbacks: %d\n", r, events);
	bufferevent_free(bev);
	close(lfd);
	free(data);
	event_base_free(base);
	return 0;
}
