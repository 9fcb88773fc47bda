/* While a bufferevent_socket_connect is in progress, bufferevent_disable(EV_WRITE)
 * clears the flag but keeps the write event (it is how the connect completes): the
 * event callback still gets BEV_EVENT_CONNECTED, after which the write event is removed
 * and queued output waits until EV_WRITE is enabled again. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static void show(struct bufferevent *bev, const char *when)
{
	printf("%s: enabled 0x%02x, write pending %d, output %d\n", when, bufferevent_get_enabled(bev),
	    event_pending(&bev->ev_write, EV_WRITE, NULL) != 0, (int)evbuffer_get_length(bufferevent_get_output(bev)));
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf("eventcb 0x%02x\n", what);
	event_base_loopexit(bufferevent_get_base(bev), NULL);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	char buf[16];
	int lfd = socket(AF_INET, SOCK_STREAM, 0), sfd;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0)
		return 1;
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, NULL, eventcb, NULL);
	bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof sin);
	bufferevent_write(bev, "held", 4);
	bufferevent_disable(bev, EV_WRITE);
	show(bev, "connecting, EV_WRITE disabled");
	event_base_dispatch(base);
	show(bev, "after CONNECTED");
	sfd = accept(lfd, NULL, NULL);
	printf("server got %d bytes\n", (int)recv(sfd, buf, sizeof buf, MSG_DONTWAIT));
	bufferevent_enable(bev, EV_WRITE);
	event_base_loop(base, EVLOOP_ONCE);
	show(bev, "EV_WRITE enabled, one turn");
	printf("server got %d bytes\n", (int)recv(sfd, buf, sizeof buf, MSG_DONTWAIT));
	close(sfd);
	bufferevent_free(bev);
	close(lfd);
	event_base_free(base);
	return 0;
}
